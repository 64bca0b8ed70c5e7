using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Queues.Models;
using Compliance.Core.Audit;
using Compliance.Core.Erasure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Erasure;

/// <summary>
/// Erasure requests on <c>erasure-requests</c> (HR offboarding, objections, consent withdrawals, employees' own
/// requests), one JSON request per message (<see cref="ErasureSubmissionJson"/>). The request is recorded and
/// processed at once: to completed, or to held under a legal hold (the sweep finishes it after the release). A
/// request that can never succeed (malformed, unknown reason or scope, a request id reused for another request) is
/// audited as REJECT with a stable reason code and completes the message. A failure throws, so the message is
/// retried; a redelivery resumes the stored request and does nothing twice. After <c>maxDequeueCount</c>
/// deliveries the message goes to <c>erasure-requests-poison</c> (<see cref="ErasurePoisonFunction"/>).
/// </summary>
public sealed partial class ErasureQueueFunction(ErasureService erasure, IAuditTrail audit, ILogger<ErasureQueueFunction> logger)
{
    public const string Actor = "job:erasure";
    public const string Queue = "erasure-requests";
    public const string InvalidRequest = "INVALID_ERASURE_REQUEST";

    [Function("ErasureQueue")]
    public async Task RunAsync([QueueTrigger(Queue)] QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ErasureRecord record;
        try
        {
            var submission = ErasureSubmissionJson.Parse(message.Body.ToMemory(), "queue") with { SubmittedAt = message.InsertedOn };
            record = await erasure.EraseAsync(submission, Actor, cancellationToken);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or ErasureConflictException)
        {
            var code = ex is ErasureConflictException ? ErasureConflictException.Code : InvalidRequest;
            var receipt = await RejectAsync(audit, message, code, Actor, cancellationToken);
            LogRejected(logger, code, ex.Message, receipt.Sequence);
            return;
        }

        LogProcessed(logger, record.Id, record.State, message.DequeueCount);
    }

    /// <summary>Audits a message that was not processed (REJECT with <paramref name="code"/>), once per message.</summary>
    internal static Task<AuditReceipt> RejectAsync(IAuditTrail audit, QueueMessage message, string code, string actor, CancellationToken cancellationToken, string? erasureId = null) =>
        audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.Reject,
                Actor = actor,
                ReasonCode = code,
                Counts = new Dictionary<string, long> { ["bytes"] = message.Body.ToMemory().Length },
                Hashes = new Dictionary<string, string> { ["messageId"] = MessageDigest(message) },
                Attributes = erasureId is null
                    ? new Dictionary<string, string> { ["queue"] = Queue }
                    : new Dictionary<string, string> { ["queue"] = Queue, ["erasureId"] = erasureId },
                IdempotencyKey = $"erasure-message:{code}:{message.MessageId}",
            },
            cancellationToken);

    internal static string MessageDigest(QueueMessage message) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.MessageId)));

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Erasure {ErasureId}: {State} (delivery {DequeueCount})")]
    private static partial void LogProcessed(ILogger logger, string erasureId, ErasureState state, long dequeueCount);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Error, Message = "Erasure request refused ({Code}): {Reason} (audited as REJECT, sequence {Sequence}); the sender must correct and resend it")]
    private static partial void LogRejected(ILogger logger, string code, string reason, long sequence);
}
