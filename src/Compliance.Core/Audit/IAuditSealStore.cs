namespace Compliance.Core.Audit;

/// <summary>One stored seal row as read, for verification: the body and signature are not trusted.</summary>
public sealed record StoredAuditSeal(string RowKey, long? Number, string? Body, string? Signature);

/// <summary>Append-only storage of seals: conditional inserts only.</summary>
public interface IAuditSealStore
{
    Task<SignedAuditSeal?> GetLatestAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts the seal under its number; false when a seal with that number exists.</summary>
    Task<bool> TryInsertAsync(SignedAuditSeal seal, CancellationToken cancellationToken = default);

    /// <summary>Every seal row, newest first.</summary>
    IAsyncEnumerable<StoredAuditSeal> ReadNewestFirstAsync(CancellationToken cancellationToken = default);
}

/// <summary>Copies seals somewhere their owner cannot rewrite them (an immutable blob container in Azure).</summary>
public interface IAuditSealExporter
{
    /// <summary>Writes the seal once; returns where it went. Writing the same seal again is a no-op.</summary>
    Task<string> ExportAsync(SignedAuditSeal seal, CancellationToken cancellationToken = default);
}

/// <summary>The algorithm and key (with its version) a signature is made with, as a seal names them.</summary>
public sealed record AuditSigningKey(string Algorithm, string KeyId);

/// <summary>
/// Signs seals with a root key in key custody: Key Vault <c>sign</c> in Azure, the local root-key store in
/// development. Verification checks the key id a seal names, so seals signed before a rotation still verify.
/// </summary>
public interface IAuditSigner
{
    /// <summary>True for development key custody, which every output must say.</summary>
    bool IsDevelopmentCustody { get; }

    /// <summary>The key the next signature will use (created on first use).</summary>
    Task<AuditSigningKey> GetSigningKeyAsync(CancellationToken cancellationToken = default);

    Task<byte[]> SignAsync(AuditSigningKey key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    Task<bool> VerifyAsync(ReadOnlyMemory<byte> data, ReadOnlyMemory<byte> signature, string algorithm, string keyId, CancellationToken cancellationToken = default);
}
