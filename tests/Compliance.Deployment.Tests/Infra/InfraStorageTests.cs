using Compliance.Core.Keys;
using Compliance.Core.Setup;
using Compliance.Deployment.Tests.Arm;
using Compliance.Storage;

namespace Compliance.Deployment.Tests.Infra;

/// <summary>The storage the template creates is the storage the app uses (StorageLayout), in the right account.</summary>
public sealed class InfraStorageTests
{
    /// <summary>The functions host moves a message that failed every delivery to QUEUE-poison; the app reads those.</summary>
    private const string PoisonSuffix = "-poison";

    /// <summary>Where azd uploads the deployment package (Flex Consumption's functionAppConfig).</summary>
    private const string DeploymentContainer = "app-package";

    [Theory]
    [InlineData(StorageAccountRole.Operational)]
    [InlineData(StorageAccountRole.Audit)]
    public async Task Tables_AreStorageLayoutsForTheAccount(StorageAccountRole role)
    {
        var deployment = await InfraDeployment.GetAsync();

        Assert.Equal(
            Layout(role, StorageResourceKind.Table),
            deployment.NamesIn(deployment.AccountName(role), "Microsoft.Storage/storageAccounts/tableServices/tables"));
    }

    [Theory]
    [InlineData(StorageAccountRole.Operational)]
    [InlineData(StorageAccountRole.Audit)]
    public async Task Queues_AreStorageLayoutsForTheAccountWithTheirPoisonQueues(StorageAccountRole role)
    {
        var deployment = await InfraDeployment.GetAsync();
        var queues = Layout(role, StorageResourceKind.Queue);

        Assert.Equal(
            queues.Concat(queues.Select(q => q + PoisonSuffix)).Order(StringComparer.Ordinal),
            deployment.NamesIn(deployment.AccountName(role), "Microsoft.Storage/storageAccounts/queueServices/queues"));
    }

    [Theory]
    [InlineData(StorageAccountRole.Operational)]
    [InlineData(StorageAccountRole.Audit)]
    public async Task Containers_AreStorageLayoutsForTheAccount(StorageAccountRole role)
    {
        var deployment = await InfraDeployment.GetAsync();
        var expected = Layout(role, StorageResourceKind.BlobContainer);
        if (role == StorageAccountRole.Operational)
        {
            expected = [.. expected.Append(DeploymentContainer).Order(StringComparer.Ordinal)];
        }

        Assert.Equal(expected, deployment.NamesIn(deployment.AccountName(role), "Microsoft.Storage/storageAccounts/blobServices/containers"));
    }

    [Fact]
    public async Task Immutability_ProtectsEveryAuditContainerForTheEvidenceRetention()
    {
        var deployment = await InfraDeployment.GetAsync();
        var policies = deployment.OfType("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies").ToList();
        var retention = (long)deployment.Template.Parameters["evidenceRetentionDays"].DefaultValue!;

        Assert.Equal(
            Layout(StorageAccountRole.Audit, StorageResourceKind.BlobContainer).Select(c => $"{deployment.AuditAccount}/default/{c}/default"),
            policies.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(policies, p =>
        {
            Assert.Equal(retention, p.Get("properties.immutabilityPeriodSinceCreationInDays"));
            Assert.Equal(false, p.Get("properties.allowProtectedAppendWrites"));
        });
        Assert.True(retention >= 365 * 6, "evidence is kept at least six years by default");
    }

    [Fact]
    public async Task Immutability_LeftAloneOnceLocked()
    {
        var deployment = await InfraDeployment.GetAsync();
        var policies = deployment.Declared.Where(r => r.IsOfType("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies")).ToList();

        // ARM's PUT can only write an unlocked policy: after locking, the deployer says so and the template skips them.
        Assert.All(policies, p => Assert.Contains("parameters('immutabilityLocked')", p.Resource.Json["condition"]!.ToString(), StringComparison.Ordinal));
        Assert.Equal(false, ArmEvaluator.Evaluate(deployment.Template, deployment.Template.Parameters["evidencePolicyLocked"].DefaultValue));
        using var parameters = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Compliance.TestSupport.RepositoryPaths.Combine("infra", "main.parameters.json")));
        Assert.Equal("${COMPLIANCE_EVIDENCE_POLICY_LOCKED=false}", parameters.RootElement.GetProperty("parameters").GetProperty("evidencePolicyLocked").GetProperty("value").GetString());
    }

    [Fact]
    public async Task KeyVaultEvents_ReachTheQueueTheFunctionReadsWithTheTopicsIdentity()
    {
        var deployment = await InfraDeployment.GetAsync();
        var topic = deployment.One("Microsoft.EventGrid/systemTopics");
        var subscription = deployment.One("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        var vault = deployment.One("Microsoft.KeyVault/vaults");

        Assert.Equal("Microsoft.KeyVault.vaults", topic.Get("properties.topicType"));
        Assert.Equal($"Microsoft.KeyVault/vaults/{vault.Name}", ArmEvaluator.Text(topic.Get("properties.source")));
        Assert.Equal("SystemAssigned", topic.Get("identity.type"));
        Assert.Equal("SystemAssigned", subscription.Get("properties.deliveryWithResourceIdentity.identity.type"));
        Assert.Equal("StorageQueue", subscription.Get("properties.deliveryWithResourceIdentity.destination.endpointType"));
        Assert.Equal(StorageLayout.KeyVaultEventsQueue.BaseName, subscription.Get("properties.deliveryWithResourceIdentity.destination.properties.queueName"));
        Assert.Equal(
            $"Microsoft.Storage/storageAccounts/{deployment.OperationalAccount}",
            ArmEvaluator.Text(subscription.Get("properties.deliveryWithResourceIdentity.destination.properties.resourceId")));
        Assert.Equal(-1L, subscription.Get("properties.deliveryWithResourceIdentity.destination.properties.queueMessageTimeToLiveInSeconds"));
        Assert.Equal(
            [KeyVaultEventTypes.KeyExpired, KeyVaultEventTypes.KeyNearExpiry],
            ((List<object?>)subscription.Get("properties.filter.includedEventTypes")!).Cast<string>().Order(StringComparer.Ordinal));
    }

    private static List<string> Layout(StorageAccountRole role, StorageResourceKind kind) =>
        [.. StorageLayout.All.Where(r => r.Account == role && r.Kind == kind).Select(r => r.BaseName).Order(StringComparer.Ordinal)];
}
