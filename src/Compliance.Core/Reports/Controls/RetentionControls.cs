using Compliance.Core.Audit;
using Compliance.Core.Time;

namespace Compliance.Core.Reports.Controls;

/// <summary>
/// RET-1: nothing is kept past its category's retention (plus the purge lag) unless a legal hold covers it. From
/// the trail: the oldest capture each category ingested, and the last completed purge, which deletes everything
/// older than its cutoff that no hold covers. A category is overdue at the end of the period when it holds data
/// old enough to have expired and no purge completed within the purge lag.
/// </summary>
public sealed class RetentionEnforced : ControlEvaluator
{
    private readonly Dictionary<string, (DateTimeOffset Captured, AuditRecord Record)> _oldest = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastPurge;

    public override string Id => "RET-1";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        var e = record.Event;
        if (e is { Type: AuditEventType.Ingest, Category: { } category } && e.Attributes.TryGetValue("firstCapturedAt", out var text) && IsoInstant.TryParse(text, out var captured)
            && (!_oldest.TryGetValue(category, out var seen) || captured < seen.Captured))
        {
            _oldest[category] = (captured, record);
        }

        if (e.Type == AuditEventType.Purge && e.Attributes.GetValueOrDefault("phase") == "completed")
        {
            _lastPurge = record.OccurredAt;
        }
    }

    public override ControlResult Finish(ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var end = context.Period.To;
        var lag = TimeSpan.FromHours(context.Policy.Slas.PurgeLagHours);
        var findings = new List<ControlFinding>();
        var evidence = new List<EvidenceFigure>();
        foreach (var (category, (captured, record)) in _oldest.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (!context.Policy.Categories.TryGetValue(category, out var definition))
            {
                continue;
            }

            var retention = TimeSpan.FromDays(definition.RetentionDays);
            var oldestKept = _lastPurge is { } purge && purge - retention > captured ? purge - retention : captured;
            var overdueHours = Math.Max(0, (end - oldestKept - retention - lag).TotalHours);
            evidence.Add(new EvidenceFigure("overdueHours." + category, Math.Round(overdueHours, 3), 0, $"how long {category} data may have been kept past {definition.RetentionDays} days plus the purge lag"));
            if (overdueHours > 0)
            {
                findings.Add(new ControlFinding("RETENTION_OVERDUE", $"{category}: data captured from {IsoInstant.Format(oldestKept)} is past its retention and no purge completed within {lag.TotalHours:0} h of the end of the period", 1, [SealedAuditReader.EventId(record.Stream, record.Sequence)]));
            }
        }

        evidence.Insert(0, new EvidenceFigure("hoursSinceLastPurge", _lastPurge is { } last ? Math.Round((end - last).TotalHours, 3) : -1, lag.TotalHours, "hours from the last completed purge to the end of the period (-1: none)"));
        return new ControlResult(
            Id,
            ControlCatalog.Default.Get(Id).Title,
            findings.Count == 0 ? ControlStatus.Pass : ControlStatus.Fail,
            findings.Count == 0 ? "Every category's expired data was purged within the purge lag, or has not expired yet." : $"{findings.Count} categories may hold data past their retention.",
            evidence,
            findings);
    }
}

/// <summary>
/// RET-2: every category collected has a retention schedule entry, and the schedule in force is the one published
/// (the POLICY event of the policy version the report uses). Retroactive extensions without fresh notice (S3) need
/// the history of policy versions' terms, which the trail does not hold; not evaluated.
/// </summary>
public sealed class RetentionSchedulePublished : ControlEvaluator
{
    private readonly Tally _unscheduled = new("NO_SCHEDULE_ENTRY", "INGEST events of a category with no retention schedule entry");
    private string? _published;

    public override string Id => "RET-2";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        var e = record.Event;
        if (e.Type == AuditEventType.Policy && e.Hashes.TryGetValue("policy", out var version))
        {
            _published = version;
        }

        if (e is { Type: AuditEventType.Ingest, Category: { } category } && context.Period.Contains(record.OccurredAt)
            && (!context.Policy.Categories.TryGetValue(category, out var definition) || definition.RetentionDays <= 0))
        {
            _unscheduled.Add(record);
        }
    }

    public override ControlResult Finish(ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = Result(
            _published is null ? "No POLICY event records the schedule in force." : $"The schedule in force is the published one ({_published[..12]}).",
            [new("unscheduledIngests", _unscheduled.Count, 0, "S1: INGEST events of categories without a schedule entry"), new("publishedMatchesRegistry", _published == context.PolicyVersion ? 1 : 0, 1, "S2: the last POLICY event records the policy version in force")],
            _unscheduled);
        return _published == context.PolicyVersion
            ? result
            : result with
            {
                Status = ControlStatus.Fail,
                Findings = [.. result.Findings, new ControlFinding("SCHEDULE_NOT_PUBLISHED", "the policy in force was never recorded as published (run compliance init, which records it)", 1, [])],
            };
    }
}
