namespace Compliance.Core.Audit;

/// <summary>
/// What a job records: who did what, for which purpose, about which pseudonymous subject and category, with
/// counts, field names and hashes. Never telemetry content or direct identifiers: <see cref="AuditEventGuard"/>
/// refuses any value that looks like either. The writer adds the time, the stream position and the chain hashes.
/// </summary>
public sealed record AuditEvent
{
    public required AuditEventType Type { get; init; }

    /// <summary>The principal or job that acted, by registry name (for example <c>ml-platform</c> or <c>job:retention-purge</c>).</summary>
    public required string Actor { get; init; }

    public string? Purpose { get; init; }

    /// <summary>The subject's random surrogate id, never an employee id.</summary>
    public string? Subject { get; init; }

    public string? Category { get; init; }

    /// <summary>A stable reason code in UPPER_SNAKE_CASE (for example <c>FIELD_NOT_ALLOWED</c>).</summary>
    public string? ReasonCode { get; init; }

    public IReadOnlyDictionary<string, long> Counts { get; init; } = EmptyCounts;

    /// <summary>Field names only, never their values.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>Named SHA-256 digests (lowercase hex), for example a manifest or query hash.</summary>
    public IReadOnlyDictionary<string, string> Hashes { get; init; } = EmptyStrings;

    /// <summary>Short identifiers such as a case id, notice version or request id: tokens, never free text.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = EmptyStrings;

    /// <summary>
    /// When set, the event is recorded at most once for this key, however often the job that records it is
    /// retried. Only the key's SHA-256 is stored.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>
    /// Routing for keyed events: events with the same group land in the same stream, so a job's events go in a few
    /// large atomic batches instead of one per stream. A given key must always come with the same group (for
    /// example, the group is a prefix of the key), or a retry could land in another stream and be recorded twice.
    /// Not stored.
    /// </summary>
    public string? IdempotencyGroup { get; init; }

    private static readonly IReadOnlyDictionary<string, long> EmptyCounts = new Dictionary<string, long>();
    private static readonly IReadOnlyDictionary<string, string> EmptyStrings = new Dictionary<string, string>();
}

/// <summary>An event as stored: its place in a stream, its time, and its chain hashes.</summary>
public sealed record AuditRecord(string Stream, long Sequence, DateTimeOffset OccurredAt, string PreviousHash, string? IdempotencyKeyHash, AuditEvent Event);

/// <summary>Where an appended event landed. <see cref="Duplicate"/> is true when an event with the same idempotency key was already recorded.</summary>
public sealed record AuditReceipt(string Stream, long Sequence, string Hash, bool Duplicate);
