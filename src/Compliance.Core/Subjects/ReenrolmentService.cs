using System.Text.RegularExpressions;
using Compliance.Core.Audit;
using Compliance.Core.Erasure;

namespace Compliance.Core.Subjects;

/// <summary>Why an erased employee is enrolled again; recorded as the REENROL event's reason code.</summary>
public enum ReenrolReason
{
    /// <summary>The employee left, was erased, and is hired again.</summary>
    Rehire,

    /// <summary>Any other documented reason (name it in the reference).</summary>
    Other,
}

/// <summary>Why a re-enrolment was refused; <see cref="Code"/> is stable for scripts and the CLI's JSON.</summary>
public sealed class ReenrolmentRefusedException(string code, string message) : Exception(message)
{
    /// <summary>The employee was never enrolled: nothing to enrol again (they are enrolled on first sight).</summary>
    public const string NotEnrolled = "NOT_ENROLLED";

    /// <summary>The employee is not erased: they keep their surrogate.</summary>
    public const string NotErased = "NOT_ERASED";

    /// <summary>An erasure request for the employee is still open (held, or not finished): it must complete first.</summary>
    public const string ErasureOpen = "ERASURE_OPEN";

    /// <summary>The reference is not a short ticket id.</summary>
    public const string InvalidReference = "INVALID_REFERENCE";

    public string Code { get; } = code;
}

/// <summary>
/// Enrols an erased employee again (DESIGN invariant 3): explicitly, under a new random surrogate, with an audited
/// reason. Nothing of the erased subject comes back: their key versions stay destroyed and their key tombstones stay,
/// so records written under the old surrogate stay unreadable, and the new surrogate starts with no notice
/// acknowledgement, so nothing is collected until the employee acknowledges a notice again. The REENROL event names
/// the new surrogate only, never the old one, so the trail does not link the two pseudonyms.
/// </summary>
/// <remarks>
/// Three steps, each safe to repeat: the new surrogate is recorded on the tombstone (which still refuses everything),
/// REENROL is audited (keyed by the new surrogate, so a retry records it once), and the lookup entry switches to the
/// new surrogate. A run killed anywhere is finished by running it again, with the same surrogate. Open erasure
/// requests are checked after the first step and refuse the rest.
/// </remarks>
public sealed partial class ReenrolmentService(SubjectRegistry registry, ISubjectStore store, IErasureStore erasures, IAuditTrail audit, TimeProvider clock)
{
    /// <summary>Enrols the erased employee again and returns their new subject.</summary>
    /// <exception cref="ReenrolmentRefusedException">Never enrolled, not erased, an erasure still open, or a bad reference.</exception>
    /// <exception cref="ArgumentException">The employee id is blank or too long.</exception>
    public async Task<Subject> ReenrolAsync(string employeeId, ReenrolReason reason, string? reference, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (reference is not null && !Reference().IsMatch(reference))
        {
            throw new ReenrolmentRefusedException(
                ReenrolmentRefusedException.InvalidReference,
                "reference: expected a ticket id of 1 to 64 letters, digits and . _ : - (never a name: it is recorded in the audit trail).");
        }

        var lookup = await registry.LookupKeyAsync(employeeId, cancellationToken).ConfigureAwait(false);
        var subject = await store.FindAsync(lookup, cancellationToken).ConfigureAwait(false)
            ?? throw new ReenrolmentRefusedException(ReenrolmentRefusedException.NotEnrolled, "This employee was never enrolled: they are enrolled on first sight, with no re-enrolment.");
        if (subject.Status != SubjectStatus.Erased)
        {
            throw new ReenrolmentRefusedException(ReenrolmentRefusedException.NotErased, $"This employee is not erased (status {subject.Status}): only an erased employee is enrolled again.");
        }

        var surrogate = await store.PrepareReenrolmentAsync(lookup, SubjectSurrogate.New(), cancellationToken).ConfigureAwait(false)
            ?? throw new ReenrolmentRefusedException(ReenrolmentRefusedException.NotErased, "This employee stopped being erased while being enrolled again (another re-enrolment finished first).");

        // Checked after the surrogate is set aside, so an erasure submitted meanwhile is seen (it would shred the old
        // surrogate only); the pending surrogate is harmless and reused by the next attempt.
        await foreach (var open in erasures.ListAsync(lookup, openOnly: true, cancellationToken).ConfigureAwait(false))
        {
            throw new ReenrolmentRefusedException(
                ReenrolmentRefusedException.ErasureOpen,
                $"Erasure request {open.Id} for this employee is still {open.State.ToString().ToLowerInvariant()}: it must complete before the employee is enrolled again.");
        }

        var attributes = new Dictionary<string, string>();
        if (reference is not null)
        {
            attributes["reference"] = reference;
        }

        await audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.Reenrol,
                Actor = actor,
                Subject = surrogate,
                ReasonCode = reason.ToString().ToUpperInvariant(),
                Attributes = attributes,
                IdempotencyKey = "reenrol:" + surrogate,
            },
            cancellationToken).ConfigureAwait(false);

        return await store.CompleteReenrolmentAsync(lookup, surrogate, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            ?? throw new ReenrolmentRefusedException(ReenrolmentRefusedException.NotErased, "Another re-enrolment of this employee finished first; run the command again to see where they stand.");
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Reference();
}
