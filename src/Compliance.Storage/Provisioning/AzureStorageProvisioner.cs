using Compliance.Core.Setup;
using Compliance.Storage.Resilience;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.Provisioning;

/// <summary>Creates every resource in <see cref="StorageLayout"/> that does not exist yet, in parallel, each in its own account.</summary>
internal sealed class AzureStorageProvisioner(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : IStorageProvisioner
{
    private const int AlreadyExists = 409;

    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);

    public async Task<IReadOnlyList<ProvisionedResource>> ProvisionAsync(CancellationToken cancellationToken = default)
    {
        var results = await Task.WhenAll(StorageLayout.All.Select(r => ProvisionAsync(r, cancellationToken))).ConfigureAwait(false);
        return results;
    }

    private async Task<ProvisionedResource> ProvisionAsync(StorageResource resource, CancellationToken cancellationToken)
    {
        var created = await _pipeline.ExecuteAsync(
            async (r, ct) => r.Kind switch
            {
                StorageResourceKind.Table =>
                    (await clients.Table(r).CreateIfNotExistsAsync(ct).ConfigureAwait(false)).GetRawResponse().Status != AlreadyExists,
                StorageResourceKind.Queue =>
                    await clients.Queue(r).CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false) is not null,
                StorageResourceKind.BlobContainer =>
                    await clients.Container(r).CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false) is not null,
                _ => throw new InvalidOperationException($"Unknown storage resource kind {r.Kind}."),
            },
            resource,
            cancellationToken).ConfigureAwait(false);

        return new ProvisionedResource(resource.Kind, resource.Account, StorageLayout.NameOf(resource, clients.NameSuffix), resource.Purpose, created);
    }
}
