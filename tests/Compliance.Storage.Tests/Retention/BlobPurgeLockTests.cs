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
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Held_ServiceSaysTheLeaseIsNotOurs_LostAtOnceAndNotReleased()
    {
        var clock = new FakeTimeProvider();
        var lease = new Mock<BlobLeaseClient>();
        lease.Setup(l => l.RenewAsync(It.IsAny<RequestConditions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(409, "The lease ID specified did not match the lease ID for the blob.", "LeaseIdMismatchWithLeaseOperation", null));
        var held = new BlobPurgeLock.Held(lease.Object, clock, NullLogger.Instance);

        Assert.False(held.Lost.IsCancellationRequested);
        clock.Advance(BlobPurgeLock.Renewal);
        await held.Renewing.WaitAsync(Wait);

        Assert.True(held.Lost.IsCancellationRequested);
        await held.DisposeAsync();
        lease.Verify(l => l.ReleaseAsync(It.IsAny<RequestConditions>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    public static TheoryData<Exception> TransientFailures() =>
    [
        new RequestFailedException(503, "Server busy"),
        new InvalidOperationException("the managed identity endpoint did not answer"),
        new OperationCanceledException("the call timed out"),
    ];

    [Theory]
    [MemberData(nameof(TransientFailures))]
    public async Task Held_RenewalsKeepFailing_RetriedThenLostBeforeTheLeaseCouldExpire(Exception failure)
    {
        var clock = new FakeTimeProvider();
        using var calls = new SemaphoreSlim(0);
        var lease = new Mock<BlobLeaseClient>();
        lease.Setup(l => l.RenewAsync(It.IsAny<RequestConditions>(), It.IsAny<CancellationToken>()))
            .Callback(() => calls.Release())
            .ThrowsAsync(failure);
        var held = new BlobPurgeLock.Held(lease.Object, clock, NullLogger.Instance);

        var ticks = 0;
        while (!held.Lost.IsCancellationRequested)
        {
            clock.Advance(BlobPurgeLock.Renewal);
            Assert.True(await calls.WaitAsync(Wait));
            ticks++;
            if (ticks * BlobPurgeLock.Renewal >= BlobPurgeLock.Duration - BlobPurgeLock.Margin)
            {
                await held.Renewing.WaitAsync(Wait);
            }
            else
            {
                Assert.False(held.Renewing.IsCompleted, $"gave up after {ticks} failed renewals, with time left on the lease");
            }
        }

        // Lost once the last success is Duration - Margin old: a quarter-minute before the lease could lapse.
        Assert.Equal((BlobPurgeLock.Duration - BlobPurgeLock.Margin) / BlobPurgeLock.Renewal, ticks);
        Assert.True(ticks * BlobPurgeLock.Renewal < BlobPurgeLock.Duration);
        await held.DisposeAsync();
    }

    [Fact]
    public async Task Held_RenewalsSucceed_NeverLostAndReleasedOnDispose()
    {
        var clock = new FakeTimeProvider();
        using var renewed = new SemaphoreSlim(0);
        var lease = new Mock<BlobLeaseClient>();
        lease.Setup(l => l.RenewAsync(It.IsAny<RequestConditions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Response.FromValue(BlobsModelFactory.BlobLease(ETag.All, DateTimeOffset.UnixEpoch, "lease"), Mock.Of<Response>()))
            .Callback(() => renewed.Release());
        var held = new BlobPurgeLock.Held(lease.Object, clock, NullLogger.Instance);

        for (var i = 0; i < 6; i++)
        {
            clock.Advance(BlobPurgeLock.Renewal);
            Assert.True(await renewed.WaitAsync(Wait));
        }

        Assert.False(held.Lost.IsCancellationRequested);
        await held.DisposeAsync();
        lease.Verify(l => l.ReleaseAsync(It.IsAny<RequestConditions>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Held_ReleaseFails_DisposeStillCompletes()
    {
        var lease = new Mock<BlobLeaseClient>();
        lease.Setup(l => l.ReleaseAsync(It.IsAny<RequestConditions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(409, "There is currently no lease on the blob.", "LeaseNotPresentWithLeaseOperation", null));
        var held = new BlobPurgeLock.Held(lease.Object, new FakeTimeProvider(), NullLogger.Instance);

        await held.DisposeAsync();

        Assert.True(held.Renewing.IsCompleted);
    }
}
