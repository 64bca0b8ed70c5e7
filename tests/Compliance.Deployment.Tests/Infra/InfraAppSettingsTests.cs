using System.Text.Json;
using System.Text.RegularExpressions;
using Compliance.Core.Policy;
using Compliance.Deployment.Tests.Arm;
using Compliance.Functions;
using Compliance.Functions.Erasure;
using Compliance.Functions.Reports;
using Compliance.TestSupport;
using Microsoft.Extensions.Configuration;

namespace Compliance.Deployment.Tests.Infra;

/// <summary>
/// The settings the template gives the app are the ones the app reads (AppSettings.All) and pass its Azure start-up
/// check; the app registration's roles are the ones the HTTP functions and the policy name.
/// </summary>
public sealed class InfraAppSettingsTests
{
    [Fact]
    public async Task AppSettings_AreExactlyTheOnesTheAppSaysTheDeploymentProvides()
    {
        var deployment = await InfraDeployment.GetAsync();

        Assert.Equal(
            AppSettings.All.Where(s => s.Source == AppSettingSource.Deployment).Select(s => s.Name).Order(StringComparer.Ordinal),
            deployment.AppSettings.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AppSettings_PassTheAppsAzureStartUpCheck()
    {
        var deployment = await InfraDeployment.GetAsync();
        var settings = deployment.AppSettings.ToDictionary(
            s => s.Key.Replace("__", ":", StringComparison.Ordinal),
            s => (string?)AsAzureWouldFillIn(ArmEvaluator.Text(s.Value)));
        settings[AppSettings.SkuSetting] = (string?)deployment.One("Microsoft.Web/serverfarms").Get("sku.tier");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        Assert.Empty(AppSettings.CheckAzure(configuration));
    }

    [Fact]
    public async Task AppSettings_NameTheDeployedAccountsVaultAndIdentity()
    {
        var deployment = await InfraDeployment.GetAsync();
        var settings = deployment.AppSettings;
        var accounts = deployment.OfType("Microsoft.Storage/storageAccounts").Select(a => a.Name).ToList();
        var identityClientId = ArmEvaluator.Text(settings["AZURE_CLIENT_ID"]);

        Assert.Contains(deployment.OperationalAccount, accounts);
        Assert.Contains(deployment.AuditAccount, accounts);
        Assert.NotEqual(deployment.OperationalAccount, deployment.AuditAccount);
        var keys = ArmEvaluator.Text(settings[FunctionsServiceCollectionExtensions.KeysSetting]);
        Assert.StartsWith($"{{reference('Microsoft.KeyVault/vaults/{deployment.One("Microsoft.KeyVault/vaults").Name}'", keys, StringComparison.Ordinal);
        Assert.EndsWith(".vaultUri}", keys, StringComparison.Ordinal);
        Assert.Contains(".clientId", identityClientId, StringComparison.Ordinal);
        Assert.Equal(identityClientId, ArmEvaluator.Text(settings["AzureWebJobsStorage__clientId"]));
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal($"ClientId={identityClientId};Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            Assert.Contains(deployment.OperationalAccount, ArmEvaluator.Text(settings[$"AzureWebJobsStorage__{service}ServiceUri"]), StringComparison.Ordinal);
            Assert.EndsWith($"primaryEndpoints.{service}}}", ArmEvaluator.Text(settings[$"AzureWebJobsStorage__{service}ServiceUri"]), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Schedules_DefaultToTheLocalSettingsAndAreValid()
    {
        var deployment = await InfraDeployment.GetAsync();
        using var local = JsonDocument.Parse(File.ReadAllBytes(RepositoryPaths.Combine("src", "Compliance.Functions", "local.settings.json")));
        var values = local.RootElement.GetProperty("Values");

        Assert.All(AppSettings.Schedules, name =>
        {
            var deployed = Assert.IsType<string>(deployment.AppSettings[name]);
            Assert.Null(AppSettings.ScheduleProblem(deployed));
            Assert.Equal(values.GetProperty(name).GetString(), deployed);
        });
    }

    [Fact]
    public async Task AppSettings_HoldNoSecret()
    {
        var deployment = await InfraDeployment.GetAsync();
        var raw = deployment.FunctionApp.Raw("properties.siteConfig.appSettings")!.ToJsonString();

        Assert.DoesNotMatch(InfraDeployment.ListFunction(), raw);
        Assert.DoesNotContain("AccountKey", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SharedAccessSignature", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(deployment.FunctionApp.Resource.Template.Parameters.Values, p => p.IsSecure);
    }

    [Fact]
    public void AppRoles_CoverTheHttpFunctionsAndEveryPolicyPrincipal()
    {
        using var roles = JsonDocument.Parse(File.ReadAllBytes(RepositoryPaths.Combine("infra", "app-roles.json")));
        var values = roles.RootElement.EnumerateArray().Select(r => r.GetProperty("value").GetString()!).ToList();
        var principals = PolicyDocument.LoadDefault().Policy.Principals.Keys;

        Assert.Equal(values.Count, values.Distinct(StringComparer.Ordinal).Count());
        Assert.All(roles.RootElement.EnumerateArray(), r => Assert.True(r.GetProperty("isEnabled").GetBoolean()));
        // Plus two roles no function checks, which let callers of key-only endpoints get a token while assignment is required.
        string[] tokenOnly = ["telemetry.ingest", "compliance.operator"];
        Assert.Equal(
            new[] { ReportFunctions.ReadRole, ErasureHttpFunctions.RequestRole, ErasureHttpFunctions.ReadRole }.Concat(principals).Concat(tokenOnly).Order(StringComparer.Ordinal),
            values.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Parameters_AzdPassesAreDeclaredAndNamedAsAzdExpects()
    {
        var deployment = await InfraDeployment.GetAsync();
        using var file = JsonDocument.Parse(File.ReadAllBytes(RepositoryPaths.Combine("infra", "main.parameters.json")));
        var passed = file.RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("value").GetString());

        Assert.All(passed.Keys, name => Assert.Contains(name, deployment.Template.Parameters.Keys));
        Assert.Equal("${AZURE_ENV_NAME}", passed["environmentName"]);
        Assert.Equal("${AZURE_LOCATION}", passed["location"]);
        Assert.All(deployment.Template.Parameters.Values.Where(p => !p.HasDefaultValue), p => Assert.Contains(p.Name, passed.Keys));
    }

    /// <summary>
    /// A deployed value with what Azure decides at deployment filled in the way Azure fills it: the vault's URI, an
    /// endpoint of the account, the identity's client id, a 13-character unique string.
    /// </summary>
    private static string AsAzureWouldFillIn(string value)
    {
        if (value.EndsWith(".vaultUri}", StringComparison.Ordinal))
        {
            return "https://kv-example.vault.azure.net/";
        }

        var endpoint = Regex.Match(value, @"primaryEndpoints\.(?<service>blob|queue|table)\}$");
        if (endpoint.Success)
        {
            return $"https://stexample.{endpoint.Groups["service"].Value}.core.windows.net/";
        }

        return Regex.Replace(value, @"\{[^{}]*(\{[^{}]*\}[^{}]*)*\}", "abcdefghijklm");
    }
}
