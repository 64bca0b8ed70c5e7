namespace Compliance.Core.Holds;

/// <summary>
/// A legal hold under a case: it covers one subject (by surrogate) or one whole category. Held data is never
/// purged and held subjects are not erased until the hold is released (DESIGN invariant 6).
/// </summary>
public sealed record LegalHold(string CaseId, string? Subject, string? Category, string? Reason, DateTimeOffset PlacedAt, DateTimeOffset? ReleasedAt)
{
    public bool IsActive => ReleasedAt is null;

    /// <summary>What the hold covers, as stored and audited: <c>subject:sub_…</c> or <c>category:NAME</c>.</summary>
    public string Scope => Subject is not null ? "subject:" + Subject : "category:" + Category;

    public bool Covers(string subject, string category) =>
        IsActive && (Subject == subject || Category == category);
}

/// <summary>Storage of legal holds: few rows, read whole.</summary>
public interface IHoldStore
{
    /// <summary>Stores the hold, or re-activates a released one for the same case and scope; returns what is stored.</summary>
    Task<LegalHold> PlaceAsync(LegalHold hold, CancellationToken cancellationToken = default);

    /// <summary>Marks the hold released; null when there is no such hold.</summary>
    Task<LegalHold?> ReleaseAsync(string caseId, string scope, DateTimeOffset releasedAt, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<LegalHold>> ListAsync(CancellationToken cancellationToken = default);
}
