using Azure.Storage.Blobs;
using Compliance.Core.Reports;
using Compliance.Storage.Blobs;
using Compliance.Storage.Resilience;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.Reports;

/// <summary>Scheduled reports as write-once blobs in container <c>reports</c> (<see cref="WriteOnceBlob"/>).</summary>
internal sealed class BlobReportArchive(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : IReportArchive
{
    private readonly BlobContainerClient _container = clients.Container(StorageLayout.Reports);
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default) =>
        await _pipeline.ExecuteAsync(async ct => (await _container.GetBlobClient(name).ExistsAsync(ct).ConfigureAwait(false)).Value, cancellationToken).ConfigureAwait(false);

    public Task SaveAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default) =>
        WriteOnceBlob.SaveAsync(_container, _pipeline, name, content, contentType, cancellationToken);
}
