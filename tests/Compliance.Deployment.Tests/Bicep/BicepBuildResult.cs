using System.Text.Json.Nodes;

namespace Compliance.Deployment.Tests.Bicep;

/// <summary>What <c>bicep build</c> produced.</summary>
/// <param name="Template">The compiled ARM template; modules are nested deployments in it (see <see cref="Arm.ArmTemplate"/>).</param>
/// <param name="Diagnostics">Warnings and notes of the build (it fails on errors).</param>
public sealed record BicepBuildResult(JsonObject Template, IReadOnlyList<BicepDiagnostic> Diagnostics);
