using Azure.Storage.Queues.Models;
using Compliance.Core.Audit;
using Compliance.Core.Erasure;
using Compliance.Core.Ingestion;
using Compliance.Functions.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Erasure;

/// <summary>
/// Erasure requests that failed every delivery. An erasure must never be lost, and the message holds an employee
/// id, which may not rest in a queue: so the request is recorded in table <c>erasures</c> (under the employee's
/// lookup key, never the id) with error <c>POISON_MESSAGE</c>, which shows in <c>compliance erasure status</c> and
/// the SLA, and the sweep (<see cref="ErasureSweepFunction"/>) retries it. The message is audited (REJECT,
/// POISON_MESSAGE) and then deleted. If even recording fails, this throws and the message stays on
/// <c>erasure-requests-poison-poison</c> for an operator.
/// </summary>
public sealed partial class ErasurePoisonFunction(ErasureService erasure, IAuditTrail audit, ILogger<ErasurePoisonFunction> logger)
{
    public const string Queue = ErasureQueueFunction.Queue + "-poison";

    [Function("ErasurePoison")]
    public async Task RunAsync([QueueTrigger(Queue)] QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);

        // Audited first, so the failure is on record even if recording the request below fails too.
        ErasureSubmission submission;
        string erasureId;
        try
        {
            submission = ErasureSubmissionJson.Parse(QueueMessageBody.Json(message.Body), "queue") with { SubmittedAt = message.InsertedOn };
            erasureId = await erasure.ErasureIdAsync(submission.RequestId, cancellationToken);
        }
        catch (InvalidErasureRequestException ex)
        {
            // Not a request that can ever be processed; the deliveries would have refused it too.
            var unreadable = await ErasureQueueFunction.RejectAsync(audit, message, IngestReasons.PoisonMessage, cancellationToken);
            LogUnreadable(logger, ex.Field, unreadable);
            return;
        }

        var digest = await ErasureQueueFunction.RejectAsync(audit, message, IngestReasons.PoisonMessage, cancellationToken, erasureId);
        try
        {
            await erasure.SubmitAsync(submission, ErasureQueueFunction.Actor, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidErasureRequestException or ErasureConflictException)
        {
            LogUnreadable(logger, ex is InvalidErasureRequestException invalid ? invalid.Field : "$.requestId", digest);
            return;
        }

        await erasure.RecordFailureAsync(erasureId, IngestReasons.PoisonMessage, cancellationToken);
        LogPoisoned(logger, erasureId, digest);
    }

    [LoggerMessage(EventId = 7103, Level = LogLevel.Error, Message = "Erasure {ErasureId} failed every delivery; it is recorded with error POISON_MESSAGE and the sweep retries it (message id SHA-256 {Digest}, audited as REJECT)")]
    private static partial void LogPoisoned(ILogger logger, string erasureId, string digest);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Error, Message = "A poisoned erasure message is not a valid request (at {Field}; message id SHA-256 {Digest}); it was audited and deleted")]
    private static partial void LogUnreadable(ILogger logger, string field, string digest);
}
