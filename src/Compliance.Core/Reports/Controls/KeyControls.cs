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

/// <summary>
/// CRY-1 (what the trail shows): every ingestion says which subject key sealed its records (INGEST carries the key
/// scope and version), the scope is one of the policy's subject key scopes, and the version is in the key inventory
/// (a KEY_CREATE or KEY_ROTATE for that subject and scope came first). Transport encryption is the platform's
/// (HTTPS only); it is not in the trail.
/// </summary>
public sealed class EncryptedUnderSubjectKeys : ControlEvaluator
{
    private readonly Dictionary<(string Subject, string Scope), long> _newestVersion = [];
    private readonly Tally _unlabelled = new("NO_KEY_METADATA", "INGEST events that do not say which subject key sealed the records");
    private readonly Tally _notSubjectScoped = new("KEY_NOT_SUBJECT_SCOPED", "INGEST events sealed under a scope that is not a subject key scope of the policy");
    private readonly Tally _unknownKey = new("KEY_NOT_IN_INVENTORY", "INGEST events sealed under a key version the key inventory never recorded");
    private long _ingests;

    public override string Id => "CRY-1";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        var e = record.Event;
        var scope = e.Attributes.GetValueOrDefault("scope");
        if (e.Type is AuditEventType.KeyCreate or AuditEventType.KeyRotate && e.Subject is { } keySubject && scope is not null
            && long.TryParse(e.Attributes.GetValueOrDefault("version"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var created))
        {
            // Versions are created in order, so the newest one bounds the inventory: memory grows with keys, not rotations.
            _newestVersion[(keySubject, scope)] = Math.Max(created, _newestVersion.GetValueOrDefault((keySubject, scope)));
            return;
        }

        if (e is not { Type: AuditEventType.Ingest, Subject: { } subject } || !context.Period.Contains(record.OccurredAt))
        {
            return;
        }

        _ingests++;
        if (!e.Attributes.TryGetValue("keyScope", out var keyScope) || !e.Attributes.TryGetValue("keyVersion", out var version))
        {
            _unlabelled.Add(record);
        }
        else if (!context.Policy.KeyScopes.ContainsKey(keyScope))
        {
            _notSubjectScoped.Add(record);
        }
        else if (!long.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var used) || used < 1
            || used > _newestVersion.GetValueOrDefault((subject, keyScope)))
        {
            _unknownKey.Add(record);
        }
    }

    public override ControlResult Finish(ReportContext context) => Result(
        $"{_ingests} INGEST events checked for the subject key that sealed them; transport encryption is enforced by the platform (HTTPS only) and not in the trail.",
        [
            new("ingests", _ingests, null, "INGEST events in the period"),
            new("withoutKeyMetadata", _unlabelled.Count, 0, "no key scope or version recorded"),
            new("notSubjectScoped", _notSubjectScoped.Count, 0, "sealed under a scope the policy does not define"),
            new("notInInventory", _unknownKey.Count, 0, "sealed under a key version never created in the inventory"),
        ],
        _unlabelled,
        _notSubjectScoped,
        _unknownKey);
}

/// <summary>
/// PSE-1 (what the trail shows): training datasets carry no direct identifier. Every export scans its records for
/// the policy's employee-id patterns and email addresses and DATASET_BUILD records how many it found (P1).
/// Subjects appear only as surrogates, keyed by an HMAC whose secret lives in Key Vault. Who can read that secret
/// (P2) is Azure's role assignments, not in the trail. Not applicable when no dataset was built in the period.
/// </summary>
public sealed class PseudonymisedTraining : ControlEvaluator
{
    private readonly Tally _identified = new("DIRECT_IDENTIFIER_IN_DATASET", "datasets built with records holding a direct identifier");
    private readonly Tally _unscanned = new("DATASET_NOT_SCANNED", "datasets built without a recorded scan for direct identifiers");
    private long _datasets;
    private long _records;

    public override string Id => "PSE-1";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        if (record.Event.Type != AuditEventType.DatasetBuild || !context.Period.Contains(record.OccurredAt))
        {
            return;
        }

        _datasets++;
        if (!record.Event.Counts.TryGetValue("directIdentifiers", out var found))
        {
            _unscanned.Add(record);
        }
        else if (found > 0)
        {
            _records += found;
            _identified.Add(record);
        }
    }

    public override ControlResult Finish(ReportContext context)
    {
        var result = Result(
            $"{_datasets} datasets built; {_records} records in them held a direct identifier.",
            [new("datasets", _datasets, null, "DATASET_BUILD events in the period"), new("recordsWithDirectIdentifiers", _records, 0, "P1: records in those datasets holding a direct identifier")],
            _identified,
            _unscanned);
        return _datasets == 0 ? result with { Status = ControlStatus.NotApplicable, Summary = "No training dataset was built in the period." } : result;
    }
}
