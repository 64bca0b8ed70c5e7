using Azure.Storage.Queues.Models;
using Compliance.Core.Ingestion;
using Compliance.Functions.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Ingestion;

/// <summary>
/// One telemetry event per message on <c>telemetry-ingest</c> (in the AzureWebJobsStorage account), as plain JSON
/// or base64 of it (<see cref="QueueMessageBody"/>). A rejected
/// event completes the message: the rejection is an outcome, audited with its reason code. A failure (storage,
/// audit) throws, so the message is retried; after <c>maxDequeueCount</c> deliveries (host.json) it lands on
/// <c>telemetry-ingest-poison</c>, where <see cref="IngestPoisonFunction"/> audits and discards it.
/// </summary>
public sealed partial class IngestQueueFunction(IngestionPipeline pipeline, ILogger<IngestQueueFunction> logger)
{
    public const string Actor = "job:ingest-queue";
    public const string Queue = "telemetry-ingest";

    [Function("IngestQueue")]
    public async Task RunAsync([QueueTrigger(Queue)] QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);

        // The message id is the same on every delivery of this message: a retry records its audit events once.
        var result = await pipeline.IngestAsync([QueueMessageBody.Json(message.Body)], Actor, "queue:" + message.MessageId, cancellationToken);
        var outcome = result.Outcomes[0];
        LogOutcome(logger, outcome.Status, outcome.Reason ?? "-", message.DequeueCount);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Ingest message: {Status} ({Reason}), delivery {DequeueCount}")]
    private static partial void LogOutcome(ILogger logger, IngestStatus status, string reason, long dequeueCount);
}
