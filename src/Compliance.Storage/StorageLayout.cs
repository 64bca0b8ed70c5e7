using Compliance.Core.Setup;

namespace Compliance.Storage;

/// <summary>One storage resource the product owns, by its base name, before the environment's suffix, and the account it lives in.</summary>
public sealed record StorageResource(StorageResourceKind Kind, StorageAccountRole Account, string BaseName, string Purpose);

/// <summary>
/// Every table, queue and blob container the product uses (DESIGN section 5), in one place, so provisioning,
/// the infrastructure templates and the role assignments cannot drift apart. The audit trail and the
/// write-once evidence live in the audit account, where the app can be granted append-only rights (Azure RBAC
/// has no deny, and role conditions do not cover tables, so a separate account is the only way to keep the
/// app's table rights on telemetry from reaching the trail). Audit tables also start with <c>audit</c>.
/// Everything else, including the per-period telemetry tables, lives in the operational account.
/// </summary>
public static class StorageLayout
{
    public static readonly StorageResource AuditEvents = new(StorageResourceKind.Table, StorageAccountRole.Audit, "auditevents", "hash-chained audit events, append-only");
    public static readonly StorageResource AuditSeals = new(StorageResourceKind.Table, StorageAccountRole.Audit, "auditseals", "signed seals over the audit streams");
    public static readonly StorageResource Subjects = new(StorageResourceKind.Table, StorageAccountRole.Operational, "subjects", "pseudonymous subjects, notices, pauses and tombstones");
    public static readonly StorageResource SubjectKeys = new(StorageResourceKind.Table, StorageAccountRole.Operational, "subjectkeys", "wrapped per-employee keys, versioned");
    public static readonly StorageResource Holds = new(StorageResourceKind.Table, StorageAccountRole.Operational, "holds", "legal holds");
    public static readonly StorageResource Erasures = new(StorageResourceKind.Table, StorageAccountRole.Operational, "erasures", "erasure requests and their state");
    public static readonly StorageResource Lineage = new(StorageResourceKind.Table, StorageAccountRole.Operational, "lineage", "training datasets, their members and the models trained on them");

    public static readonly StorageResource IngestQueue = new(StorageResourceKind.Queue, StorageAccountRole.Operational, "telemetry-ingest", "telemetry events to ingest");
    public static readonly StorageResource ErasureQueue = new(StorageResourceKind.Queue, StorageAccountRole.Operational, "erasure-requests", "erasure requests from HR and employees");
    public static readonly StorageResource KeyVaultEventsQueue = new(StorageResourceKind.Queue, StorageAccountRole.Operational, "keyvault-events", "Key Vault key events delivered by Event Grid");

    public static readonly StorageResource SealExports = new(StorageResourceKind.BlobContainer, StorageAccountRole.Audit, "audit-seals", "exported audit seals (immutable in Azure)");
    public static readonly StorageResource Reports = new(StorageResourceKind.BlobContainer, StorageAccountRole.Audit, "reports", "generated compliance reports");

    // Operational: this container also holds the purge lease blob, which needs lease rights no append-only role grants.
    public static readonly StorageResource PurgeManifests = new(StorageResourceKind.BlobContainer, StorageAccountRole.Operational, "purge-manifests", "manifests of purge runs");
    public static readonly StorageResource Certificates = new(StorageResourceKind.BlobContainer, StorageAccountRole.Audit, "erasure-certificates", "destruction certificates");

    public static IReadOnlyList<StorageResource> All { get; } =
    [
        AuditEvents, AuditSeals, Subjects, SubjectKeys, Holds, Erasures, Lineage,
        IngestQueue, ErasureQueue, KeyVaultEventsQueue,
        SealExports, Reports, PurgeManifests, Certificates,
    ];

    /// <summary>The name of <paramref name="resource"/> in an environment whose resource names end in <paramref name="suffix"/>.</summary>
    public static string NameOf(StorageResource resource, string suffix)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.BaseName + suffix;
    }
}
