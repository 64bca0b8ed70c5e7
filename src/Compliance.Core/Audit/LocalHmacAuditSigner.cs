using System.Security.Cryptography;
using Compliance.Core.Keys;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Audit;

/// <summary>
/// Development key custody for seals: HMAC-SHA256 under a local key file. The key id names the key by a
/// digest of it, so a seal signed with another machine's key is reported as such, not as tampering.
/// </summary>
internal sealed class LocalHmacAuditSigner : IAuditSigner
{
    public const string HmacAlgorithm = "HS256";
    private const string KeyFileName = "audit-seal-hmac.key";

    private readonly Lazy<byte[]> _key;
    private readonly Lazy<string> _keyId;

    public LocalHmacAuditSigner(IOptions<LocalKeyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = options.Value.Directory;
        _key = new Lazy<byte[]>(() => LocalKeyFile.LoadOrCreate(directory, KeyFileName));
        _keyId = new Lazy<string>(() => "local:audit-seal:" + AuditHashing.Sha256Hex(_key.Value)[..16]);
    }

    public string Algorithm => HmacAlgorithm;

    public string KeyId => _keyId.Value;

    public bool IsDevelopmentCustody => true;

    public Task<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        Task.FromResult(HMACSHA256.HashData(_key.Value, data.Span));

    public Task<bool> VerifyAsync(ReadOnlyMemory<byte> data, ReadOnlyMemory<byte> signature, string algorithm, string keyId, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            algorithm == HmacAlgorithm
            && keyId == KeyId
            && CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key.Value, data.Span), signature.Span));
}
