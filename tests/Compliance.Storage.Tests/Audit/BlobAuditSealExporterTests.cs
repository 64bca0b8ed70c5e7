using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Compliance.Core.Audit;
using Compliance.Storage.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace Compliance.Storage.Tests.Audit;

/// <summary>The seal export with the SDK mocked at its seam: written once, and a seal already exported is left as it is.</summary>
public sealed class BlobAuditSealExporterTests
{
    private static readonly SignedAuditSeal Seal = new(
        new AuditSeal(7, DateTimeOffset.UnixEpoch, new string('0', 64), [new SealedStreamHead("s00", 3, new string('a', 64))], new string('b', 64), "RS256", "audit-seal/v1"),
        "c2lnbmF0dXJl");

    private readonly Mock<BlobServiceClient> _auditBlobs = new();
    private readonly Mock<BlobContainerClient> _container = new();
    private readonly Mock<BlobClient> _blob = new();

    public BlobAuditSealExporterTests()
    {
        _auditBlobs.Setup(b => b.GetBlobContainerClient("audit-sealsenv1")).Returns(_container.Object);
        _container.SetupGet(c => c.Name).Returns("audit-sealsenv1");
        _container.Setup(c => c.GetBlobClient("seal-000000000007.json")).Returns(_blob.Object);
        _blob.SetupGet(b => b.Name).Returns("seal-000000000007.json");
    }

    [Fact]
    public async Task ExportAsync_NewSeal_ExactBytesOnceWithTheSignatureInMetadata()
    {
        BinaryData? body = null;
        BlobUploadOptions? sent = null;
        _blob.Setup(b => b.UploadAsync(It.IsAny<BinaryData>(), It.IsAny<BlobUploadOptions>(), It.IsAny<CancellationToken>()))
            .Callback((BinaryData content, BlobUploadOptions options, CancellationToken _) => (body, sent) = (content, options))
            .ReturnsAsync(Response.FromValue(BlobsModelFactory.BlobContentInfo(ETag.All, DateTimeOffset.UnixEpoch, [], "", "", "", 0), new FakeResponse(201)));

        var exportedTo = await BuildExporter().ExportAsync(Seal);

        Assert.Equal("audit-sealsenv1/seal-000000000007.json", exportedTo);
        Assert.Equal(Seal.Seal.Body, body!.ToString());
        Assert.Equal(ETag.All, sent!.Conditions.IfNoneMatch);
        Assert.Equal(Seal.Signature, sent.Metadata["signature"]);
        Assert.Equal(Seal.Seal.Hash, sent.Metadata["sealhash"]);
    }

    [Theory]
    [InlineData(409, "BlobImmutableDueToPolicy")]
    [InlineData(412, "ConditionNotMet")]
    public async Task ExportAsync_AlreadyExported_ExistingCopyStands(int status, string code)
    {
        UploadFails(status, code);

        var exportedTo = await BuildExporter().ExportAsync(Seal);

        Assert.Equal("audit-sealsenv1/seal-000000000007.json", exportedTo);
    }

    [Fact]
    public async Task ExportAsync_ForbiddenButTheSealIsThere_ExistingCopyStands()
    {
        UploadFails(403, "AuthorizationPermissionMismatch");
        _blob.Setup(b => b.ExistsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Response.FromValue(true, new FakeResponse(200)));

        var exportedTo = await BuildExporter().ExportAsync(Seal);

        Assert.Equal("audit-sealsenv1/seal-000000000007.json", exportedTo);
        _blob.Verify(b => b.ExistsAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ExportAsync_ForbiddenAndNoSuchSeal_Fails()
    {
        var forbidden = UploadFails(403, "AuthorizationPermissionMismatch");
        _blob.Setup(b => b.ExistsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Response.FromValue(false, new FakeResponse(404)));

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => BuildExporter().ExportAsync(Seal));

        Assert.Same(forbidden, ex);
    }

    private RequestFailedException UploadFails(int status, string code)
    {
        var failure = new RequestFailedException(status, "refused", code, null);
        _blob.Setup(b => b.UploadAsync(It.IsAny<BinaryData>(), It.IsAny<BlobUploadOptions>(), It.IsAny<CancellationToken>())).ThrowsAsync(failure);
        return failure;
    }

    /// <summary>The exporter as the host builds it, with the audit account's blobs mocked: seals go to the audit account.</summary>
    private IAuditSealExporter BuildExporter()
    {
        var services = new ServiceCollection().AddLogging().AddComplianceStorage();
        services.AddSingleton(new StorageClients(
            Mock.Of<TableServiceClient>(), Mock.Of<QueueServiceClient>(), new Mock<BlobServiceClient>(MockBehavior.Strict).Object, Mock.Of<TableServiceClient>(), _auditBlobs.Object, "env1"));
        return services.BuildServiceProvider().GetRequiredService<IAuditSealExporter>();
    }
}
