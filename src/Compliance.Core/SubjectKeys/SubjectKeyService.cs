using System.Security.Cryptography;
using Compliance.Core.Audit;
using Compliance.Core.Keys;
using Compliance.Core.Subjects;
using Microsoft.Extensions.Caching.Memory;

namespace Compliance.Core.SubjectKeys;

/// <summary>A subject key ready to use: its version and the unwrapped key bytes.</summary>
public sealed record SubjectKey(string Subject, string Scope, int Version, ReadOnlyMemory<byte> Key);

/// <summary>
/// Per-employee keys (DESIGN section 4): random 256-bit keys per (subject surrogate, key scope), versioned,
/// stored only wrapped by the current root key <see cref="RootKeyName"/>. Unwrapped keys are kept in a
/// bounded in-memory cache with expiry and zeroed when evicted.
/// </summary>
public sealed class SubjectKeyService : IDisposable
{
    /// <summary>The root key that wraps every subject key.</summary>
    public const string RootKeyName = "subject-keys";

    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long this process keeps using the version it found current before looking again. A rotation or a shred
    /// by another instance takes effect here within this time; data written meanwhile under a just-shredded key
    /// is unreadable like the rest of it.
    /// </summary>
    public static readonly TimeSpan CurrentVersionLifetime = TimeSpan.FromSeconds(30);
    /// <summary>Unwrapped keys, current-version and liveness markers: up to three entries per (subject, scope) in use.</summary>
    private const int CacheEntries = 30_000;

    /// <summary>The actor of KEY_CREATE events: key custody creates keys on behalf of whichever job needed one.</summary>
    public const string Actor = "job:key-custody";

    private readonly ISubjectKeyStore _store;
    private readonly IAuditTrail _audit;
    private readonly IRootKeyCustody _custody;
    private readonly TimeProvider _clock;
    private readonly MemoryCache _cache;
    private volatile bool _rootKeyExists;

    public SubjectKeyService(ISubjectKeyStore store, IRootKeyCustody custody, IAuditTrail audit, TimeProvider clock)
    {
        _store = store;
        _audit = audit;
        _custody = custody;
        _clock = clock;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = CacheEntries, Clock = new Time.TimeProviderCacheClock(clock) });
    }

    /// <summary>The newest version of the subject's key in <paramref name="scope"/>, created (version 1) when there is none.</summary>
    /// <exception cref="SubjectKeyShreddedException">The scope was shredded: no key will ever be made for it again.</exception>
    public async Task<SubjectKey> GetCurrentAsync(string subject, string scope, CancellationToken cancellationToken = default)
    {
        Validate(subject, scope);
        if (_cache.TryGetValue(CurrentKey(subject, scope), out int cachedVersion))
        {
            return await GetAsync(subject, scope, cachedVersion, useCache: true, cancellationToken).ConfigureAwait(false);
        }

        var ring = await GetLiveRingAsync(subject, scope, cancellationToken).ConfigureAwait(false);
        var current = ring.Newest ?? (await AddVersionAsync(subject, scope, 1, cancellationToken).ConfigureAwait(false)).Key;
        using (var entry = _cache.CreateEntry(CurrentKey(subject, scope)))
        {
            entry.Value = current.Version;
            entry.Size = 1;
            entry.AbsoluteExpirationRelativeToNow = CurrentVersionLifetime;
        }

        return await UnwrapAsync(current, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A specific version, to decrypt data written under it. With <paramref name="useCache"/> false the key store
    /// is read even if this process holds the key, which is how the shred probe proves destruction.
    /// </summary>
    /// <exception cref="SubjectKeyNotFoundException">That version does not exist (never created, retired or shredded).</exception>
    public async Task<SubjectKey> GetAsync(string subject, string scope, int version, bool useCache = true, CancellationToken cancellationToken = default)
    {
        Validate(subject, scope);
        if (useCache
            && _cache.TryGetValue(CacheKey(subject, scope, version), out CachedKey? cached)
            && cached is not null
            && await IsLiveAsync(subject, scope, cancellationToken).ConfigureAwait(false)
            && cached.CopyOrNull() is { } copy)
        {
            return new SubjectKey(subject, scope, version, copy);
        }

        var ring = await _store.GetRingAsync(subject, scope, cancellationToken).ConfigureAwait(false);
        if (ring.IsShredded)
        {
            throw new SubjectKeyShreddedException(scope);
        }

        var stored = ring.Versions.FirstOrDefault(v => v.Version == version)
            ?? throw new SubjectKeyNotFoundException($"Subject key version {version} of scope {scope} does not exist for this subject (never created, or retired).");
        return await UnwrapAsync(stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the next version: new writes use it, older versions stay readable. Never re-encrypts data.</summary>
    /// <exception cref="SubjectKeyShreddedException">The scope was shredded.</exception>
    public async Task<SubjectKey> RotateAsync(string subject, string scope, CancellationToken cancellationToken = default)
    {
        Validate(subject, scope);
        var ring = await GetLiveRingAsync(subject, scope, cancellationToken).ConfigureAwait(false);
        var (next, _) = await AddVersionAsync(subject, scope, (ring.Newest?.Version ?? 0) + 1, cancellationToken).ConfigureAwait(false);
        _cache.Remove(CurrentKey(subject, scope));
        return await UnwrapAsync(next, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The scheduled rotation's step: adds version <paramref name="expectedCurrent"/> + 1 only if
    /// <paramref name="expectedCurrent"/> is still the newest and the scope was not shredded; null otherwise (another
    /// run rotated it first, or it is gone), so two rotation runs never add two versions.
    /// </summary>
    public async Task<SubjectKey?> RotateIfCurrentAsync(string subject, string scope, int expectedCurrent, CancellationToken cancellationToken = default)
    {
        Validate(subject, scope);
        var ring = await _store.GetRingAsync(subject, scope, cancellationToken).ConfigureAwait(false);
        if (ring.IsShredded || ring.Newest?.Version != expectedCurrent)
        {
            return null;
        }

        var (next, created) = await AddVersionAsync(subject, scope, expectedCurrent + 1, cancellationToken).ConfigureAwait(false);
        _cache.Remove(CurrentKey(subject, scope));
        return created ? await UnwrapAsync(next, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>
    /// Destroys the subject's key in <paramref name="scope"/> for good: writes the scope's tombstone first (so no
    /// instance can create a version from then on), then deletes every stored version and drops any this process
    /// holds in memory. Idempotent: shredding again destroys nothing more. Returns the versions this call destroyed.
    /// </summary>
    public async Task<IReadOnlyList<int>> ShredAsync(string subject, string scope, CancellationToken cancellationToken = default)
    {
        Validate(subject, scope);
        await _store.TryAddTombstoneAsync(subject, scope, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        _cache.Remove(CurrentKey(subject, scope));
        _cache.Remove(LiveKey(subject, scope));
        var ring = await _store.GetRingAsync(subject, scope, cancellationToken).ConfigureAwait(false);
        var destroyed = new List<int>();
        foreach (var version in ring.Versions)
        {
            _cache.Remove(CacheKey(subject, scope, version.Version));
            if (await _store.TryDeleteAsync(version, cancellationToken).ConfigureAwait(false))
            {
                destroyed.Add(version.Version);
            }
        }

        return destroyed;
    }

    /// <summary>Deletes one version that no data needs any more (retirement); it can never be used again.</summary>
    public async Task<bool> RetireAsync(StoredSubjectKey version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        _cache.Remove(CacheKey(version.Subject, version.Scope, version.Version));
        return await _store.TryDeleteAsync(version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Rotates the root key and rewraps every subject key under the new version (work grows with subject keys,
    /// never with records), then disables the old root versions, so a copy of the key table taken before
    /// the rotation can no longer be unwrapped. Returns how many subject keys were rewrapped.
    /// </summary>
    public async Task<RootRotationResult> RotateRootAsync(CancellationToken cancellationToken = default)
    {
        await EnsureRootKeyAsync(cancellationToken).ConfigureAwait(false);
        var previous = await _custody.GetKeyAsync(RootKeyName, null, cancellationToken).ConfigureAwait(false);
        var rotated = await _custody.RotateKeyAsync(RootKeyName, cancellationToken).ConfigureAwait(false);
        var rewrapped = 0;

        // The version that was current is disabled even if no key is wrapped by it any more (every subject it
        // wrapped was shredded): stale copies of the key table still hold keys wrapped by it. Each rotation
        // disables its predecessor, so every older version is disabled too.
        var oldVersions = new HashSet<string>(StringComparer.Ordinal) { previous.Version };
        await foreach (var stored in _store.ListWrappedByOtherThanAsync(rotated.Version, cancellationToken).ConfigureAwait(false))
        {
            oldVersions.Add(stored.Wrapped.KeyVersion);
            var key = await _custody.UnwrapKeyAsync(stored.Wrapped, cancellationToken).ConfigureAwait(false);
            try
            {
                var wrapped = await _custody.WrapKeyAsync(RootKeyName, key, cancellationToken).ConfigureAwait(false);
                if (await _store.TryRewrapAsync(stored, wrapped, cancellationToken).ConfigureAwait(false))
                {
                    rewrapped++;
                }
                else if ((await _store.GetRingAsync(stored.Subject, stored.Scope, cancellationToken).ConfigureAwait(false)).Versions.Any(v => v.Version == stored.Version))
                {
                    // Still there but changed: another rotation rewrapped it. Stopping here keeps the old root versions enabled.
                    throw new InvalidOperationException($"Subject key {stored.Scope} v{stored.Version} changed while it was being rewrapped; run the rotation again.");
                }

                // Otherwise it was shredded or retired meanwhile: nothing left to rewrap.
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }

        // Never the newest version: if another rotation ran meanwhile, the keys it rewrapped depend on it.
        var latest = await _custody.GetKeyAsync(RootKeyName, null, cancellationToken).ConfigureAwait(false);
        oldVersions.Remove(latest.Version);
        oldVersions.Remove(rotated.Version);
        foreach (var version in oldVersions)
        {
            await _custody.DisableVersionAsync(RootKeyName, version, cancellationToken).ConfigureAwait(false);
        }

        return new RootRotationResult(rotated.Version, rewrapped, [.. oldVersions.Order(StringComparer.Ordinal)]);
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>Adds a version by conditional insert; <c>Created</c> is false when another instance added it first (theirs is returned).</summary>
    private async Task<(StoredSubjectKey Key, bool Created)> AddVersionAsync(string subject, string scope, int version, CancellationToken cancellationToken)
    {
        await EnsureRootKeyAsync(cancellationToken).ConfigureAwait(false);
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            var wrapped = await _custody.WrapKeyAsync(RootKeyName, key, cancellationToken).ConfigureAwait(false);
            var candidate = new StoredSubjectKey(subject, scope, version, wrapped, _clock.GetUtcNow());

            // Audited first (fail closed); racing creators share the idempotency key, so one event is recorded.
            await _audit.AppendAsync(
                new AuditEvent
                {
                    Type = AuditEventType.KeyCreate,
                    Actor = Actor,
                    Subject = subject,
                    Attributes = new Dictionary<string, string> { ["scope"] = scope, ["version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    IdempotencyKey = $"key-create:{subject}:{scope}:{version}",
                },
                cancellationToken).ConfigureAwait(false);
            if (await _store.TryAddAsync(candidate, cancellationToken).ConfigureAwait(false))
            {
                // A shred may have written its tombstone after we last looked: it then may not have seen this version,
                // so the creator undoes it. Either the shredder deletes it or we do; it never survives a tombstone.
                var after = await _store.GetRingAsync(subject, scope, cancellationToken).ConfigureAwait(false);
                if (after.IsShredded)
                {
                    if (after.Versions.FirstOrDefault(v => v.Version == version) is { } written)
                    {
                        await _store.TryDeleteAsync(written, cancellationToken).ConfigureAwait(false);
                    }

                    throw new SubjectKeyShreddedException(scope);
                }

                // A root rotation may have listed the keys to rewrap before this insert: rewrap it ourselves (we still
                // hold the key), so the version that wrapped it can be disabled without losing it.
                var root = await _custody.GetKeyAsync(RootKeyName, null, cancellationToken).ConfigureAwait(false);
                if (root.Version != wrapped.KeyVersion
                    && after.Versions.FirstOrDefault(v => v.Version == version) is { } stored)
                {
                    await _store.TryRewrapAsync(stored, await _custody.WrapKeyAsync(RootKeyName, key, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                }

                return (candidate, true);
            }

            // Another instance created this version first: use theirs, never overwrite it.
            var ring = await GetLiveRingAsync(subject, scope, cancellationToken).ConfigureAwait(false);
            return (ring.Versions.First(v => v.Version == version), false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Makes sure the wrapping root key exists; checked once per process, not once per subject key.</summary>
    private async Task EnsureRootKeyAsync(CancellationToken cancellationToken)
    {
        if (_rootKeyExists)
        {
            return;
        }

        try
        {
            await _custody.GetKeyAsync(RootKeyName, null, cancellationToken).ConfigureAwait(false);
        }
        catch (RootKeyNotFoundException)
        {
            await _custody.CreateKeyAsync(RootKeyName, cancellationToken).ConfigureAwait(false);
        }

        _rootKeyExists = true;
    }

    private async Task<SubjectKey> UnwrapAsync(StoredSubjectKey stored, CancellationToken cancellationToken)
    {
        var cacheKey = CacheKey(stored.Subject, stored.Scope, stored.Version);
        if (_cache.TryGetValue(cacheKey, out CachedKey? cached) && cached?.CopyOrNull() is { } copy)
        {
            return new SubjectKey(stored.Subject, stored.Scope, stored.Version, copy);
        }

        var key = await _custody.UnwrapKeyAsync(stored.Wrapped, cancellationToken).ConfigureAwait(false);
        using (var entry = _cache.CreateEntry(cacheKey))
        {
            // The cache holds its own copy, zeroed when evicted (expired, replaced or refused for size); callers
            // always get arrays of their own, so an eviction can never pull a key from under them.
            entry.Value = new CachedKey(key.ToArray());
            entry.Size = 1;
            entry.AbsoluteExpirationRelativeToNow = CacheLifetime;
            entry.RegisterPostEvictionCallback(static (_, value, _, _) => (value as CachedKey)?.Destroy());
        }

        return new SubjectKey(stored.Subject, stored.Scope, stored.Version, key);
    }

    /// <summary>
    /// Whether the scope still has keys: read from the key store at most every <see cref="CurrentVersionLifetime"/>,
    /// so a shred by another instance stops this one's cached keys within that time.
    /// </summary>
    private async Task<bool> IsLiveAsync(string subject, string scope, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(LiveKey(subject, scope), out _))
        {
            return true;
        }

        if ((await _store.GetRingAsync(subject, scope, cancellationToken).ConfigureAwait(false)).IsShredded)
        {
            throw new SubjectKeyShreddedException(scope);
        }

        using var entry = _cache.CreateEntry(LiveKey(subject, scope));
        entry.Value = true;
        entry.Size = 1;
        entry.AbsoluteExpirationRelativeToNow = CurrentVersionLifetime;
        return true;
    }

    private async Task<SubjectKeyRing> GetLiveRingAsync(string subject, string scope, CancellationToken cancellationToken)
    {
        var ring = await _store.GetRingAsync(subject, scope, cancellationToken).ConfigureAwait(false);
        return ring.IsShredded ? throw new SubjectKeyShreddedException(scope) : ring;
    }

    private static string CacheKey(string subject, string scope, int version) => $"{subject}|{scope}|{version}";

    private static string CurrentKey(string subject, string scope) => $"{subject}|{scope}|current";

    private static string LiveKey(string subject, string scope) => $"{subject}|{scope}|live";

    /// <summary>An unwrapped key in the cache: copied out under a lock, zeroed (and then never copied) on eviction.</summary>
    private sealed class CachedKey(byte[] key)
    {
        private readonly Lock _gate = new();
        private byte[]? _key = key;

        public byte[]? CopyOrNull()
        {
            lock (_gate)
            {
                return _key?.ToArray();
            }
        }

        public void Destroy()
        {
            lock (_gate)
            {
                if (_key is not null)
                {
                    CryptographicOperations.ZeroMemory(_key);
                    _key = null;
                }
            }
        }
    }

    private static void Validate(string subject, string scope)
    {
        if (!SubjectSurrogate.IsValid(subject))
        {
            throw new ArgumentException("Subject keys belong to subject surrogates (sub_…), never to employee ids.", nameof(subject));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
    }
}

/// <summary>The outcome of a root-key rotation: the new root version, how many subject keys were rewrapped, the old versions now disabled.</summary>
public sealed record RootRotationResult(string NewRootVersion, int Rewrapped, IReadOnlyList<string> DisabledVersions);

/// <summary>The subject key version asked for does not exist.</summary>
public class SubjectKeyNotFoundException : Exception
{
    public SubjectKeyNotFoundException()
    {
    }

    public SubjectKeyNotFoundException(string message)
        : base(message)
    {
    }

    public SubjectKeyNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The subject's key in this scope was shredded (crypto-shredding): its data can never be decrypted again.</summary>
public sealed class SubjectKeyShreddedException : SubjectKeyNotFoundException
{
    public SubjectKeyShreddedException()
        : base("This subject's key was shredded.")
    {
    }

    public SubjectKeyShreddedException(string scope)
        : base($"This subject's key in scope {scope} was shredded; nothing can be encrypted or decrypted under it again.")
    {
        Scope = scope;
    }

    public SubjectKeyShreddedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string? Scope { get; }
}
