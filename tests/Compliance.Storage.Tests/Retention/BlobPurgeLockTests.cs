using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Compliance.Storage.Retention;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Compliance.Storage.Tests.Retention;

public sealed class BlobPurgeLockTests
{
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Held_RenewalRefused_LeaseLostAndRenewingStops()
    {
        var clock = new FakeTimeProvider();
        var lease = new Mock<BlobLeaseClient>();
        lease.Setup(l => l.RenewAsync(It.IsAny<RequestConditions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(409, "The lease ID specified did not match the lease ID for the blob.", "LeaseIdMismatchWithLeaseOperation", null));
        var held = new BlobPurgeLock.Held(lease.Object, clock, NullLogger.Instance);

        Assert.False(held.Lost.IsCancellationRequested);
        clock.Advance(Renewal);
        await held.Renewing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(held.Lost.IsCancellationRequested);
        await held.DisposeAsync();
    }

    [Fact]
    public async Task Held_RenewalsSucceed_NeverLostAndReleasedOnDispose()
    {
        var clock = new FakeTimeProvider();
        var renewed = new SemaphoreSlim(0);
        var lease = new Mock<BlobLeaseClient>();
        lease.Setup(l => l.RenewAsync(It.IsAny<RequestConditions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Response.FromValue(BlobsModelFactory.BlobLease(ETag.All, DateTimeOffset.UnixEpoch, "lease"), Mock.Of<Response>()))
            .Callback(() => renewed.Release());
        var held = new BlobPurgeLock.Held(lease.Object, clock, NullLogger.Instance);

        for (var i = 0; i < 3; i++)
        {
            clock.Advance(Renewal);
            Assert.True(await renewed.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.False(held.Lost.IsCancellationRequested);
        await held.DisposeAsync();
        lease.Verify(l => l.ReleaseAsync(It.IsAny<RequestConditions>(), It.IsAny<CancellationToken>()), Times.Once);
        renewed.Dispose();
    }
}
