using System.Security.Cryptography;
using System.Text;

namespace Compliance.Core.Reports;

/// <summary>
/// RFC 4122 (section 4.3) version 5 UUIDs: SHA-1 over a namespace UUID and a name, so the same namespace and name
/// always give the same UUID. Used where an output needs identifiers but must stay a pure function of its input.
/// </summary>
internal static class NameBasedUuid
{
    /// <summary>The RFC 4122 namespace for fully qualified domain names (appendix C).</summary>
    public static readonly Guid DnsNamespace = new("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

    /// <summary>The RFC 4122 namespace for URLs (appendix C).</summary>
    public static readonly Guid UrlNamespace = new("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    /// <summary>The version 5 UUID of <paramref name="name"/> (UTF-8) in <paramref name="namespaceId"/>.</summary>
    public static Guid Create(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);

        // The namespace goes into the hash in network byte order, as its canonical text spells it.
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        if (!namespaceId.TryWriteBytes(input.AsSpan(0, 16), bigEndian: true, out _))
        {
            throw new InvalidOperationException("A UUID did not fit in 16 bytes.");
        }

        nameBytes.CopyTo(input, 16);
#pragma warning disable CA5350 // RFC 4122 defines version 5 with SHA-1; this is an identifier, not a security boundary.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350

        var uuid = hash.AsSpan(0, 16);
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x50); // version 5 in the high nibble of time_hi_and_version
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80); // variant 10xx (RFC 4122) in clock_seq_hi_and_reserved
        return new Guid(uuid, bigEndian: true);
    }

    /// <summary>The canonical lowercase text (<c>xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx</c>) of <see cref="Create"/>.</summary>
    public static string CreateText(Guid namespaceId, string name) => Create(namespaceId, name).ToString("D");
}
