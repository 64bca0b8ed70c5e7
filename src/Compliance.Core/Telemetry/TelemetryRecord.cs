using Compliance.Core.Crypto;

namespace Compliance.Core.Telemetry;

/// <summary>
/// One stored telemetry event: where it lives (<see cref="Identity"/>: base table name, partition = subject
/// surrogate, row = keyed digest of the event id), when it was captured and ingested, the key scope it is
/// encrypted under, and the AES-256-GCM envelope. Nothing else about the event is stored in the clear.
/// </summary>
public sealed record TelemetryRecord(RecordIdentity Identity, string Scope, DateTimeOffset CapturedAt, DateTimeOffset IngestedAt, byte[] Envelope)
{
    /// <summary>The largest envelope a row can hold: Table Storage's limit on one binary property.</summary>
    public const int MaxEnvelopeBytes = 64 * 1024;

    /// <summary>The subject-key version the envelope was sealed with (from its header).</summary>
    public int KeyVersion => checked((int)EnvelopeCipher.ReadKeyVersion(Envelope));
}

/// <summary>Where a stored record is, and when it was captured: what the purge lists, without reading envelopes.</summary>
public sealed record RecordLocation(string PartitionKey, string RowKey, DateTimeOffset CapturedAt);

/// <summary>What inserting a record did: stored now, or already there (a redelivery; nothing was written twice).</summary>
public enum InsertOutcome
{
    Stored,
    Duplicate,
}

/// <summary>
/// Telemetry records in the layout of <see cref="TelemetryLayout"/>. Inserts are conditional: a redelivered event
/// lands on the same row and is reported as a duplicate, never stored twice or overwritten.
/// </summary>
public interface ITelemetryStore
{
    /// <summary>
    /// Inserts the records (any tables, any subjects), batching those that share a table and partition; each
    /// record is stored whole or not at all. Outcomes are in the order of <paramref name="records"/>.
    /// </summary>
    Task<IReadOnlyList<InsertOutcome>> InsertAsync(IReadOnlyList<TelemetryRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// The subject's records of <paramref name="category"/> captured on the UTC days <paramref name="firstDay"/> to
    /// <paramref name="lastDay"/>, newest day first, at most <paramref name="max"/> of them.
    /// </summary>
    IAsyncEnumerable<TelemetryRecord> ReadSubjectAsync(string subject, string category, DateOnly firstDay, DateOnly lastDay, int max = int.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>Every record of <paramref name="category"/> captured on the UTC days <paramref name="firstDay"/> to <paramref name="lastDay"/>, oldest day first, streamed.</summary>
    IAsyncEnumerable<TelemetryRecord> ReadRangeAsync(string category, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default);

    /// <summary>
    /// Where the records of <paramref name="category"/> captured on <paramref name="day"/> are (keys and capture time
    /// only): only those captured at or before <paramref name="capturedAtOrBefore"/> when given (a server-side filter),
    /// only the subject's when <paramref name="subject"/> is given (one partition).
    /// </summary>
    IAsyncEnumerable<RecordLocation> ListLocationsAsync(string category, DateOnly day, DateTimeOffset? capturedAtOrBefore = null, string? subject = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes the day's whole table in one operation; false when it was already gone.</summary>
    Task<bool> DropDayAsync(string category, DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the given records of the day, in batches of at most 100 per partition, several at once, retrying on
    /// throttling. Returns how many this call deleted (records already gone are not counted).
    /// </summary>
    Task<int> DeleteAsync(string category, DateOnly day, IReadOnlyList<RecordLocation> records, CancellationToken cancellationToken = default);

    /// <summary>The days (UTC) on which any record of <paramref name="category"/> may exist (its tables), oldest first.</summary>
    IAsyncEnumerable<DateOnly> ListDaysAsync(string category, CancellationToken cancellationToken = default);
}
