using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Polly;

namespace Compliance.Storage.Blobs;

/// <summary>
/// Write-once blobs for evidence (destruction certificates, archived reports, seal exports): a name is written at
/// most once. A retried run that writes the same bytes again finds them and succeeds; different bytes under an
/// existing name are refused, never overwritten (in Azure the container's immutability policy refuses them too).
/// </summary>
internal static class WriteOnceBlob
{
    private const int Forbidden = 403;

    public static async Task SaveAsync(BlobContainerClient container, ResiliencePipeline pipeline, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } };
        if (await TryCreateAsync(container.GetBlobClient(name), pipeline, BinaryData.FromBytes(content), options, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var stored = await TryReadAsync(container, pipeline, name, cancellationToken).ConfigureAwait(false);
        if (stored is null || !content.Span.SequenceEqual(stored))
        {
            throw new InvalidOperationException($"Different content is already stored as {container.Name}/{name}; it is kept and this was not written.");
        }
    }

    /// <summary>
    /// Uploads <paramref name="content"/> only if no blob has the name (If-None-Match: *). True when this call wrote
    /// it; false when a blob already exists under the name. The service says so with 412 or 409 (409 also when a
    /// container immutability policy refuses the write); under an identity that may create blobs but not overwrite
    /// them it may answer 403 instead, so a 403 counts as "exists" only when a read then finds the blob, and is
    /// rethrown otherwise.
    /// </summary>
    public static async Task<bool> TryCreateAsync(BlobClient blob, ResiliencePipeline pipeline, BinaryData content, BlobUploadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(options);
        options.Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            await pipeline.ExecuteAsync(
                async ct => await blob.UploadAsync(content, options, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
        catch (RequestFailedException ex) when (ex.Status == Forbidden)
        {
            if (await ExistsAsync(blob, pipeline, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            throw;
        }
    }

    /// <summary>The blob's content, or null when there is no such blob.</summary>
    public static async Task<byte[]?> TryReadAsync(BlobContainerClient container, ResiliencePipeline pipeline, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(pipeline);
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

    /// <summary>Whether the blob exists, after a refused write; false too when reading it is refused, so the write's own 403 stands.</summary>
    private static async Task<bool> ExistsAsync(BlobClient blob, ResiliencePipeline pipeline, CancellationToken cancellationToken)
    {
        try
        {
            return await pipeline.ExecuteAsync(
                async ct => (await blob.ExistsAsync(ct).ConfigureAwait(false)).Value,
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == Forbidden)
        {
            return false;
        }
    }
}
