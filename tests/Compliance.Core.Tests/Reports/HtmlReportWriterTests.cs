using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Compliance.Core.Reports;
using Compliance.TestSupport;

namespace Compliance.Core.Tests.Reports;

public sealed partial class HtmlReportWriterTests
{
    private static string Html(ComplianceReport report) => Encoding.UTF8.GetString(HtmlReportWriter.Write(report));

    [Fact]
    public void Write_IsDeterministic_TheSameReportGivesTheSameBytes()
    {
        var first = HtmlReportWriter.Write(SampleReports.Full());
        var second = HtmlReportWriter.Write(SampleReports.Full());

        Assert.Equal(first, second);
    }

    [Fact]
    public void Write_UsesInvariantCulture_WhateverTheCurrentCulture()
    {
        var invariant = HtmlReportWriter.Write(SampleReports.Full());
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(invariant, HtmlReportWriter.Write(SampleReports.Full()));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        var html = Encoding.UTF8.GetString(invariant);
        Assert.Contains(">0.975<", html, StringComparison.Ordinal);
        Assert.Contains(">0.95<", html, StringComparison.Ordinal);
        Assert.Contains("48,213 read", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_IsUtf8Html5_WithoutByteOrderMark()
    {
        var bytes = HtmlReportWriter.Write(SampleReports.Full());

        Assert.NotEqual(0xEF, bytes[0]);
        var html = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_IsHtmlEncoded_AScriptInASummaryComesOutAsText()
    {
        var html = Html(SampleReports.WithFirstSummary("<script>alert(\"x\")</script> & <b>bold</b>"));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_ShowsTheBasis()
    {
        var report = SampleReports.Full();
        var html = Html(report);

        Assert.Contains("<title>Compliance report 2026-11-01 to 2026-11-30</title>", html, StringComparison.Ordinal);
        Assert.Contains("<h1>2026-11-01 to 2026-11-30</h1>", html, StringComparison.Ordinal);
        Assert.Contains("from 2026-11-01T00:00:00Z up to, not including, 2026-12-01T00:00:00Z", html, StringComparison.Ordinal);
        Assert.Contains(report.Basis.PolicyId, html, StringComparison.Ordinal);
        Assert.Contains(report.Basis.PolicyVersion, html, StringComparison.Ordinal);
        Assert.Contains(report.Basis.SealHash, html, StringComparison.Ordinal);
        Assert.Contains("No. 742, sealed 2026-12-01T01:00:00Z (covers the whole period)", html, StringComparison.Ordinal);
        Assert.Contains("Azure Key Vault", html, StringComparison.Ordinal);
        Assert.Contains("class=\"verified\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT VERIFIED", html, StringComparison.Ordinal);

        var broken = Html(report with { Basis = report.Basis with { TrailIntact = false, SealedAt = report.Period.To.AddHours(-3) } });
        Assert.Contains("NOT VERIFIED", broken, StringComparison.Ordinal);
        Assert.Contains("<h1>2026-11-01T06:30:00Z to 2026-12-01T00:00:00Z</h1>", Html(report with { Period = report.Period with { From = report.Period.From.AddHours(6.5) } }), StringComparison.Ordinal);
        Assert.Contains("the period is not fully sealed yet", broken, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_CountsTheOutcomes_AndHasABadgePerControl()
    {
        var report = SampleReports.Full();
        var html = Html(report);

        var summary = Section(html, "<section id=\"summary\">");
        Assert.Contains($"<strong>{report.Passed}</strong> passed", summary, StringComparison.Ordinal);
        Assert.Contains($"<strong>{report.Failed}</strong> failed", summary, StringComparison.Ordinal);
        Assert.Contains($"<strong>{report.NotApplicable}</strong> not applicable", summary, StringComparison.Ordinal);
        Assert.Equal(
            report.Controls.Select(c => $"{ReportJson.StatusName(c.Status)} {c.Id}"),
            Badge().Matches(summary).Select(m => $"{m.Groups["status"].Value} {m.Groups["id"].Value}"));
    }

    [Fact]
    public void EveryControl_HasASection_WithItsStatus_CatalogText_EvidenceFindingsAndMappings()
    {
        var report = SampleReports.Full();
        var html = Html(report);

        Assert.Equal(
            report.Controls.Select(c => $"{ReportJson.StatusName(c.Status)} {c.Id}"),
            ControlSection().Matches(html).Select(m => $"{m.Groups["status"].Value} {m.Groups["id"].Value}"));
        Assert.All(report.Controls, control =>
        {
            var section = Section(html, $"<section class=\"control {ReportJson.StatusName(control.Status)}\" id=\"control-{control.Id}\"");
            var definition = ControlCatalog.Default.Get(control.Id);
            Assert.Contains(Encode(control.Title), section, StringComparison.Ordinal);
            Assert.Contains(Encode(control.Summary), section, StringComparison.Ordinal);
            Assert.Contains(Encode(definition.Statement), section, StringComparison.Ordinal);
            Assert.Contains(Encode(definition.PassRule), section, StringComparison.Ordinal);
            Assert.All(control.Evidence, figure => Assert.Contains($"<code>{figure.Name}</code>", section, StringComparison.Ordinal));
            Assert.All(control.Findings.SelectMany(f => f.SampleEvents), id => Assert.Contains($"<code>{id}</code>", section, StringComparison.Ordinal));
            Assert.All(ControlCatalog.Default.Frameworks, framework => Assert.Contains($"<dt>{Encode(framework.Name)}</dt>", section, StringComparison.Ordinal));
        });
    }

    [Fact]
    public void Page_IsSelfContained_NoRequestsAndNoScript()
    {
        var html = Html(SampleReports.Full());

        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">", html, StringComparison.Ordinal);
        Assert.Empty(ExternalReference().Matches(html));
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.All(Regex.Matches(html, "href=\"([^\"]*)\"").Select(m => m.Groups[1].Value), href => Assert.StartsWith("#control-", href, StringComparison.Ordinal));
    }

    [Fact]
    public void Charts_OneSvgPerTrendSeries_EachWithATitle()
    {
        var report = SampleReports.Full();
        var html = Html(report);

        var charts = Chart().Matches(html);
        Assert.Equal(report.Trends.Count, charts.Count);
        for (var i = 0; i < charts.Count; i++)
        {
            var series = report.Trends[i];
            var svg = charts[i].Value;
            Assert.Contains($"<title id=\"chart-{i}-title\">{Encode(series.Name + ": " + series.Description)}</title>", svg, StringComparison.Ordinal);
            Assert.Contains("class=\"axis-label\"", svg, StringComparison.Ordinal);
            Assert.Equal(series.Points.Count(p => p.Value > 0), Regex.Count(svg, "<rect class=\"bar\""));
        }
    }

    [Fact]
    public void Charts_AllZeroAndSingleDaySeries_DrawWithoutBarsOrWithOne()
    {
        var html = Html(SampleReports.Full());
        var charts = Chart().Matches(html);

        var allZero = charts[3].Value;
        Assert.Contains("none in the period", allZero, StringComparison.Ordinal);
        Assert.DoesNotContain("<rect", allZero, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", html, StringComparison.Ordinal);

        var singleDay = charts[4].Value;
        Assert.Single(Regex.Matches(singleDay, "<rect class=\"bar\""));
        Assert.Contains("text-anchor=\"middle\">2026-11-14</text>", singleDay, StringComparison.Ordinal);
        Assert.Contains("day (UTC), 1 day", singleDay, StringComparison.Ordinal);
    }

    [Fact]
    public void Charts_TheValueAxisEndsAtARoundNumberAboveTheHighestDay()
    {
        var report = SampleReports.Full() with { Trends = [new TrendSeries("x", "x per day", [new TrendPoint(new DateOnly(2026, 11, 1), 7), new TrendPoint(new DateOnly(2026, 11, 2), 0)])] };
        var svg = Chart().Match(Html(report)).Value;

        Assert.Equal(["0", "4", "8"], Regex.Matches(svg, "<text class=\"tick\"[^>]*text-anchor=\"end\">([^<]*)</text>").Select(m => m.Groups[1].Value).Take(3));
    }

    [Fact]
    public void AReportWithoutTrendsOrWithEmptySeries_StillRenders()
    {
        var report = SampleReports.Full();

        Assert.Contains("The report has no trend series.", Html(report with { Trends = [] }), StringComparison.Ordinal);
        Assert.Contains("none in the period", Html(report with { Trends = [new TrendSeries("empty", "nothing", [])] }), StringComparison.Ordinal);
    }

    private static string Encode(string text) => System.Net.WebUtility.HtmlEncode(text);

    /// <summary>The text from <paramref name="start"/> to the end of its section (sections of the page do not nest past one level).</summary>
    private static string Section(string html, string start)
    {
        var from = html.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' was not found.");
        var to = html.IndexOf("</section>", from, StringComparison.Ordinal);
        return html[from..to];
    }

    [GeneratedRegex("<li class=\"badge (?<status>pass|fail|not-applicable)\" data-control=\"(?<id>[A-Z]+-[0-9]+)\">")]
    private static partial Regex Badge();

    [GeneratedRegex("<section class=\"control (?<status>pass|fail|not-applicable)\" id=\"control-(?<id>[A-Z]+-[0-9]+)\" data-control=\"\\k<id>\">")]
    private static partial Regex ControlSection();

    [GeneratedRegex("<svg class=\"chart\".*?</svg>", RegexOptions.Singleline)]
    private static partial Regex Chart();

    [GeneratedRegex("\\b(?:src|href|action|poster|data)\\s*=\\s*[\"']?\\s*(?:[a-z]+:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
