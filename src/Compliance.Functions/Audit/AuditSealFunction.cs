using Compliance.Core.Audit;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Audit;

/// <summary>Hourly (app setting <c>AUDIT_SEAL_SCHEDULE</c>, NCRONTAB in UTC): seals every audit stream.</summary>
public sealed partial class AuditSealFunction(AuditSealService sealer, ILogger<AuditSealFunction> logger)
{
    public const string Actor = "job:audit-seal";

    [Function("AuditSeal")]
    public async Task RunAsync([TimerTrigger("%AUDIT_SEAL_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var result = await sealer.SealAsync(Actor, cancellationToken);
        var seal = result.Seal.Seal;
        LogSealed(logger, seal.Number, seal.EventCount, seal.Heads.Count, seal.MerkleRoot, result.DevelopmentCustody ? "development key custody" : "Key Vault");
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Audit seal {SealNumber} written over {EventCount} events in {StreamCount} streams, Merkle root {MerkleRoot}, signed under {Custody}")]
    private static partial void LogSealed(ILogger logger, long sealNumber, long eventCount, int streamCount, string merkleRoot, string custody);
}
