using Azure.Storage.Queues.Models;
using Compliance.Core.Audit;
using Compliance.Core.Erasure;
using Compliance.Functions.Queues;
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

    [Function("ErasureQueue")]
    public async Task RunAsync([QueueTrigger(Queue)] QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ErasureRecord record;
        try
        {
            var submission = ErasureSubmissionJson.Parse(QueueMessageBody.Json(message.Body), "queue") with { SubmittedAt = message.InsertedOn };
            record = await erasure.EraseAsync(submission, Actor, cancellationToken);
        }
        catch (InvalidErasureRequestException ex)
        {
            // The log names the field, never the value: a producer that mixed up fields could have put an employee id there.
            var digest = await RejectAsync(audit, message, InvalidErasureRequestException.Code, cancellationToken);
            LogRejected(logger, InvalidErasureRequestException.Code, ex.Field, digest);
            return;
        }
        catch (ErasureConflictException)
        {
            var digest = await RejectAsync(audit, message, ErasureConflictException.Code, cancellationToken);
            LogRejected(logger, ErasureConflictException.Code, "$.requestId", digest);
            return;
        }

        LogProcessed(logger, record.Id, record.State, message.DequeueCount);
    }

    /// <summary>Audits a message that was not processed (REJECT with <paramref name="code"/>), once per message and code.</summary>
    internal static Task<string> RejectAsync(IAuditTrail audit, QueueMessage message, string code, CancellationToken cancellationToken, string? erasureId = null) =>
        QueueMessageAudit.RejectAsync(
            audit,
            Actor,
            code,
            message,
            $"erasure-message:{code}:{message.MessageId}",
            attributes: erasureId is null
                ? new Dictionary<string, string> { ["queue"] = Queue }
                : new Dictionary<string, string> { ["queue"] = Queue, ["erasureId"] = erasureId },
            cancellationToken: cancellationToken);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Erasure {ErasureId}: {State} (delivery {DequeueCount})")]
    private static partial void LogProcessed(ILogger logger, string erasureId, ErasureState state, long dequeueCount);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Error, Message = "Erasure request refused ({Code}, at {Field}; message id SHA-256 {Digest}, audited as REJECT): the sender must correct and resend it")]
    private static partial void LogRejected(ILogger logger, string code, string field, string digest);
}
