using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Queues.Models;
using Compliance.Core.Audit;

namespace Compliance.Functions.Queues;

/// <summary>
/// Audits a queue message that is given up on as a whole (unreadable, or failed every delivery): REJECT with a reason
/// code, its size in bytes and the SHA-256 of its message id, never its content. The message id is the same on
/// every delivery, so a redelivery records nothing twice.
/// </summary>
internal static class QueueMessageAudit
{
    /// <summary>Appends the REJECT event (recorded once per <paramref name="idempotencyKey"/>), with short <paramref name="attributes"/> such as an erasure id, and returns the message id's SHA-256, which logs may name.</summary>
    public static async Task<string> RejectAsync(
        IAuditTrail audit,
        string actor,
        string reasonCode,
        QueueMessage message,
        string idempotencyKey,
        int? events = null,
        IReadOnlyDictionary<string, string>? attributes = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(message);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.MessageId)));
        var counts = new Dictionary<string, long> { ["bytes"] = message.Body.ToMemory().Length };
        if (events is { } count)
        {
            counts["events"] = count;
        }

        await audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.Reject,
                Actor = actor,
                ReasonCode = reasonCode,
                Counts = counts,
                Hashes = new Dictionary<string, string> { ["messageId"] = digest },
                Attributes = attributes ?? new Dictionary<string, string>(),
                IdempotencyKey = idempotencyKey,
            },
            cancellationToken);
        return digest;
    }
}
