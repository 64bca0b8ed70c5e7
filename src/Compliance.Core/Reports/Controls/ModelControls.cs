using Compliance.Core.Assessments;
using Compliance.Core.Audit;
using Compliance.Core.Time;

namespace Compliance.Core.Reports.Controls;

/// <summary>
/// RSK-1: a current DPIA exists for every (category, pipeline) pair in use. The pairs are each category of a
/// purpose tagged <c>training</c> with that purpose (the AI pipelines the policy feeds); a pair is in use once the
/// trail shows the category collected, read, exported or built into a dataset before the end of the period (a DPIA
/// comes before processing, so a registered category nobody processes has nothing to assess yet). For each pair in
/// use, the latest approved DPIA covering the category (its own or <c>all</c>) must exist, must not be approved
/// before the category's latest <c>SCHEMA_CHANGE</c> or the latest change of policy version (a <c>POLICY</c> event
/// whose hash differs from the one before; POLICY events do not say which category changed, so a change counts for
/// every category, unless the DPIA was recorded under the policy version now in force), and must be at most 365
/// days old at the end of the period. Models trained or promoted (<c>MODEL_TRAIN</c>, <c>MODEL_PROMOTE</c>) count
/// when a category they were trained on has no DPIA at all (or, when their lineage names no category, when no DPIA
/// was recorded at all). Not applicable when no pair is in use and no model exists.
/// </summary>
public sealed class CurrentRiskAssessment : ControlEvaluator
{
    /// <summary>How old a DPIA may be at the end of the period.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(365);

    private readonly Dictionary<string, Dpia> _latestDpia = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Seen> _schemaChanged = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Seen> _firstUse = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _datasetCategory = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Model> _models = new(StringComparer.Ordinal);
    private string? _policyHash;
    private Seen? _policyChanged;

    public override string Id => "RSK-1";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        if (record.OccurredAt >= context.Period.To)
        {
            return;
        }

        var e = record.Event;
        var seen = new Seen(record.OccurredAt, SealedAuditReader.EventId(record.Stream, record.Sequence));
        switch (e.Type)
        {
            case AuditEventType.Ingest or AuditEventType.Read or AuditEventType.Export or AuditEventType.DatasetBuild when e.Category is { } category && context.TrainingCategories.Contains(category):
                _firstUse.TryAdd(category, seen);
                if (e.Type == AuditEventType.DatasetBuild && e.Attributes.TryGetValue("datasetId", out var dataset))
                {
                    _datasetCategory.TryAdd(dataset, category);
                }

                break;
            case AuditEventType.Dpia when e.Attributes.TryGetValue("scope", out var scope) && IsoInstant.TryParse(e.Attributes.GetValueOrDefault("approvedAt"), out var approvedAt)
                && approvedAt <= record.OccurredAt:
                if (!_latestDpia.TryGetValue(scope, out var latest) || approvedAt >= latest.ApprovedAt)
                {
                    _latestDpia[scope] = new Dpia(approvedAt, e.Hashes.GetValueOrDefault("policy"), seen);
                }

                break;
            case AuditEventType.SchemaChange when e.Category is { } category:
                _schemaChanged[category] = seen;
                break;
            case AuditEventType.Policy when e.Hashes.GetValueOrDefault("policy") is { } hash:
                if (_policyHash is not null && _policyHash != hash)
                {
                    _policyChanged = seen;
                }

                _policyHash = hash;
                break;
            case AuditEventType.ModelTrain or AuditEventType.ModelPromote when e.Attributes.GetValueOrDefault("modelId") is { } modelId:
                if (!_models.TryGetValue(modelId, out var model))
                {
                    _models[modelId] = model = new Model(seen, new HashSet<string>(StringComparer.Ordinal));
                }

                if (e.Type == AuditEventType.ModelTrain && e.Attributes.TryGetValue("datasetId", out var trainedOn) && _datasetCategory.TryGetValue(trainedOn, out var trainedCategory))
                {
                    model.Categories.Add(trainedCategory);
                }

                break;
        }
    }

    public override ControlResult Finish(ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pipelines = context.Policy.Purposes.Values.Where(p => p.Tags.Contains("training")).SelectMany(p => p.Categories).GroupBy(c => c, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var inUse = _firstUse.Keys.Where(pipelines.ContainsKey).Order(StringComparer.Ordinal).ToList();
        if (inUse.Count == 0 && _models.Count == 0)
        {
            return new ControlResult(Id, ControlCatalog.Default.Get(Id).Title, ControlStatus.NotApplicable, "No training category was processed and no model was trained or promoted by the end of the period: no pair to assess.",
                [new("pairsInUse", 0, null, "(category, training pipeline) pairs processed by the end of the period")], []);
        }

        var missing = new List<(string Category, Seen At)>();
        var predates = new List<(string Category, Seen At)>();
        var expired = new List<(string Category, Seen At)>();
        foreach (var category in inUse)
        {
            if (Covering(category) is not { } dpia)
            {
                missing.Add((category, _firstUse[category]));
                continue;
            }

            var schema = _schemaChanged.GetValueOrDefault(category);
            var policyChange = dpia.PolicyHash is not null && dpia.PolicyHash == _policyHash ? null : _policyChanged;
            var change = new[] { schema, policyChange }.OfType<Seen>().Where(c => c.At > dpia.ApprovedAt).MaxBy(c => c.At);
            if (change is not null)
            {
                predates.Add((category, change));
            }

            if (context.Period.To - dpia.ApprovedAt > MaxAge)
            {
                expired.Add((category, dpia.Event));
            }
        }

        var uncovered = _models.Where(m => m.Value.Categories.Count == 0 ? _latestDpia.Count == 0 : m.Value.Categories.Any(c => Covering(c) is null))
            .Select(m => (Category: m.Key, At: m.Value.First)).ToList();
        var stale = missing.Concat(predates).Concat(expired).Select(p => p.Category).Distinct(StringComparer.Ordinal).ToList();
        var pairsInUse = inUse.Sum(c => pipelines[c]);
        var stalePairs = stale.Sum(c => pipelines[c]);
        var findings = new List<ControlFinding>();
        void Add(string code, string message, List<(string Name, Seen At)> items, Func<string, long> weight)
        {
            if (items.Count > 0)
            {
                findings.Add(new ControlFinding(
                    code,
                    $"{message}: {string.Join(", ", items.Select(i => i.Name))}",
                    items.Sum(i => weight(i.Name)),
                    [.. items.OrderBy(i => i.At.At).ThenBy(i => i.At.EventId, StringComparer.Ordinal).Select(i => i.At.EventId).Distinct(StringComparer.Ordinal).Take(ComplianceReport.MaxSampleEvents)]));
            }
        }

        Add("DPIA_MISSING", "pairs in use whose category no approved DPIA covers (sample: the category's first use)", missing, c => pipelines[c]);
        Add("DPIA_PREDATES_CHANGE", "pairs whose latest DPIA was approved before the category's latest schema change or policy change (sample: the change)", predates, c => pipelines[c]);
        Add("DPIA_OLDER_THAN_365_DAYS", "pairs whose latest DPIA is more than 365 days old at the end of the period (sample: the DPIA)", expired, c => pipelines[c]);
        Add("MODEL_WITHOUT_DPIA", "models trained or promoted with no DPIA covering what they were trained on (sample: the model's first record)", uncovered, _ => 1);
        return new ControlResult(
            Id,
            ControlCatalog.Default.Get(Id).Title,
            findings.Count == 0 ? ControlStatus.Pass : ControlStatus.Fail,
            stalePairs == 0 && uncovered.Count == 0
                ? $"{pairsInUse} (category, training pipeline) pairs in use, each with a current DPIA; {_models.Count} models, each covered."
                : $"{stalePairs} of {pairsInUse} pairs in use lack a current DPIA ({(stale.Count == 0 ? "none" : string.Join(", ", stale))}); {uncovered.Count} of {_models.Count} models have no DPIA.",
            [
                new("pairsInUse", pairsInUse, null, "(category, training pipeline) pairs processed by the end of the period"),
                new("pairsWithoutCurrentDpia", stalePairs, 0, "pairs whose latest approved DPIA is missing, predates the latest SCHEMA_CHANGE/POLICY change, or is more than 365 days old"),
                new("modelsWithoutDpia", uncovered.Count, 0, "models trained or promoted with no DPIA covering their training categories"),
            ],
            findings);
    }

    /// <summary>The latest approved DPIA covering the category: its own or one of every category.</summary>
    private Dpia? Covering(string category) =>
        new[] { _latestDpia.GetValueOrDefault(category), _latestDpia.GetValueOrDefault(AssessmentService.AllCategories) }.OfType<Dpia>().MaxBy(d => d.ApprovedAt);

    private sealed record Seen(DateTimeOffset At, string EventId);

    private sealed record Dpia(DateTimeOffset ApprovedAt, string? PolicyHash, Seen Event);

    private sealed record Model(Seen First, HashSet<string> Categories);
}

/// <summary>
/// MDL-1: no model is promoted until its privacy tests pass. Every <c>MODEL_PROMOTE</c> in the period must name
/// (attributes <c>eval.1</c> …) <c>EVAL</c> records, of the promoted model and recorded before the promotion,
/// covering every type of <see cref="EvaluationTypes.Required"/> with a value at most its threshold (compared
/// exactly, as micro-units). Not applicable when nothing was promoted in the period.
/// </summary>
public sealed class PrivacyTestedPromotion : ControlEvaluator
{
    private readonly Dictionary<string, Evaluation> _evaluations = new(StringComparer.Ordinal);
    private readonly Tally _missing = new("PROMOTED_WITHOUT_EVAL", "promotions lacking a recorded evaluation of the model of every required type (membership-inference, canary-extraction, pii-output-scan)");
    private readonly Tally _over = new("EVAL_OVER_THRESHOLD", "promotions where the only evaluations of a required type measured over their threshold");
    private long _promotions;
    private long _failing;

    public override string Id => "MDL-1";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        var e = record.Event;
        if (e.Type == AuditEventType.Eval && e.Attributes.GetValueOrDefault("evalId") is { } evalId && e.Attributes.GetValueOrDefault("modelId") is { } evaluated
            && e.Attributes.GetValueOrDefault("type") is { } type && e.Counts.TryGetValue("valueMicros", out var value) && e.Counts.TryGetValue("thresholdMicros", out var threshold))
        {
            _evaluations.TryAdd(evalId, new Evaluation(evaluated, type, value <= threshold));
            return;
        }

        if (e.Type != AuditEventType.ModelPromote || !context.Period.Contains(record.OccurredAt))
        {
            return;
        }

        _promotions++;
        var modelId = e.Attributes.GetValueOrDefault("modelId");
        var linked = e.Attributes.Where(a => a.Key.StartsWith("eval.", StringComparison.Ordinal))
            .Select(a => _evaluations.GetValueOrDefault(a.Value))
            .OfType<Evaluation>()
            .Where(v => v.ModelId == modelId)
            .ToList();
        var lacking = EvaluationTypes.Required.Where(t => !linked.Any(v => v.Type == t)).ToList();
        var failing = EvaluationTypes.Required.Where(t => linked.Any(v => v.Type == t) && !linked.Any(v => v.Type == t && v.Passed)).ToList();
        if (lacking.Count > 0)
        {
            _missing.Add(record);
        }

        if (failing.Count > 0)
        {
            _over.Add(record);
        }

        if (lacking.Count > 0 || failing.Count > 0)
        {
            _failing++;
        }
    }

    public override ControlResult Finish(ReportContext context)
    {
        var evidence = new EvidenceFigure[]
        {
            new("promotions", _promotions, null, "MODEL_PROMOTE events in the period"),
            new("promotionsWithoutPassingEvals", _failing, 0, "promotions lacking linked EVAL records of every required type with value ≤ threshold"),
        };
        if (_promotions == 0)
        {
            return new ControlResult(Id, ControlCatalog.Default.Get(Id).Title, ControlStatus.NotApplicable, "No models were promoted in the period.", evidence, []);
        }

        return Result(
            _failing == 0
                ? $"{_promotions} promotions, each resting on passing evaluations of every required type."
                : $"{_failing} of {_promotions} promotions lacked a passing evaluation of every required type.",
            evidence,
            _missing,
            _over);
    }

    private sealed record Evaluation(string ModelId, string Type, bool Passed);
}
