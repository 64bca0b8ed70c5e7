using Compliance.Core.Keys;

namespace Compliance.Core.SubjectKeys;

/// <summary>One stored version of a subject key: only ever held wrapped by a root key version.</summary>
public sealed record StoredSubjectKey(string Subject, string Scope, int Version, WrappedKey Wrapped, DateTimeOffset Created, string? ETag = null);

/// <summary>
/// Every stored version of one (subject, scope) key, oldest first, and the scope's tombstone if it was shredded:
/// a shredded scope has no versions and can never get one again.
/// </summary>
public sealed record SubjectKeyRing(string Subject, string Scope, IReadOnlyList<StoredSubjectKey> Versions, DateTimeOffset? ShreddedAt)
{
    public bool IsShredded => ShreddedAt is not null;

    public StoredSubjectKey? Newest => Versions.Count > 0 ? Versions[^1] : null;
}

/// <summary>
/// Wrapped subject keys (DESIGN section 4). Creation is a conditional insert: a retry or a racing instance can
/// never overwrite a key, which would silently shred the data under it. Shredding writes a tombstone for the
/// scope and then deletes its versions; creators check the tombstone after inserting, so a creation racing a
/// shred is undone rather than left behind.
/// </summary>
public interface ISubjectKeyStore
{
    /// <summary>The versions and tombstone of the subject's key in <paramref name="scope"/>.</summary>
    Task<SubjectKeyRing> GetRingAsync(string subject, string scope, CancellationToken cancellationToken = default);

    /// <summary>Every scope the subject has versions or a tombstone in.</summary>
    Task<IReadOnlyList<SubjectKeyRing>> GetRingsAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>Inserts the version; false when that version already exists (nothing is overwritten).</summary>
    Task<bool> TryAddAsync(StoredSubjectKey key, CancellationToken cancellationToken = default);

    /// <summary>Replaces the wrapping of a version (root-key rotation) if it is unchanged since read (ETag); false otherwise.</summary>
    Task<bool> TryRewrapAsync(StoredSubjectKey key, WrappedKey rewrapped, CancellationToken cancellationToken = default);

    /// <summary>Deletes a version (shred, retirement, or undoing a creation that raced a shred); false when it was already gone.</summary>
    Task<bool> TryDeleteAsync(StoredSubjectKey key, CancellationToken cancellationToken = default);

    /// <summary>Writes the scope's tombstone; false when it was already there (its first time stands).</summary>
    Task<bool> TryAddTombstoneAsync(string subject, string scope, DateTimeOffset shreddedAt, CancellationToken cancellationToken = default);

    /// <summary>Every stored version of every subject key, streamed (work grows with subject keys, never with records).</summary>
    IAsyncEnumerable<StoredSubjectKey> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Every stored version wrapped by a root-key version other than <paramref name="rootKeyVersion"/>, streamed.</summary>
    IAsyncEnumerable<StoredSubjectKey> ListWrappedByOtherThanAsync(string rootKeyVersion, CancellationToken cancellationToken = default);
}
