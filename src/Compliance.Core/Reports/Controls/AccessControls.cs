using Compliance.Core.Audit;

namespace Compliance.Core.Reports.Controls;

/// <summary>PUR-1: every read or export declares a purpose the policy allows for the category.</summary>
public sealed class PurposeLimitation : ControlEvaluator
{
    private readonly Tally _offList = new("PURPOSE_NOT_ALLOWED", "reads or exports whose purpose is missing or not allowed for the category");
    private long _reads;

    public override string Id => "PUR-1";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        var e = record.Event;
        if (e.Type is not (AuditEventType.Read or AuditEventType.Export) || !context.Period.Contains(record.OccurredAt))
        {
            return;
        }

        _reads++;
        if (e.Purpose is null || e.Category is null || !context.Policy.Purposes.TryGetValue(e.Purpose, out var purpose) || !purpose.Categories.Contains(e.Category))
        {
            _offList.Add(record);
        }
    }

    public override ControlResult Finish(ReportContext context) => Result(
        $"{_offList.Count} of {_reads} reads and exports had a purpose off the category's list.",
        [new("readsAndExports", _reads, null, "READ and EXPORT events in the period"), new("offListPurpose", _offList.Count, 0, "of them, with a missing purpose or one the policy does not allow for the category")],
        _offList);
}

/// <summary>
/// PUR-2: telemetry collected for AI training (the categories a training purpose reads) is never read for decisions
/// about individual employees: purposes tagged hr, performance, discipline or compensation, or that decide about
/// individuals. Categories held for HR processes themselves (performance metrics) are outside this control.
/// </summary>
public sealed class NoEmploymentDecisions : ControlEvaluator
{
    private readonly Tally _decisions = new("EMPLOYMENT_DECISION_READ", "reads or exports for a purpose that decides about individual employees");

    public override string Id => "PUR-2";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        var e = record.Event;
        if (e.Type is (AuditEventType.Read or AuditEventType.Export)
            && context.Period.Contains(record.OccurredAt)
            && e.Category is { } category && context.TrainingCategories.Contains(category)
            && e.Purpose is { } name
            && context.Policy.Purposes.TryGetValue(name, out var purpose)
            && (purpose.IndividualDecisions || purpose.Tags.Any(Policy.PurposeDefinition.EmploymentDecisionTags.Contains)))
        {
            _decisions.Add(record);
        }
    }

    public override ControlResult Finish(ReportContext context) => Result(
        _decisions.Count == 0 ? "No telemetry was read for decisions about individual employees." : $"{_decisions.Count} reads served decisions about individual employees.",
        [new("employmentDecisionReads", _decisions.Count, 0, "READ and EXPORT events of training categories whose purpose is tagged hr, performance, discipline or compensation, or decides about individuals")],
        _decisions);
}

/// <summary>
/// ACC-1 (the part the trail holds): readers per category within the policy's reader cap, and no read by a
/// principal without an active grant for the purpose and category. Grant recertification and leavers'
/// deprovisioning need HR and grant events the product does not record yet; the summary says so.
/// </summary>
public sealed class LeastPrivilege : ControlEvaluator
{
    private readonly Dictionary<string, HashSet<string>> _readers = new(StringComparer.Ordinal);
    private readonly Tally _ungranted = new("READ_WITHOUT_GRANT", "reads by a principal holding no active grant for the purpose and category at the time");
    private readonly Tally _overCap = new("READER_CAP_EXCEEDED", "reads that took a category past its reader cap");

    public override string Id => "ACC-1";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        var e = record.Event;
        if (e.Type is not (AuditEventType.Read or AuditEventType.Export) || !context.Period.Contains(record.OccurredAt) || e.Category is not { } category)
        {
            return;
        }

        var principal = e.Actor.StartsWith("principal:", StringComparison.Ordinal) ? e.Actor["principal:".Length..] : e.Actor;
        if (!context.Policy.Grants.Any(g => g.Principal == principal && g.Purpose == e.Purpose && g.Categories.Contains(category) && g.IsActiveAt(record.OccurredAt)))
        {
            _ungranted.Add(record);
        }

        if (!_readers.TryGetValue(category, out var readers))
        {
            _readers[category] = readers = new HashSet<string>(StringComparer.Ordinal);
        }

        if (readers.Add(principal) && context.Policy.Categories.TryGetValue(category, out var definition) && readers.Count > definition.ReaderCap)
        {
            _overCap.Add(record);
        }
    }

    public override ControlResult Finish(ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var evidence = context.Policy.Categories.Keys.Order(StringComparer.Ordinal)
            .Select(c => new EvidenceFigure("readers." + c, _readers.TryGetValue(c, out var r) ? r.Count : 0, context.Policy.Categories[c].ReaderCap, $"distinct principals who read {c}"))
            .Append(new EvidenceFigure("readsWithoutGrant", _ungranted.Count, 0, "reads by a principal without an active grant"))
            .ToList();
        return Result(
            "Reader caps and grants checked for every read; recertification and leavers' access are not recorded in the audit trail and are not evaluated.",
            evidence,
            _ungranted,
            _overCap);
    }
}
