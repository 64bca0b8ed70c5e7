using Compliance.Core.Crypto;

namespace Compliance.Core.Telemetry;

/// <summary>
/// One stored telemetry event: where it lives (<see cref="Identity"/>: base table name, partition = subject
/// surrogate, row = keyed digest of the event id), when it was captured and ingested, the key scope it is
/// encrypted under, and the AES-256-GCM envelope. Nothing else about the event is stored in the clear.
/// </summary>
public sealed record TelemetryRecord(RecordIdentity Identity, string Scope, DateTimeOffset CapturedAt, DateTimeOffset IngestedAt, byte[] Envelope)
{
    /// <summary>The subject-key version the envelope was sealed with (from its header).</summary>
    public int KeyVersion => checked((int)EnvelopeCipher.ReadKeyVersion(Envelope));
}

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

    /// <summary>The days (UTC) on which any record of <paramref name="category"/> may exist (its tables), oldest first.</summary>
    IAsyncEnumerable<DateOnly> ListDaysAsync(string category, CancellationToken cancellationToken = default);
}
