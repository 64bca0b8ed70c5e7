using System.Security.Cryptography;
using Compliance.Core.Crypto;
using CsCheck;

namespace Compliance.Core.Tests.Crypto;

public sealed class EnvelopeCipherTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private static readonly RecordIdentity Identity = new("tkeystroke202611", "p07", "evt-0001", "sub_abcdefghijklmnopqrstuvwxyz", "keystroke-dynamics", 1);

    private static readonly Gen<RecordIdentity> Identities =
        Gen.Select(Gen.String, Gen.String, Gen.String, Gen.String, Gen.String, Gen.Int)
            .Select(t => new RecordIdentity(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6));

    [Fact]
    public void Decrypt_AnyPlaintextAndIdentity_RoundTrips()
    {
        Gen.Select(Gen.Byte.Array[0, 4096], Identities, Gen.UInt).Sample((plaintext, identity, version) =>
        {
            var envelope = EnvelopeCipher.Encrypt(Key, version, identity, plaintext);

            Assert.Equal(plaintext, EnvelopeCipher.Decrypt(Key, identity, envelope));
            Assert.Equal(version, EnvelopeCipher.ReadKeyVersion(envelope));
            Assert.Equal(EnvelopeCipher.HeaderSize + plaintext.Length, envelope.Length);
        });
    }

    [Fact]
    public void Decrypt_AnyFlippedBit_Fails()
    {
        var envelope = EnvelopeCipher.Encrypt(Key, 3, Identity, "{\"dwellMsMean\":87.5}"u8);

        Gen.Int[0, (envelope.Length * 8) - 1].Sample(bit =>
        {
            var altered = (byte[])envelope.Clone();
            altered[bit / 8] ^= (byte)(1 << (bit % 8));

            var ex = Assert.ThrowsAny<Exception>(() => EnvelopeCipher.Decrypt(Key, Identity, altered));
            Assert.True(
                ex is AuthenticationTagMismatchException || (ex is EnvelopeFormatException && bit < 16),
                $"bit {bit}: {ex.GetType().Name}");
        });
    }

    public static TheoryData<RecordIdentity> OtherRecords => new()
    {
        Identity with { RowKey = "evt-0002" },
        Identity with { PartitionKey = "p08" },
        Identity with { Table = "tkeystroke202612" },
        Identity with { Subject = "sub_zyxwvutsrqponmlkjihgfedcba" },
        Identity with { Category = "pointer-movement" },
        Identity with { SchemaVersion = 2 },
        Identity with { PartitionKey = "p07evt-0001", RowKey = "" },
    };

    [Theory]
    [MemberData(nameof(OtherRecords))]
    public void Decrypt_CiphertextMovedToAnotherRecord_Fails(RecordIdentity elsewhere)
    {
        var envelope = EnvelopeCipher.Encrypt(Key, 1, Identity, "{\"keyCount\":42}"u8);

        Assert.Throws<AuthenticationTagMismatchException>(() => EnvelopeCipher.Decrypt(Key, elsewhere, envelope));
    }

    [Fact]
    public void Decrypt_AnotherSubjectsKey_Fails()
    {
        var envelope = EnvelopeCipher.Encrypt(Key, 1, Identity, "{\"keyCount\":42}"u8);

        Assert.Throws<AuthenticationTagMismatchException>(() => EnvelopeCipher.Decrypt(RandomNumberGenerator.GetBytes(32), Identity, envelope));
    }

    [Fact]
    public void Encrypt_SamePlaintextTwice_FreshNonceEachTime()
    {
        var first = EnvelopeCipher.Encrypt(Key, 1, Identity, "same"u8);
        var second = EnvelopeCipher.Encrypt(Key, 1, Identity, "same"u8);

        Assert.NotEqual(first[6..18], second[6..18]);
        Assert.NotEqual(first[EnvelopeCipher.HeaderSize..], second[EnvelopeCipher.HeaderSize..]);
    }

    [Theory]
    [InlineData(new byte[] { 1, 1, 0 }, "at least 34 bytes")]
    [InlineData(new byte[] { 9, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "format version 9")]
    [InlineData(new byte[] { 1, 7, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "algorithm 7")]
    public void Decrypt_NotAnEnvelope_SaysWhy(byte[] bytes, string expected)
    {
        var ex = Assert.Throws<EnvelopeFormatException>(() => EnvelopeCipher.Decrypt(Key, Identity, bytes));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encrypt_KeyOfWrongSize_Refused()
    {
        Assert.Throws<ArgumentException>(() => EnvelopeCipher.Encrypt(new byte[16], 1, Identity, "x"u8));
    }

    [Fact]
    public void Encode_FieldBoundariesShifted_DifferentAssociatedData()
    {
        var a = new RecordIdentity("t", "ab", "c", "s", "k", 1);
        var b = new RecordIdentity("t", "a", "bc", "s", "k", 1);

        Assert.NotEqual(a.Encode(), b.Encode());
    }
}
