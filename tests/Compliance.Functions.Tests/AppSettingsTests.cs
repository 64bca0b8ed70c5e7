using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Testing;

namespace Compliance.Functions.Tests;

public sealed class AppSettingsTests
{
    /// <summary>What the Bicep template gives the app, with example values (names as App Service passes them: __ becomes :).</summary>
    internal static Dictionary<string, string?> AzureSettings() => new()
    {
        // What Flex Consumption sets: the SKU, and no WEBSITE_INSTANCE_ID.
        [AppSettings.SkuSetting] = "FlexConsumption",
        ["AzureWebJobsStorage:credential"] = "managedidentity",
        ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        ["AzureWebJobsStorage:blobServiceUri"] = "https://stexample.blob.core.windows.net/",
        ["AzureWebJobsStorage:queueServiceUri"] = "https://stexample.queue.core.windows.net/",
        ["AzureWebJobsStorage:tableServiceUri"] = "https://stexample.table.core.windows.net/",
        ["COMPLIANCE_STORAGE"] = "stexample",
        ["COMPLIANCE_AUDIT_STORAGE"] = "stauditexample",
        ["COMPLIANCE_KEYS"] = "https://kv-example.vault.azure.net/",
        ["AUDIT_SEAL_SCHEDULE"] = "0 5 * * * *",
        ["KEY_ROTATION_SCHEDULE"] = "0 30 1 * * *",
        ["PURGE_SCHEDULE"] = "0 0 2 * * *",
        ["REPORT_SCHEDULE"] = "0 30 3 * * *",
        ["ERASURE_SWEEP_SCHEDULE"] = "0 */15 * * * *",
    };

    [Fact]
    public void CheckAzure_DeployedSettings_NoProblems()
    {
        Assert.Empty(AppSettings.CheckAzure(Configuration(AzureSettings())));
    }

    [Theory]
    [InlineData("COMPLIANCE_KEYS", "COMPLIANCE_KEYS must be the Key Vault URL")]
    [InlineData("COMPLIANCE_STORAGE", "COMPLIANCE_STORAGE must name a storage account")]
    [InlineData("COMPLIANCE_AUDIT_STORAGE", "COMPLIANCE_AUDIT_STORAGE must name a storage account")]
    [InlineData("PURGE_SCHEDULE", "PURGE_SCHEDULE is not set")]
    [InlineData("ERASURE_SWEEP_SCHEDULE", "ERASURE_SWEEP_SCHEDULE is not set")]
    [InlineData("AzureWebJobsStorage:queueServiceUri", "AzureWebJobsStorage__blobServiceUri and AzureWebJobsStorage__queueServiceUri")]
    public void CheckAzure_RequiredSettingMissing_ProblemNamesIt(string missing, string problem)
    {
        var settings = AzureSettings();
        settings.Remove(missing);

        var problems = AppSettings.CheckAzure(Configuration(settings));

        Assert.StartsWith(problem, Assert.Single(problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("COMPLIANCE_KEYS", "local")]
    [InlineData("COMPLIANCE_KEYS", "http://kv-example.vault.azure.net/")]
    [InlineData("COMPLIANCE_STORAGE", "UseDevelopmentStorage=true")]
    [InlineData("COMPLIANCE_STORAGE", "DefaultEndpointsProtocol=https;AccountName=stexample;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net")]
    [InlineData("COMPLIANCE_AUDIT_STORAGE", "BlobEndpoint=https://staudit.blob.core.windows.net/;SharedAccessSignature=sv=2024&sig=x")]
    [InlineData("COMPLIANCE_AUDIT_STORAGE", "STEXAMPLE")]
    [InlineData("AzureWebJobsStorage", "DefaultEndpointsProtocol=https;AccountName=stexample;AccountKey=c2VjcmV0")]
    [InlineData("REPORT_SCHEDULE", "0 30 3 * *")]
    [InlineData("AUDIT_SEAL_SCHEDULE", "hourly")]
    public void CheckAzure_UnsafeValue_OneProblemNamingTheSetting(string name, string value)
    {
        var settings = AzureSettings();
        settings[name] = value;

        var problem = Assert.Single(AppSettings.CheckAzure(Configuration(settings)));

        Assert.Contains(name, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckAzure_NothingSet_EveryProblemAtOnce()
    {
        var problems = AppSettings.CheckAzure(Configuration([]));

        Assert.Equal(4 + AppSettings.Schedules.Count, problems.Count);
    }

    [Theory]
    [InlineData("WEBSITE_SKU", "FlexConsumption", true)]
    [InlineData("WEBSITE_SKU", "ElasticPremium", true)]
    [InlineData("WEBSITE_INSTANCE_ID", "0123456789abcdef", true)]
    [InlineData("COMPLIANCE_STORAGE", "stexample", false)]
    [InlineData("WEBSITE_SKU", "", false)]
    public void RunsInAzure_WhenThePlatformSaysSoFlexConsumptionIncluded(string name, string value, bool inAzure)
    {
        Assert.Equal(inAzure, AppSettings.RunsInAzure(Configuration(new() { [name] = value })));
    }

    [Fact]
    public void AddComplianceFunctions_InAzureWithUnsafeSettings_RefusesToStartListingEveryProblem()
    {
        var settings = AzureSettings();
        settings["COMPLIANCE_KEYS"] = "local";
        settings.Remove("PURGE_SCHEDULE");
        var configuration = Configuration(settings);

        var ex = Assert.Throws<InvalidOperationException>(() => new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddComplianceFunctions(configuration));

        Assert.Contains("COMPLIANCE_KEYS must be the Key Vault URL", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PURGE_SCHEDULE is not set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schedules_AreExactlyTheTimerTriggersSettings()
    {
        var referenced = typeof(AppSettings).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()?.Schedule)
            .OfType<string>()
            .Select(s => s.Trim('%'))
            .Order(StringComparer.Ordinal);

        Assert.Equal(AppSettings.Schedules.Order(StringComparer.Ordinal), referenced);
    }

    [Fact]
    public void All_NamesAreUnique()
    {
        Assert.Equal(AppSettings.All.Count, AppSettings.All.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [InlineData("0 5 * * * *", true)]
    [InlineData("0 */15 * * * *", true)]
    [InlineData("0 0 2 * * 1-5", true)]
    [InlineData("0 0 2 * *", false)]
    [InlineData("0 61 * * * *", false)]
    [InlineData("", false)]
    public void ScheduleProblem_AcceptsSixFieldNcrontabOnly(string schedule, bool valid)
    {
        Assert.Equal(valid, AppSettings.ScheduleProblem(schedule) is null);
    }

    [Fact]
    public void PolicyPath_Relative_ResolvesAgainstTheAppDirectory()
    {
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "policy", "contoso.json"), FunctionsServiceCollectionExtensions.PolicyPath("policy/contoso.json"));
        Assert.Equal("/etc/compliance/policy.json", FunctionsServiceCollectionExtensions.PolicyPath("/etc/compliance/policy.json"));
        Assert.Equal("", FunctionsServiceCollectionExtensions.PolicyPath(""));
    }

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(true, "True", false)]
    [InlineData(false, null, false)]
    public async Task AuthenticationStartupWarning_WarnsOnlyInAzureWithAuthenticationOff(bool inAzure, string? authEnabled, bool warns)
    {
        var settings = new Dictionary<string, string?> { [AppServiceAuthentication.EnabledSetting] = authEnabled };
        if (inAzure)
        {
            settings[AppSettings.SkuSetting] = "FlexConsumption";
        }

        var configuration = Configuration(settings);
        var logger = new FakeLogger<AuthenticationStartupWarning>();
        await new AuthenticationStartupWarning(configuration, new AppServiceAuthentication(configuration), logger).StartAsync(CancellationToken.None);

        Assert.Equal(warns, logger.Collector.Count == 1 && logger.LatestRecord.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
