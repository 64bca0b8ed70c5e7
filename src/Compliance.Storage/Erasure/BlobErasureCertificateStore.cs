using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Compliance.Core.Erasure;
using Compliance.Storage.Resilience;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.Erasure;

/// <summary>
/// Destruction certificates as blobs in <c>erasure-certificates</c>, written once: a rerun that rebuilds the same
/// certificate finds it stored and leaves it; different bytes under the same name are refused, never overwritten.
/// </summary>
internal sealed class BlobErasureCertificateStore(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : IErasureCertificateStore
{
    private readonly BlobContainerClient _container = clients.Container(StorageLayout.Certificates);
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);

    public async Task SaveAsync(string name, ReadOnlyMemory<byte> certificate, CancellationToken cancellationToken = default)
    {
        try
        {
            await _pipeline.ExecuteAsync(
                async ct => await _container.GetBlobClient(name).UploadAsync(
                    BinaryData.FromBytes(certificate),
                    new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                    ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var stored = await GetAsync(name, cancellationToken).ConfigureAwait(false);
            if (stored is null || !certificate.Span.SequenceEqual(stored))
            {
                throw new InvalidOperationException($"A different certificate is already stored as {name}; it is kept and this one was not written.", ex);
            }
        }
    }

    public async Task<byte[]?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var content = await _pipeline.ExecuteAsync(
                async ct => (await _container.GetBlobClient(name).DownloadContentAsync(ct).ConfigureAwait(false)).Value.Content,
                cancellationToken).ConfigureAwait(false);
            return content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}
