using Compliance.Core.Reports;

namespace Compliance.TestSupport;

/// <summary>In-memory compliance reports for tests of the report writers: no audit trail needed.</summary>
public static class SampleReports
{
    public static readonly ReportPeriod November = new(
        new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// Every catalog control, in catalog order, with passes, failures and not-applicable results, evidence with and
    /// without thresholds, findings with sample event ids, and trend series of every shape a chart must handle: a busy
    /// month, a sparse one, an all-zero one and a single day.
    /// </summary>
    public static ComplianceReport Full()
    {
        var controls = ControlCatalog.Default.Controls.Select((definition, i) => Control(definition, i)).ToList();
        var days = Enumerable.Range(0, 30).Select(d => new DateOnly(2026, 11, 1).AddDays(d)).ToList();
        TrendSeries[] trends =
        [
            new("ingested", "INGEST events per day", [.. days.Select((d, i) => new TrendPoint(d, 1200 + (i % 7 * 310) - (i % 5 * 95)))]),
            new("rejected", "REJECT events per day", [.. days.Select((d, i) => new TrendPoint(d, i % 9 == 3 ? 4 + (i % 4) : 0))]),
            new("reads", "READ events per day", [.. days.Select((d, i) => new TrendPoint(d, i % 7 is 5 or 6 ? 0 : 20 + (i * 3 % 17)))]),
            new("denied", "DENY events per day", [.. days.Select(d => new TrendPoint(d, 0))]),
            new("erasures", "erasures completed per day", [new TrendPoint(new DateOnly(2026, 11, 14), 3)]),
        ];
        var basis = new ReportBasis(
            SealNumber: 742,
            SealHash: "9f2c4e81b7a05d3366e1c0f4a8b29d7e5c13f6a0e4d2b8c7a91f05e3d6c4b2a1",
            SealedAt: new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.Zero),
            PolicyId: "telemetry-training-2026",
            PolicyVersion: "4be0c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8",
            KeyCustody: "Azure Key Vault",
            EventsRead: 48_213,
            EventsInPeriod: 41_877,
            TrailIntact: true);
        return new ComplianceReport(November, basis, controls, trends);
    }

    /// <summary><see cref="Full"/> with <paramref name="summary"/> as the first control's summary.</summary>
    public static ComplianceReport WithFirstSummary(string summary)
    {
        var report = Full();
        return report with { Controls = [report.Controls[0] with { Summary = summary }, .. report.Controls.Skip(1)] };
    }

    private static ControlResult Control(ControlDefinition definition, int index)
    {
        var status = (index % 5) switch
        {
            1 => ControlStatus.Fail,
            3 => ControlStatus.NotApplicable,
            _ => ControlStatus.Pass,
        };
        EvidenceFigure[] evidence =
        [
            new("events", 1000 + (index * 37), null, "events in the period this control looked at"),
            new("violations", status == ControlStatus.Fail ? 2 + index : 0, 0, "events that break the pass rule"),
            new("coverage", status == ControlStatus.NotApplicable ? 0 : 0.975, 0.95, "share of subjects covered"),
        ];
        ControlFinding[] findings = status == ControlStatus.Fail
            ?
            [
                new("VIOLATION", "Events break the pass rule of " + definition.Id + ".", 12 + index,
                    [.. Enumerable.Range(0, ComplianceReport.MaxSampleEvents).Select(s => $"telemetry-{index}/{1000 + (s * 13)}")]),
                new("LATE", "One event arrived after its deadline.", 1, ["admin/77"]),
            ]
            : [];
        var summary = status switch
        {
            ControlStatus.Pass => "All events in the period meet the pass rule.",
            ControlStatus.Fail => $"{2 + index} events break the pass rule.",
            _ => "Nothing in the period to judge.",
        };
        return new ControlResult(definition.Id, definition.Title, status, summary, evidence, findings);
    }
}
