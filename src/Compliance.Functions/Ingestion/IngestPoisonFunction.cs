using Azure.Storage.Queues.Models;
using Compliance.Core.Audit;
using Compliance.Core.Ingestion;
using Compliance.Functions.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Ingestion;

/// <summary>
/// Messages that failed every delivery on <c>telemetry-ingest</c>. Each is audited (REJECT, POISON_MESSAGE, with
/// the SHA-256 of its message id) and then discarded: it holds unencrypted telemetry, which may not rest
/// anywhere (DESIGN invariant 1). Operators find the failures that caused it in the logs of the deliveries.
/// </summary>
public sealed partial class IngestPoisonFunction(IAuditTrail audit, ILogger<IngestPoisonFunction> logger)
{
    public const string Actor = "job:ingest-queue";
    public const string Queue = IngestQueueFunction.Queue + "-poison";

    [Function("IngestPoison")]
    public async Task RunAsync([QueueTrigger(Queue)] QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var digest = await QueueMessageAudit.RejectAsync(audit, Actor, IngestReasons.PoisonMessage, message, "poison:" + message.MessageId, events: 1, cancellationToken: cancellationToken);
        LogDiscarded(logger, digest);
    }

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "A telemetry message failed every delivery and was discarded unread (message id SHA-256 {Digest}); see the earlier delivery failures")]
    private static partial void LogDiscarded(ILogger logger, string digest);
}
