using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Compliance.Storage.Blobs;
using Moq;
using Polly;

namespace Compliance.Storage.Tests.Blobs;

/// <summary>
/// Write-once evidence blobs with the SDK mocked at its seam, including the answers an append-only identity or an
/// immutable container gives for a name that already exists (403, 409 with an immutability code).
/// </summary>
public sealed class WriteOnceBlobTests
{
    private static readonly byte[] Content = "{\"certificate\":1}"u8.ToArray();

    private readonly Mock<BlobContainerClient> _container = new();
    private readonly Mock<BlobClient> _blob = new();

    public WriteOnceBlobTests()
    {
        _container.SetupGet(c => c.Name).Returns("erasure-certificates");
        _container.Setup(c => c.GetBlobClient("era-1.json")).Returns(_blob.Object);
        _blob.SetupGet(b => b.Name).Returns("era-1.json");
    }

    [Fact]
    public async Task SaveAsync_NewName_UploadedOnlyIfNoneMatch()
    {
        BlobUploadOptions? sent = null;
        _blob.Setup(b => b.UploadAsync(It.IsAny<BinaryData>(), It.IsAny<BlobUploadOptions>(), It.IsAny<CancellationToken>()))
            .Callback((BinaryData _, BlobUploadOptions options, CancellationToken _) => sent = options)
            .ReturnsAsync(Response.FromValue(BlobsModelFactory.BlobContentInfo(ETag.All, DateTimeOffset.UnixEpoch, [], "", "", "", 0), new FakeResponse(201)));

        await SaveAsync(Content);

        Assert.Equal(ETag.All, sent!.Conditions.IfNoneMatch);
        Assert.Equal("application/json", sent.HttpHeaders.ContentType);
        _blob.Verify(b => b.DownloadContentAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(409, "BlobAlreadyExists")]
    [InlineData(409, "BlobImmutableDueToPolicy")]
    [InlineData(412, "ConditionNotMet")]
    [InlineData(403, "AuthorizationPermissionMismatch")]
    public async Task SaveAsync_ExistsWithTheSameBytes_Succeeds(int status, string code)
    {
        UploadFails(status, code);
        Stored(Content);

        await SaveAsync(Content);

        _blob.Verify(b => b.DownloadContentAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(409, "BlobImmutableDueToPolicy")]
    [InlineData(412, "ConditionNotMet")]
    [InlineData(403, "AuthorizationPermissionMismatch")]
    public async Task SaveAsync_ExistsWithOtherBytes_RefusedAndKept(int status, string code)
    {
        UploadFails(status, code);
        Stored("{\"certificate\":2}"u8.ToArray());

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => SaveAsync(Content));

        Assert.Equal("Different content is already stored as erasure-certificates/era-1.json; it is kept and this was not written.", ex.Message);
    }

    [Fact]
    public async Task SaveAsync_ForbiddenAndNoSuchBlob_TheForbiddenFailureStands()
    {
        var forbidden = UploadFails(403, "AuthorizationPermissionMismatch");
        _blob.Setup(b => b.ExistsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Response.FromValue(false, new FakeResponse(404)));

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => SaveAsync(Content));

        Assert.Same(forbidden, ex);
        _blob.Verify(b => b.DownloadContentAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SaveAsync_ForbiddenAndReadingForbiddenToo_TheWritesFailureStands()
    {
        var forbidden = UploadFails(403, "AuthorizationPermissionMismatch");
        _blob.Setup(b => b.ExistsAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(403, "read refused", "AuthorizationPermissionMismatch", null));

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => SaveAsync(Content));

        Assert.Same(forbidden, ex);
    }

    [Fact]
    public async Task TryReadAsync_NoSuchBlob_Null()
    {
        _blob.Setup(b => b.DownloadContentAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(404, "no blob", "BlobNotFound", null));

        Assert.Null(await WriteOnceBlob.TryReadAsync(_container.Object, ResiliencePipeline.Empty, "era-1.json", CancellationToken.None));
    }

    private Task SaveAsync(byte[] content) =>
        WriteOnceBlob.SaveAsync(_container.Object, ResiliencePipeline.Empty, "era-1.json", content, "application/json", CancellationToken.None);

    private RequestFailedException UploadFails(int status, string code)
    {
        var failure = new RequestFailedException(status, "refused", code, null);
        _blob.Setup(b => b.UploadAsync(It.IsAny<BinaryData>(), It.IsAny<BlobUploadOptions>(), It.IsAny<CancellationToken>())).ThrowsAsync(failure);
        return failure;
    }

    private void Stored(byte[] content)
    {
        _blob.Setup(b => b.ExistsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Response.FromValue(true, new FakeResponse(200)));
        _blob.Setup(b => b.DownloadContentAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(BlobsModelFactory.BlobDownloadResult(BinaryData.FromBytes(content)), new FakeResponse(200)));
    }
}
