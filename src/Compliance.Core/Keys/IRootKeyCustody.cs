namespace Compliance.Core.Keys;

/// <summary>One version of a root key: its identity, whether it may be used, and its public part.</summary>
public sealed record RootKeyVersion(string Name, string Version, bool Enabled, DateTimeOffset Created, byte[] Modulus, byte[] Exponent);

/// <summary>Key material wrapped (RSA-OAEP-256) by a root key version; only that version can unwrap it.</summary>
public sealed record WrappedKey(string KeyName, string KeyVersion, byte[] Value);

/// <summary>A deleted root key, recoverable until it is purged (or until <see cref="ScheduledPurge"/>).</summary>
public sealed record DeletedRootKey(string Name, DateTimeOffset DeletedOn, DateTimeOffset? ScheduledPurge);

/// <summary>When a root key rotates by itself and warns before it expires (ISO-8601 durations in Key Vault).</summary>
public sealed record RootKeyRotationPolicy(TimeSpan? RotateAfterCreate, TimeSpan? NotifyBeforeExpiry, TimeSpan? ExpiresAfter);

/// <summary>
/// Custody of root keys (DESIGN section 4): Azure Key Vault in Azure, a local key store in development. Both
/// keep the same semantics: versions, disable, soft delete, recover, purge. Subject keys are wrapped by root
/// keys; seals are signed by them. The official Key Vault client can replace the REST client behind this.
/// </summary>
public interface IRootKeyCustody
{
    /// <summary>True for the local development store, which everything it produces must say.</summary>
    bool IsDevelopmentCustody { get; }

    /// <summary>Creates the key, or a new version of it when it exists.</summary>
    Task<RootKeyVersion> CreateKeyAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>A version of the key, or its latest when <paramref name="version"/> is null.</summary>
    Task<RootKeyVersion> GetKeyAsync(string name, string? version = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a new version now; earlier versions keep working until disabled.</summary>
    Task<RootKeyVersion> RotateKeyAsync(string name, CancellationToken cancellationToken = default);

    Task<RootKeyVersion> DisableVersionAsync(string name, string version, CancellationToken cancellationToken = default);

    /// <summary>Wraps <paramref name="key"/> with the key's latest version.</summary>
    Task<WrappedKey> WrapKeyAsync(string name, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default);

    Task<byte[]> UnwrapKeyAsync(WrappedKey wrapped, CancellationToken cancellationToken = default);

    /// <summary>RS256 signature over a SHA-256 <paramref name="digest"/> with the given version.</summary>
    Task<byte[]> SignAsync(string name, string version, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default);

    Task<bool> VerifyAsync(string name, string version, ReadOnlyMemory<byte> digest, ReadOnlyMemory<byte> signature, CancellationToken cancellationToken = default);

    /// <summary>Deletes every version; the key stays recoverable until purged.</summary>
    Task<DeletedRootKey> DeleteKeyAsync(string name, CancellationToken cancellationToken = default);

    Task<DeletedRootKey> GetDeletedKeyAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Destroys a deleted key for good.</summary>
    Task PurgeDeletedKeyAsync(string name, CancellationToken cancellationToken = default);

    Task<RootKeyVersion> RecoverDeletedKeyAsync(string name, CancellationToken cancellationToken = default);

    Task<RootKeyRotationPolicy> GetRotationPolicyAsync(string name, CancellationToken cancellationToken = default);

    Task<RootKeyRotationPolicy> SetRotationPolicyAsync(string name, RootKeyRotationPolicy policy, CancellationToken cancellationToken = default);
}
