using System.Text;
using Compliance.Core.Reports;
using Compliance.TestSupport;

namespace Compliance.Core.Tests.Reports;

public sealed class CsvReportWriterTests
{
    [Fact]
    public void Write_SampleReport_OneRowPerFindingAndPerControlWithout()
    {
        var report = SampleReports.Full();

        var lines = Encoding.UTF8.GetString(CsvReportWriter.Write(report)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(string.Join(',', CsvReportWriter.Columns), lines[0]);
        Assert.Equal(1 + report.Controls.Sum(c => Math.Max(1, c.Findings.Count)), lines.Length);
        Assert.All(report.Controls, c => Assert.Contains(lines, l => l.StartsWith(c.Id + ",", StringComparison.Ordinal)));
    }

    [Fact]
    public void Write_FieldsWithCommasQuotesAndLineBreaks_QuotedPerRfc4180()
    {
        var report = SampleReports.Full();
        var control = report.Controls[0] with { Findings = [new ControlFinding("CODE", "a \"quoted\", multi\nline message", 2, ["s00/1", "s00/2"])] };

        var text = Encoding.UTF8.GetString(CsvReportWriter.Write(report with { Controls = [control] }));

        Assert.Contains(",\"a \"\"quoted\"\", multi\nline message\",2,s00/1 s00/2,", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Twice_SameBytesWithoutByteOrderMark()
    {
        var report = SampleReports.Full();

        var first = CsvReportWriter.Write(report);

        Assert.Equal(first, CsvReportWriter.Write(report));
        Assert.NotEqual(0xEF, first[0]);
    }
}
