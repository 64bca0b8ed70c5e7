using System.Globalization;
using System.Net;
using System.Text;
using Compliance.Core.Time;

namespace Compliance.Core.Reports;

/// <summary>
/// A report as one self-contained HTML5 page for people to read and print: the basis (period, policy, seal, key
/// custody, whether the trail verified), a summary with a badge per control, one inline SVG bar chart per trend
/// series, and a section per control with its catalog text, evidence, findings and framework mappings.
/// </summary>
/// <remarks>
/// Like <see cref="ReportJson"/>, the page is a pure function of the report: no time of generation, numbers and
/// dates in invariant culture, <c>\n</c> line ends, so the same report always gives the same bytes. It makes no
/// request of its own (inline CSS, no scripts, no fonts or images by URL; a Content-Security-Policy forbids them) and every piece of text is HTML-encoded.
/// Stable hooks for tools and tests: <c>id="summary"</c>, <c>class="chart"</c> on each chart's <c>svg</c>, and
/// <c>class="control pass|fail|not-applicable"</c> with <c>data-control="ID"</c> on each control's section.
/// </remarks>
public static class HtmlReportWriter
{
    /// <summary>The chart's drawing size in SVG user units (the page scales it).</summary>
    private const int ChartWidth = 360, ChartHeight = 180;

    /// <summary>The plot area inside the chart: room on the left for the value axis, below for the days.</summary>
    private const int PlotLeft = 48, PlotRight = 352, PlotTop = 14, PlotBottom = 142;

    /// <summary>
    /// The page's own guarantee that it is self-contained: a browser refuses any script, font, image, frame or
    /// connection, and keeps only the inline style sheet (an attempt shows as a console message).
    /// </summary>
    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Renders <paramref name="report"/> as UTF-8 HTML (no byte-order mark).</summary>
    /// <exception cref="KeyNotFoundException">A control of the report is not in the catalog.</exception>
    public static byte[] Write(ComplianceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder(64 * 1024);
        var from = IsoInstant.Format(report.Period.From);
        var to = IsoInstant.Format(report.Period.To);

        Line(html, "<!DOCTYPE html>");
        Line(html, "<html lang=\"en\">");
        Line(html, "<head>");
        Line(html, "<meta charset=\"utf-8\">");
        Line(html, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        Line(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"" + ContentSecurityPolicy + "\">");
        html.Append("<meta name=\"report-format\" content=\"").Append(Encode(ComplianceReport.Format)).Append("\">\n");
        html.Append("<title>Compliance report ").Append(Encode(PeriodHeading(report.Period))).Append("</title>\n");
        html.Append("<style>\n").Append(Css).Append("</style>\n");
        Line(html, "</head>");
        Line(html, "<body>");
        Line(html, "<main>");

        WriteHeader(html, report, from, to);
        WriteSummary(html, report);
        WriteTrends(html, report.Trends);

        Line(html, "<section id=\"controls\">");
        Line(html, "<h2>Controls</h2>");
        foreach (var control in report.Controls)
        {
            WriteControl(html, control);
        }

        Line(html, "</section>");
        WriteFooter(html, report);
        Line(html, "</main>");
        Line(html, "</body>");
        Line(html, "</html>");
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(html.ToString());
    }

    private static void WriteHeader(StringBuilder html, ComplianceReport report, string from, string to)
    {
        var b = report.Basis;
        var fullySealed = b.SealedAt >= report.Period.To;
        Line(html, "<header id=\"report-header\">");
        Line(html, "<p class=\"kicker\">Compliance report</p>");
        html.Append("<h1>").Append(Encode(PeriodHeading(report.Period))).Append("</h1>\n");
        html.Append("<p class=\"period-note\">Period in UTC: from ").Append(Encode(from)).Append(" up to, not including, ").Append(Encode(to)).Append(".</p>\n");
        Line(html, "<dl class=\"basis\">");
        Term(html, "Policy", Encode(b.PolicyId) + "<br><span class=\"hash\">version " + Encode(b.PolicyVersion) + "</span>");
        Term(
            html,
            "Seal",
            "No. " + Number(b.SealNumber) + ", sealed " + Encode(IsoInstant.Format(b.SealedAt))
                + (fullySealed ? " (covers the whole period)" : " (<strong>the period is not fully sealed yet</strong>)")
                + "<br><span class=\"hash\">" + Encode(b.SealHash) + "</span>");
        Term(html, "Key custody", Encode(b.KeyCustody));
        Term(
            html,
            "Audit trail",
            b.TrailIntact
                ? "<span class=\"verified\">&#10003; Verified</span>: hash chains intact and seal signature valid"
                : "<span class=\"not-verified\">&#10007; NOT VERIFIED</span>: a hash chain or the seal signature did not verify; the findings below rest on an unverified trail");
        Term(html, "Events", Number(b.EventsRead) + " read up to the end of the period, " + Number(b.EventsInPeriod) + " in the period");
        Line(html, "</dl>");
        Line(html, "</header>");
    }

    private static void WriteSummary(StringBuilder html, ComplianceReport report)
    {
        Line(html, "<section id=\"summary\">");
        Line(html, "<h2>Summary</h2>");
        html.Append("<p class=\"counts\">")
            .Append("<span class=\"count pass\"><strong>").Append(Number(report.Passed)).Append("</strong> passed</span> ")
            .Append("<span class=\"count fail\"><strong>").Append(Number(report.Failed)).Append("</strong> failed</span> ")
            .Append("<span class=\"count not-applicable\"><strong>").Append(Number(report.NotApplicable)).Append("</strong> not applicable</span> ")
            .Append("<span class=\"count total\">of ").Append(Number(report.Controls.Count)).Append(" controls</span>")
            .Append("</p>\n");
        Line(html, "<ul class=\"grid\">");
        foreach (var control in report.Controls)
        {
            var status = ReportJson.StatusName(control.Status);
            var id = Encode(control.Id);
            html.Append("<li class=\"badge ").Append(status).Append("\" data-control=\"").Append(id).Append("\">")
                .Append("<a href=\"#control-").Append(id).Append("\">")
                .Append("<span class=\"badge-id\">").Append(id).Append("</span>")
                .Append("<span class=\"mark\">").Append(StatusLabel(control.Status)).Append("</span>")
                .Append("<span class=\"badge-title\">").Append(Encode(control.Title)).Append("</span>")
                .Append("</a></li>\n");
        }

        Line(html, "</ul>");
        Line(html, "</section>");
    }

    private static void WriteTrends(StringBuilder html, IReadOnlyList<TrendSeries> trends)
    {
        Line(html, "<section id=\"trends\">");
        Line(html, "<h2>Trends</h2>");
        if (trends.Count == 0)
        {
            Line(html, "<p class=\"none\">The report has no trend series.</p>");
        }

        Line(html, "<div class=\"charts\">");
        for (var i = 0; i < trends.Count; i++)
        {
            WriteChart(html, trends[i], i);
        }

        Line(html, "</div>");
        Line(html, "</section>");
    }

    /// <summary>One series as a bar chart: a bar per day, a value axis from zero to a round maximum, the first and last day below.</summary>
    private static void WriteChart(StringBuilder html, TrendSeries series, int index)
    {
        var points = series.Points;
        var max = points.Count == 0 ? 0 : points.Max(p => p.Value);
        var total = points.Sum(p => p.Value);
        var top = NiceMaximum(max);
        var titleId = "chart-" + index.ToString(Invariant) + "-title";
        var descId = "chart-" + index.ToString(Invariant) + "-desc";
        var span = points.Count == 0
            ? "no days"
            : points.Count == 1 ? Day(points[0].Day) : Day(points[0].Day) + " to " + Day(points[^1].Day);

        html.Append("<figure class=\"trend\" data-series=\"").Append(Encode(series.Name)).Append("\">\n");
        html.Append("<figcaption><strong>").Append(Encode(series.Name)).Append("</strong> &middot; ").Append(Encode(series.Description))
            .Append("<span class=\"total\">").Append(Number(total)).Append(" in total").Append(max > 0 ? ", at most " + Number(max) + " on a day" : "").Append("</span></figcaption>\n");
        html.Append(Invariant, $"<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {ChartWidth} {ChartHeight}\" aria-labelledby=\"{titleId} {descId}\">\n");
        html.Append("<title id=\"").Append(titleId).Append("\">").Append(Encode(series.Name + ": " + series.Description)).Append("</title>\n");
        html.Append("<desc id=\"").Append(descId).Append("\">")
            .Append(Encode(string.Create(Invariant, $"Bar chart, one bar per day, {span}; {Number(total)} in total, at most {Number(max)} on a day.")))
            .Append("</desc>\n");

        // Value axis: gridlines and labels at zero, half way and the top.
        foreach (var tick in new[] { 0, top / 2, top }.Distinct())
        {
            var y = Y(tick, top);
            html.Append(Invariant, $"<line class=\"grid-line\" x1=\"{PlotLeft}\" y1=\"{Fixed(y)}\" x2=\"{PlotRight}\" y2=\"{Fixed(y)}\"/>")
                .Append(Invariant, $"<text class=\"tick\" x=\"{PlotLeft - 6}\" y=\"{Fixed(y + 3.5)}\" text-anchor=\"end\">{Compact(tick)}</text>\n");
        }

        html.Append(Invariant, $"<text class=\"axis-label\" transform=\"translate(11 {(PlotTop + PlotBottom) / 2}) rotate(-90)\" text-anchor=\"middle\">events</text>\n");

        if (points.Count > 0)
        {
            var slot = (double)(PlotRight - PlotLeft) / points.Count;
            var gap = points.Count <= 60 ? slot * 0.2 : 0;
            var width = Math.Min(slot - gap, 48);
            for (var i = 0; i < points.Count; i++)
            {
                var point = points[i];
                if (point.Value <= 0)
                {
                    continue;
                }

                var x = PlotLeft + (slot * i) + ((slot - width) / 2);
                var y = Y(point.Value, top);
                html.Append(Invariant, $"<rect class=\"bar\" x=\"{Fixed(x)}\" y=\"{Fixed(y)}\" width=\"{Fixed(width)}\" height=\"{Fixed(PlotBottom - y)}\">")
                    .Append("<title>").Append(Day(point.Day)).Append(": ").Append(Number(point.Value)).Append("</title></rect>\n");
            }

            var firstX = PlotLeft + (slot / 2);
            var lastX = PlotLeft + (slot * (points.Count - 0.5));
            if (points.Count == 1)
            {
                html.Append(Invariant, $"<text class=\"tick\" x=\"{Fixed(firstX)}\" y=\"{PlotBottom + 14}\" text-anchor=\"middle\">{Day(points[0].Day)}</text>\n");
            }
            else
            {
                html.Append(Invariant, $"<text class=\"tick\" x=\"{PlotLeft}\" y=\"{PlotBottom + 14}\" text-anchor=\"start\">{Day(points[0].Day)}</text>\n");
                html.Append(Invariant, $"<text class=\"tick\" x=\"{PlotRight}\" y=\"{PlotBottom + 14}\" text-anchor=\"end\">{Day(points[^1].Day)}</text>\n");
                html.Append(Invariant, $"<line class=\"day-mark\" x1=\"{Fixed(firstX)}\" y1=\"{PlotBottom}\" x2=\"{Fixed(firstX)}\" y2=\"{PlotBottom + 4}\"/>")
                    .Append(Invariant, $"<line class=\"day-mark\" x1=\"{Fixed(lastX)}\" y1=\"{PlotBottom}\" x2=\"{Fixed(lastX)}\" y2=\"{PlotBottom + 4}\"/>\n");
            }
        }

        var dayCount = points.Count == 1 ? "1 day" : Number(points.Count) + " days";
        html.Append(Invariant, $"<text class=\"axis-label\" x=\"{(PlotLeft + PlotRight) / 2}\" y=\"{ChartHeight - 6}\" text-anchor=\"middle\">day (UTC), {dayCount}</text>\n");
        if (max == 0)
        {
            html.Append(Invariant, $"<text class=\"empty\" x=\"{(PlotLeft + PlotRight) / 2}\" y=\"{(PlotTop + PlotBottom) / 2}\" text-anchor=\"middle\">none in the period</text>\n");
        }

        html.Append(Invariant, $"<line class=\"axis\" x1=\"{PlotLeft}\" y1=\"{PlotTop}\" x2=\"{PlotLeft}\" y2=\"{PlotBottom}\"/>")
            .Append(Invariant, $"<line class=\"axis\" x1=\"{PlotLeft}\" y1=\"{PlotBottom}\" x2=\"{PlotRight}\" y2=\"{PlotBottom}\"/>\n");
        Line(html, "</svg>");
        Line(html, "</figure>");
    }

    private static void WriteControl(StringBuilder html, ControlResult control)
    {
        var definition = ControlCatalog.Default.Get(control.Id);
        var status = ReportJson.StatusName(control.Status);
        var id = Encode(control.Id);
        html.Append("<section class=\"control ").Append(status).Append("\" id=\"control-").Append(id).Append("\" data-control=\"").Append(id).Append("\">\n");
        html.Append("<div class=\"control-head\"><h3><span class=\"control-id\">").Append(id).Append("</span> ").Append(Encode(control.Title)).Append("</h3>")
            .Append("<p class=\"status ").Append(status).Append("\">").Append(StatusLabel(control.Status)).Append("</p></div>\n");
        html.Append("<p class=\"control-summary\">").Append(Encode(control.Summary)).Append("</p>\n");

        Line(html, "<dl class=\"catalog\">");
        Term(html, "Statement", Encode(definition.Statement));
        Term(html, "Pass rule", Encode(definition.PassRule));
        Term(html, "Evidence basis", Encode(definition.Evidence));
        Line(html, "</dl>");

        Line(html, "<h4>Evidence</h4>");
        if (control.Evidence.Count == 0)
        {
            Line(html, "<p class=\"none\">No evidence figures.</p>");
        }
        else
        {
            Line(html, "<table class=\"evidence\">");
            Line(html, "<thead><tr><th scope=\"col\">Figure</th><th scope=\"col\" class=\"num\">Value</th><th scope=\"col\" class=\"num\">Threshold</th><th scope=\"col\">What it counts</th></tr></thead>");
            Line(html, "<tbody>");
            foreach (var figure in control.Evidence)
            {
                html.Append("<tr><th scope=\"row\"><code>").Append(Encode(figure.Name)).Append("</code></th>")
                    .Append("<td class=\"num\">").Append(Number(figure.Value)).Append("</td>")
                    .Append("<td class=\"num\">").Append(figure.Threshold is { } threshold ? Number(threshold) : "<span class=\"none\">none</span>").Append("</td>")
                    .Append("<td>").Append(Encode(figure.Description)).Append("</td></tr>\n");
            }

            Line(html, "</tbody>");
            Line(html, "</table>");
        }

        Line(html, "<h4>Findings</h4>");
        if (control.Findings.Count == 0)
        {
            Line(html, "<p class=\"none\">No findings.</p>");
        }
        else
        {
            Line(html, "<ul class=\"findings\">");
            foreach (var finding in control.Findings)
            {
                html.Append("<li><p><code class=\"finding-code\">").Append(Encode(finding.Code)).Append("</code> ")
                    .Append(Encode(finding.Message))
                    .Append(" <span class=\"finding-count\">(").Append(Number(finding.Count)).Append(finding.Count == 1 ? " event" : " events").Append(")</span></p>");
                if (finding.SampleEvents.Count > 0)
                {
                    html.Append("<p class=\"samples\">")
                        .Append(finding.SampleEvents.Count < finding.Count ? "First " + Number(finding.SampleEvents.Count) + ":" : "Events:");
                    foreach (var sample in finding.SampleEvents)
                    {
                        html.Append(" <code>").Append(Encode(sample)).Append("</code>");
                    }

                    html.Append("</p>");
                }

                html.Append("</li>\n");
            }

            Line(html, "</ul>");
        }

        Line(html, "<h4>Framework mappings</h4>");
        Line(html, "<dl class=\"mappings\">");
        foreach (var framework in ControlCatalog.Default.Frameworks)
        {
            var text = definition.Mappings.GetValueOrDefault(framework.Key);
            Term(html, Encode(framework.Name), string.IsNullOrWhiteSpace(text) ? "<span class=\"none\">not mapped</span>" : Encode(text));
        }

        Line(html, "</dl>");
        Line(html, "</section>");
    }

    private static void WriteFooter(StringBuilder html, ComplianceReport report)
    {
        Line(html, "<footer id=\"report-footer\">");
        html.Append("<p>Format ").Append(Encode(ComplianceReport.Format)).Append(". Computed from the audit events under seal No. ")
            .Append(Number(report.Basis.SealNumber))
            .Append(" and policy version <span class=\"hash\">").Append(Encode(report.Basis.PolicyVersion)).Append("</span>; ")
            .Append("the report holds no time of its own, so generating it again gives the same page.</p>\n");
        html.Append("<p>Control text: ").Append(Encode(ControlCatalog.Default.Source)).Append(".</p>\n");
        Line(html, "</footer>");
    }

    /// <summary>Whole UTC days as their first and last day (<c>2026-11-01 to 2026-11-30</c>), otherwise the two instants.</summary>
    private static string PeriodHeading(ReportPeriod period)
    {
        var from = period.From.UtcDateTime;
        var to = period.To.UtcDateTime;
        if (from.TimeOfDay != TimeSpan.Zero || to.TimeOfDay != TimeSpan.Zero || to <= from)
        {
            return IsoInstant.Format(period.From) + " to " + IsoInstant.Format(period.To);
        }

        var first = DateOnly.FromDateTime(from);
        var last = DateOnly.FromDateTime(to).AddDays(-1);
        return first == last ? Day(first) : Day(first) + " to " + Day(last);
    }

    private static void Term(StringBuilder html, string encodedTerm, string encodedDefinition) =>
        html.Append("<dt>").Append(encodedTerm).Append("</dt><dd>").Append(encodedDefinition).Append("</dd>\n");

    private static void Line(StringBuilder html, string text) => html.Append(text).Append('\n');

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string StatusLabel(ControlStatus status) => status switch
    {
        ControlStatus.Pass => "&#10003; Pass",
        ControlStatus.Fail => "&#10007; Fail",
        _ => "&ndash; Not applicable",
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", Invariant);

    private static string Number(long value) => value.ToString("#,0", Invariant);

    private static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("#,0.####", Invariant) : Encode(value.ToString(Invariant));

    /// <summary>An axis label: up to four figures in full, then thousands (k) or millions (M).</summary>
    private static string Compact(long value) => value switch
    {
        < 10_000 => value.ToString(Invariant),
        < 1_000_000 => (value / 1000.0).ToString("0.#", Invariant) + "k",
        _ => (value / 1_000_000.0).ToString("0.#", Invariant) + "M",
    };

    private static string Fixed(double value) => value.ToString("0.##", Invariant);

    private static double Y(long value, long top) => PlotBottom - ((double)value / top * (PlotBottom - PlotTop));

    /// <summary>The top of the value axis: 1 for an all-zero series, else the least of 2, 4, 6, 8, 10 times a power of ten at or above <paramref name="max"/>, so the half-way tick is a whole number.</summary>
    private static long NiceMaximum(long max)
    {
        if (max <= 1)
        {
            return 1;
        }

        for (long power = 1; ; power *= 10)
        {
            foreach (var step in (ReadOnlySpan<long>)[2, 4, 6, 8, 10])
            {
                if (step * power >= max)
                {
                    return step * power;
                }
            }

            if (power > long.MaxValue / 100)
            {
                return max;
            }
        }
    }

    private const string Css = """
        :root { color-scheme: light; --ink: #1b1f24; --muted: #5a6370; --rule: #d4d9e0; --pass: #1d6b38; --fail: #a4161a; --na: #5a6370; --bar: #3b6ea5; }
        * { box-sizing: border-box; }
        html { font-family: system-ui, "Segoe UI", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 15px; line-height: 1.45; color: var(--ink); background: #fff; }
        body { margin: 0; }
        main { max-width: 1120px; margin: 0 auto; padding: 28px 32px 48px; }
        h1 { font-size: 1.8rem; margin: 0 0 4px; letter-spacing: -0.01em; }
        h2 { font-size: 1.3rem; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
        h3 { font-size: 1.15rem; margin: 0; }
        h4 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin: 18px 0 6px; }
        p { margin: 0 0 8px; }
        code, .hash { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.85em; }
        .hash { word-break: break-all; color: var(--muted); }
        .none { color: var(--muted); font-style: italic; }
        .kicker { text-transform: uppercase; letter-spacing: 0.1em; font-size: 0.8rem; color: var(--muted); margin: 0; }
        .period-note { color: var(--muted); font-size: 0.85rem; }
        dl { margin: 0; }
        .basis { display: grid; grid-template-columns: 9rem 1fr; gap: 6px 16px; margin-top: 16px; padding: 14px 16px; border: 1px solid var(--rule); border-radius: 6px; }
        .basis dt { font-weight: 600; }
        .basis dd { margin: 0; }
        .verified { color: var(--pass); font-weight: 700; }
        .not-verified { color: var(--fail); font-weight: 700; text-decoration: underline; }
        .counts { display: flex; flex-wrap: wrap; gap: 8px 24px; font-size: 1.05rem; margin-bottom: 14px; }
        .count strong { font-size: 1.6rem; margin-right: 4px; }
        .count.pass strong { color: var(--pass); }
        .count.fail strong { color: var(--fail); }
        .count.not-applicable strong { color: var(--na); }
        .count.total { color: var(--muted); align-self: flex-end; }
        .grid { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 8px; }
        .badge a { display: grid; grid-template-columns: auto 1fr; gap: 0 8px; padding: 7px 10px; border: 1px solid var(--rule); border-left-width: 5px; border-radius: 4px; color: inherit; text-decoration: none; height: 100%; }
        .badge-id { font-weight: 700; }
        .badge .mark { text-align: right; font-weight: 700; font-size: 0.85rem; }
        .badge-title { grid-column: 1 / span 2; font-size: 0.8rem; color: var(--muted); }
        .badge.pass a { border-left-color: var(--pass); }
        .badge.pass .mark { color: var(--pass); }
        .badge.fail a { border: 2px solid var(--fail); border-left-width: 5px; }
        .badge.fail .mark { color: var(--fail); }
        .badge.not-applicable a { border-style: dashed; border-left-style: solid; border-left-color: var(--na); }
        .badge.not-applicable .mark { color: var(--na); font-weight: 400; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 16px; }
        .trend { margin: 0; padding: 10px 12px 6px; border: 1px solid var(--rule); border-radius: 6px; break-inside: avoid; }
        .trend figcaption { font-size: 0.85rem; }
        .trend .total { display: block; color: var(--muted); font-size: 0.8rem; }
        svg.chart { display: block; width: 100%; height: auto; margin-top: 4px; }
        svg.chart .bar { fill: var(--bar); }
        svg.chart .axis, svg.chart .day-mark { stroke: var(--ink); stroke-width: 1; }
        svg.chart .grid-line { stroke: var(--rule); stroke-width: 1; stroke-dasharray: 3 3; }
        svg.chart text { font-size: 11px; fill: var(--muted); }
        svg.chart .axis-label { font-size: 11px; fill: var(--ink); }
        svg.chart .empty { font-size: 12px; font-style: italic; }
        .control { margin: 20px 0 0; padding: 16px 20px 18px; border: 1px solid var(--rule); border-left-width: 6px; border-radius: 6px; }
        .control.pass { border-left-color: var(--pass); }
        .control.fail { border-color: var(--fail); border-width: 2px 2px 2px 6px; }
        .control.not-applicable { border-style: dashed; border-left-style: solid; border-left-color: var(--na); }
        .control-head { display: flex; align-items: baseline; gap: 16px; justify-content: space-between; }
        .control-id { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; margin-right: 6px; }
        .status { margin: 0; font-weight: 700; white-space: nowrap; padding: 1px 10px; border: 1.5px solid currentColor; border-radius: 999px; font-size: 0.9rem; }
        .status.pass { color: var(--pass); }
        .status.fail { color: var(--fail); border-width: 2.5px; }
        .status.not-applicable { color: var(--na); border-style: dashed; font-weight: 400; }
        .control-summary { font-size: 1.05rem; margin: 8px 0 12px; }
        .catalog { display: grid; grid-template-columns: 9rem 1fr; gap: 6px 16px; font-size: 0.9rem; }
        .catalog dt { font-weight: 600; }
        .catalog dd { margin: 0; }
        table.evidence { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
        table.evidence th, table.evidence td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--rule); }
        table.evidence thead th { border-bottom: 1.5px solid var(--ink); font-size: 0.8rem; }
        table.evidence th[scope=row] { font-weight: 400; white-space: nowrap; }
        table.evidence td:last-child { width: 55%; }
        table.evidence .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .findings { margin: 0; padding-left: 20px; font-size: 0.9rem; }
        .findings li { margin-bottom: 8px; }
        .finding-code { font-weight: 700; }
        .finding-count { color: var(--muted); }
        .samples { color: var(--muted); font-size: 0.85rem; }
        .samples code { white-space: nowrap; }
        .mappings { display: grid; grid-template-columns: 14rem 1fr; gap: 4px 16px; font-size: 0.85rem; }
        .mappings dt { color: var(--muted); }
        .mappings dd { margin: 0; }
        footer { margin-top: 32px; padding-top: 10px; border-top: 1px solid var(--rule); font-size: 0.8rem; color: var(--muted); }
        @page { size: A4; margin: 14mm 12mm; }
        @media print {
          html { font-size: 10.5pt; }
          main { max-width: none; padding: 0; }
          a { color: inherit; text-decoration: none; }
          h2, h3, h4 { break-after: avoid; }
          #controls { break-before: page; }
          .control + .control { break-before: page; }
          .control { margin-top: 0; }
          .trend, table.evidence tr, .findings li, .badge { break-inside: avoid; }
          .grid { grid-template-columns: repeat(4, 1fr); }
          .charts { grid-template-columns: repeat(2, 1fr); }
        }

        """;
}
