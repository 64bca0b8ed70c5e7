using System.Security.Cryptography;
using System.Text;
using Compliance.Core.Audit;
using Compliance.Core.Policy;

namespace Compliance.Core.Subjects;

/// <summary>
/// Pseudonymous subjects (DESIGN invariant 2): each employee gets a random surrogate, found again through the
/// keyed HMAC of their employee id. Employee ids are arbitrary strings; they are normalised (Unicode NFC) and
/// never stored, logged or audited. Notice acknowledgements and pauses are recorded here and in the audit
/// trail (audited first: if the audit write fails, nothing changes).
/// </summary>
public sealed class SubjectRegistry(ISubjectStore store, ISubjectLookupSecret secret, ActivePolicy policy, IAuditTrail audit, TimeProvider clock)
{
    public const int MaxEmployeeIdLength = 256;

    /// <summary>The subject for <paramref name="employeeId"/>, enrolled with a new surrogate on first sight.</summary>
    /// <exception cref="SubjectErasedException">The employee was erased (tombstone).</exception>
    public async Task<Subject> EnrolAsync(string employeeId, CancellationToken cancellationToken = default) =>
        await EnrolByLookupKeyAsync(await LookupKeyAsync(employeeId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>The subject for <paramref name="employeeId"/>, or null when never enrolled. Does not enrol.</summary>
    public async Task<Subject?> FindAsync(string employeeId, CancellationToken cancellationToken = default) =>
        await store.FindAsync(await LookupKeyAsync(employeeId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>The subject behind a lookup key (see <see cref="LookupKeyAsync"/>), or null when never enrolled.</summary>
    public Task<Subject?> FindByLookupKeyAsync(string lookupKey, CancellationToken cancellationToken = default) =>
        store.FindAsync(lookupKey, cancellationToken);

    /// <summary>Enrols the employee behind a lookup key (see <see cref="EnrolAsync"/>).</summary>
    /// <exception cref="SubjectErasedException">The employee was erased (tombstone).</exception>
    public async Task<Subject> EnrolByLookupKeyAsync(string lookupKey, CancellationToken cancellationToken = default)
    {
        var subject = await store.AddOrGetAsync(lookupKey, new Subject(SubjectSurrogate.New(), SubjectStatus.Active, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return subject.Status == SubjectStatus.Erased ? throw new SubjectErasedException() : subject;
    }

    /// <summary>
    /// Sets the employee's status (the erasure service moves them through erasure-pending, held and erased). An
    /// employee never seen before gets a lookup entry first, so a tombstone exists even for someone erased before
    /// any data arrived. Erased is final: the lookup entry stays as the tombstone that blocks further ingestion.
    /// </summary>
    /// <exception cref="SubjectErasedException">The employee is already erased and <paramref name="status"/> is not <see cref="SubjectStatus.Erased"/>.</exception>
    public async Task<Subject> SetStatusAsync(string employeeId, SubjectStatus status, CancellationToken cancellationToken = default) =>
        await SetStatusByLookupKeyAsync(await LookupKeyAsync(employeeId, cancellationToken).ConfigureAwait(false), status, cancellationToken).ConfigureAwait(false);

    /// <summary>Sets the status of the employee behind a lookup key (see <see cref="SetStatusAsync"/>).</summary>
    /// <exception cref="SubjectErasedException">The employee is already erased and <paramref name="status"/> is not <see cref="SubjectStatus.Erased"/>.</exception>
    public async Task<Subject> SetStatusByLookupKeyAsync(string lookup, SubjectStatus status, CancellationToken cancellationToken = default)
    {
        var subject = await store.AddOrGetAsync(lookup, new Subject(SubjectSurrogate.New(), status, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        if (subject.Status == status)
        {
            return subject;
        }

        return subject.Status == SubjectStatus.Erased
            ? throw new SubjectErasedException()
            : await store.SetStatusAsync(lookup, status, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the employee's lookup entry changed, so a re-enrolment under way cannot complete (see <see cref="ReenrolmentService"/>).</summary>
    public Task TouchByLookupKeyAsync(string lookupKey, CancellationToken cancellationToken = default) =>
        store.TouchAsync(lookupKey, cancellationToken);

    /// <summary>Records that the employee acknowledged <paramref name="noticeVersion"/> (a NOTICE_ACK event, then the registry).</summary>
    /// <exception cref="ArgumentException">The policy has no such notice version.</exception>
    public async Task<NoticeAcknowledgement> AcknowledgeNoticeAsync(string employeeId, string noticeVersion, string actor, CancellationToken cancellationToken = default)
    {
        var notice = policy.Policy.Notices.FirstOrDefault(n => n.Version == noticeVersion)
            ?? throw new ArgumentException(
                $"Notice version '{noticeVersion}' is not in the policy; known versions: {string.Join(", ", policy.Policy.Notices.Select(n => n.Version))}.",
                nameof(noticeVersion));
        var subject = await EnrolAsync(employeeId, cancellationToken).ConfigureAwait(false);
        var acknowledgement = new NoticeAcknowledgement(subject.Surrogate, notice.Version, notice.Categories, clock.GetUtcNow());
        await audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.NoticeAck,
                Actor = actor,
                Subject = subject.Surrogate,
                Counts = new Dictionary<string, long> { ["categories"] = notice.Categories.Count },
                Attributes = new Dictionary<string, string> { ["noticeVersion"] = notice.Version },
                IdempotencyKey = $"notice-ack:{subject.Surrogate}:{notice.Version}",
            },
            cancellationToken).ConfigureAwait(false);
        await store.SaveAcknowledgementAsync(acknowledgement, cancellationToken).ConfigureAwait(false);
        return acknowledgement;
    }

    /// <summary>Every notice version the subject acknowledged, with when.</summary>
    public Task<IReadOnlyList<NoticeAcknowledgement>> GetAcknowledgementsAsync(string surrogate, CancellationToken cancellationToken = default) =>
        store.GetAcknowledgementsAsync(surrogate, cancellationToken);

    /// <summary>The categories the subject may have collected: those covered by a notice version they acknowledged.</summary>
    public async Task<IReadOnlySet<string>> AcknowledgedCategoriesAsync(string surrogate, CancellationToken cancellationToken = default)
    {
        var acknowledgements = await store.GetAcknowledgementsAsync(surrogate, cancellationToken).ConfigureAwait(false);
        return acknowledgements.SelectMany(a => a.Categories).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Pauses collection for the employee (objection, leave, other); audited as PAUSE.</summary>
    public async Task<SubjectPause> PauseAsync(string employeeId, PauseReason reason, string actor, CancellationToken cancellationToken = default)
    {
        var subject = await EnrolAsync(employeeId, cancellationToken).ConfigureAwait(false);
        var pause = new SubjectPause(subject.Surrogate, reason, clock.GetUtcNow());
        await RecordPauseAsync(subject.Surrogate, "paused", reason, actor, cancellationToken).ConfigureAwait(false);
        await store.SavePauseAsync(subject.Surrogate, pause, cancellationToken).ConfigureAwait(false);
        return pause;
    }

    /// <summary>Resumes collection; audited as PAUSE with state <c>resumed</c>. Resuming an employee who is not paused changes nothing.</summary>
    public async Task<bool> ResumeAsync(string employeeId, string actor, CancellationToken cancellationToken = default)
    {
        var subject = await EnrolAsync(employeeId, cancellationToken).ConfigureAwait(false);
        if (await store.GetPauseAsync(subject.Surrogate, cancellationToken).ConfigureAwait(false) is not { } pause)
        {
            return false;
        }

        await RecordPauseAsync(subject.Surrogate, "resumed", pause.Reason, actor, cancellationToken).ConfigureAwait(false);
        await store.SavePauseAsync(subject.Surrogate, null, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public Task<SubjectPause?> GetPauseAsync(string surrogate, CancellationToken cancellationToken = default) =>
        store.GetPauseAsync(surrogate, cancellationToken);

    private Task<AuditReceipt> RecordPauseAsync(string surrogate, string state, PauseReason reason, string actor, CancellationToken cancellationToken) =>
        audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.Pause,
                Actor = actor,
                Subject = surrogate,
                ReasonCode = reason.ToString().ToUpperInvariant(),
                Attributes = new Dictionary<string, string> { ["state"] = state },
            },
            cancellationToken);

    /// <summary>
    /// The lookup key: HMAC-SHA256 of the NFC-normalised employee id under the lookup secret, as lowercase hex. It is
    /// the only handle on an employee the system keeps; the erasure service stores it so that an erasure deferred by
    /// a legal hold can finish without the employee id.
    /// </summary>
    /// <exception cref="ArgumentException">The employee id is blank or longer than <see cref="MaxEmployeeIdLength"/>.</exception>
    public async Task<string> LookupKeyAsync(string employeeId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(employeeId) || employeeId.Length > MaxEmployeeIdLength)
        {
            throw new ArgumentException($"An employee id is 1 to {MaxEmployeeIdLength} characters and not blank.", nameof(employeeId));
        }

        var key = await secret.GetAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(employeeId.Normalize(NormalizationForm.FormC))));
    }
}
