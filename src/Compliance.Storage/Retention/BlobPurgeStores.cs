using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Compliance.Core.Retention;
using Compliance.Storage.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.Retention;

/// <summary>Purge manifests as blobs in <c>purge-manifests</c>, written once (an existing name is never overwritten).</summary>
internal sealed class BlobPurgeManifestStore(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : IPurgeManifestStore
{
    private readonly BlobContainerClient _container = clients.Container(StorageLayout.PurgeManifests);
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);

    public Task SaveAsync(string name, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default) =>
        _pipeline.ExecuteAsync(
            async ct => await _container.GetBlobClient(name).UploadAsync(
                BinaryData.FromBytes(manifest),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                ct).ConfigureAwait(false),
            cancellationToken).AsTask();
}

/// <summary>
/// One purge at a time: a 60-second lease on the blob <c>purge.lock</c> in <c>purge-manifests</c>, renewed every 20
/// seconds while the run goes on, released at the end. A run that dies leaves the lease to expire within a minute.
/// A renewal that fails marks the lease lost (<see cref="IPurgeLease.Lost"/>), and the purge stops.
/// </summary>
internal sealed partial class BlobPurgeLock(StorageClients clients, TimeProvider clock, ILogger<BlobPurgeLock> logger) : IPurgeLock
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(20);

    public async Task<IPurgeLease?> TryAcquireAsync(CancellationToken cancellationToken = default)
    {
        var blob = clients.Container(StorageLayout.PurgeManifests).GetBlobClient("purge.lock");
        try
        {
            await blob.UploadAsync(BinaryData.FromString("purge lease"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // It exists already: the lease decides.
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(Duration, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return null;
        }

        return new Held(lease, clock, logger);
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Could not renew the purge lease; the purge stops, since another run may start when the lease expires")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception);

    /// <summary>The held lease: renewed every <see cref="Renewal"/> on the injected clock until disposed, or until a renewal fails.</summary>
    internal sealed class Held : IPurgeLease
    {
        private readonly BlobLeaseClient _lease;
        private readonly CancellationTokenSource _stop = new();
        private readonly CancellationTokenSource _lost = new();
        private readonly Task _renewing;

        public Held(BlobLeaseClient lease, TimeProvider clock, ILogger logger)
        {
            _lease = lease;

            // Started now, not when the task first runs, so a renewal is never a period late.
            var timer = new PeriodicTimer(Renewal, clock);
            _renewing = Task.Run(async () =>
            {
                using var owned = timer;
                try
                {
                    while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                    {
                        await _lease.RenewAsync(cancellationToken: _stop.Token).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                }
                catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException or IOException or HttpRequestException)
                {
                    LogRenewalFailed(logger, ex);
                    await _lost.CancelAsync().ConfigureAwait(false);
                }
            });
        }

        public CancellationToken Lost => _lost.Token;

        /// <summary>For tests: completes when renewing has stopped (disposed, or the lease lost).</summary>
        internal Task Renewing => _renewing;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _renewing.ConfigureAwait(false);
            _stop.Dispose();
            _lost.Dispose();
            try
            {
                await _lease.ReleaseAsync().ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                // Expired or taken over: it lapses by itself.
            }
        }
    }
}
