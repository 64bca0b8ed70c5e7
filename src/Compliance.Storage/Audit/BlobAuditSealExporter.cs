using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Compliance.Core.Audit;
using Compliance.Storage.Blobs;
using Compliance.Storage.Resilience;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.Audit;

/// <summary>
/// Writes each seal's exact signed bytes to the seal-export container, once (<see cref="WriteOnceBlob.TryCreateAsync"/>),
/// with the signature in the blob's metadata. In Azure the container has a time-based immutability policy.
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
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            Metadata = new Dictionary<string, string>
            {
                ["signature"] = seal.Signature,
                ["algorithm"] = seal.Seal.Algorithm,
                ["sealhash"] = seal.Seal.Hash,
            },
        };

        // Not created: already exported (a retried run); the existing copy stands, and immutable containers refuse overwrites anyway.
        _ = await WriteOnceBlob.TryCreateAsync(blob, _pipeline, BinaryData.FromString(seal.Seal.Body), options, cancellationToken).ConfigureAwait(false);
        return $"{_container.Name}/{blob.Name}";
    }
}
