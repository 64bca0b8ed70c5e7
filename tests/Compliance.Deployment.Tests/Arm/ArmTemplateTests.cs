using System.Text.Json.Nodes;
using Compliance.Deployment.Tests.Bicep;
using Compliance.Deployment.Tests.Fixtures;

namespace Compliance.Deployment.Tests.Arm;

/// <summary>The walker and the resolver on Fixtures/nested (main → storage → container), compiled once.</summary>
public sealed class ArmTemplateTests
{
    private static readonly Lazy<Task<BicepBuildResult>> NestedBuild = new(() => BicepCli.Default.BuildAsync(FixtureFiles.Nested));

    [Fact]
    public async Task AllTemplates_NestedModules_ParentsFirstWithTheirDeploymentPaths()
    {
        var main = await NestedAsync();

        var templates = main.AllTemplates().ToList();

        Assert.Equal([[], ["storage"], ["storage", "container"]], templates.Select(t => t.DeploymentPath));
        Assert.Same(main, templates[0]);
        Assert.True(templates[0].IsTopLevel);
        Assert.Same(templates[0], templates[1].Parent);
        Assert.Same(templates[1], templates[2].Parent);
        Assert.Equal("the module template of deployment 'storage' > 'container'", templates[2].ToString());
    }

    [Fact]
    public async Task AllResources_NestedModules_YieldsTheResourcesOfEveryTemplateWithTheTemplateDeclaringThem()
    {
        var main = await NestedAsync();

        var resources = main.AllResources().Select(r => (r.Type, r.Template.DeploymentPath.Count)).ToList();

        Assert.Equal(
            [
                ("Microsoft.Resources/deployments", 0),
                ("Microsoft.Storage/storageAccounts", 1),
                ("Microsoft.KeyVault/vaults/secrets", 1),
                ("Microsoft.Resources/deployments", 1),
                ("Microsoft.Storage/storageAccounts", 2),
                ("Microsoft.Storage/storageAccounts/blobServices", 2),
                ("Microsoft.Storage/storageAccounts/blobServices/containers", 2),
            ],
            resources);
    }

    [Fact]
    public async Task Resource_DeclaredInAModule_HasItsTypeNameApiVersionPropertiesAndBindings()
    {
        var main = await NestedAsync();

        var account = Assert.Single(main.AllResourcesOfType("microsoft.storage/STORAGEACCOUNTS"), r => !r.IsExisting);

        Assert.Equal("[parameters('accountName')]", account.Name);
        Assert.Equal("2024-01-01", account.ApiVersion);
        Assert.False((bool?)account.Properties?["allowSharedKeyAccess"]);
        Assert.Equal(["storage"], account.Template.DeploymentPath);
        Assert.Null(account.SymbolicName);
        Assert.Null(account.NestedTemplate);
        Assert.Equal("[parameters('storageSku')]", (string?)account.ParameterBindings["sku"]["value"]);
        Assert.Equal("[format('st{0}', variables('resourceToken'))]", (string?)account.ParameterBindings["accountName"]["value"]);
    }

    [Fact]
    public async Task Resources_OfALanguageVersion2Template_CarryTheirSymbolicNamesAndExistingReferences()
    {
        var container = (await NestedAsync()).AllTemplates().Last();

        Assert.Equal("2.0", container.LanguageVersion);
        Assert.Equal(["account", "blobServices", "container"], container.Resources.Select(r => r.SymbolicName));
        Assert.Equal([true, false, false], container.Resources.Select(r => r.IsExisting));
    }

    [Fact]
    public async Task Deployment_OfAModule_HoldsItsTemplateAndBindings()
    {
        var main = await NestedAsync();

        var deployment = Assert.Single(main.Resources);

        Assert.True(deployment.IsOfType(ArmResource.DeploymentType));
        Assert.Equal("storage", deployment.Name);
        Assert.Same(deployment, deployment.NestedTemplate!.Deployment);
        Assert.Same(deployment.NestedTemplate, Assert.Single(main.Modules));
        Assert.False(deployment.NestedTemplate.IsOuterScoped);
        Assert.Equal(
            ["location", "accountName", "sku", "containerName", "environmentName", "vaultName", "adminToken"],
            deployment.NestedTemplate.ParameterBindings.Keys);
        Assert.Empty(main.ParameterBindings);
    }

    [Fact]
    public async Task ResolveParameter_BoundThroughEveryModule_IsTheTopLevelDefault()
    {
        var container = (await NestedAsync()).AllTemplates().Last();

        Assert.Equal("audit", (string?)container.ResolveParameter("containerName"));
    }

    [Fact]
    public async Task ResolveParameter_BoundToALiteral_IsTheLiteral()
    {
        var container = (await NestedAsync()).AllTemplates().Last();

        Assert.Equal("None", (string?)container.ResolveParameter("publicAccess"));
        var blobContainer = container.Resources[^1];
        Assert.Equal("None", (string?)blobContainer.Resolve(blobContainer.Properties?["publicAccess"]));
    }

    [Fact]
    public async Task ResolveParameter_NotBound_IsTheModulesOwnDefault()
    {
        var container = (await NestedAsync()).AllTemplates().Last();
        var blobServices = container.Resources[1];

        Assert.True((bool?)blobServices.Resolve(blobServices.Properties?["isVersioningEnabled"]));
    }

    [Fact]
    public async Task Resolve_PropertiesOfAModuleResource_FollowTheBindingsToTheTopLevelDefaults()
    {
        var account = (await NestedAsync()).AllResourcesOfType("Microsoft.Storage/storageAccounts").First();

        Assert.Equal("westeurope", (string?)account.Resolve(account.Json["location"]));
        Assert.Equal("Standard_ZRS", (string?)account.Resolve(account.Json["sku"]?["name"]));
        Assert.Equal("TLS1_2", (string?)account.Resolve(account.Properties?["minimumTlsVersion"]));
        Assert.Equal("", (string?)account.Template.ResolveParameter("adminToken"));
    }

    [Fact]
    public async Task Resolve_AnythingButALiteralAtTheEnd_IsNull()
    {
        var storage = (await NestedAsync()).AllTemplates().ElementAt(1);
        var account = storage.Resources[0];

        Assert.Null(account.Resolve(JsonValue.Create(account.Name))); // bound to format(…)
        Assert.Null(storage.ResolveParameter("environmentName")); // top-level parameter without a default
        Assert.Null(storage.ResolveParameter("vaultName")); // top-level default is an expression
        Assert.Null(storage.ResolveParameter("noSuchParameter"));
        Assert.Null(account.Resolve(JsonValue.Create("[resourceGroup().location]")));
    }

    [Fact]
    public async Task Resolve_ObjectLiteral_IsReturnedAsDeclared()
    {
        var account = (await NestedAsync()).AllResourcesOfType("Microsoft.Storage/storageAccounts").First();

        var tags = account.Resolve(account.Json["tags"]);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"azd-env-name":"[parameters('environmentName')]"}"""), tags), tags?.ToJsonString());
        Assert.NotSame(account.Json["tags"], tags);
    }

    [Fact]
    public async Task Parameters_OfTheTopLevelTemplate_HaveTypesDefaultsAllowedValuesAndDescriptions()
    {
        var main = await NestedAsync();

        var location = main.Parameters["location"];
        Assert.Equal("string", location.Type);
        Assert.Equal("westeurope", (string?)location.DefaultValue);
        Assert.Equal(["westeurope", "northeurope"], location.AllowedValues!.Select(v => (string?)v));
        Assert.False(location.IsSecure);

        var environmentName = main.Parameters["ENVIRONMENTNAME"];
        Assert.False(environmentName.HasDefaultValue);
        Assert.Null(environmentName.AllowedValues);
        Assert.Equal("Name of the environment; every resource name derives from it.", environmentName.Description);
        Assert.Equal(1, (int?)environmentName.Json["minLength"]);

        var adminToken = main.Parameters["adminToken"];
        Assert.Equal("securestring", adminToken.Type);
        Assert.True(adminToken.IsSecure);
        Assert.True(adminToken.HasDefaultValue);
    }

    [Fact]
    public async Task Parameters_OfAUserDefinedType_HaveNoType()
    {
        var container = (await NestedAsync()).AllTemplates().Last();

        Assert.Null(container.Parameters["publicAccess"].Type);
        Assert.Equal("#/definitions/publicAccessLevel", (string?)container.Parameters["publicAccess"].Json["$ref"]);
    }

    [Fact]
    public async Task Outputs_OfEveryTemplate_NameTheirTemplateAndValue()
    {
        var main = await NestedAsync();

        var outputs = main.AllTemplates().SelectMany(t => t.Outputs.Values).Select(o => (o.Template.DeploymentPath.Count, o.Name, o.Type)).ToList();

        Assert.Equal(
            [(0, "storageAccountName", "string"), (0, "containerId", "string"), (1, "accountName", "string"), (1, "containerId", "string"), (2, "containerId", "string")],
            outputs);
        Assert.Equal("[reference(resourceId('Microsoft.Resources/deployments', 'storage'), '2025-04-01').outputs.accountName.value]", (string?)main.Outputs["storageAccountName"].Value);
    }

    private static async Task<ArmTemplate> NestedAsync() =>
        ArmTemplate.Parse((JsonObject)(await NestedBuild.Value).Template.DeepClone());
}
