namespace Compliance.Core.Reports;

/// <summary>The outcome of one control over the period.</summary>
public enum ControlStatus
{
    /// <summary>The evidence meets the pass rule.</summary>
    Pass,

    /// <summary>The evidence breaks the pass rule; the findings say where.</summary>
    Fail,

    /// <summary>Nothing in the period to judge (for example no models were promoted): neither passed nor failed.</summary>
    NotApplicable,
}

/// <summary>The half-open period <c>[From, To)</c> a report covers, in UTC.</summary>
public sealed record ReportPeriod(DateTimeOffset From, DateTimeOffset To)
{
    public bool Contains(DateTimeOffset instant) => instant >= From && instant < To;
}

/// <summary>
/// What a report rests on, so anyone can re-derive it: the seal whose stream heads bound the events read, the policy
/// version (SHA-256) the rules came from, and how much of the trail was read and verified.
/// </summary>
public sealed record ReportBasis(
    long SealNumber,
    string SealHash,
    DateTimeOffset SealedAt,
    string PolicyId,
    string PolicyVersion,
    string KeyCustody,
    long EventsRead,
    long EventsInPeriod,
    bool TrailIntact);

/// <summary>One figure of a control's evidence: a named count or measure, and the threshold the pass rule puts on it, if any.</summary>
public sealed record EvidenceFigure(string Name, double Value, double? Threshold, string Description);

/// <summary>
/// Why a control failed, or something the reader should see: a stable code, a sentence, how many events, and the
/// ids (<c>stream/sequence</c>) of up to <see cref="ComplianceReport.MaxSampleEvents"/> of them, oldest first.
/// </summary>
public sealed record ControlFinding(string Code, string Message, long Count, IReadOnlyList<string> SampleEvents);

/// <summary>One control as evaluated: its catalog entry's id and title, the outcome, the evidence and the findings.</summary>
public sealed record ControlResult(
    string Id,
    string Title,
    ControlStatus Status,
    string Summary,
    IReadOnlyList<EvidenceFigure> Evidence,
    IReadOnlyList<ControlFinding> Findings);

/// <summary>A daily series for the report's charts (for example events ingested per day).</summary>
public sealed record TrendSeries(string Name, string Description, IReadOnlyList<TrendPoint> Points);

public sealed record TrendPoint(DateOnly Day, long Value);

/// <summary>
/// A compliance report: a pure function of the audit events the seal covers, the policy version and the period.
/// It holds no time of its own (generating it twice gives the same bytes); the seal says how current it is.
/// </summary>
public sealed record ComplianceReport(
    ReportPeriod Period,
    ReportBasis Basis,
    IReadOnlyList<ControlResult> Controls,
    IReadOnlyList<TrendSeries> Trends)
{
    public const string Format = "compliance-report/1";

    /// <summary>The most sample event ids a finding lists.</summary>
    public const int MaxSampleEvents = 10;

    public int Passed => Controls.Count(c => c.Status == ControlStatus.Pass);

    public int Failed => Controls.Count(c => c.Status == ControlStatus.Fail);

    public int NotApplicable => Controls.Count(c => c.Status == ControlStatus.NotApplicable);
}
