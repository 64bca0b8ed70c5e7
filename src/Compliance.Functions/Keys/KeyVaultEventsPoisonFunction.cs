using Azure.Storage.Queues.Models;
using Compliance.Core.Audit;
using Compliance.Core.Ingestion;
using Compliance.Core.Keys;
using Compliance.Functions.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Keys;

/// <summary>
/// Key Vault events that failed every delivery on <c>keyvault-events</c>: the key they name may not have been rotated.
/// Each message is audited (REJECT, POISON_MESSAGE, with the SHA-256 of its message id) and a warning names the
/// events' types and keys, so operators can rotate by hand (<c>compliance keys rotate --root</c> for
/// <c>subject-keys</c>); the failures themselves are in the logs of the deliveries.
/// </summary>
public sealed partial class KeyVaultEventsPoisonFunction(IAuditTrail audit, ILogger<KeyVaultEventsPoisonFunction> logger)
{
    public const string Queue = KeyVaultEventsFunction.Queue + "-poison";

    [Function("KeyVaultEventsPoison")]
    public async Task RunAsync([QueueTrigger(Queue)] QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var digest = await QueueMessageAudit.RejectAsync(audit, KeyVaultEventsFunction.Actor, IngestReasons.PoisonMessage, message, "keyvault-poison:" + message.MessageId, cancellationToken: cancellationToken);
        LogPoison(logger, Describe(message), digest);
    }

    /// <summary>The events' types and keys (names and versions only), or why they cannot be read.</summary>
    private static string Describe(QueueMessage message)
    {
        try
        {
            return string.Join(", ", KeyVaultEvent.ParseAll(QueueMessageBody.Json(message.Body))
                .Select(e => e.Data is { } data ? $"{e.Type} {data.ObjectName}/{data.Version ?? "-"}" : e.Type));
        }
        catch (KeyVaultEventFormatException ex)
        {
            return "unreadable: " + ex.Message;
        }
    }

    [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Key Vault events failed every delivery and were discarded ({Events}; message id SHA-256 {Digest}): the keys they name may not have been rotated; see the earlier delivery failures and rotate by hand")]
    private static partial void LogPoison(ILogger logger, string events, string digest);
}
