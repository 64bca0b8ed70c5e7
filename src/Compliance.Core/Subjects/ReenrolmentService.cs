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
/// new surrogate, only if nothing touched it since the first step. A run killed anywhere is finished by running it
/// again, with the same surrogate. An erasure request that arrives meanwhile wins: it touches the entry, and the
/// switch is refused (the REENROL already written then names a surrogate that never became active).
/// </remarks>
public sealed partial class ReenrolmentService(SubjectRegistry registry, ISubjectStore store, IErasureStore erasures, IAuditTrail audit, AuditEventGuard guard, TimeProvider clock)
{
    /// <summary>Enrols the erased employee again and returns their new subject.</summary>
    /// <exception cref="ReenrolmentRefusedException">Never enrolled, not erased, an erasure still open, or a bad reference.</exception>
    /// <exception cref="ArgumentException">The employee id is blank or too long.</exception>
    public async Task<Subject> ReenrolAsync(string employeeId, ReenrolReason reason, string? reference, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (!Enum.IsDefined(reason))
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "reason: expected rehire or other.");
        }

        if (reference is not null && !Reference().IsMatch(reference))
        {
            throw InvalidReference();
        }

        // The event is checked against the audit trail's minimisation rules before anything is written (with a
        // placeholder surrogate): a reference the trail would refuse, such as one shaped like an employee id, is refused here.
        try
        {
            guard.Check(Event(SubjectSurrogate.New(), reason, reference, actor));
        }
        catch (AuditMinimisationException)
        {
            throw InvalidReference();
        }

        var lookup = await registry.LookupKeyAsync(employeeId, cancellationToken).ConfigureAwait(false);
        var subject = await store.FindAsync(lookup, cancellationToken).ConfigureAwait(false)
            ?? throw new ReenrolmentRefusedException(ReenrolmentRefusedException.NotEnrolled, "This employee was never enrolled: they are enrolled on first sight, with no re-enrolment.");
        if (subject.Status != SubjectStatus.Erased)
        {
            throw new ReenrolmentRefusedException(ReenrolmentRefusedException.NotErased, $"This employee is not erased (status {subject.Status}): only an erased employee is enrolled again.");
        }

        var pending = await store.PrepareReenrolmentAsync(lookup, SubjectSurrogate.New(), cancellationToken).ConfigureAwait(false)
            ?? throw new ReenrolmentRefusedException(ReenrolmentRefusedException.NotErased, "This employee stopped being erased while being enrolled again (another re-enrolment finished first).");

        // Listed after the entry's version was taken: a request stored before this shows up here; one stored after it
        // touches the entry (ErasureService), so the switch below finds a newer version and refuses.
        await foreach (var open in erasures.ListAsync(lookup, openOnly: true, cancellationToken).ConfigureAwait(false))
        {
            throw ErasureOpen($"Erasure request {open.Id} for this employee is still {open.State.ToString().ToLowerInvariant()}: it must complete before the employee is enrolled again.");
        }

        await audit.AppendAsync(Event(pending.Surrogate, reason, reference, actor) with { IdempotencyKey = "reenrol:" + pending.Surrogate }, cancellationToken).ConfigureAwait(false);

        return await store.CompleteReenrolmentAsync(lookup, pending, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            ?? throw ErasureOpen("An erasure request for this employee arrived while they were being enrolled again, so they were not: let it complete, then run the command again.");
    }

    private static AuditEvent Event(string surrogate, ReenrolReason reason, string? reference, string actor) => new()
    {
        Type = AuditEventType.Reenrol,
        Actor = actor,
        Subject = surrogate,
        ReasonCode = reason.ToString().ToUpperInvariant(),
        Attributes = reference is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["reference"] = reference },
    };

    private static ReenrolmentRefusedException InvalidReference() => new(
        ReenrolmentRefusedException.InvalidReference,
        "reference: expected a ticket id of 1 to 64 letters, digits and . _ : -, starting with a letter or digit, and not shaped like an employee id (it is recorded in the audit trail, which is never erased).");

    private static ReenrolmentRefusedException ErasureOpen(string message) => new(ReenrolmentRefusedException.ErasureOpen, message);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Reference();
}
