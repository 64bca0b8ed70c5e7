namespace Compliance.Core.Erasure;

/// <summary>Why an employee's data is erased: the stable codes a request carries.</summary>
public static class ErasureReasons
{
    public const string Offboarding = "OFFBOARDING";
    public const string Objection = "OBJECTION";
    public const string ConsentWithdrawn = "CONSENT_WITHDRAWN";
    public const string EmployeeRequest = "EMPLOYEE_REQUEST";

    public static IReadOnlyList<string> All { get; } = [Offboarding, Objection, ConsentWithdrawn, EmployeeRequest];
}

/// <summary>
/// Where an erasure request is in its life. <c>received</c> → (<c>held</c> while a legal hold covers it) →
/// <c>shredding</c> → (<c>cleaning-up</c> when asked) → <c>certifying</c> → <c>completed</c>. A failure leaves
/// the request in its state with <see cref="ErasureRecord.LastError"/> set, and the next attempt resumes there.
/// </summary>
public enum ErasureState
{
    Received,
    Held,
    Shredding,
    CleaningUp,
    Certifying,
    Completed,
}

public static class ErasureStateNames
{
    public static string ToName(this ErasureState state) => state switch
    {
        ErasureState.CleaningUp => "cleaning-up",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? name, out ErasureState state)
    {
        foreach (var candidate in Enum.GetValues<ErasureState>())
        {
            if (candidate.ToName() == name)
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    public static bool IsOpen(this ErasureState state) => state != ErasureState.Completed;
}

/// <summary>
/// A request to erase an employee's data, as it arrives (queue, HTTP or CLI). <see cref="RequestId"/> is the
/// caller's idempotency key: the same id always means the same request. <see cref="Scope"/> is one key scope, or
/// null for all of the employee's data.
/// </summary>
public sealed record ErasureSubmission(string RequestId, string EmployeeId, string Reason, string? Scope, bool CleanUp, string Source)
{
    /// <summary>When the requester made the request, if earlier than its arrival (a queue message's insertion time).</summary>
    public DateTimeOffset? SubmittedAt { get; init; }
}

/// <summary>
/// An erasure request as stored in table <c>erasures</c>: everything the certificate needs, so a run killed at any
/// point resumes to the same end state and the certificate is the same bytes however often it is rebuilt. Holds
/// the employee's lookup key (the keyed HMAC the subject registry already keys them by), never the employee id.
/// </summary>
public sealed record ErasureRecord
{
    public required string Id { get; init; }

    public required string Subject { get; init; }

    public required string LookupKey { get; init; }

    /// <summary>One key scope, or null for all of the employee's data.</summary>
    public string? Scope { get; init; }

    public required string Reason { get; init; }

    public required string Source { get; init; }

    public bool CleanUp { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }

    public required ErasureState State { get; init; }

    /// <summary>The policy hash the request was processed under.</summary>
    public required string PolicyVersion { get; init; }

    /// <summary>When a legal hold first deferred the request.</summary>
    public DateTimeOffset? HeldSince { get; init; }

    /// <summary>When the last hold deferring the request was released.</summary>
    public DateTimeOffset? HeldUntil { get; init; }

    /// <summary>The start of the deferral in progress; null unless the request is held now.</summary>
    public DateTimeOffset? HoldStartedAt { get; init; }

    /// <summary>The time spent in finished deferrals.</summary>
    public TimeSpan HeldBefore { get; init; }

    /// <summary>How many times a legal hold deferred the request.</summary>
    public int Deferrals { get; init; }

    /// <summary>The cases of every hold that deferred the request, in name order.</summary>
    public IReadOnlyList<string> HoldCases { get; init; } = [];

    /// <summary>The key versions destroyed, as <c>scope/version</c>: recorded before the shred, completed with what it destroyed.</summary>
    public IReadOnlyList<string> KeyIds { get; init; } = [];

    /// <summary>The key scopes shredded (each now carries a tombstone).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    public DateTimeOffset? KeysDestroyedAt { get; init; }

    public DateTimeOffset? ShredHorizon { get; init; }

    public bool RootRotationOverdue { get; init; }

    public int ProbeSampled { get; init; }

    public int ProbeDecrypted { get; init; }

    /// <summary>The rows the clean-up found to delete (set once, before deleting).</summary>
    public int? CleanUpRows { get; init; }

    /// <summary>Of those, the rows a legal hold placed since kept (holds win; the purge deletes them after the release).</summary>
    public int CleanUpHeldRows { get; init; }

    public DateTimeOffset? CleanedUpAt { get; init; }

    public IReadOnlyList<string> Datasets { get; init; } = [];

    public IReadOnlyList<string> Models { get; init; } = [];

    public DateTimeOffset? CertifiedAt { get; init; }

    /// <summary>Who held the keys (<c>Azure Key Vault</c> or <c>development key custody</c>), fixed when certifying.</summary>
    public string? KeyCustody { get; init; }

    /// <summary>The policy's p95 target in hours, fixed when certifying, so the certificate never changes afterwards.</summary>
    public int SlaTargetHours { get; init; }

    /// <summary>The policy's maximum in days, fixed when certifying.</summary>
    public int SlaMaximumDays { get; init; }

    public string? CertificateName { get; init; }

    public string? CertificateSha256 { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public int Attempts { get; init; }

    /// <summary>What stopped the last attempt, as a stable code (for example <c>POISON_MESSAGE</c>); null when nothing did.</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? FailedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The store's concurrency token; updates succeed only against the version read.</summary>
    public string? ETag { get; init; }

    /// <summary>The scope as reported: a key scope, or <c>all</c>.</summary>
    public string ScopeLabel => Scope ?? "all";

    /// <summary>How long legal holds deferred the request, up to <paramref name="now"/> while one still does.</summary>
    public TimeSpan TimeHeld(DateTimeOffset now) => HeldBefore + (HoldStartedAt is { } start && now > start ? now - start : TimeSpan.Zero);

    /// <summary>
    /// Time from the request to the destruction of the keys, once they are destroyed, not counting the time a legal
    /// hold deferred it: what the service is answerable for (controls ERA-1; GDPR Art. 17(3)(e) lets a hold defer it).
    /// </summary>
    public TimeSpan? TimeToKeysDestroyed => KeysDestroyedAt is { } destroyed ? destroyed - RequestedAt - TimeHeld(destroyed) : null;
}

/// <summary>Erasure requests in table <c>erasures</c>: one row per request, few enough to filter whole.</summary>
public interface IErasureStore
{
    Task<ErasureRecord?> GetAsync(string erasureId, CancellationToken cancellationToken = default);

    /// <summary>Inserts the request unless one with its id exists (conditional insert); returns what is stored now.</summary>
    Task<ErasureRecord> AddOrGetAsync(ErasureRecord record, CancellationToken cancellationToken = default);

    /// <summary>Replaces the request if it is unchanged since read (<see cref="ErasureRecord.ETag"/>); null when someone else changed it.</summary>
    Task<ErasureRecord?> TryUpdateAsync(ErasureRecord record, CancellationToken cancellationToken = default);

    /// <summary>Every request (only the open ones with <paramref name="openOnly"/>), optionally only those for the employee behind <paramref name="lookupKey"/>, streamed.</summary>
    IAsyncEnumerable<ErasureRecord> ListAsync(string? lookupKey = null, bool openOnly = false, CancellationToken cancellationToken = default);
}

/// <summary>Destruction certificates as write-once blobs in <c>erasure-certificates</c>.</summary>
public interface IErasureCertificateStore
{
    /// <summary>Stores the certificate; storing the same bytes again is a no-op, different bytes under the same name an error.</summary>
    Task SaveAsync(string name, ReadOnlyMemory<byte> certificate, CancellationToken cancellationToken = default);

    Task<byte[]?> GetAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>
/// How erasure keeps its promise (controls ERA-1): over requests whose keys are destroyed, the 95th percentile and
/// maximum time from request to keys destroyed; over open ones, those past the policy's p95 target and past its
/// maximum. Time under a legal hold is not counted, and held requests are counted apart: the hold, not the service,
/// keeps them open.
/// </summary>
public sealed record ErasureSla(
    int Completed,
    TimeSpan? P95,
    TimeSpan? Max,
    int Open,
    int Held,
    int Failed,
    IReadOnlyList<ErasureRecord> OpenPastTarget,
    IReadOnlyList<ErasureRecord> OpenPastMaximum,
    TimeSpan Target,
    TimeSpan Maximum)
{
    /// <summary>True when the completed requests meet the targets and no request is open past the maximum.</summary>
    public bool Met => (P95 is null || P95 <= Target) && (Max is null || Max <= Maximum) && OpenPastMaximum.Count == 0;
}

/// <summary>
/// An erasure request that can never succeed as given. <see cref="Field"/> names the field (a JSON path such as
/// <c>$.reason</c>), never its value: it is what logs may show, since a producer that mixes up fields could put an
/// employee id anywhere. The message, for the caller, may quote the value.
/// </summary>
public sealed class InvalidErasureRequestException : Exception
{
    public const string Code = "INVALID_ERASURE_REQUEST";

    public InvalidErasureRequestException()
    {
    }

    public InvalidErasureRequestException(string message)
        : base(message)
    {
    }

    public InvalidErasureRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InvalidErasureRequestException(string field, string message, Exception? innerException = null)
        : base($"{field}: {message}", innerException)
    {
        Field = field;
    }

    public string Field { get; } = "$";
}

/// <summary>The request id was used before for a different request (another employee, scope or reason).</summary>
public sealed class ErasureConflictException : Exception
{
    public const string Code = "IDEMPOTENCY_CONFLICT";

    public ErasureConflictException()
    {
    }

    public ErasureConflictException(string message)
        : base(message)
    {
    }

    public ErasureConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A finished shred still decrypted a record: no certificate is issued and the request stays open.</summary>
public sealed class ErasureVerificationException : Exception
{
    public const string Code = "PROBE_READABLE";

    public ErasureVerificationException()
    {
    }

    public ErasureVerificationException(string message)
        : base(message)
    {
    }

    public ErasureVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
