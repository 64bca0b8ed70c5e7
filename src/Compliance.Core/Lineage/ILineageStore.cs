namespace Compliance.Core.Lineage;

/// <summary>A training dataset exported through the broker: what it covers, who built it, and digests of its membership and content.</summary>
public sealed record DatasetRecord(
    string Id,
    string Category,
    string Purpose,
    string Principal,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset CreatedAt,
    int Records,
    int Subjects,
    string MembershipHash,
    string ContentHash);

/// <summary>One subject in a dataset, with the subject-key versions (scope and version) its records were sealed under.</summary>
public sealed record DatasetMember(string Subject, string Scope, IReadOnlyList<int> KeyVersions);

/// <summary>
/// Lineage (controls ERA-2): which subjects' data went into which datasets, and which datasets trained which
/// models, indexed both ways so erasure and retention can list what a subject's data reached.
/// </summary>
public interface ILineageStore
{
    /// <summary>Records the dataset and its members; idempotent for the same dataset id.</summary>
    Task SaveDatasetAsync(DatasetRecord dataset, IReadOnlyList<DatasetMember> members, CancellationToken cancellationToken = default);

    Task<DatasetRecord?> GetDatasetAsync(string datasetId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DatasetMember>> GetMembersAsync(string datasetId, CancellationToken cancellationToken = default);

    /// <summary>The datasets holding the subject's data.</summary>
    Task<IReadOnlyList<string>> DatasetsContainingAsync(string subject, CancellationToken cancellationToken = default);

    Task LinkModelAsync(string modelId, string datasetId, DateTimeOffset linkedAt, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<string>> ModelsTrainedOnAsync(string datasetId, CancellationToken cancellationToken = default);

    /// <summary>Every dataset with when it was marked stale (null when it was not).</summary>
    IAsyncEnumerable<(DatasetRecord Dataset, DateTimeOffset? StaleSince)> ListDatasetsAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks the dataset stale: data in it has passed its retention, so it must be rebuilt or disposed of (controls RET-1, ERA-2).</summary>
    Task MarkStaleAsync(string datasetId, DateTimeOffset since, CancellationToken cancellationToken = default);
}
