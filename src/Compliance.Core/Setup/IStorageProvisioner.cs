namespace Compliance.Core.Setup;

/// <summary>Creates the tables, queues and blob containers the product uses. Safe to call any number of times.</summary>
public interface IStorageProvisioner
{
    Task<IReadOnlyList<ProvisionedResource>> ProvisionAsync(CancellationToken cancellationToken = default);
}

public enum StorageResourceKind
{
    Table,
    Queue,
    BlobContainer,
}

/// <summary>One storage resource and whether this call created it (false: it already existed).</summary>
public sealed record ProvisionedResource(StorageResourceKind Kind, string Name, string Purpose, bool Created);
