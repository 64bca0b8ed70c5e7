using System.Globalization;
using System.Text.Json;
using Compliance.Core.Time;

namespace Compliance.Core.Reports;

/// <summary>
/// The canonical JSON of a report: properties in a fixed order, instants in UTC ISO-8601, numbers in invariant
/// culture, indented, no time of generation. The same report always gives the same bytes, so its SHA-256 is
/// stable and can be recorded and re-derived.
/// </summary>
public static class ReportJson
{
    public static byte[] Write(ComplianceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", ComplianceReport.Format);
            json.WriteStartObject("period");
            json.WriteString("from", IsoInstant.Format(report.Period.From));
            json.WriteString("to", IsoInstant.Format(report.Period.To));
            json.WriteEndObject();

            var b = report.Basis;
            json.WriteStartObject("basis");
            json.WriteNumber("sealNumber", b.SealNumber);
            json.WriteString("sealHash", b.SealHash);
            json.WriteString("sealedAt", IsoInstant.Format(b.SealedAt));
            json.WriteBoolean("periodFullySealed", b.SealedAt >= report.Period.To);
            json.WriteString("policyId", b.PolicyId);
            json.WriteString("policyVersion", b.PolicyVersion);
            json.WriteString("keyCustody", b.KeyCustody);
            json.WriteNumber("eventsRead", b.EventsRead);
            json.WriteNumber("eventsInPeriod", b.EventsInPeriod);
            json.WriteBoolean("trailIntact", b.TrailIntact);
            json.WriteEndObject();

            json.WriteStartObject("summary");
            json.WriteNumber("controls", report.Controls.Count);
            json.WriteNumber("passed", report.Passed);
            json.WriteNumber("failed", report.Failed);
            json.WriteNumber("notApplicable", report.NotApplicable);
            json.WriteEndObject();

            json.WriteStartArray("controls");
            foreach (var control in report.Controls)
            {
                var definition = ControlCatalog.Default.Get(control.Id);
                json.WriteStartObject();
                json.WriteString("id", control.Id);
                json.WriteString("title", control.Title);
                json.WriteString("status", StatusName(control.Status));
                json.WriteString("summary", control.Summary);
                json.WriteString("statement", definition.Statement);
                json.WriteString("passRule", definition.PassRule);
                json.WriteStartObject("mappings");
                foreach (var (framework, text) in definition.Mappings.OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    json.WriteString(framework, text);
                }

                json.WriteEndObject();
                json.WriteStartArray("evidence");
                foreach (var figure in control.Evidence)
                {
                    json.WriteStartObject();
                    json.WriteString("name", figure.Name);
                    json.WriteNumber("value", figure.Value);
                    if (figure.Threshold is { } threshold)
                    {
                        json.WriteNumber("threshold", threshold);
                    }
                    else
                    {
                        json.WriteNull("threshold");
                    }

                    json.WriteString("description", figure.Description);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("findings");
                foreach (var finding in control.Findings)
                {
                    json.WriteStartObject();
                    json.WriteString("code", finding.Code);
                    json.WriteString("message", finding.Message);
                    json.WriteNumber("count", finding.Count);
                    json.WriteStartArray("sampleEvents");
                    foreach (var id in finding.SampleEvents)
                    {
                        json.WriteStringValue(id);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("trends");
            foreach (var series in report.Trends)
            {
                json.WriteStartObject();
                json.WriteString("name", series.Name);
                json.WriteString("description", series.Description);
                json.WriteStartArray("points");
                foreach (var point in series.Points)
                {
                    json.WriteStartObject();
                    json.WriteString("day", point.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    json.WriteNumber("value", point.Value);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static string StatusName(ControlStatus status) => status switch
    {
        ControlStatus.Pass => "pass",
        ControlStatus.Fail => "fail",
        _ => "not-applicable",
    };
}
