using Compliance.Core.Keys;

namespace Compliance.Core.SubjectKeys;

/// <summary>One stored version of a subject key: only ever held wrapped by a root key version.</summary>
public sealed record StoredSubjectKey(string Subject, string Scope, int Version, WrappedKey Wrapped, DateTimeOffset Created, string? ETag = null);

/// <summary>
/// Wrapped subject keys (DESIGN section 4). Creation is a conditional insert: a retry or a racing instance can
/// never overwrite a key, which would silently shred the data under it.
/// </summary>
public interface ISubjectKeyStore
{
    /// <summary>Every version of the subject's key in <paramref name="scope"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredSubjectKey>> GetVersionsAsync(string subject, string scope, CancellationToken cancellationToken = default);

    /// <summary>Inserts the version; false when that version already exists (nothing is overwritten).</summary>
    Task<bool> TryAddAsync(StoredSubjectKey key, CancellationToken cancellationToken = default);

    /// <summary>Replaces the wrapping of a version (root-key rotation) if it is unchanged since read (ETag); false otherwise.</summary>
    Task<bool> TryRewrapAsync(StoredSubjectKey key, WrappedKey rewrapped, CancellationToken cancellationToken = default);

    /// <summary>Every stored version of every subject key, streamed (work grows with subject keys, never with records).</summary>
    IAsyncEnumerable<StoredSubjectKey> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Every stored version wrapped by a root-key version other than <paramref name="rootKeyVersion"/>, streamed.</summary>
    IAsyncEnumerable<StoredSubjectKey> ListWrappedByOtherThanAsync(string rootKeyVersion, CancellationToken cancellationToken = default);
}
