using System.Text.RegularExpressions;
using Compliance.Core.Audit;
using Compliance.Core.Policy;
using Compliance.Core.Subjects;

namespace Compliance.Core.Holds;

/// <summary>
/// Places, releases and lists legal holds by subject or by category, each under a case id, each audited (HOLD,
/// before the change). The audit trail records the case id and what is held, never the free-text reason.
/// </summary>
public sealed partial class HoldService(IHoldStore store, SubjectRegistry subjects, ActivePolicy policy, IAuditTrail audit, TimeProvider clock)
{
    public const int MaxReasonLength = 500;

    public async Task<LegalHold> PlaceAsync(string? employeeId, string? category, string caseId, string? reason, string actor, CancellationToken cancellationToken = default)
    {
        if (reason is { Length: > MaxReasonLength })
        {
            throw new ArgumentException($"A hold reason is at most {MaxReasonLength} characters.", nameof(reason));
        }

        var (subject, heldCategory) = await ResolveScopeAsync(employeeId, category, caseId, cancellationToken).ConfigureAwait(false);
        var hold = new LegalHold(caseId, subject, heldCategory, reason, clock.GetUtcNow(), null);
        await RecordAsync(hold, "placed", actor, cancellationToken).ConfigureAwait(false);
        return await store.PlaceAsync(hold, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the hold; null when no such hold was placed (nothing is audited then).</summary>
    public async Task<LegalHold?> ReleaseAsync(string? employeeId, string? category, string caseId, string actor, CancellationToken cancellationToken = default)
    {
        var (subject, heldCategory) = await ResolveScopeAsync(employeeId, category, caseId, cancellationToken).ConfigureAwait(false);
        var probe = new LegalHold(caseId, subject, heldCategory, null, clock.GetUtcNow(), null);
        var existing = (await store.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(h => h.CaseId == caseId && h.Scope == probe.Scope && h.IsActive);
        if (existing is null)
        {
            return null;
        }

        await RecordAsync(existing, "released", actor, cancellationToken).ConfigureAwait(false);
        return await store.ReleaseAsync(caseId, existing.Scope, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Active holds, optionally only those covering one employee or one category.</summary>
    public async Task<IReadOnlyList<LegalHold>> ListActiveAsync(string? employeeId = null, string? category = null, CancellationToken cancellationToken = default)
    {
        var subject = employeeId is null ? null : (await subjects.FindAsync(employeeId, cancellationToken).ConfigureAwait(false))?.Surrogate;
        if (employeeId is not null && subject is null)
        {
            return [];
        }

        return [.. (await store.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(h => h.IsActive)
            .Where(h => subject is null || h.Subject == subject)
            .Where(h => category is null || h.Category == category)
            .OrderBy(h => h.PlacedAt)];
    }

    /// <summary>True when an active hold covers the subject or the category.</summary>
    public async Task<bool> IsHeldAsync(string surrogate, string category, CancellationToken cancellationToken = default) =>
        (await store.ListAsync(cancellationToken).ConfigureAwait(false)).Any(h => h.Covers(surrogate, category));

    private async Task<(string? Subject, string? Category)> ResolveScopeAsync(string? employeeId, string? category, string caseId, CancellationToken cancellationToken)
    {
        if (!CaseIdPattern().IsMatch(caseId ?? ""))
        {
            throw new ArgumentException("A case id is 1 to 64 letters, digits and . _ : - (for example CASE-2026-0042).", nameof(caseId));
        }

        if ((employeeId is null) == (category is null))
        {
            throw new ArgumentException("A hold covers exactly one employee or one category: give one of them.", nameof(employeeId));
        }

        if (category is not null)
        {
            return policy.Policy.Categories.ContainsKey(category)
                ? (null, category)
                : throw new ArgumentException($"Unknown category '{category}'; defined: {string.Join(", ", policy.Policy.Categories.Keys.Order(StringComparer.Ordinal))}.", nameof(category));
        }

        return ((await subjects.EnrolAsync(employeeId!, cancellationToken).ConfigureAwait(false)).Surrogate, null);
    }

    private Task<AuditReceipt> RecordAsync(LegalHold hold, string action, string actor, CancellationToken cancellationToken) =>
        audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.Hold,
                Actor = actor,
                Subject = hold.Subject,
                Category = hold.Category,
                Attributes = new Dictionary<string, string> { ["caseId"] = hold.CaseId, ["action"] = action },
            },
            cancellationToken);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex CaseIdPattern();
}
