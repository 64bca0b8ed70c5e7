using Compliance.Core.SubjectKeys;
using Compliance.Deployment.Tests.Arm;
using Compliance.Storage;
using Compliance.Storage.KeyVault;

namespace Compliance.Deployment.Tests.Infra;

/// <summary>
/// Who may do what once infra/main.bicep is deployed: exactly the role assignments infra/README.md lists, each at its
/// scope, and custom roles with exactly their data actions. A new or broader grant fails here until it is argued for.
/// </summary>
public sealed class InfraAccessTests
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string StorageQueueDataMessageSender = "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    private static readonly Dictionary<string, string[]> CustomRoleDataActions = new(StringComparer.Ordinal)
    {
        ["compliance-audit-appender"] =
        [
            "Microsoft.Storage/storageAccounts/tableServices/tables/entities/add/action",
            "Microsoft.Storage/storageAccounts/tableServices/tables/entities/read",
        ],
        ["compliance-evidence-writer"] =
        [
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
        ],
        ["compliance-root-key-user"] =
        [
            "Microsoft.KeyVault/vaults/keys/read",
            "Microsoft.KeyVault/vaults/keys/rotate/action",
            "Microsoft.KeyVault/vaults/keys/sign/action",
            "Microsoft.KeyVault/vaults/keys/unwrap/action",
            "Microsoft.KeyVault/vaults/keys/update/action",
            "Microsoft.KeyVault/vaults/keys/verify/action",
            "Microsoft.KeyVault/vaults/keys/wrap/action",
        ],
    };

    [Fact]
    public async Task RoleAssignments_AreExactlyTheListedOnes()
    {
        var deployment = await InfraDeployment.GetAsync();
        var op = $"Microsoft.Storage/storageAccounts/{deployment.OperationalAccount}";
        var audit = $"Microsoft.Storage/storageAccounts/{deployment.AuditAccount}";
        var vault = $"Microsoft.KeyVault/vaults/{deployment.One("Microsoft.KeyVault/vaults").Name}";
        var insights = $"Microsoft.Insights/components/{deployment.One("Microsoft.Insights/components").Name}";

        string[] expected =
        [
            $"app: {StorageBlobDataOwner} @ {op}",
            $"app: {StorageQueueDataContributor} @ {op}",
            $"app: {StorageTableDataContributor} @ {op}",
            .. new[] { StorageLayout.AuditEvents, StorageLayout.AuditSeals }.Select(t => $"app: compliance-audit-appender @ {audit}/tableServices/default/tables/{t.BaseName}"),
            .. new[] { StorageLayout.SealExports, StorageLayout.Reports, StorageLayout.Certificates }.Select(c => $"app: compliance-evidence-writer @ {audit}/blobServices/default/containers/{c.BaseName}"),
            $"app: compliance-root-key-user @ {vault}/keys/{SubjectKeyService.RootKeyName}",
            $"app: compliance-root-key-user @ {vault}/keys/audit-seal",
            $"app: {KeyVaultSecretsUser} @ {vault}/secrets/{KeyVaultSubjectLookupSecret.SecretName}",
            $"app: {MonitoringMetricsPublisher} @ {insights}",
            $"event grid: {StorageQueueDataMessageSender} @ {op}/queueServices/default/queues/{StorageLayout.KeyVaultEventsQueue.BaseName}",
        ];

        var actual = deployment.OfType("Microsoft.Authorization/roleAssignments").Select(a => Describe(deployment, a));

        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RoleAssignments_GoToServicePrincipalsOnly()
    {
        var deployment = await InfraDeployment.GetAsync();

        Assert.All(deployment.OfType("Microsoft.Authorization/roleAssignments"), a => Assert.Equal("ServicePrincipal", a.Get("properties.principalType")));
    }

    [Fact]
    public async Task CustomRoles_GrantExactlyTheirDataActionsAndNoControlPlane()
    {
        var deployment = await InfraDeployment.GetAsync();
        var roles = deployment.OfType("Microsoft.Authorization/roleDefinitions").ToList();

        Assert.Equal(CustomRoleDataActions.Keys.Order(StringComparer.Ordinal), roles.Select(RoleKey).Order(StringComparer.Ordinal));
        Assert.All(roles, role =>
        {
            var permission = Assert.Single(((List<object?>)role.Get("properties.permissions")!).Cast<Dictionary<string, object?>>());
            Assert.Empty((List<object?>)permission["actions"]!);
            Assert.Empty((List<object?>)permission["notActions"]!);
            Assert.Equal(CustomRoleDataActions[RoleKey(role)], ((List<object?>)permission["dataActions"]!).Cast<string>().Order(StringComparer.Ordinal));
            Assert.Equal("CustomRole", role.Get("properties.type"));
            Assert.Equal("resourceGroup().id", ((ArmEvaluator.Symbol)Assert.Single((List<object?>)role.Get("properties.assignableScopes")!)!).Text);
        });
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("restore")]
    [InlineData("delete")]
    [InlineData("purge")]
    [InlineData("create")]
    [InlineData("import")]
    [InlineData("release")]
    [InlineData("*")]
    public async Task CustomRoles_NeverGrant(string verb)
    {
        var deployment = await InfraDeployment.GetAsync();
        var granted = deployment.OfType("Microsoft.Authorization/roleDefinitions")
            .SelectMany(role => ((List<object?>)role.Get("properties.permissions")!).Cast<Dictionary<string, object?>>())
            .SelectMany(permission => ((List<object?>)permission["dataActions"]!).Concat((List<object?>)permission["actions"]!))
            .Cast<string>()
            .ToList();

        Assert.NotEmpty(granted);
        Assert.DoesNotContain(granted, action => action.Split('/').Contains(verb, StringComparer.OrdinalIgnoreCase) || action.Contains('*', StringComparison.Ordinal));
    }

    /// <summary><c>who: role @ scope</c>, with built-in roles by id and custom roles by their key (the second argument of their name's guid()).</summary>
    private static string Describe(InfraDeployment.Snapshot deployment, DeployedResource assignment)
    {
        var principal = ArmEvaluator.Text(assignment.Get("properties.principalId"));
        var who = principal.Contains("reference('identity')", StringComparison.Ordinal) ? "app"
            : principal.Contains("Microsoft.EventGrid/systemTopics/", StringComparison.Ordinal) && principal.EndsWith(".identity.principalId}", StringComparison.Ordinal) ? "event grid"
            : principal;
        var role = ArmEvaluator.Text(assignment.Get("properties.roleDefinitionId"));
        var custom = deployment.OfType("Microsoft.Authorization/roleDefinitions").FirstOrDefault(d => role.EndsWith("/" + d.Name, StringComparison.Ordinal));
        return $"{who}: {(custom is null ? role.Split('/')[^1] : RoleKey(custom))} @ {assignment.Scope}";
    }

    /// <summary>A custom role's name is <c>guid(resourceGroup().id, 'KEY')</c>; the key says which role it is.</summary>
    private static string RoleKey(DeployedResource role)
    {
        var name = ArmEvaluator.Text(role.Get("name"));
        var start = name.IndexOf('\'', StringComparison.Ordinal) + 1;
        return name[start..name.IndexOf('\'', start)];
    }
}
