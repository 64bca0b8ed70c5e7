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

/// <summary>
/// Signs seals with a root key. Development: HMAC-SHA256 with a local key file; Azure: Key Vault <c>sign</c>
/// (the key-custody work). Verification checks the key id a seal names.
/// </summary>
public interface IAuditSigner
{
    string Algorithm { get; }

    string KeyId { get; }

    /// <summary>True for development key custody, which every output must say.</summary>
    bool IsDevelopmentCustody { get; }

    Task<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    Task<bool> VerifyAsync(ReadOnlyMemory<byte> data, ReadOnlyMemory<byte> signature, string algorithm, string keyId, CancellationToken cancellationToken = default);
}
