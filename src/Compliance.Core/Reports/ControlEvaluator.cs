using Compliance.Core.Audit;
using Compliance.Core.Policy;

namespace Compliance.Core.Reports;

/// <summary>
/// What every control sees while the trail streams by, oldest first: the period, the policy, and the state the
/// trail has built up to the event at hand (notices acknowledged, pauses in force). State grows with subjects,
/// never with events.
/// </summary>
public sealed class ReportContext(ReportPeriod period, CompliancePolicy policy, string policyVersion = "")
{
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> _noticed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _pausedSince = new(StringComparer.Ordinal);

    public ReportPeriod Period { get; } = period;

    public CompliancePolicy Policy { get; } = policy;

    /// <summary>The SHA-256 of the policy document in force (its version).</summary>
    public string PolicyVersion { get; } = policyVersion;

    /// <summary>The categories that feed AI training: those a purpose tagged <c>training</c> may read.</summary>
    public IReadOnlySet<string> TrainingCategories { get; } = policy.Purposes.Values
        .Where(p => p.Tags.Contains("training"))
        .SelectMany(p => p.Categories)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>True when the subject had acknowledged a notice covering the category before <paramref name="at"/>.</summary>
    public bool Noticed(string subject, string category, DateTimeOffset at) =>
        _noticed.TryGetValue(subject, out var categories) && categories.TryGetValue(category, out var since) && since <= at;

    /// <summary>When the subject's collection pause began, if one is in force.</summary>
    public DateTimeOffset? PausedSince(string subject) => _pausedSince.TryGetValue(subject, out var since) ? since : null;

    /// <summary>Takes in what the event says about subjects; called for every event before the controls see it.</summary>
    internal void Apply(AuditRecord record)
    {
        var e = record.Event;
        switch (e.Type)
        {
            case AuditEventType.NoticeAck when e.Subject is { } subject && e.Attributes.TryGetValue("noticeVersion", out var version):
                var notice = Policy.Notices.FirstOrDefault(n => n.Version == version);
                if (notice is null)
                {
                    break;
                }

                if (!_noticed.TryGetValue(subject, out var categories))
                {
                    _noticed[subject] = categories = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
                }

                foreach (var category in notice.Categories)
                {
                    categories.TryAdd(category, record.OccurredAt);
                }

                break;
            case AuditEventType.Pause when e.Subject is { } subject && e.Attributes.TryGetValue("state", out var state):
                if (state == "paused")
                {
                    _pausedSince.TryAdd(subject, record.OccurredAt);
                }
                else if (state == "resumed")
                {
                    _pausedSince.Remove(subject);
                }

                break;
            case AuditEventType.KeyShred when e.Subject is { } subject && e.Attributes.TryGetValue("scope", out var scope) && scope == "all":
                _noticed.Remove(subject);
                _pausedSince.Remove(subject);
                break;
        }
    }
}

/// <summary>
/// One control of the catalog, evaluated in one pass over the trail: it observes every event (oldest first, the
/// context already updated) and then gives its result. Implementations keep counts and per-subject or
/// per-principal state only, so memory does not grow with the number of events.
/// </summary>
public abstract class ControlEvaluator
{
    public abstract string Id { get; }

    public abstract void Observe(AuditRecord record, ReportContext context);

    public abstract ControlResult Finish(ReportContext context);

    /// <summary>The result, with the title from the catalog: pass when every finding is zero.</summary>
    protected ControlResult Result(string summary, IReadOnlyList<EvidenceFigure> evidence, params Tally[] tallies)
    {
        var findings = tallies.Where(t => t.Count > 0).Select(t => t.ToFinding()).ToList();
        return new ControlResult(Id, ControlCatalog.Default.Get(Id).Title, findings.Count == 0 ? ControlStatus.Pass : ControlStatus.Fail, summary, evidence, findings);
    }
}

/// <summary>Counts events of one kind of finding and keeps the ids of the first few, oldest first.</summary>
public sealed class Tally(string code, string message)
{
    private readonly List<string> _samples = [];

    public string Code { get; } = code;

    public long Count { get; private set; }

    public void Add(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Count++;
        if (_samples.Count < ComplianceReport.MaxSampleEvents)
        {
            _samples.Add(SealedAuditReader.EventId(record.Stream, record.Sequence));
        }
    }

    public ControlFinding ToFinding() => new(Code, message, Count, [.. _samples]);
}
