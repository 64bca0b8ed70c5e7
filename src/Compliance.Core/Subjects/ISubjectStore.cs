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

    Task SaveAcknowledgementAsync(NoticeAcknowledgement acknowledgement, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<NoticeAcknowledgement>> GetAcknowledgementsAsync(string surrogate, CancellationToken cancellationToken = default);

    Task SavePauseAsync(string surrogate, SubjectPause? pause, CancellationToken cancellationToken = default);

    Task<SubjectPause?> GetPauseAsync(string surrogate, CancellationToken cancellationToken = default);
}
