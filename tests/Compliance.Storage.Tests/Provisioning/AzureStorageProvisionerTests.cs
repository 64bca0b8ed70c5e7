using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Compliance.Core.Setup;
using Compliance.Storage.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace Compliance.Storage.Tests.Provisioning;

/// <summary>The provisioner against the SDK mocked at its seam: how responses map to results, and that calls go through the resilience pipeline.</summary>
public sealed class AzureStorageProvisionerTests
{
    private readonly Mock<TableServiceClient> _tables = new();
    private readonly Mock<QueueServiceClient> _queues = new();
    private readonly Mock<BlobServiceClient> _blobs = new();
    private readonly Dictionary<string, Mock<TableClient>> _tableClients = [];
    private readonly Dictionary<string, Mock<QueueClient>> _queueClients = [];
    private readonly Dictionary<string, Mock<BlobContainerClient>> _containerClients = [];

    public AzureStorageProvisionerTests()
    {
        _tables.Setup(t => t.GetTableClient(It.IsAny<string>())).Returns((string name) => Table(name).Object);
        _queues.Setup(q => q.GetQueueClient(It.IsAny<string>())).Returns((string name) => Queue(name).Object);
        _blobs.Setup(b => b.GetBlobContainerClient(It.IsAny<string>())).Returns((string name) => Container(name).Object);
    }

    [Fact]
    public async Task ProvisionAsync_EverythingExists_ReportsExistingWithSuffixedNames()
    {
        foreach (var resource in StorageLayout.All)
        {
            Exists(resource.BaseName + "env1");
        }

        var results = await BuildProvisioner("env1").ProvisionAsync();

        Assert.Equal(StorageLayout.All.Select(r => r.BaseName + "env1"), results.Select(r => r.Name));
        Assert.All(results, r => Assert.False(r.Created));
    }

    [Fact]
    public async Task ProvisionAsync_NothingExists_ReportsCreated()
    {
        foreach (var resource in StorageLayout.All)
        {
            Created(resource.BaseName);
        }

        var results = await BuildProvisioner("").ProvisionAsync();

        Assert.All(results, r => Assert.True(r.Created));
        Assert.Equal(7, results.Count(r => r.Kind == StorageResourceKind.Table));
    }

    [Fact]
    public async Task ProvisionAsync_ThrottledOnce_RetriedThroughThePipeline()
    {
        foreach (var resource in StorageLayout.All)
        {
            Created(resource.BaseName);
        }

        Table("holds").SetupSequence(t => t.CreateIfNotExistsAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(FakeResponse.Failure(503, ("Retry-After", "0")))
            .ReturnsAsync(Response.FromValue(TableModelFactory.TableItem("holds"), new FakeResponse(204)));

        var results = await BuildProvisioner("").ProvisionAsync();

        Assert.True(results.Single(r => r.Name == "holds").Created);
        Table("holds").Verify(t => t.CreateIfNotExistsAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task ProvisionAsync_AccessDenied_FailsWithoutRetrying()
    {
        foreach (var resource in StorageLayout.All)
        {
            Created(resource.BaseName);
        }

        Queue("erasure-requests").Setup(q => q.CreateIfNotExistsAsync(It.IsAny<IDictionary<string, string>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(FakeResponse.Failure(403));

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => BuildProvisioner("").ProvisionAsync());

        Assert.Equal(403, ex.Status);
        Queue("erasure-requests").Verify(q => q.CreateIfNotExistsAsync(It.IsAny<IDictionary<string, string>>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ProvisionAsync_SeparateAuditAccount_EachResourceCreatedInItsAccount()
    {
        foreach (var resource in StorageLayout.All)
        {
            Created(resource.BaseName);
        }

        var auditTables = new Mock<TableServiceClient>();
        var auditBlobs = new Mock<BlobServiceClient>();
        auditTables.Setup(t => t.GetTableClient(It.IsAny<string>())).Returns((string name) => Table(name).Object);
        auditBlobs.Setup(b => b.GetBlobContainerClient(It.IsAny<string>())).Returns((string name) => Container(name).Object);

        var results = await BuildProvisioner(new StorageClients(_tables.Object, _queues.Object, _blobs.Object, auditTables.Object, auditBlobs.Object, "")).ProvisionAsync();

        Assert.Equal(StorageLayout.All.Select(r => (r.BaseName, r.Account)), results.Select(r => (r.Name, r.Account)));
        foreach (var table in (string[])["auditevents", "auditseals"])
        {
            auditTables.Verify(t => t.GetTableClient(table), Times.Once);
            _tables.Verify(t => t.GetTableClient(table), Times.Never);
        }

        foreach (var container in (string[])["audit-seals", "reports", "erasure-certificates"])
        {
            auditBlobs.Verify(b => b.GetBlobContainerClient(container), Times.Once);
            _blobs.Verify(b => b.GetBlobContainerClient(container), Times.Never);
        }

        auditTables.Verify(t => t.GetTableClient("subjects"), Times.Never);
        auditBlobs.Verify(b => b.GetBlobContainerClient("purge-manifests"), Times.Never);
    }

    private IStorageProvisioner BuildProvisioner(string suffix) =>
        BuildProvisioner(new StorageClients(_tables.Object, _queues.Object, _blobs.Object, suffix));

    private static IStorageProvisioner BuildProvisioner(StorageClients clients)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddComplianceStorage(configureResilience: r => r.BaseDelay = TimeSpan.FromMilliseconds(1));
        services.AddSingleton(clients);
        return services.BuildServiceProvider().GetRequiredService<IStorageProvisioner>();
    }

    private void Exists(string name) => Respond(name, created: false);

    private void Created(string name) => Respond(name, created: true);

    private void Respond(string name, bool created)
    {
        var resource = StorageLayout.All.Single(r => name.StartsWith(r.BaseName, StringComparison.Ordinal));
        switch (resource.Kind)
        {
            case StorageResourceKind.Table:
                Table(name).Setup(t => t.CreateIfNotExistsAsync(It.IsAny<CancellationToken>()))
                    .ReturnsAsync(Response.FromValue(TableModelFactory.TableItem(name), new FakeResponse(created ? 204 : 409)));
                break;
            case StorageResourceKind.Queue:
                Queue(name).Setup(q => q.CreateIfNotExistsAsync(It.IsAny<IDictionary<string, string>>(), It.IsAny<CancellationToken>()))
                    .ReturnsAsync(created ? new FakeResponse(201) : null!);
                break;
            default:
                Container(name).Setup(c => c.CreateIfNotExistsAsync(It.IsAny<PublicAccessType>(), It.IsAny<IDictionary<string, string>>(), It.IsAny<BlobContainerEncryptionScopeOptions>(), It.IsAny<CancellationToken>()))
                    .ReturnsAsync(created ? Response.FromValue(BlobsModelFactory.BlobContainerInfo(ETag.All, DateTimeOffset.UnixEpoch), new FakeResponse(201)) : null!);
                break;
        }
    }

    private Mock<TableClient> Table(string name) => Get(_tableClients, name);

    private Mock<QueueClient> Queue(string name) => Get(_queueClients, name);

    private Mock<BlobContainerClient> Container(string name) => Get(_containerClients, name);

    private static Mock<T> Get<T>(Dictionary<string, Mock<T>> clients, string name)
        where T : class
    {
        lock (clients)
        {
            if (!clients.TryGetValue(name, out var mock))
            {
                clients[name] = mock = new Mock<T>();
            }

            return mock;
        }
    }
}
