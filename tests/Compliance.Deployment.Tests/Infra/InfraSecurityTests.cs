using System.Xml.Linq;
using Compliance.Core.Policy;
using Compliance.Core.SubjectKeys;
using Compliance.Deployment.Tests.Arm;
using Compliance.Storage.KeyVault;
using Compliance.TestSupport;

namespace Compliance.Deployment.Tests.Infra;

/// <summary>The security properties of what infra/main.bicep deploys, read from the compiled ARM template.</summary>
public sealed class InfraSecurityTests
{
    [Fact]
    public async Task StorageAccounts_RefuseSharedKeysPlainHttpOldTlsAndPublicBlobs()
    {
        var deployment = await InfraDeployment.GetAsync();
        var accounts = deployment.OfType("Microsoft.Storage/storageAccounts").ToList();

        Assert.Equal(2, accounts.Count);
        Assert.All(accounts, account =>
        {
            Assert.Equal(false, account.Get("properties.allowSharedKeyAccess"));
            Assert.Equal(true, account.Get("properties.supportsHttpsTrafficOnly"));
            Assert.Equal("TLS1_2", account.Get("properties.minimumTlsVersion"));
            Assert.Equal(false, account.Get("properties.allowBlobPublicAccess"));
            Assert.Equal(true, account.Get("properties.defaultToOAuthAuthentication"));
            Assert.Equal(false, account.Get("properties.allowCrossTenantReplication"));
        });
        Assert.Equal(
            [deployment.AuditAccount, deployment.OperationalAccount],
            accounts.Select(a => a.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FunctionApp_FlexConsumptionHttpsOnlyTls12NoBasicAuthOnTheProjectsDotnet()
    {
        var deployment = await InfraDeployment.GetAsync();
        var app = deployment.FunctionApp;
        var plan = deployment.One("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", plan.Get("sku.name"));
        Assert.Equal("FlexConsumption", plan.Get("sku.tier"));
        Assert.Equal(true, app.Get("properties.httpsOnly"));
        Assert.Equal("1.2", app.Get("properties.siteConfig.minTlsVersion"));
        Assert.Equal("1.2", app.Get("properties.siteConfig.scmMinTlsVersion"));
        Assert.Equal("Disabled", app.Get("properties.siteConfig.ftpsState"));
        Assert.Equal("UserAssigned", app.Get("identity.type"));
        Assert.Equal("dotnet-isolated", app.Get("properties.functionAppConfig.runtime.name"));
        Assert.Equal("UserAssignedIdentity", app.Get("properties.functionAppConfig.deployment.storage.authentication.type"));

        // The runtime the plan runs is the framework the app is built for.
        var framework = XDocument.Load(RepositoryPaths.Combine("Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        Assert.Equal(framework, "net" + app.Get("properties.functionAppConfig.runtime.version"));

        var publishing = deployment.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(["ftp", "scm"], publishing.Select(p => p.ShortName).Order(StringComparer.Ordinal));
        Assert.All(publishing, p => Assert.Equal(false, p.Get("properties.allow")));
    }

    [Fact]
    public async Task FunctionApp_AppServiceAuthenticationRequiresATokenWhenConfigured()
    {
        var deployment = await InfraDeployment.GetAsync();
        var auth = Assert.Single(deployment.Declared, r => r.IsOfType("Microsoft.Web/sites/config"));

        // Off by default (no app registration yet): the HTTP functions that need a signed-in caller then refuse everyone.
        Assert.Equal("authsettingsV2", auth.ShortName);
        Assert.Contains("parameters('authClientId')", auth.Resource.Json["condition"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(false, auth.Condition);
        Assert.Equal(true, auth.Get("properties.globalValidation.requireAuthentication"));
        Assert.Equal("Return401", auth.Get("properties.globalValidation.unauthenticatedClientAction"));
        Assert.Equal(true, auth.Get("properties.identityProviders.azureActiveDirectory.enabled"));
        Assert.Null(auth.Get("properties.identityProviders.azureActiveDirectory.registration.clientSecretSettingName"));
    }

    [Fact]
    public async Task KeyVault_RbacOnlySoftDeleteAndPurgeProtectionAsAParameterOnByDefault()
    {
        var deployment = await InfraDeployment.GetAsync();
        var vault = deployment.One("Microsoft.KeyVault/vaults");

        Assert.Equal(true, vault.Get("properties.enableRbacAuthorization"));
        Assert.Equal(true, vault.Get("properties.enableSoftDelete"));
        Assert.Null(vault.Get("properties.accessPolicies"));
        Assert.Equal(90L, vault.Get("properties.softDeleteRetentionInDays"));

        // Purge protection follows the top-level parameter, on unless the deployer turns it off.
        Assert.Contains("parameters('enablePurgeProtection')", vault.Raw("properties.enablePurgeProtection")!.ToString(), StringComparison.Ordinal);
        Assert.Equal(true, vault.Get("properties.enablePurgeProtection"));
        var parameter = deployment.Template.Parameters["enablePurgeProtection"];
        Assert.Equal("bool", parameter.Type);
        Assert.Equal(true, ArmEvaluator.Evaluate(deployment.Template, parameter.DefaultValue));
        Assert.Equal("parameters('enablePurgeProtection')", PurgeProtectionBinding(deployment));
    }

    [Fact]
    public async Task KeyVault_RootKeysAreTheAppsAndKeyVaultOnlyWarnsBeforeTheyExpire()
    {
        var deployment = await InfraDeployment.GetAsync();
        var keys = deployment.OfType("Microsoft.KeyVault/vaults/keys").ToDictionary(k => k.ShortName, StringComparer.Ordinal);
        var expiry = (string)ArmEvaluator.Evaluate(deployment.Template, deployment.Template.Parameters["rootKeyExpiry"].DefaultValue)!;
        var notice = (string)ArmEvaluator.Evaluate(deployment.Template, deployment.Template.Parameters["rootKeyNotifyBefore"].DefaultValue)!;

        Assert.Equal([SubjectKeyService.RootKeyName, "audit-seal"], keys.Keys.OrderDescending(StringComparer.Ordinal));
        Assert.Equal(["wrapKey", "unwrapKey"], (List<object?>)keys[SubjectKeyService.RootKeyName].Get("properties.keyOps")!);
        Assert.Equal(["sign", "verify"], (List<object?>)keys["audit-seal"].Get("properties.keyOps")!);
        Assert.All(keys.Values, key =>
        {
            Assert.Equal("RSA", key.Get("properties.kty"));
            Assert.True((long)key.Get("properties.keySize")! >= 3072);
            Assert.NotNull(key.Raw("properties.attributes.exp"));
            Assert.Equal(expiry, key.Get("properties.rotationPolicy.attributes.expiryTime"));

            // Only the app rotates (rewrap, audit); Key Vault's one action is the expiry notice that makes the app rotate early.
            var actions = ((List<object?>)key.Get("properties.rotationPolicy.lifetimeActions")!).Cast<Dictionary<string, object?>>().ToList();
            var action = Assert.Single(actions);
            Assert.Equal("notify", ((Dictionary<string, object?>)action["action"]!)["type"]);
            Assert.Equal(notice, ((Dictionary<string, object?>)action["trigger"]!)["timeBeforeExpiry"]);
        });

        // The app's timer rotates every rotation.rootKeyDays: the notice must come after that, or every version would raise one.
        var rootKeyDays = TimeSpan.FromDays(PolicyDocument.LoadDefault().Policy.Rotation.RootKeyDays);
        Assert.True(System.Xml.XmlConvert.ToTimeSpan(expiry) - System.Xml.XmlConvert.ToTimeSpan(notice) > rootKeyDays);
    }

    [Fact]
    public async Task KeyVault_LookupSecretComesFromSecureRandomParametersOnly()
    {
        var deployment = await InfraDeployment.GetAsync();
        var secret = deployment.One("Microsoft.KeyVault/vaults/secrets");

        Assert.Equal(KeyVaultSubjectLookupSecret.SecretName, secret.ShortName);
        Assert.Matches(@"^\[base64\(parameters\('lookupSecretSeed'\)\)\]$", secret.Raw("properties.value")!.ToString());
        Assert.True(secret.Resource.Template.Parameters["lookupSecretSeed"].IsSecure);
        foreach (var name in new[] { "lookupSecretSeedA", "lookupSecretSeedB" })
        {
            var seed = deployment.Template.Parameters[name];
            Assert.True(seed.IsSecure, name);
            Assert.Equal("[newGuid()]", seed.DefaultValue!.ToString());
        }
    }

    [Fact]
    public async Task Outputs_HoldNoSecrets()
    {
        var deployment = await InfraDeployment.GetAsync();

        Assert.All(deployment.Template.AllTemplates().SelectMany(t => t.Outputs.Values), output =>
        {
            Assert.False(output.Type is { } type && type.StartsWith("secure", StringComparison.OrdinalIgnoreCase), $"{output} is secure");
            var text = output.Value?.ToString() ?? "";
            Assert.DoesNotMatch(InfraDeployment.ListFunction(), text);
            Assert.All(output.Template.Parameters.Values.Where(p => p.IsSecure), secure =>
                Assert.DoesNotContain($"parameters('{secure.Name}')", text, StringComparison.OrdinalIgnoreCase));
        });
    }

    [Fact]
    public async Task Template_NeverReadsAKeyOrConnectionString()
    {
        var template = (await InfraTemplates.BuildMainAsync()).Template;

        Assert.DoesNotContain(InfraDeployment.Strings(template), s => InfraDeployment.ListFunction().IsMatch(s));
    }

    [Fact]
    public async Task DiagnosticSettings_CoverEveryServiceThatLogs()
    {
        var deployment = await InfraDeployment.GetAsync();
        var scopes = deployment.OfType("Microsoft.Insights/diagnosticSettings").Select(d => d.Scope!).ToList();

        Assert.All(deployment.OfType("Microsoft.Insights/diagnosticSettings"), d => Assert.NotNull(d.Raw("properties.workspaceId")));
        foreach (var type in new[] { "Microsoft.KeyVault/vaults", "Microsoft.Web/sites", "Microsoft.EventGrid/systemTopics" })
        {
            var resource = deployment.One(type);
            Assert.Contains(scopes, s => s.Equals($"{type}/{resource.Name}", StringComparison.Ordinal));
        }

        foreach (var account in new[] { deployment.OperationalAccount, deployment.AuditAccount })
        {
            foreach (var service in new[] { "blobServices", "tableServices" })
            {
                Assert.Contains($"Microsoft.Storage/storageAccounts/{account}/{service}/default", scopes);
            }
        }

        Assert.Contains($"Microsoft.Storage/storageAccounts/{deployment.OperationalAccount}/queueServices/default", scopes);
    }

    private static string? PurgeProtectionBinding(InfraDeployment.Snapshot deployment)
    {
        var module = deployment.One("Microsoft.KeyVault/vaults").Resource.Template;
        var value = module.ParameterBindings["enablePurgeProtection"]["value"]!.ToString();
        return value.Trim('[', ']');
    }
}
