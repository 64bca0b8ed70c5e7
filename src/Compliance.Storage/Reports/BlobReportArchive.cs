using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Compliance.Core.Reports;
using Compliance.Storage.Resilience;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.Reports;

/// <summary>Scheduled reports as write-once blobs in container <c>reports</c>: an existing name is never overwritten.</summary>
internal sealed class BlobReportArchive(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : IReportArchive
{
    private readonly BlobContainerClient _container = clients.Container(StorageLayout.Reports);
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default) =>
        await _pipeline.ExecuteAsync(async ct => (await _container.GetBlobClient(name).ExistsAsync(ct).ConfigureAwait(false)).Value, cancellationToken).ConfigureAwait(false);

    public async Task SaveAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        try
        {
            await _pipeline.ExecuteAsync(
                async ct => await _container.GetBlobClient(name).UploadAsync(
                    BinaryData.FromBytes(content),
                    new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
                    ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var stored = (await _container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToMemory();
            if (!stored.Span.SequenceEqual(content.Span))
            {
                throw new InvalidOperationException($"A different report is already stored as {name}; it is kept and this one was not written.", ex);
            }
        }
    }
}
