using Compliance.Core.Audit;

namespace Compliance.Core.Reports.Controls;

/// <summary>
/// ERA-1: erasure requests are fulfilled by crypto-shredding, then verified. Latency is request to keys destroyed
/// (from ERASURE_DONE), without the time legal holds deferred it; V counts decrypt probes that still read a record;
/// Q counts requests open past the policy's maximum at the end of the period, leaving out those a hold keeps open.
/// </summary>
public sealed class ErasureFulfilled : ControlEvaluator
{
    private readonly Dictionary<string, (DateTimeOffset RequestedAt, bool Held)> _open = new(StringComparer.Ordinal);
    private readonly List<double> _latencyHours = [];
    private readonly Tally _readableProbes = new("PROBE_READABLE", "decrypt probes that still read a record after the keys were destroyed");
    private readonly Tally _late = new("ERASURE_LATE", "erasures completed later than the policy's maximum (time under legal hold not counted)");

    public override string Id => "ERA-1";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        var e = record.Event;
        if (record.OccurredAt >= context.Period.To)
        {
            return;
        }

        var id = e.Attributes.GetValueOrDefault("erasureId");
        switch (e.Type)
        {
            case AuditEventType.ErasureReq when id is not null:
                _open.TryAdd(id, (record.OccurredAt, false));
                break;
            case AuditEventType.ErasureHeld when id is not null && _open.TryGetValue(id, out var request):
                _open[id] = request with { Held = true };
                break;
            case AuditEventType.ErasureDone when id is not null:
                _open.Remove(id);
                if (context.Period.Contains(record.OccurredAt))
                {
                    var hours = (e.Counts.GetValueOrDefault("secondsToKeysDestroyed") - e.Counts.GetValueOrDefault("secondsHeld")) / 3600.0;
                    _latencyHours.Add(hours);
                    if (hours > context.Policy.Slas.ErasureMaxDays * 24.0)
                    {
                        _late.Add(record);
                    }
                }

                break;
            case AuditEventType.KeyShred when context.Period.Contains(record.OccurredAt) && e.Counts.GetValueOrDefault("probeDecrypted") > 0:
                _readableProbes.Add(record);
                break;
        }
    }

    public override ControlResult Finish(ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var slas = context.Policy.Slas;
        var sorted = _latencyHours.Order().ToList();
        double? p95 = sorted.Count == 0 ? null : sorted[(int)Math.Ceiling(0.95 * sorted.Count) - 1];
        double? max = sorted.Count == 0 ? null : sorted[^1];
        var overdue = _open.Values.Count(r => !r.Held && context.Period.To - r.RequestedAt > TimeSpan.FromDays(slas.ErasureMaxDays));
        var result = Result(
            sorted.Count == 0 ? $"No erasure completed in the period; {_open.Count} open at its end." : $"{sorted.Count} erasures completed: p95 {p95:0.###} h, max {max:0.###} h to keys destroyed; {_open.Count} open at the end of the period.",
            [
                new("completed", sorted.Count, null, "ERASURE_DONE events in the period"),
                new("p95Hours", Math.Round(p95 ?? 0, 3), slas.ErasureP95Hours, "p95 hours from request to keys destroyed, time under legal hold not counted"),
                new("maxHours", Math.Round(max ?? 0, 3), slas.ErasureMaxDays * 24.0, "maximum of the same"),
                new("readableProbes", _readableProbes.Count, 0, "V: probes that still decrypted a record"),
                new("openPastMaximum", overdue, 0, "Q: requests open past the maximum at the end of the period, not held"),
            ],
            _readableProbes,
            _late);
        var findings = result.Findings.ToList();
        if (p95 > slas.ErasureP95Hours)
        {
            findings.Add(new ControlFinding("ERASURE_P95_OVER_TARGET", $"p95 time to keys destroyed {p95:0.###} h is over the {slas.ErasureP95Hours} h target", sorted.Count, []));
        }

        if (overdue > 0)
        {
            findings.Add(new ControlFinding("ERASURE_OPEN_TOO_LONG", $"requests open longer than {slas.ErasureMaxDays} days without a legal hold", overdue, []));
        }

        return result with { Status = findings.Count == 0 ? ControlStatus.Pass : ControlStatus.Fail, Findings = findings };
    }
}
