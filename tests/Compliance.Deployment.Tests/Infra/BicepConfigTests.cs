using System.Text.Json.Nodes;
using Compliance.Deployment.Tests.Bicep;
using Compliance.Deployment.Tests.Fixtures;

namespace Compliance.Deployment.Tests.Infra;

/// <summary>infra/bicepconfig.json only makes Bicep's linter stricter, and every rule it names is one Bicep knows (Bicep
/// ignores unknown rule ids, so a typo would silently configure nothing). Checked on Fixtures/rules, which breaks each rule.</summary>
public sealed class BicepConfigTests
{
    private static readonly Lazy<Task<IReadOnlyList<BicepDiagnostic>>> WithInfraConfig =
        new(() => BicepCli.Default.LintAsync(FixtureFiles.Rules, InfraTemplates.ConfigPath));

    private static readonly Lazy<Task<IReadOnlyList<BicepDiagnostic>>> WithDefaults =
        new(() => BicepCli.Default.LintAsync(FixtureFiles.Rules, FixtureFiles.DefaultConfig));

    [Fact]
    public void Config_KeepsTheLinterOnAndSetsRulesOnlyToWarningOrError()
    {
        var core = ReadConfig()["analyzers"]?["core"];

        Assert.NotEqual(false, (bool?)core?["enabled"]);
        Assert.NotEmpty(ConfiguredLevels());
        Assert.All(ConfiguredLevels(), rule => Assert.Contains(rule.Value, new[] { BicepDiagnosticLevel.Warning, BicepDiagnosticLevel.Error }));
    }

    [Fact]
    public async Task EveryConfiguredRule_FiresOnTheFixtureAtItsConfiguredLevel()
    {
        var diagnostics = await WithInfraConfig.Value;

        Assert.All(ConfiguredLevels(), rule => Assert.True(
            diagnostics.Any(d => d.RuleId == rule.Key && d.Level == rule.Value),
            $"{rule.Key} did not fire at {rule.Value}: {string.Join("; ", diagnostics.Where(d => d.RuleId == rule.Key))}"));
    }

    [Fact]
    public async Task NoRule_FiresBelowItsDefaultLevel()
    {
        var defaults = await WithDefaults.Value;
        var configured = await WithInfraConfig.Value;

        Assert.NotEmpty(defaults);
        Assert.All(defaults.GroupBy(d => d.RuleId), rule => Assert.True(
            configured.Where(d => d.RuleId == rule.Key).Select(d => d.Level).DefaultIfEmpty(BicepDiagnosticLevel.None).Max() >= rule.Max(d => d.Level),
            $"{rule.Key} fires at {rule.Max(d => d.Level)} by default and lower with infra/bicepconfig.json"));
    }

    private static JsonNode ReadConfig() =>
        JsonNode.Parse(File.ReadAllText(InfraTemplates.ConfigPath)) ?? throw new FormatException($"{InfraTemplates.ConfigPath} is empty.");

    private static Dictionary<string, BicepDiagnosticLevel> ConfiguredLevels() =>
        (ReadConfig()["analyzers"]?["core"]?["rules"] as JsonObject ?? [])
        .ToDictionary(
            rule => rule.Key,
            rule => (string?)rule.Value?["level"] switch
            {
                "error" => BicepDiagnosticLevel.Error,
                "warning" => BicepDiagnosticLevel.Warning,
                "info" => BicepDiagnosticLevel.Note,
                var other => other is "off" or null ? BicepDiagnosticLevel.None : throw new FormatException($"{rule.Key} has an unknown level \"{other}\"."),
            },
            StringComparer.Ordinal);
}
