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

/// <summary>
/// Which of the two storage accounts a resource lives in. The audit account holds the audit trail and the
/// write-once evidence, so the app's identity can be given append-only rights there while it keeps full
/// rights on the operational account; both may be the same account (the local default).
/// </summary>
public enum StorageAccountRole
{
    Operational,
    Audit,
}

/// <summary>One storage resource, the account it lives in, and whether this call created it (false: it already existed).</summary>
public sealed record ProvisionedResource(StorageResourceKind Kind, StorageAccountRole Account, string Name, string Purpose, bool Created);
