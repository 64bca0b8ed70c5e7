namespace Compliance.Core.Audit;

/// <summary>The newest event of a stream: the link the next append chains to.</summary>
public sealed record AuditChainHead(long Sequence, string Hash);

/// <summary>One event as the writer hands it to the store.</summary>
public sealed record AuditAppendRow(long Sequence, string Body, string Hash, AuditEventType Type, DateTimeOffset OccurredAt, string? IdempotencyKeyHash);

/// <summary>
/// One stored row exactly as read, for verification: nothing is trusted, so every column may be missing or
/// wrong. <see cref="Sequence"/> is decoded from the row key and is null when the key is not a sequence key.
/// </summary>
public sealed record StoredAuditRow(
    string Stream,
    string RowKey,
    long? Sequence,
    string? Body,
    string? Hash,
    string? Type,
    DateTimeOffset? OccurredAt,
    long? SequenceColumn);

/// <summary>
/// Append-only storage of chained event streams. Implementations only insert, conditionally, and never
/// update or delete; a conflicting insert (another writer took the sequence number, or the idempotency key
/// is already recorded) inserts nothing and returns false.
/// </summary>
public interface IAuditEventStore
{
    Task<AuditChainHead?> GetHeadAsync(string stream, CancellationToken cancellationToken = default);

    /// <summary>Inserts all rows atomically (at most 100 rows, counting idempotency markers), or none.</summary>
    Task<bool> TryAppendAsync(string stream, IReadOnlyList<AuditAppendRow> rows, CancellationToken cancellationToken = default);

    /// <summary>The event recorded under an idempotency key, or null when none was.</summary>
    Task<AuditChainHead?> FindByIdempotencyKeyAsync(string stream, string idempotencyKeyHash, CancellationToken cancellationToken = default);

    Task<StoredAuditRow?> GetAsync(string stream, long sequence, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every row of the stream whose key sorts within the sequence range, newest first, including rows whose
    /// key is not a valid sequence key (so forged rows are seen). Streams as it goes: memory stays constant.
    /// </summary>
    IAsyncEnumerable<StoredAuditRow> ReadNewestFirstAsync(string stream, long afterSequence, long? upToSequence, CancellationToken cancellationToken = default);
}
