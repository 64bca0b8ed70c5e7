using System.Security.Cryptography;
using System.Text;
using Compliance.Core.Audit;

namespace Compliance.Core.Tests.Audit;

public sealed class MerkleTreeTests
{
    private static readonly SealedStreamHead A = new("s00", 5, new string('1', 64));
    private static readonly SealedStreamHead B = new("s01", 7, new string('2', 64));
    private static readonly SealedStreamHead C = new("s02", 9, new string('3', 64));

    [Fact]
    public void Root_ThreeHeads_SplitsAtTheLargestPowerOfTwoLikeRfc6962()
    {
        var expected = Node(Node(Leaf(A), Leaf(B)), Leaf(C));

        Assert.Equal(Convert.ToHexStringLower(expected), MerkleTree.Root([C, A, B]));
    }

    [Fact]
    public void Root_OneHead_IsItsLeafHash()
    {
        Assert.Equal(Convert.ToHexStringLower(Leaf(A)), MerkleTree.Root([A]));
    }

    [Fact]
    public void Root_AnyHeadChanged_RootChanges()
    {
        var root = MerkleTree.Root([A, B, C]);

        Assert.NotEqual(root, MerkleTree.Root([A, B with { Sequence = 8 }, C]));
        Assert.NotEqual(root, MerkleTree.Root([A, B]));
    }

    private static byte[] Leaf(SealedStreamHead h) => SHA256.HashData([0x00, .. Encoding.UTF8.GetBytes($"{h.Stream}:{h.Sequence}:{h.Hash}")]);

    private static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);
}
