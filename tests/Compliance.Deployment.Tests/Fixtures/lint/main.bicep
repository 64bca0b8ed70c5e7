// Fixture for BicepCliTests: one linter warning here (line 4, no-unused-params) and one in the module, which lint of this file reports too.
param location string = resourceGroup().location

param unusedParameter string

module tagged 'modules/tagged.bicep' = {
  name: 'tagged'
  params: {
    location: location
  }
}
