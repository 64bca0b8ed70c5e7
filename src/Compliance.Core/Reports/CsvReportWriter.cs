using System.Globalization;
using System.Text;
using Compliance.Core.Time;

namespace Compliance.Core.Reports;

/// <summary>
/// The findings of a report as CSV (RFC 4180: comma-separated, CRLF, fields quoted when they hold a comma, quote or
/// line break), one row per finding and one row for each control without findings, so every control's status is
/// in the file. Sample event ids are space-separated. Deterministic, like every report format.
/// </summary>
public static class CsvReportWriter
{
    public static readonly IReadOnlyList<string> Columns =
        ["control_id", "control_title", "status", "finding_code", "finding", "count", "sample_events", "period_from", "period_to", "seal_number", "policy_version"];

    public static byte[] Write(ComplianceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new StringBuilder();
        Row(csv, Columns);
        var from = IsoInstant.Format(report.Period.From);
        var to = IsoInstant.Format(report.Period.To);
        var seal = report.Basis.SealNumber.ToString(CultureInfo.InvariantCulture);
        foreach (var control in report.Controls)
        {
            var status = ReportJson.StatusName(control.Status);
            if (control.Findings.Count == 0)
            {
                Row(csv, [control.Id, control.Title, status, "", control.Summary, "0", "", from, to, seal, report.Basis.PolicyVersion]);
                continue;
            }

            foreach (var finding in control.Findings)
            {
                Row(csv, [control.Id, control.Title, status, finding.Code, finding.Message, finding.Count.ToString(CultureInfo.InvariantCulture), string.Join(' ', finding.SampleEvents), from, to, seal, report.Basis.PolicyVersion]);
            }
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(csv.ToString());
    }

    private static void Row(StringBuilder csv, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            var field = fields[i];
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                csv.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                csv.Append(field);
            }
        }

        csv.Append("\r\n");
    }
}
