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
    /// <see cref="CompleteReenrolmentAsync"/>. Returns the surrogate recorded: an earlier, unfinished attempt's wins,
    /// so a retry ends with the same one. Null when the lookup entry is missing or not Erased.
    /// </summary>
    Task<string?> PrepareReenrolmentAsync(string lookupKey, string candidate, CancellationToken cancellationToken = default);

    /// <summary>
    /// The last step: the lookup entry gets the prepared surrogate, status Active, enrolled at <paramref name="at"/>.
    /// Returns the subject as stored now (also when an earlier attempt completed it); null when nothing was prepared.
    /// </summary>
    Task<Subject?> CompleteReenrolmentAsync(string lookupKey, string surrogate, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task SaveAcknowledgementAsync(NoticeAcknowledgement acknowledgement, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<NoticeAcknowledgement>> GetAcknowledgementsAsync(string surrogate, CancellationToken cancellationToken = default);

    Task SavePauseAsync(string surrogate, SubjectPause? pause, CancellationToken cancellationToken = default);

    Task<SubjectPause?> GetPauseAsync(string surrogate, CancellationToken cancellationToken = default);
}
