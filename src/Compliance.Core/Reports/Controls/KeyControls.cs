using Compliance.Core.Audit;
using Compliance.Core.SubjectKeys;

namespace Compliance.Core.Reports.Controls;

/// <summary>
/// KEY-1: keys are rotated within their cryptoperiod. From KEY_CREATE, KEY_ROTATE, KEY_RETIRE and KEY_SHRED: at the
/// end of the period, the wrapping root key must have rotated within <c>rotation.rootKeyDays</c>, and every live
/// subject key (not shredded) within <c>rotation.subjectKeyDays</c> of its newest version. Credentials shared
/// between principals are Azure's to show (managed identities); not evaluated here.
/// </summary>
public sealed class KeysRotated : ControlEvaluator
{
    private readonly Dictionary<(string Subject, string Scope), (DateTimeOffset At, AuditRecord Record)> _subjectKeys = [];
    private (DateTimeOffset At, AuditRecord Record)? _root;
    private (DateTimeOffset At, AuditRecord Record)? _firstKey;

    public override string Id => "KEY-1";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        var e = record.Event;
        var scope = e.Attributes.GetValueOrDefault("scope");
        switch (e.Type)
        {
            case AuditEventType.KeyCreate or AuditEventType.KeyRotate when e.Subject is { } subject && scope is not null:
                _subjectKeys[(subject, scope)] = (record.OccurredAt, record);
                _firstKey ??= (record.OccurredAt, record);
                break;
            case AuditEventType.KeyCreate or AuditEventType.KeyRotate when e.Attributes.GetValueOrDefault("rootKey") == SubjectKeyService.RootKeyName:
                _root = (record.OccurredAt, record);
                break;
            case AuditEventType.KeyShred when e.Subject is { } subject:
                foreach (var key in _subjectKeys.Keys.Where(k => k.Subject == subject && (scope == "all" || k.Scope == scope)).ToList())
                {
                    _subjectKeys.Remove(key);
                }

                break;
        }
    }

    public override ControlResult Finish(ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var end = context.Period.To;
        var subjectPeriod = TimeSpan.FromDays(context.Policy.Rotation.SubjectKeyDays);
        var stale = new Tally("SUBJECT_KEY_OVERDUE", $"subject keys whose newest version is older than {context.Policy.Rotation.SubjectKeyDays} days");
        foreach (var (at, record) in _subjectKeys.Values.OrderBy(v => v.At))
        {
            if (end - at > subjectPeriod)
            {
                stale.Add(record);
            }
        }

        // Never rotated in the trail: the root key is at least as old as the first subject key it wrapped.
        var rootSince = _root ?? _firstKey;
        var rootAgeDays = rootSince is { } root ? (end - root.At).TotalDays : 0;
        var result = Result(
            $"{_subjectKeys.Count} live subject keys, {stale.Count} past their rotation period; root key {(rootSince is null ? "not in use yet" : $"{(_root is null ? "created" : "last rotated")} at least {rootAgeDays:0.#} days before the end of the period")}.",
            [new("subjectKeysOverdue", stale.Count, 0, "live subject keys older than their cryptoperiod"), new("rootKeyAgeDays", Math.Round(rootAgeDays, 3), context.Policy.Rotation.RootKeyDays, "days since the root key's last rotation, or since the first subject key it wrapped")],
            stale);
        return rootAgeDays <= context.Policy.Rotation.RootKeyDays
            ? result
            : result with
            {
                Status = ControlStatus.Fail,
                Findings = [.. result.Findings, new ControlFinding("ROOT_KEY_OVERDUE", $"the root key was last rotated {rootAgeDays:0.#} days before the end of the period (period: {context.Policy.Rotation.RootKeyDays} days)", 1, [SealedAuditReader.EventId(rootSince!.Value.Record.Stream, rootSince.Value.Record.Sequence)])],
            };
    }
}

/// <summary>A control whose evidence is not in the audit trail: reported as not applicable, with what it would need.</summary>
public sealed class NotFromTheTrail(string id, string why) : ControlEvaluator
{
    public override string Id => id;

    public override void Observe(AuditRecord record, ReportContext context)
    {
    }

    public override ControlResult Finish(ReportContext context) =>
        new(Id, ControlCatalog.Default.Get(Id).Title, ControlStatus.NotApplicable, why, [], []);
}
