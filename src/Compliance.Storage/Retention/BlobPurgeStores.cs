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
/// One purge at a time: a 60-second lease on the blob <c>purge.lock</c> in <c>purge-manifests</c>, renewed every 15
/// seconds while the run goes on, released at the end. A run that dies leaves the lease to expire within a minute.
/// The lease is lost (<see cref="IPurgeLease.Lost"/>, and the purge stops) when the service says another holds it, or
/// when no renewal has succeeded for 45 seconds, a quarter-minute before it could expire; a failed renewal before that
/// is retried. The lease runs on the machine's clock: its expiry is the storage service's, whatever the domain clock says.
/// </summary>
internal sealed partial class BlobPurgeLock(StorageClients clients, ILogger<BlobPurgeLock> logger) : IPurgeLock
{
    internal static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);
    internal static readonly TimeSpan Renewal = TimeSpan.FromSeconds(15);
    internal static readonly TimeSpan Margin = TimeSpan.FromSeconds(15);
    internal static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

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

        return new Held(lease, TimeProvider.System, logger);
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Could not renew the purge lease; retrying until {Deadline} seconds after the last renewal")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, double deadline);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Error, Message = "The purge lease is lost ({Why}); the purge stops, since another run may take the lease over")]
    private static partial void LogLeaseLost(ILogger logger, string why);

    /// <summary>The held lease: renewed every <see cref="Renewal"/> on <c>clock</c> until disposed, or until it is lost.</summary>
    internal sealed class Held : IPurgeLease
    {
        private readonly BlobLeaseClient _lease;
        private readonly TimeProvider _clock;
        private readonly CancellationTokenSource _stop = new();
        private readonly CancellationTokenSource _lost = new();
        private readonly Task _renewing;

        public Held(BlobLeaseClient lease, TimeProvider clock, ILogger logger)
        {
            _lease = lease;
            _clock = clock;

            // Started now, not when the task first runs, so a renewal is never a period late.
            var timer = new PeriodicTimer(Renewal, clock);
            var lastRenewed = clock.GetTimestamp();
            _renewing = Task.Run(async () =>
            {
                using var owned = timer;
                try
                {
                    while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                    {
                        using var call = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                        call.CancelAfter(CallTimeout);
                        try
                        {
                            await _lease.RenewAsync(cancellationToken: call.Token).ConfigureAwait(false);
                            lastRenewed = clock.GetTimestamp();
                            continue;
                        }
                        catch (RequestFailedException ex) when (ex.Status == 409)
                        {
                            // The service says the lease is not ours any more: nothing to retry.
                            LogLeaseLost(logger, ex.ErrorCode ?? "409");
                            await _lost.CancelAsync().ConfigureAwait(false);
                            return;
                        }
                        catch (Exception ex) when (!_stop.IsCancellationRequested)
                        {
                            // Transient (a 5xx, a timeout, a token that could not be fetched): retried on the next tick.
                            LogRenewalFailed(logger, ex, (Duration - Margin).TotalSeconds);
                        }

                        if (clock.GetElapsedTime(lastRenewed) >= Duration - Margin)
                        {
                            LogLeaseLost(logger, "no renewal succeeded in time");
                            await _lost.CancelAsync().ConfigureAwait(false);
                            return;
                        }
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
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
            var lost = _lost.IsCancellationRequested;
            _stop.Dispose();
            _lost.Dispose();
            if (lost)
            {
                return; // not ours any more, or about to lapse by itself
            }

            using var call = new CancellationTokenSource(CallTimeout, _clock);
            try
            {
                await _lease.ReleaseAsync(cancellationToken: call.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException)
            {
                // Expired, taken over or unreachable: it lapses by itself within a minute.
            }
        }
    }
}
