using Compliance.Core.Audit;

namespace Compliance.Core.Reports.Controls;

/// <summary>
/// ERA-1: erasure requests are fulfilled by crypto-shredding, then verified. Latency is request to keys destroyed
/// (from ERASURE_DONE), without the time legal holds deferred it; V counts decrypt probes that still read a record;
/// Q counts requests open past the policy's maximum at the end of the period, leaving out those a hold keeps open.
/// </summary>
public sealed class ErasureFulfilled : ControlEvaluator
{
    private readonly Dictionary<string, (DateTimeOffset RequestedAt, IReadOnlySet<string> HeldBy)> _open = new(StringComparer.Ordinal);
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
                // The request time it states (a queued request's enqueue time) when it is earlier than the event.
                var stated = Time.IsoInstant.TryParse(e.Attributes.GetValueOrDefault("requestedAt"), out var at) && at < record.OccurredAt ? at : record.OccurredAt;
                _open.TryAdd(id, (stated, new HashSet<string>(StringComparer.Ordinal)));
                break;
            case AuditEventType.ErasureHeld when id is not null && _open.TryGetValue(id, out var request):
                _open[id] = request with { HeldBy = new HashSet<string>(e.Attributes.Where(a => a.Key.StartsWith("case.", StringComparison.Ordinal)).Select(a => a.Value), StringComparer.Ordinal) };
                break;
            case AuditEventType.Hold when e.Attributes.GetValueOrDefault("action") == "released" && e.Attributes.TryGetValue("caseId", out var released):
                // A released hold no longer keeps its erasures open: from then on the service is answerable for them.
                foreach (var (openId, open) in _open.Where(o => o.Value.HeldBy.Contains(released)).ToList())
                {
                    _open[openId] = open with { HeldBy = open.HeldBy.Where(c => c != released).ToHashSet(StringComparer.Ordinal) };
                }

                break;
            case AuditEventType.ErasureDone when id is not null:
                var requestedAt = _open.TryGetValue(id, out var done) ? done.RequestedAt : (DateTimeOffset?)null;
                _open.Remove(id);
                if (context.Period.Contains(record.OccurredAt))
                {
                    // From the request as the trail recorded it when it holds it, not from the counts the erasure job reports.
                    var keysDestroyed = Time.IsoInstant.TryParse(e.Attributes.GetValueOrDefault("keysDestroyedAt"), out var destroyedAt) ? destroyedAt : record.OccurredAt;
                    var seconds = requestedAt is { } requested ? (keysDestroyed - requested).TotalSeconds : e.Counts.GetValueOrDefault("secondsToKeysDestroyed");
                    var hours = Math.Max(0, seconds - e.Counts.GetValueOrDefault("secondsHeld")) / 3600.0;
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
        var overdue = _open.Values.Count(r => r.HeldBy.Count == 0 && context.Period.To - r.RequestedAt > TimeSpan.FromDays(slas.ErasureMaxDays));
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

/// <summary>
/// ERA-2: erasure carries through to derived datasets and models. ERASURE_DONE counts the datasets and models that
/// held the subject's data; the exporter leaves erased subjects out of every later build, so the next dataset build
/// (DATASET_BUILD) disposes of them in datasets, and the next training run (MODEL_TRAIN) in models. L1 and L2 count
/// erasures still waiting for that past a 30-day grace at the end of the period. (Dispositions other than a rebuild
/// or retraining — unlearning, retirement, an approved exception — are not recorded yet.)
/// </summary>
public sealed class ErasureReachesDerivedData : ControlEvaluator
{
    private static readonly TimeSpan Grace = TimeSpan.FromDays(30);
    private readonly List<(DateTimeOffset At, AuditRecord Record, bool Datasets, bool Models)> _pending = [];

    public override string Id => "ERA-2";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        var e = record.Event;
        switch (e.Type)
        {
            case AuditEventType.ErasureDone when e.Counts.GetValueOrDefault("datasets") > 0 || e.Counts.GetValueOrDefault("models") > 0:
                _pending.Add((record.OccurredAt, record, e.Counts.GetValueOrDefault("datasets") > 0, e.Counts.GetValueOrDefault("models") > 0));
                break;
            case AuditEventType.DatasetBuild:
                for (var i = 0; i < _pending.Count; i++)
                {
                    _pending[i] = _pending[i] with { Datasets = false };
                }

                _pending.RemoveAll(p => !p.Datasets && !p.Models);
                break;
            case AuditEventType.ModelTrain:
                for (var i = 0; i < _pending.Count; i++)
                {
                    _pending[i] = _pending[i] with { Models = _pending[i].Models && _pending[i].Datasets };
                }

                _pending.RemoveAll(p => !p.Datasets && !p.Models);
                break;
        }
    }

    public override ControlResult Finish(ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var overdue = _pending.Where(p => context.Period.To - p.At > Grace).ToList();
        var datasets = new Tally("DATASET_NOT_REBUILT", "erasures whose subject is still in a dataset not rebuilt within 30 days");
        var models = new Tally("MODEL_NOT_RETRAINED", "erasures whose subject's data still trains a model not retrained within 30 days");
        foreach (var pending in overdue)
        {
            if (pending.Datasets)
            {
                datasets.Add(pending.Record);
            }

            if (pending.Models)
            {
                models.Add(pending.Record);
            }
        }

        return Result(
            $"{_pending.Count} erasures still reach datasets or models; {overdue.Count} of them past the 30-day grace.",
            [new("datasetsPastGrace", datasets.Count, 0, "L1: erasures whose datasets were not rebuilt within 30 days"), new("modelsPastGrace", models.Count, 0, "L2: erasures whose models were not retrained within 30 days")],
            datasets,
            models);
    }
}
