using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Compliance.Core.Audit;
using Compliance.Storage.Resilience;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.Audit;

/// <summary>
/// Writes each seal's exact signed bytes to the seal-export container, once (If-None-Match: *), with the
/// signature in the blob's metadata. In Azure the container has a time-based immutability policy.
/// </summary>
internal sealed class BlobAuditSealExporter(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : IAuditSealExporter
{
    private readonly BlobContainerClient _container = clients.Container(StorageLayout.SealExports);
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);

    public static string BlobName(long sealNumber) => $"seal-{sealNumber:D12}.json";

    public async Task<string> ExportAsync(SignedAuditSeal seal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seal);
        var blob = _container.GetBlobClient(BlobName(seal.Seal.Number));
        var options = new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            Metadata = new Dictionary<string, string>
            {
                ["signature"] = seal.Signature,
                ["algorithm"] = seal.Seal.Algorithm,
                ["sealhash"] = seal.Seal.Hash,
            },
        };
        try
        {
            await _pipeline.ExecuteAsync(
                async ct => await blob.UploadAsync(BinaryData.FromString(seal.Seal.Body), options, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Already exported (a retried run): the existing copy stands; immutable containers refuse overwrites anyway.
        }

        return $"{_container.Name}/{blob.Name}";
    }
}
