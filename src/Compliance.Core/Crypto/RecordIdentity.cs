using System.Buffers.Binary;
using System.Text;

namespace Compliance.Core.Crypto;

/// <summary>
/// Where a ciphertext belongs (DESIGN invariant 1): table, partition and row keys, subject surrogate, category
/// and schema version. It is bound into every ciphertext as associated data, so a ciphertext copied to another
/// row, subject or category fails to decrypt.
/// </summary>
public sealed record RecordIdentity(string Table, string PartitionKey, string RowKey, string Subject, string Category, int SchemaVersion)
{
    private static readonly byte[] Domain = "compliance-record-v1"u8.ToArray();

    /// <summary>An unambiguous encoding: a domain label, then each field length-prefixed, then the schema version.</summary>
    public byte[] Encode()
    {
        string[] fields = [Table, PartitionKey, RowKey, Subject, Category];
        var size = Domain.Length + 4 + fields.Sum(f => 4 + Encoding.UTF8.GetByteCount(f));
        var buffer = new byte[size];
        var span = buffer.AsSpan();
        Domain.CopyTo(span);
        var at = Domain.Length;
        foreach (var field in fields)
        {
            var length = Encoding.UTF8.GetBytes(field, span[(at + 4)..]);
            BinaryPrimitives.WriteInt32BigEndian(span[at..], length);
            at += 4 + length;
        }

        BinaryPrimitives.WriteInt32BigEndian(span[at..], SchemaVersion);
        return buffer;
    }
}
