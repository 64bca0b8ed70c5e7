namespace Compliance.Core.Retention;

public enum PurgeActionKind
{
    /// <summary>Every record of the day has expired and none is held: the day's table is dropped in one operation.</summary>
    DropTable,

    /// <summary>Some records of the day are deleted: the boundary day, or a day that also holds held records.</summary>
    DeleteRecords,
}

/// <summary>
/// What the purge does with one category's day: the action, how many records it deletes, and how many expired
/// records it keeps because a legal hold covers them (with the holds' case ids).
/// </summary>
public sealed record PurgeAction(string Category, DateOnly Day, PurgeActionKind Kind, int Records, int HeldRecords, IReadOnlyList<string> HoldingCases)
{
    /// <summary>The records the action deletes (what a real run acts on; not serialised into plans).</summary>
    internal IReadOnlyList<Telemetry.RecordLocation> Targets { get; init; } = [];
}

/// <summary>The plan at one instant: per category, the cutoff and the actions. A dry run returns it; a real run executes it.</summary>
public sealed record PurgePlan(DateTimeOffset At, string PolicyVersion, IReadOnlyList<PurgeCategoryPlan> Categories)
{
    public int Records => Categories.Sum(c => c.Actions.Sum(a => a.Records));

    public int HeldRecords => Categories.Sum(c => c.Actions.Sum(a => a.HeldRecords));
}

/// <summary>One category's part of a plan: records captured at or before <see cref="Cutoff"/> have expired.</summary>
public sealed record PurgeCategoryPlan(string Category, int RetentionDays, DateTimeOffset Cutoff, bool CategoryHeld, IReadOnlyList<PurgeAction> Actions);

/// <summary>
/// What a real run did (the manifest, stored in the <c>purge-manifests</c> container and chained into the audit trail
/// by its SHA-256): per category and day what was deleted and what was held, a digest of every deleted row key, the
/// holds honoured, derived data retired or marked stale, and when it started and ended.
/// </summary>
public sealed record PurgeManifest(
    string RunId,
    DateTimeOffset Started,
    DateTimeOffset Ended,
    string PolicyVersion,
    IReadOnlyList<PurgeManifestEntry> Entries,
    int RecordsDeleted,
    int RecordsHeld,
    int TablesDropped,
    string DeletedKeysSha256,
    IReadOnlyList<string> HoldsHonoured,
    int KeyVersionsRetired,
    IReadOnlyList<string> DatasetsMarkedStale);

/// <summary>One line of a manifest: a category's day, the action taken, what it deleted and what it kept for holds.</summary>
public sealed record PurgeManifestEntry(string Category, DateOnly Day, PurgeActionKind Action, int RecordsDeleted, int RecordsHeld);

/// <summary>A real run's outcome: the manifest, where it is stored, and its SHA-256 (the PURGE event carries it).</summary>
public sealed record PurgeResult(PurgeManifest Manifest, string ManifestName, string ManifestSha256);

/// <summary>Stores purge manifests (write once).</summary>
public interface IPurgeManifestStore
{
    Task SaveAsync(string name, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default);
}

/// <summary>Makes sure one purge runs at a time across every instance (a blob lease in Azure Storage).</summary>
public interface IPurgeLock
{
    /// <summary>The lock, held until disposed; null when another run holds it.</summary>
    Task<IPurgeLease?> TryAcquireAsync(CancellationToken cancellationToken = default);
}

/// <summary>A held purge lock. Disposing it releases it.</summary>
public interface IPurgeLease : IAsyncDisposable
{
    /// <summary>Cancelled when the lock is lost (it could not be renewed, so another run may take it over).</summary>
    CancellationToken Lost { get; }
}

/// <summary>The purge lost its lease part-way and stopped, so two runs never purge at once; the next run finishes the job.</summary>
public sealed class PurgeLeaseLostException : Exception
{
    private const string Explanation = "The purge lost its lease (it could not be renewed) and stopped, so that it never runs beside another purge. What it deleted is gone; run again to finish.";

    public PurgeLeaseLostException()
        : base(Explanation)
    {
    }

    public PurgeLeaseLostException(Exception innerException)
        : this(Explanation, innerException)
    {
    }

    public PurgeLeaseLostException(string message)
        : base(message)
    {
    }

    public PurgeLeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Another purge holds the lock; nothing was done.</summary>
public sealed class PurgeInProgressException : Exception
{
    public PurgeInProgressException()
        : base("Another purge is running (it holds the purge lease); nothing was done. Run again once it has finished.")
    {
    }

    public PurgeInProgressException(string message)
        : base(message)
    {
    }

    public PurgeInProgressException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
