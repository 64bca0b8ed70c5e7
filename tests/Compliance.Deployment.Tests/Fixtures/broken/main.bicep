// Fixture for BicepCliTests: a syntax error on line 2 (BCP009: the default value is missing).
param location string =
