using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Compliance.Core.Crypto;

/// <summary>
/// AES-256-GCM envelopes for telemetry records, under a subject key.
/// <para>
/// Format, version 1 (<see cref="HeaderSize"/> bytes of header, then the ciphertext):
/// <c>[0]</c> format version (1) · <c>[1]</c> algorithm (1 = AES-256-GCM) · <c>[2..6)</c> subject-key version,
/// big-endian · <c>[6..18)</c> nonce · <c>[18..34)</c> tag · <c>[34..)</c> ciphertext. The associated data is the
/// first 18 header bytes followed by <see cref="RecordIdentity.Encode"/>, so the header and the record's identity
/// are both authenticated: another row, subject, category, schema version or key version fails to decrypt.
/// </para>
/// <para>
/// Nonces are 96 random bits per encryption. NIST SP 800-38D bounds random-nonce GCM to 2^32 encryptions per
/// key for a collision probability below 2^-32. The bound is kept by key scoping, not counting: each key
/// encrypts one employee's records in one key scope and is replaced every rotation period (90 days by default),
/// so even one record a second for a whole period is 7.8 million encryptions, about 1/550 of the bound.
/// </para>
/// </summary>
public static class EnvelopeCipher
{
    public const byte FormatVersion = 1;
    public const byte AesGcmAlgorithm = 1;
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int HeaderSize = 2 + 4 + NonceSize + TagSize;
    private const int AuthenticatedHeaderSize = 2 + 4 + NonceSize;

    public static byte[] Encrypt(ReadOnlySpan<byte> key, uint keyVersion, RecordIdentity identity, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(identity);
        RequireKey(key);
        var envelope = new byte[HeaderSize + plaintext.Length];
        var span = envelope.AsSpan();
        span[0] = FormatVersion;
        span[1] = AesGcmAlgorithm;
        BinaryPrimitives.WriteUInt32BigEndian(span[2..6], keyVersion);
        RandomNumberGenerator.Fill(span.Slice(6, NonceSize));

        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(
            span.Slice(6, NonceSize),
            plaintext,
            span[HeaderSize..],
            span.Slice(6 + NonceSize, TagSize),
            AssociatedData(span[..AuthenticatedHeaderSize], identity));
        return envelope;
    }

    /// <summary>Decrypts an envelope made for <paramref name="identity"/>.</summary>
    /// <exception cref="EnvelopeFormatException">The bytes are not an envelope this version can read.</exception>
    /// <exception cref="AuthenticationTagMismatchException">Wrong key, another record's identity, or altered bytes.</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> key, RecordIdentity identity, ReadOnlySpan<byte> envelope)
    {
        ArgumentNullException.ThrowIfNull(identity);
        RequireKey(key);
        ReadKeyVersion(envelope);
        var plaintext = new byte[envelope.Length - HeaderSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(
            envelope.Slice(6, NonceSize),
            envelope[HeaderSize..],
            envelope.Slice(6 + NonceSize, TagSize),
            plaintext,
            AssociatedData(envelope[..AuthenticatedHeaderSize], identity));
        return plaintext;
    }

    /// <summary>The subject-key version an envelope was made with, so the right key can be fetched before decrypting.</summary>
    /// <exception cref="EnvelopeFormatException">The bytes are not an envelope this version can read.</exception>
    public static uint ReadKeyVersion(ReadOnlySpan<byte> envelope)
    {
        if (envelope.Length < HeaderSize)
        {
            throw new EnvelopeFormatException($"An envelope has at least {HeaderSize} bytes; this one has {envelope.Length}.");
        }

        if (envelope[0] != FormatVersion)
        {
            throw new EnvelopeFormatException($"Envelope format version {envelope[0]} is not supported (this build reads version {FormatVersion}).");
        }

        if (envelope[1] != AesGcmAlgorithm)
        {
            throw new EnvelopeFormatException($"Envelope algorithm {envelope[1]} is not supported (this build reads AES-256-GCM, {AesGcmAlgorithm}).");
        }

        return BinaryPrimitives.ReadUInt32BigEndian(envelope[2..6]);
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, RecordIdentity identity) => [.. header, .. identity.Encode()];

    private static void RequireKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"A subject key has {KeySize} bytes (AES-256); this one has {key.Length}.", nameof(key));
        }

        // A zeroed key is a destroyed one (key buffers are zeroed when released): never encrypt or decrypt with it.
        if (!key.ContainsAnyExcept((byte)0))
        {
            throw new ArgumentException("The subject key is all zeros: it was destroyed or never filled.", nameof(key));
        }
    }
}

/// <summary>Bytes that are not an envelope this build can read (too short, unknown format version or algorithm).</summary>
public sealed class EnvelopeFormatException : Exception
{
    public EnvelopeFormatException()
    {
    }

    public EnvelopeFormatException(string message)
        : base(message)
    {
    }

    public EnvelopeFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
