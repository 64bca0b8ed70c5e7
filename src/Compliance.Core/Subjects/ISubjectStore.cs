namespace Compliance.Core.Subjects;

/// <summary>
/// The subject registry's storage. The lookup entry is keyed by the HMAC of the employee id (never the id), so
/// the store holds no list of employee ids; an erased subject's lookup entry stays as the tombstone.
/// </summary>
public interface ISubjectStore
{
    /// <summary>The subject behind a lookup key, or null when none was enrolled.</summary>
    Task<Subject?> FindAsync(string lookupKey, CancellationToken cancellationToken = default);

    /// <summary>Enrols under the lookup key unless someone already did (conditional insert); returns whoever holds it now.</summary>
    Task<Subject> AddOrGetAsync(string lookupKey, Subject candidate, CancellationToken cancellationToken = default);

    /// <summary>Sets the status on the lookup entry (which must exist) and returns the subject as stored now.</summary>
    Task<Subject> SetStatusAsync(string lookupKey, SubjectStatus status, CancellationToken cancellationToken = default);

    /// <summary>
    /// The first step of enrolling an erased employee again: records <paramref name="candidate"/> as the surrogate
    /// they will get, on their tombstone, which stays a tombstone (status Erased) until
    /// <see cref="CompleteReenrolmentAsync"/>. Returns the surrogate recorded (an earlier, unfinished attempt's wins,
    /// so a retry ends with the same one) and the entry's version now, which the last step must still find. Null when
    /// the lookup entry is missing or not Erased.
    /// </summary>
    Task<PendingReenrolment?> PrepareReenrolmentAsync(string lookupKey, string candidate, CancellationToken cancellationToken = default);

    /// <summary>
    /// The last step: if the lookup entry is still at <paramref name="pending"/>'s version (nothing, such as a new
    /// erasure request, touched it since), it gets the prepared surrogate, status Active, enrolled at
    /// <paramref name="at"/>. Returns the subject as stored now; null when the entry changed meanwhile. An entry
    /// already switched to that surrogate (a retry) is returned as it is.
    /// </summary>
    Task<Subject?> CompleteReenrolmentAsync(string lookupKey, PendingReenrolment pending, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the lookup entry changed, so a re-enrolment prepared before now cannot complete (an erasure request
    /// arrived for an erased employee). Does nothing when there is no entry.
    /// </summary>
    Task TouchAsync(string lookupKey, CancellationToken cancellationToken = default);

    Task SaveAcknowledgementAsync(NoticeAcknowledgement acknowledgement, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<NoticeAcknowledgement>> GetAcknowledgementsAsync(string surrogate, CancellationToken cancellationToken = default);

    Task SavePauseAsync(string surrogate, SubjectPause? pause, CancellationToken cancellationToken = default);

    Task<SubjectPause?> GetPauseAsync(string surrogate, CancellationToken cancellationToken = default);
}

/// <summary>A re-enrolment under way: the surrogate it gives and the version of the lookup entry it was prepared against.</summary>
public sealed record PendingReenrolment(string Surrogate, string Version);
