using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Polly;

namespace Compliance.Storage.Blobs;

/// <summary>
/// Write-once blobs for evidence (destruction certificates, archived reports): a name is written at most once. A
/// retried run that writes the same bytes again finds them and succeeds; different bytes under an existing name
/// are refused, never overwritten (in Azure the container's immutability policy refuses them too).
/// </summary>
internal static class WriteOnceBlob
{
    public static async Task SaveAsync(BlobContainerClient container, ResiliencePipeline pipeline, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(name);
        try
        {
            await pipeline.ExecuteAsync(
                async ct => await blob.UploadAsync(
                    BinaryData.FromBytes(content),
                    new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
                    ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var stored = await TryReadAsync(container, pipeline, name, cancellationToken).ConfigureAwait(false);
            if (stored is null || !content.Span.SequenceEqual(stored))
            {
                throw new InvalidOperationException($"Different content is already stored as {container.Name}/{name}; it is kept and this was not written.", ex);
            }
        }
    }

    /// <summary>The blob's content, or null when there is no such blob.</summary>
    public static async Task<byte[]?> TryReadAsync(BlobContainerClient container, ResiliencePipeline pipeline, string name, CancellationToken cancellationToken)
    {
        try
        {
            var content = await pipeline.ExecuteAsync(
                async ct => (await container.GetBlobClient(name).DownloadContentAsync(ct).ConfigureAwait(false)).Value.Content,
                cancellationToken).ConfigureAwait(false);
            return content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}
