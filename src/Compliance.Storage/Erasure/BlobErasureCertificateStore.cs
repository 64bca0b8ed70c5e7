using Azure.Storage.Blobs;
using Compliance.Core.Erasure;
using Compliance.Storage.Blobs;
using Compliance.Storage.Resilience;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.Erasure;

/// <summary>
/// Destruction certificates as blobs in <c>erasure-certificates</c>, written once (<see cref="WriteOnceBlob"/>): a
/// rerun that rebuilds the same certificate finds it stored and leaves it; different bytes are refused.
/// </summary>
internal sealed class BlobErasureCertificateStore(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : IErasureCertificateStore
{
    private readonly BlobContainerClient _container = clients.Container(StorageLayout.Certificates);
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);

    public Task SaveAsync(string name, ReadOnlyMemory<byte> certificate, CancellationToken cancellationToken = default) =>
        WriteOnceBlob.SaveAsync(_container, _pipeline, name, certificate, "application/json", cancellationToken);

    public Task<byte[]?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        WriteOnceBlob.TryReadAsync(_container, _pipeline, name, cancellationToken);
}
