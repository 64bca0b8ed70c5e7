using Compliance.Core.Erasure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Erasure;

/// <summary>
/// Every 15 minutes by default (app setting <c>ERASURE_SWEEP_SCHEDULE</c>, NCRONTAB in UTC): takes every open
/// erasure request as far as it can go. Held requests complete once their legal hold is released; requests stopped
/// by a failure resume. Then it logs the SLA (controls ERA-1) and warns about requests open past the target.
/// </summary>
public sealed partial class ErasureSweepFunction(ErasureService erasure, TimeProvider clock, ILogger<ErasureSweepFunction> logger)
{
    public const string Actor = "job:erasure-sweep";

    [Function("ErasureSweep")]
    public async Task RunAsync([TimerTrigger("%ERASURE_SWEEP_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var result = await erasure.ProcessOpenAsync(Actor, cancellationToken);
        var sla = await erasure.GetSlaAsync(cancellationToken);
        LogSwept(logger, result.Completed, result.Held, result.Failed);
        LogSla(logger, sla.Completed, sla.P95?.TotalHours ?? 0, sla.Max?.TotalHours ?? 0, sla.Open);
        foreach (var late in sla.OpenPastTarget)
        {
            LogLate(logger, late.Id, late.State.ToName(), late.LastError ?? "-", clock.GetUtcNow() - late.RequestedAt);
        }
    }

    [LoggerMessage(EventId = 7111, Level = LogLevel.Information, Message = "Erasure sweep: {Completed} completed, {Held} held by legal holds, {Failed} failed (retried next sweep)")]
    private static partial void LogSwept(ILogger logger, int completed, int held, int failed);

    [LoggerMessage(EventId = 7112, Level = LogLevel.Information, Message = "Erasure SLA: {Completed} completed, p95 {P95Hours:F2} h, max {MaxHours:F2} h to keys destroyed; {Open} open")]
    private static partial void LogSla(ILogger logger, int completed, double p95Hours, double maxHours, int open);

    [LoggerMessage(EventId = 7113, Level = LogLevel.Warning, Message = "Erasure {ErasureId} is open past the SLA target: {State}, last error {LastError}, open for about {Open}")]
    private static partial void LogLate(ILogger logger, string erasureId, string state, string lastError, TimeSpan open);
}
