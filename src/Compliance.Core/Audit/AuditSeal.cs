using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Compliance.Core.Audit;

/// <summary>The head of one stream at the moment of sealing.</summary>
public sealed record SealedStreamHead(string Stream, long Sequence, string Hash);

/// <summary>
/// A signed checkpoint over every stream: their heads, a Merkle root over the heads, and the hash of the
/// previous seal, so seals form a chain of their own. <see cref="Body"/> is the canonical JSON that is
/// signed and hashed.
/// </summary>
public sealed record AuditSeal(
    long Number,
    DateTimeOffset SealedAt,
    string PreviousSealHash,
    IReadOnlyList<SealedStreamHead> Heads,
    string MerkleRoot,
    string Algorithm,
    string KeyId)
{
    public string Body => Serialize();

    public string Hash => AuditHashing.Sha256Hex(Body);

    public long EventCount => Heads.Sum(h => h.Sequence);

    public SealedStreamHead? HeadOf(string stream) => Heads.FirstOrDefault(h => h.Stream == stream);

    public static AuditSeal Parse(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return new AuditSeal(
                root.GetProperty("seal").GetInt64(),
                DateTimeOffset.Parse(root.GetProperty("sealedAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                root.GetProperty("prevSealHash").GetString()!,
                [.. root.GetProperty("heads").EnumerateArray().Select(h => new SealedStreamHead(
                    h.GetProperty("stream").GetString()!, h.GetProperty("seq").GetInt64(), h.GetProperty("hash").GetString()!))],
                root.GetProperty("merkleRoot").GetString()!,
                root.GetProperty("algorithm").GetString()!,
                root.GetProperty("keyId").GetString()!);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException("The body is not a canonical audit seal: " + ex.Message, ex);
        }
    }

    private string Serialize()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("algorithm", Algorithm);
            json.WriteStartArray("heads");
            foreach (var head in Heads.OrderBy(h => h.Stream, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("hash", head.Hash);
                json.WriteNumber("seq", head.Sequence);
                json.WriteString("stream", head.Stream);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("keyId", KeyId);
            json.WriteString("merkleRoot", MerkleRoot);
            json.WriteString("prevSealHash", PreviousSealHash);
            json.WriteNumber("seal", Number);
            json.WriteString("sealedAt", AuditCanonicalForm.FormatTime(SealedAt));
            json.WriteNumber("v", AuditCanonicalForm.FormatVersion);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

/// <summary>A seal as stored: its canonical body and the signature over it.</summary>
public sealed record SignedAuditSeal(AuditSeal Seal, string Signature);
