using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Compliance.Core.Setup;
using Microsoft.Extensions.Options;
using Moq;

namespace Compliance.Storage.Tests;

/// <summary>Which account each resource's client points at. Building clients makes no request, so no storage is needed.</summary>
public sealed class StorageClientsTests
{
    private const string Operational = "DefaultEndpointsProtocol=http;AccountName=opsaccount;AccountKey=b3BzLWtleQ==;TableEndpoint=http://127.0.0.1:10002/opsaccount;BlobEndpoint=http://127.0.0.1:10000/opsaccount;QueueEndpoint=http://127.0.0.1:10001/opsaccount;";
    private const string Audit = "DefaultEndpointsProtocol=http;AccountName=auditaccount;AccountKey=YXVkaXQta2V5;TableEndpoint=http://127.0.0.1:10002/auditaccount;BlobEndpoint=http://127.0.0.1:10000/auditaccount;";

    [Fact]
    public void Table_TwoConnectionStrings_AuditTablesInTheAuditAccount()
    {
        var clients = Build(Operational, Audit, "env1");

        Assert.Equal("auditaccount", clients.Table(StorageLayout.AuditEvents).AccountName);
        Assert.Equal("auditaccount", clients.Table(StorageLayout.AuditSeals).AccountName);
        Assert.Equal("opsaccount", clients.Table(StorageLayout.Subjects).AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10002/auditaccount/auditeventsenv1"), clients.Table(StorageLayout.AuditEvents).Uri);
        Assert.True(clients.SeparateAuditAccount);
        Assert.Equal(("opsaccount", "auditaccount"), (clients.AccountName(StorageAccountRole.Operational), clients.AccountName(StorageAccountRole.Audit)));
    }

    [Fact]
    public void Container_TwoConnectionStrings_EvidenceInTheAuditAccountManifestsNot()
    {
        var clients = Build(Operational, Audit, "");

        Assert.Equal("auditaccount", clients.Container(StorageLayout.SealExports).AccountName);
        Assert.Equal("auditaccount", clients.Container(StorageLayout.Reports).AccountName);
        Assert.Equal("auditaccount", clients.Container(StorageLayout.Certificates).AccountName);
        Assert.Equal("opsaccount", clients.Container(StorageLayout.PurgeManifests).AccountName);
        Assert.Equal("opsaccount", clients.Queue(StorageLayout.IngestQueue).AccountName);
    }

    [Fact]
    public void Table_AccountNames_EntraEndpointsOfEachAccount()
    {
        var clients = Build("contosotelemetry", "contosoaudit", "");

        Assert.Equal(new Uri("https://contosoaudit.table.core.windows.net/auditevents"), clients.Table(StorageLayout.AuditEvents).Uri);
        Assert.Equal(new Uri("https://contosotelemetry.table.core.windows.net/subjects"), clients.Table(StorageLayout.Subjects).Uri);
        Assert.Equal(new Uri("https://contosoaudit.blob.core.windows.net/erasure-certificates"), clients.Container(StorageLayout.Certificates).Uri);
        Assert.Equal(new Uri("https://contosotelemetry.queue.core.windows.net/erasure-requests"), clients.Queue(StorageLayout.ErasureQueue).Uri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(Operational)]
    public void Table_NoSeparateAuditAccount_EverythingInOneAccount(string? audit)
    {
        var clients = Build(Operational, audit, "");

        Assert.False(clients.SeparateAuditAccount);
        Assert.Same(clients.Tables, clients.AuditTables);
        Assert.Same(clients.Blobs, clients.AuditBlobs);
        Assert.All(StorageLayout.All.Where(r => r.Kind == StorageResourceKind.Table), t => Assert.Equal("opsaccount", clients.Table(t).AccountName));
        Assert.All(StorageLayout.All.Where(r => r.Kind == StorageResourceKind.BlobContainer), c => Assert.Equal("opsaccount", clients.Container(c).AccountName));
    }

    [Fact]
    public void Table_TestClients_RoutedByAccount()
    {
        var tables = new Mock<TableServiceClient>();
        var auditTables = new Mock<TableServiceClient>();
        var blobs = new Mock<BlobServiceClient>();
        var auditBlobs = new Mock<BlobServiceClient>();
        var clients = new StorageClients(tables.Object, Mock.Of<QueueServiceClient>(), blobs.Object, auditTables.Object, auditBlobs.Object, "x");

        clients.Table(StorageLayout.AuditSeals);
        clients.Table(StorageLayout.Holds);
        clients.Container(StorageLayout.Reports);
        clients.Container(StorageLayout.PurgeManifests);

        auditTables.Verify(t => t.GetTableClient("auditsealsx"), Times.Once);
        tables.Verify(t => t.GetTableClient("holdsx"), Times.Once);
        auditBlobs.Verify(b => b.GetBlobContainerClient("reportsx"), Times.Once);
        blobs.Verify(b => b.GetBlobContainerClient("purge-manifestsx"), Times.Once);
        tables.VerifyNoOtherCalls();
        auditTables.VerifyNoOtherCalls();
    }

    private static StorageClients Build(string account, string? audit, string suffix) =>
        new(Options.Create(new StorageOptions { Account = account, AuditAccount = audit, NameSuffix = suffix }));
}
