using System.Security.Cryptography;
using System.Text;

namespace Compliance.Core.Audit;

/// <summary>
/// The Merkle tree hash of RFC 6962 (section 2.1) over the sealed stream heads, leaves in stream order:
/// leaf = SHA-256(0x00 ‖ "stream:seq:hash"), node = SHA-256(0x01 ‖ left ‖ right).
/// </summary>
public static class MerkleTree
{
    public static string Root(IReadOnlyList<SealedStreamHead> heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        var leaves = heads.OrderBy(h => h.Stream, StringComparer.Ordinal)
            .Select(h => Leaf(Encoding.UTF8.GetBytes($"{h.Stream}:{h.Sequence}:{h.Hash}")))
            .ToList();
        return Convert.ToHexStringLower(leaves.Count == 0 ? SHA256.HashData([]) : Node(leaves, 0, leaves.Count));
    }

    private static byte[] Leaf(byte[] data) => SHA256.HashData([0x00, .. data]);

    private static byte[] Node(List<byte[]> leaves, int start, int count)
    {
        if (count == 1)
        {
            return leaves[start];
        }

        var split = 1;
        while (split * 2 < count)
        {
            split *= 2;
        }

        return SHA256.HashData([0x01, .. Node(leaves, start, split), .. Node(leaves, start + split, count - split)]);
    }
}
