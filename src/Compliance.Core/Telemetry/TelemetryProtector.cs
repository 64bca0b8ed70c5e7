using System.Security.Cryptography;
using System.Text;
using Compliance.Core.Crypto;
using Compliance.Core.Policy;
using Compliance.Core.SubjectKeys;
using Compliance.Core.Subjects;

namespace Compliance.Core.Telemetry;

/// <summary>A telemetry event about to be stored: whose, which category, its id, when it was captured, and its (already minimised) payload.</summary>
public sealed record TelemetryPlaintext(string Subject, string Category, string EventId, DateTimeOffset CapturedAt, int SchemaVersion, ReadOnlyMemory<byte> Payload);

/// <summary>Why a record could not be decrypted.</summary>
public enum UnreadableReason
{
    /// <summary>The subject's key in the record's scope was shredded.</summary>
    KeyShredded,

    /// <summary>The key version the record was sealed with no longer exists (retired).</summary>
    KeyMissing,

    /// <summary>Authentication failed: altered bytes, or a ciphertext moved to another row, subject or category.</summary>
    Tampered,

    /// <summary>Not an envelope this build can read.</summary>
    Format,
}

/// <summary>
/// Seals telemetry under the subject's current key for the category's key scope, and opens it again (DESIGN
/// invariant 1). The row key is a keyed digest of the event id (HMAC under the lookup secret, domain-separated),
/// so a redelivered event lands on the same row and event ids, which collectors may derive from employee ids,
/// never appear in storage.
/// </summary>
public sealed class TelemetryProtector(SubjectKeyService keys, ISubjectLookupSecret secret, ActivePolicy policy)
{
    private static readonly byte[] RowKeyDomain = "compliance-event-id-v1\n"u8.ToArray();

    public async Task<TelemetryRecord> SealAsync(TelemetryPlaintext plaintext, DateTimeOffset ingestedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var scope = ScopeOf(plaintext.Category);
        var identity = new RecordIdentity(
            TelemetryLayout.TableName(plaintext.Category, plaintext.CapturedAt),
            plaintext.Subject,
            await RowKeyAsync(plaintext.EventId, cancellationToken).ConfigureAwait(false),
            plaintext.Subject,
            plaintext.Category,
            plaintext.SchemaVersion);
        var key = await keys.GetCurrentAsync(plaintext.Subject, scope, cancellationToken).ConfigureAwait(false);
        var keyBytes = key.Key.ToArray();
        try
        {
            var envelope = EnvelopeCipher.Encrypt(keyBytes, (uint)key.Version, identity, plaintext.Payload.Span);
            return new TelemetryRecord(identity, scope, plaintext.CapturedAt, ingestedAt, envelope);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyBytes);
        }
    }

    /// <summary>Decrypts a stored record. With <paramref name="useCache"/> false the key is read from the key store, not memory.</summary>
    /// <exception cref="RecordUnreadableException">The record cannot be decrypted, and why.</exception>
    public async Task<byte[]> OpenAsync(TelemetryRecord record, bool useCache = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        byte[] keyBytes;
        try
        {
            var key = await keys.GetAsync(record.Identity.Subject, record.Scope, record.KeyVersion, useCache, cancellationToken).ConfigureAwait(false);
            keyBytes = key.Key.ToArray();
        }
        catch (SubjectKeyShreddedException ex)
        {
            throw new RecordUnreadableException(UnreadableReason.KeyShredded, ex);
        }
        catch (SubjectKeyNotFoundException ex)
        {
            throw new RecordUnreadableException(UnreadableReason.KeyMissing, ex);
        }
        catch (EnvelopeFormatException ex)
        {
            throw new RecordUnreadableException(UnreadableReason.Format, ex);
        }

        try
        {
            return EnvelopeCipher.Decrypt(keyBytes, record.Identity, record.Envelope);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new RecordUnreadableException(UnreadableReason.Tampered, ex);
        }
        catch (EnvelopeFormatException ex)
        {
            throw new RecordUnreadableException(UnreadableReason.Format, ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyBytes);
        }
    }

    /// <summary>The row key of an event: 128 bits of HMAC-SHA256 over the event id, as lowercase hex.</summary>
    public async Task<string> RowKeyAsync(string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        var secretBytes = await secret.GetAsync(cancellationToken).ConfigureAwait(false);
        byte[] message = [.. RowKeyDomain, .. Encoding.UTF8.GetBytes(eventId)];
        var mac = HMACSHA256.HashData(secretBytes, message);
        return Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }

    /// <summary>The key scope of <paramref name="category"/> in the policy.</summary>
    public string ScopeOf(string category) =>
        policy.Policy.Categories.TryGetValue(category, out var definition)
            ? definition.KeyScope
            : throw new ArgumentException($"Unknown category '{category}'; defined: {string.Join(", ", policy.Policy.Categories.Keys.Order(StringComparer.Ordinal))}.", nameof(category));
}

/// <summary>A stored record that cannot be decrypted; <see cref="Reason"/> says why. Never carries content.</summary>
public sealed class RecordUnreadableException : Exception
{
    public RecordUnreadableException()
    {
    }

    public RecordUnreadableException(string message)
        : base(message)
    {
    }

    public RecordUnreadableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RecordUnreadableException(UnreadableReason reason, Exception innerException)
        : base($"The record cannot be decrypted: {reason}.", innerException)
    {
        Reason = reason;
    }

    public UnreadableReason Reason { get; }
}
