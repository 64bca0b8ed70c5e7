using System.Security.Cryptography;
using System.Text;

namespace Compliance.Core.Audit;

/// <summary>SHA-256 as lowercase hex, the one digest format of the audit trail.</summary>
public static class AuditHashing
{
    /// <summary>The previous-hash of the first event of every stream, and of the first seal.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static string Sha256Hex(string text) => Sha256Hex(Encoding.UTF8.GetBytes(text));

    public static bool IsSha256Hex(string? value) =>
        value is { Length: 64 } && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
