using Compliance.Core.Setup;

namespace Compliance.Storage;

/// <summary>One storage resource the product owns, by its base name, before the environment's suffix.</summary>
public sealed record StorageResource(StorageResourceKind Kind, string BaseName, string Purpose);

/// <summary>
/// Every table, queue and blob container the product uses (DESIGN section 5), in one place, so provisioning,
/// the infrastructure templates and the role assignments cannot drift apart. Audit tables start with
/// <c>audit</c> so operators can grant writers add-only access to exactly those.
/// </summary>
public static class StorageLayout
{
    public static readonly StorageResource AuditEvents = new(StorageResourceKind.Table, "auditevents", "hash-chained audit events, append-only");
    public static readonly StorageResource AuditSeals = new(StorageResourceKind.Table, "auditseals", "signed seals over the audit streams");
    public static readonly StorageResource Subjects = new(StorageResourceKind.Table, "subjects", "pseudonymous subjects, notices, pauses and tombstones");
    public static readonly StorageResource SubjectKeys = new(StorageResourceKind.Table, "subjectkeys", "wrapped per-employee keys, versioned");
    public static readonly StorageResource Holds = new(StorageResourceKind.Table, "holds", "legal holds");
    public static readonly StorageResource Erasures = new(StorageResourceKind.Table, "erasures", "erasure requests and their state");
    public static readonly StorageResource Lineage = new(StorageResourceKind.Table, "lineage", "training datasets, their members and the models trained on them");

    public static readonly StorageResource IngestQueue = new(StorageResourceKind.Queue, "telemetry-ingest", "telemetry events to ingest");
    public static readonly StorageResource ErasureQueue = new(StorageResourceKind.Queue, "erasure-requests", "erasure requests from HR and employees");
    public static readonly StorageResource KeyVaultEventsQueue = new(StorageResourceKind.Queue, "keyvault-events", "Key Vault key events delivered by Event Grid");

    public static readonly StorageResource SealExports = new(StorageResourceKind.BlobContainer, "audit-seals", "exported audit seals (immutable in Azure)");
    public static readonly StorageResource Reports = new(StorageResourceKind.BlobContainer, "reports", "generated compliance reports");
    public static readonly StorageResource PurgeManifests = new(StorageResourceKind.BlobContainer, "purge-manifests", "manifests of purge runs");
    public static readonly StorageResource Certificates = new(StorageResourceKind.BlobContainer, "erasure-certificates", "destruction certificates");

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
