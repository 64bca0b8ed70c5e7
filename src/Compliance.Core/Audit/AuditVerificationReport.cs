namespace Compliance.Core.Audit;

public enum AuditProblemKind
{
    /// <summary>A row's body does not match its stored hash.</summary>
    Modified,

    /// <summary>A row's body is not a canonical event.</summary>
    Unreadable,

    /// <summary>A row's body names another stream or sequence number than its key: rows were moved or swapped.</summary>
    Misplaced,

    /// <summary>A row's query columns disagree with its hashed body.</summary>
    ColumnMismatch,

    /// <summary>Sequence numbers are missing: rows were deleted.</summary>
    Missing,

    /// <summary>Two rows claim the same sequence number.</summary>
    Duplicate,

    /// <summary>An event is not the one its successor chained to: it was altered with a recomputed hash, or replaced.</summary>
    ChainBroken,

    /// <summary>A row whose key is not a sequence key was inserted among the events.</summary>
    ForgedRow,

    /// <summary>A stream ends before the head a seal recorded: its tail was cut.</summary>
    Truncated,

    SealUnreadable,
    SealSignature,
    SealChain,
    SealMerkle,

    /// <summary>A seal names a stream head that is missing or differs.</summary>
    SealHead,
}

/// <summary>One thing verification found wrong, located by stream and sequence number (or seal number).</summary>
public sealed record AuditProblem(AuditProblemKind Kind, string? Stream, long? Sequence, long? Seal, string RowKey, string Message);

/// <summary>What <c>audit verify</c> found. <see cref="Intact"/> is false when any problem was found.</summary>
public sealed record AuditVerificationReport(
    DateTimeOffset? From,
    DateTimeOffset? To,
    long EventsChecked,
    long EventsInPeriod,
    int StreamsChecked,
    long SealsChecked,
    long? LatestSeal,
    long UnsealedEvents,
    long ProblemCount,
    AuditProblem? FirstProblem,
    IReadOnlyList<AuditProblem> Problems)
{
    /// <summary>At most this many problems are listed; <see cref="ProblemCount"/> counts them all.</summary>
    public const int MaxListedProblems = 100;

    public bool Intact => ProblemCount == 0;
}
