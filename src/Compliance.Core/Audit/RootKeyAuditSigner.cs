using System.Security.Cryptography;
using Compliance.Core.Keys;

namespace Compliance.Core.Audit;

/// <summary>
/// Signs seals with a root key in key custody (RS256 over the SHA-256 of the seal body): Key Vault <c>sign</c>
/// in Azure, the local root-key store in development. The key id is <c>audit-seal/VERSION</c>, so seals signed
/// before a root-key rotation still verify with the version that signed them. The key is created on first use.
/// </summary>
internal sealed class RootKeyAuditSigner(IRootKeyCustody custody) : IAuditSigner
{
    public const string KeyName = "audit-seal";
    public const string SignatureAlgorithm = "RS256";

    public bool IsDevelopmentCustody => custody.IsDevelopmentCustody;

    public async Task<AuditSigningKey> GetSigningKeyAsync(CancellationToken cancellationToken = default)
    {
        RootKeyVersion key;
        try
        {
            key = await custody.GetKeyAsync(KeyName, null, cancellationToken).ConfigureAwait(false);
        }
        catch (RootKeyNotFoundException)
        {
            key = await custody.CreateKeyAsync(KeyName, cancellationToken).ConfigureAwait(false);
        }

        return new AuditSigningKey(SignatureAlgorithm, $"{KeyName}/{key.Version}");
    }

    public Task<byte[]> SignAsync(AuditSigningKey key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TryParse(key.Algorithm, key.KeyId, out var version)
            ? custody.SignAsync(KeyName, version, SHA256.HashData(data.Span), cancellationToken)
            : throw new ArgumentException($"Seals are signed {SignatureAlgorithm} with {KeyName}/VERSION, not {key.Algorithm} with {key.KeyId}.", nameof(key));
    }

    public async Task<bool> VerifyAsync(ReadOnlyMemory<byte> data, ReadOnlyMemory<byte> signature, string algorithm, string keyId, CancellationToken cancellationToken = default)
    {
        if (!TryParse(algorithm, keyId, out var version))
        {
            return false;
        }

        try
        {
            return await custody.VerifyAsync(KeyName, version, SHA256.HashData(data.Span), signature, cancellationToken).ConfigureAwait(false);
        }
        catch (RootKeyNotFoundException)
        {
            return false;
        }
    }

    private static bool TryParse(string algorithm, string keyId, out string version)
    {
        version = "";
        var slash = keyId?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (algorithm != SignatureAlgorithm || slash < 0 || keyId![..slash] != KeyName || slash == keyId.Length - 1)
        {
            return false;
        }

        version = keyId[(slash + 1)..];
        return true;
    }
}
