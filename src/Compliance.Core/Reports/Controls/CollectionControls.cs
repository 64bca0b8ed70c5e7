using Compliance.Core.Audit;

namespace Compliance.Core.Reports.Controls;

/// <summary>INV-1: every category collected is in the policy registry, and every registry entry is complete.</summary>
public sealed class ProcessingInventory : ControlEvaluator
{
    private readonly Tally _unregistered = new("CATEGORY_NOT_REGISTERED", "INGEST events of a category the policy does not define");

    public override string Id => "INV-1";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        if (record.Event is { Type: AuditEventType.Ingest, Category: { } category } && context.Period.Contains(record.OccurredAt) && !context.Policy.Categories.ContainsKey(category))
        {
            _unregistered.Add(record);
        }
    }

    public override ControlResult Finish(ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var incomplete = context.Policy.Categories.Count(c =>
            string.IsNullOrWhiteSpace(c.Value.Owner) || string.IsNullOrWhiteSpace(c.Value.LawfulBasis) || c.Value.AllowedFields.Count == 0 || c.Value.RetentionDays <= 0
            || !context.Policy.Purposes.Values.Any(p => p.Categories.Contains(c.Key)));
        var result = Result(
            $"{context.Policy.Categories.Count} categories registered; {_unregistered.Count} INGEST events outside the registry; {incomplete} incomplete entries.",
            [new("unregisteredIngests", _unregistered.Count, 0, "C1: INGEST events of categories missing from the registry"), new("incompleteEntries", incomplete, 0, "C2: registry entries missing an owner, basis, fields, retention or purpose")],
            _unregistered);
        return incomplete == 0 ? result : result with { Status = ControlStatus.Fail, Findings = [.. result.Findings, new ControlFinding("INCOMPLETE_ENTRY", "registry entries missing an owner, basis, fields, retention or purpose", incomplete, [])] };
    }
}

/// <summary>MIN-1: only allow-listed fields are stored, and every drop is logged by field name and category.</summary>
public sealed class FieldAllowList : ControlEvaluator
{
    private readonly Tally _offList = new("FIELD_OFF_ALLOW_LIST", "INGEST events that stored a field off the category's allow-list");
    private readonly Tally _anonymousDrops = new("DROP_WITHOUT_NAME", "REJECT events dropping fields without naming the field or the category");
    private readonly Dictionary<string, long> _dropped = new(StringComparer.Ordinal);

    public override string Id => "MIN-1";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        var e = record.Event;
        if (!context.Period.Contains(record.OccurredAt))
        {
            return;
        }

        if (e.Type == AuditEventType.Ingest && e.Category is { } category && context.Policy.Categories.TryGetValue(category, out var definition)
            && e.Fields.Any(f => !definition.AllowedFields.Contains(f)))
        {
            _offList.Add(record);
        }

        if (e is { Type: AuditEventType.Reject, ReasonCode: Ingestion.IngestReasons.FieldNotAllowed })
        {
            if (e.Category is null || e.Fields.Count == 0)
            {
                _anonymousDrops.Add(record);
            }

            foreach (var field in e.Fields)
            {
                _dropped[field] = _dropped.GetValueOrDefault(field) + e.Counts.GetValueOrDefault("dropped." + field, 1);
            }
        }
    }

    public override ControlResult Finish(ReportContext context) => Result(
        $"{_offList.Count} INGEST events stored off-list fields; {_dropped.Values.Sum()} fields were dropped at ingestion, each logged by name.",
        [
            new("offListStored", _offList.Count, 0, "N1: INGEST events that stored a field off the allow-list"),
            new("dropsWithoutName", _anonymousDrops.Count, 0, "N2: drops logged without field name or category"),
            .. _dropped.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new EvidenceFigure("dropped." + d.Key, d.Value, null, $"values of '{d.Key}' dropped (informational)")),
        ],
        _offList,
        _anonymousDrops);
}

/// <summary>
/// MIN-2: behavioural telemetry (the training categories without content: keystroke, pointer, focus) keeps no
/// content (typed characters, clipboard, screen text: the names <see cref="Policy.PolicyReferenceValidator.ContentFieldNames"/>),
/// and is never read to identify or evaluate a person.
/// </summary>
public sealed class NoContentInBehaviouralData : ControlEvaluator
{
    private readonly Tally _content = new("CONTENT_STORED", "INGEST events of behavioural categories that stored a content field");
    private readonly Tally _evaluation = new("TYPING_READ_TO_EVALUATE", "reads of behavioural data for a purpose that identifies or evaluates individuals");

    public override string Id => "MIN-2";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        var e = record.Event;
        if (!context.Period.Contains(record.OccurredAt) || e.Category is not { } category || !context.Policy.Categories.TryGetValue(category, out var definition)
            || definition.ContainsContent || !context.TrainingCategories.Contains(category))
        {
            return;
        }

        if (e.Type == AuditEventType.Ingest && e.Fields.Any(Policy.PolicyReferenceValidator.ContentFieldNames.Contains))
        {
            _content.Add(record);
        }

        if (e.Type is AuditEventType.Read or AuditEventType.Export && e.Purpose is { } name && context.Policy.Purposes.TryGetValue(name, out var purpose) && purpose.IndividualDecisions)
        {
            _evaluation.Add(record);
        }
    }

    public override ControlResult Finish(ReportContext context) => Result(
        "Behavioural categories checked for content fields at ingestion and for reads that evaluate individuals.",
        [new("contentStored", _content.Count, 0, "N: behavioural INGEST events with a content field"), new("evaluativeReads", _evaluation.Count, 0, "M: reads of behavioural data for individual decisions")],
        _content,
        _evaluation);
}

/// <summary>TRN-1: nothing is collected about an employee before they acknowledged a notice covering the category.</summary>
public sealed class NoticeBeforeCapture : ControlEvaluator
{
    private readonly Tally _unnoticed = new("COLLECTED_WITHOUT_NOTICE", "INGEST events for a subject who had not acknowledged a notice covering the category");

    public override string Id => "TRN-1";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        // The notice must come before the data was captured (the event time of controls.md), not merely before upload.
        if (record.Event is { Type: AuditEventType.Ingest, Subject: { } subject, Category: { } category } && context.Period.Contains(record.OccurredAt)
            && !context.Noticed(subject, category, CapturedFrom(record)))
        {
            _unnoticed.Add(record);
        }
    }

    private static DateTimeOffset CapturedFrom(AuditRecord record) =>
        record.Event.Attributes.TryGetValue("firstCapturedAt", out var text) && Time.IsoInstant.TryParse(text, out var captured) && captured < record.OccurredAt
            ? captured
            : record.OccurredAt;

    public override ControlResult Finish(ReportContext context) => Result(
        _unnoticed.Count == 0 ? "Every collection followed a notice acknowledgement covering its category." : $"{_unnoticed.Count} INGEST events had no notice acknowledgement before them.",
        [new("collectedWithoutNotice", _unnoticed.Count, 0, "INGEST events with no earlier NOTICE_ACK covering the category")],
        _unnoticed);
}

/// <summary>
/// MON-1: nothing is collected while an employee's collection is paused (objection, leave). A pause takes effect
/// within the policy's <c>slas.pauseHours</c> (instances cache who is active for 30 seconds), so K counts the
/// collection later than that into a pause, and L is the latest collection into any pause.
/// </summary>
public sealed class PausesHonoured : ControlEvaluator
{
    private readonly Tally _whilePaused = new("COLLECTED_WHILE_PAUSED", "INGEST events for a subject whose pause should already have taken effect");
    private TimeSpan _longest;

    public override string Id => "MON-1";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        if (record.Event is { Type: AuditEventType.Ingest, Subject: { } subject } && context.Period.Contains(record.OccurredAt) && context.PausedSince(subject) is { } since)
        {
            var into = record.OccurredAt - since;
            _longest = into > _longest ? into : _longest;
            if (into > TimeSpan.FromHours(context.Policy.Slas.PauseHours))
            {
                _whilePaused.Add(record);
            }
        }
    }

    public override ControlResult Finish(ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sla = TimeSpan.FromHours(context.Policy.Slas.PauseHours);
        return Result(
            _whilePaused.Count == 0 ? "No collection while paused." : $"{_whilePaused.Count} INGEST events while paused, the latest {_longest.TotalHours:0.##} h into a pause (allowed: {sla.TotalHours:0.##} h).",
            [new("collectedWhilePaused", _whilePaused.Count, 0, "K: INGEST events inside a pause"), new("latestCollectionIntoPauseHours", Math.Round(_longest.TotalHours, 3), sla.TotalHours, "L: how long into a pause collection still went on")],
            _whilePaused);
    }
}
