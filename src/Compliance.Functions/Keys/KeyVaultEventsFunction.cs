using Azure.Storage.Queues.Models;
using Compliance.Core.Audit;
using Compliance.Core.Keys;
using Compliance.Core.SubjectKeys;
using Compliance.Functions.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Keys;

/// <summary>
/// Key Vault events on <c>keyvault-events</c>, where the vault's Event Grid system topic delivers them (one event or a
/// batch per message, Event Grid or CloudEvents schema, plain JSON or base64: <see cref="QueueMessageBody"/>).
/// <c>KeyNearExpiry</c> and <c>KeyExpired</c> for a root key rotate it early (<see cref="KeyExpiryHandler"/>); other
/// events are ignored. A message that is not Key Vault events is audited (REJECT, INVALID_KEYVAULT_EVENT) and
/// completed, since no retry can fix it. A failure (storage, Key Vault) throws, so the message is retried; after
/// <c>maxDequeueCount</c> deliveries (host.json) it lands on <c>keyvault-events-poison</c>
/// (<see cref="KeyVaultEventsPoisonFunction"/>).
/// </summary>
public sealed partial class KeyVaultEventsFunction(KeyExpiryHandler handler, IAuditTrail audit, ILogger<KeyVaultEventsFunction> logger)
{
    public const string Actor = "job:keyvault-events";
    public const string Queue = "keyvault-events";

    [Function("KeyVaultEvents")]
    public async Task RunAsync([QueueTrigger(Queue)] QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        IReadOnlyList<KeyVaultEvent> events;
        try
        {
            events = KeyVaultEvent.ParseAll(QueueMessageBody.Json(message.Body));
        }
        catch (KeyVaultEventFormatException ex)
        {
            var digest = await QueueMessageAudit.RejectAsync(audit, Actor, KeyVaultEventReasons.InvalidEvent, message, "keyvault-reject:" + message.MessageId, cancellationToken: cancellationToken);
            LogRejected(logger, ex.Message, digest);
            return;
        }

        foreach (var keyVaultEvent in events)
        {
            var outcome = await handler.HandleAsync(keyVaultEvent, Actor, cancellationToken);
            LogOutcome(logger, keyVaultEvent.Type, outcome.Status, outcome.Message, message.DequeueCount);
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Key Vault event {EventType}: {Status}: {Outcome} (delivery {DequeueCount})")]
    private static partial void LogOutcome(ILogger logger, string eventType, KeyExpiryStatus status, string outcome, long dequeueCount);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "A message on keyvault-events is not Key Vault events and was completed unprocessed (REJECT INVALID_KEYVAULT_EVENT, message id SHA-256 {Digest}): {Problem}")]
    private static partial void LogRejected(ILogger logger, string problem, string digest);
}
