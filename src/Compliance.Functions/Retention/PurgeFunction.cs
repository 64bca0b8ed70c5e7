using Compliance.Core.Retention;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Retention;

/// <summary>Nightly (app setting <c>PURGE_SCHEDULE</c>, NCRONTAB in UTC): deletes expired telemetry, honours legal holds, stores the manifest.</summary>
public sealed partial class PurgeFunction(PurgeService purge, ILogger<PurgeFunction> logger)
{
    public const string Actor = "job:retention-purge";

    [Function("RetentionPurge")]
    public async Task RunAsync([TimerTrigger("%PURGE_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        try
        {
            var result = await purge.RunAsync(Actor, cancellationToken);
            LogPurged(logger, result.Manifest.RecordsDeleted, result.Manifest.TablesDropped, result.Manifest.RecordsHeld, result.ManifestName);
        }
        catch (PurgeInProgressException)
        {
            LogSkipped(logger);
        }
        catch (PurgeLeaseLostException ex)
        {
            // Stopped part-way so it never runs beside another purge; the run fails visibly and the next one finishes.
            LogLeaseLost(logger, ex);
            throw;
        }
    }

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "Retention purge stopped part-way: it lost its lease; the next run finishes the job")]
    private static partial void LogLeaseLost(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Retention purge: {Deleted} records deleted ({Tables} day tables dropped), {Held} kept for legal holds; manifest {Manifest}")]
    private static partial void LogPurged(ILogger logger, int deleted, int tables, int held, string manifest);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Retention purge skipped: another run holds the purge lease")]
    private static partial void LogSkipped(ILogger logger);
}
