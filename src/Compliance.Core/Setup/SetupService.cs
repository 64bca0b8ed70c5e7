using Compliance.Core.Policy;

namespace Compliance.Core.Setup;

/// <summary>The result of <see cref="SetupService.InitializeAsync"/>: the policy in force and every resource checked.</summary>
public sealed record SetupResult(ActivePolicy Policy, IReadOnlyList<ProvisionedResource> Resources)
{
    public int CreatedCount => Resources.Count(r => r.Created);
}

/// <summary>Brings an environment to the state every job expects: a valid policy and all storage in place.</summary>
public sealed class SetupService(ActivePolicy policy, IStorageProvisioner provisioner)
{
    public async Task<SetupResult> InitializeAsync(CancellationToken cancellationToken = default)
    {
        var resources = await provisioner.ProvisionAsync(cancellationToken).ConfigureAwait(false);
        return new SetupResult(policy, resources);
    }
}
