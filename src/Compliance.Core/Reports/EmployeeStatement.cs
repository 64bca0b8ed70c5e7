namespace Compliance.Core.Reports;

/// <summary>
/// An employee's transparency statement (DESIGN section 7): what is held about them, for which purposes, until when,
/// who read it and why, what it reached, and proof of its destruction. It names the employee only by their
/// surrogate: the employee id the statement was asked for is never part of it.
/// </summary>
public sealed record EmployeeStatement(
    StatementBasis Basis,
    string? Subject,
    string Status,
    DateTimeOffset? EnrolledAt,
    IReadOnlyList<StatementNotice> Notices,
    StatementPause? Pause,
    IReadOnlyList<CategoryHolding> Categories,
    IReadOnlyList<string> ShreddedScopes,
    StatementAccess Access,
    IReadOnlyList<StatementDataset> Datasets,
    IReadOnlyList<string> Models,
    IReadOnlyList<StatementErasure> Erasures)
{
    /// <summary>The format name the JSON and HTML carry.</summary>
    public const string Format = "compliance-employee-statement/1";

    /// <summary>The status of an employee the registry has never seen.</summary>
    public const string NotEnrolled = "not-enrolled";

    /// <summary>How the statement says who it is about, without the employee id.</summary>
    public const string IdentifiedBy = "the employee id given to the command (not recorded in this statement)";

    /// <summary>True when the registry knows the employee.</summary>
    public bool Enrolled => Subject is not null;

    /// <summary>True when the employee was erased (their registry entry is a tombstone).</summary>
    public bool Erased => Status == "erased";

    /// <summary>Records held over every category.</summary>
    public long RecordsHeld => Categories.Sum(c => c.Records);
}

/// <summary>What the statement rests on: the audit seal its counts come from, the policy, and whether the sealed trail verified.</summary>
public sealed record StatementBasis(
    long SealNumber,
    string SealHash,
    DateTimeOffset SealedAt,
    string PolicyId,
    string PolicyVersion,
    string KeyCustody,
    long EventsRead,
    bool TrailIntact);

/// <summary>A notice version the employee acknowledged, when, and the categories it covers.</summary>
public sealed record StatementNotice(string Version, DateTimeOffset AcknowledgedAt, IReadOnlyList<string> Categories);

/// <summary>Collection is paused for the employee since <see cref="Since"/>.</summary>
public sealed record StatementPause(string Reason, DateTimeOffset Since);

/// <summary>
/// One category of telemetry held about the employee: how many records, the oldest and newest capture, when the
/// oldest and the newest leave under the category's retention, how many legal-hold cases keep it longer, which
/// purposes may read it, and its key scope. <see cref="Readable"/> is false when that scope was shredded or the
/// employee was erased: the records still stored cannot be decrypted by anyone.
/// </summary>
public sealed record CategoryHolding(
    string Category,
    string Description,
    long Records,
    DateTimeOffset OldestCapture,
    DateTimeOffset NewestCapture,
    int RetentionDays,
    DateTimeOffset HeldUntil,
    DateTimeOffset NewestHeldUntil,
    int LegalHoldCases,
    IReadOnlyList<string> Purposes,
    string KeyScope,
    bool ScopeShredded,
    bool Readable)
{
    /// <summary>True when a legal hold keeps the records past <see cref="HeldUntil"/>.</summary>
    public bool KeptLongerUnderLegalHold => LegalHoldCases > 0;
}

/// <summary>A count per name (a purpose or a principal), in name order.</summary>
public sealed record StatementCount(string Name, long Count);

/// <summary>
/// Who read the employee's data and why: READ events of the sealed trail that name them, by purpose and by principal;
/// training exports that hold their data (from lineage), by purpose and by principal; refused attempts that named them.
/// </summary>
public sealed record StatementAccess(
    long Reads,
    IReadOnlyList<StatementCount> ReadsByPurpose,
    IReadOnlyList<StatementCount> ReadsByPrincipal,
    long Exports,
    IReadOnlyList<StatementCount> ExportsByPurpose,
    IReadOnlyList<StatementCount> ExportsByPrincipal,
    long Denied);

/// <summary>A training dataset holding some of the employee's data.</summary>
public sealed record StatementDataset(string Id, string Category, string Purpose, string Principal, DateTimeOffset CreatedAt);

/// <summary>An erasure request for the employee, and its destruction certificate once completed.</summary>
public sealed record StatementErasure(
    string Id,
    string State,
    string Reason,
    string Scope,
    DateTimeOffset RequestedAt,
    DateTimeOffset? KeysDestroyedAt,
    DateTimeOffset? CompletedAt,
    string? CertificateName,
    string? CertificateSha256);
