namespace Compliance.Cli.Tests;

public sealed class CliSettingsTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Resolve_NothingGiven_DevelopmentDefaults()
    {
        var settings = CliSettings.Resolve(null, null, null, null, null, json: false, NoEnvironment);

        Assert.Equal("UseDevelopmentStorage=true", settings.Storage);
        Assert.Null(settings.AuditStorage);
        Assert.Equal("local", settings.Keys);
        Assert.True(settings.DevelopmentKeyCustody);
        Assert.Contains("development key custody", settings.KeyCustodyLabel, StringComparison.Ordinal);
        Assert.Null(settings.PolicyPath);
        Assert.Null(settings.Now);
        Assert.Equal("", settings.NameSuffix);
    }

    [Fact]
    public void Resolve_OptionAndEnvironment_OptionWins()
    {
        var environment = new Dictionary<string, string>
        {
            ["COMPLIANCE_STORAGE"] = "fromenv",
            ["COMPLIANCE_AUDIT_STORAGE"] = "auditfromenv",
            ["COMPLIANCE_KEYS"] = "https://env.vault.azure.net",
            ["COMPLIANCE_POLICY"] = "env.json",
            ["COMPLIANCE_NAME_SUFFIX"] = "staging",
        };

        var fromOptions = CliSettings.Resolve("fromoption", "auditfromoption", "local", "option.json", null, json: true, environment.GetValueOrDefault);
        var fromEnvironment = CliSettings.Resolve(null, null, null, null, null, json: false, environment.GetValueOrDefault);

        Assert.Equal(("fromoption", "auditfromoption", "local", "option.json"), (fromOptions.Storage, fromOptions.AuditStorage, fromOptions.Keys, fromOptions.PolicyPath));
        Assert.Equal(("fromenv", "auditfromenv", "https://env.vault.azure.net", "env.json"), (fromEnvironment.Storage, fromEnvironment.AuditStorage, fromEnvironment.Keys, fromEnvironment.PolicyPath));
        Assert.Equal("staging", fromEnvironment.NameSuffix);
        Assert.False(fromEnvironment.DevelopmentKeyCustody);
    }

    [Fact]
    public void Resolve_AuditStorageBlankInEnvironment_SameAccountAsStorage()
    {
        var environment = new Dictionary<string, string> { ["COMPLIANCE_AUDIT_STORAGE"] = " " };

        var settings = CliSettings.Resolve(null, null, null, null, null, json: false, environment.GetValueOrDefault);

        Assert.Null(settings.AuditStorage);
    }

    [Theory]
    [InlineData("2026-12-01T02:00:00Z")]
    [InlineData("2026-12-01T03:00:00+01:00")]
    [InlineData("2026-12-01T03:00:00+0100")]
    public void Resolve_NowWithOffset_NormalisedToUtc(string now)
    {
        var settings = CliSettings.Resolve(null, null, null, null, now, json: false, NoEnvironment);

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero), settings.Now);
        Assert.Equal(TimeSpan.Zero, settings.Now!.Value.Offset);
    }
}
