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
/// </summary>
internal sealed partial class BlobPurgeLock(StorageClients clients, ILogger<BlobPurgeLock> logger) : IPurgeLock
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(20);

    public async Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken = default)
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

        return new Held(lease, logger);
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Could not renew the purge lease; another run may start when it expires")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception);

    private sealed class Held : IAsyncDisposable
    {
        private readonly BlobLeaseClient _lease;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;

        public Held(BlobLeaseClient lease, ILogger logger)
        {
            _lease = lease;
            _renewing = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(Renewal);
                try
                {
                    while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                    {
                        await _lease.RenewAsync(cancellationToken: _stop.Token).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException)
                {
                }
                catch (RequestFailedException ex)
                {
                    LogRenewalFailed(logger, ex);
                }
            });
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _renewing.ConfigureAwait(false);
            _stop.Dispose();
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
