using System.Globalization;
using System.Text;
using System.Text.Json;
using Compliance.Core.Time;

namespace Compliance.Core.Reports;

/// <summary>
/// A report as an OSCAL 1.1.2 assessment-results document (JSON): one result for the period, one finding and one
/// observation per control. Like <see cref="ReportJson"/> it is a pure function of the report: properties in a fixed
/// order, instants from the report (<c>last-modified</c> is the seal time, never the clock), and every UUID a version 5
/// UUID derived from stable names, so writing the same report twice gives the same bytes.
/// </summary>
/// <remarks>
/// Identifiers: the document UUID names this exact revision (policy version, seal and period); the result, finding and
/// observation UUIDs name their subject (policy, period and control), so they stay the same when a later seal revises
/// the report for the same period, as OSCAL asks ("assigned per-subject"). Props we define carry <see cref="Namespace"/>;
/// OSCAL allows props without <c>ns</c> only for its registered names.
/// </remarks>
public static class OscalReportWriter
{
    /// <summary>The OSCAL model version the document conforms to.</summary>
    public const string OscalVersion = "1.1.2";

    /// <summary>The namespace of the props this product defines.</summary>
    public const string Namespace = "https://github.com/compliance-audit-functions/ns/oscal";

    /// <summary>
    /// The namespace of every UUID in the documents: the version 5 UUID of <see cref="Namespace"/> in the RFC 4122 URL
    /// namespace. Fixed: changing it changes every identifier ever published.
    /// </summary>
    public static readonly Guid UuidNamespace = new("01830563-d2f6-5787-b7a8-481d98a0fb24");

    /// <summary>The suffix that turns a control id into the id of its objective (<c>ret-1</c> → <c>ret-1_obj</c>).</summary>
    public const string ObjectiveSuffix = "_obj";

    /// <summary>How many hex digits of the policy version make the document version.</summary>
    private const int ShortHashLength = 12;

    /// <summary>The OSCAL control id of a catalog control id: lowercase, as OSCAL catalogs spell ids (<c>PUR-1</c> → <c>pur-1</c>).</summary>
    public static string ControlId(string catalogId)
    {
        ArgumentNullException.ThrowIfNull(catalogId);
#pragma warning disable CA1308 // OSCAL ids are lowercase by convention; this is an identifier mapping, not a comparison.
        return catalogId.ToLowerInvariant();
#pragma warning restore CA1308
    }

    /// <summary>The OSCAL objective id a finding on the control targets (<c>PUR-1</c> → <c>pur-1_obj</c>).</summary>
    public static string ObjectiveId(string catalogId) => ControlId(catalogId) + ObjectiveSuffix;

    /// <summary>The UUID of a name in <see cref="UuidNamespace"/>, in canonical lowercase text.</summary>
    public static string Uuid(string name) => NameBasedUuid.CreateText(UuidNamespace, name);

    /// <summary>The UUID of the document for <paramref name="report"/>: its policy version, seal and period.</summary>
    public static string DocumentUuid(ComplianceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var b = report.Basis;
        return Uuid($"assessment-results/{b.PolicyId}/{b.PolicyVersion}/{b.SealHash}/{PeriodName(report.Period)}");
    }

    /// <summary>The UUID of the result: one per policy and period.</summary>
    public static string ResultUuid(ComplianceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Uuid($"result/{SubjectName(report)}");
    }

    /// <summary>The UUID of the finding on control <paramref name="controlId"/> (catalog spelling) in the report's period.</summary>
    public static string FindingUuid(ComplianceReport report, string controlId)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Uuid($"finding/{SubjectName(report)}/{controlId}");
    }

    /// <summary>The UUID of the observation carrying the evidence of control <paramref name="controlId"/> in the report's period.</summary>
    public static string ObservationUuid(ComplianceReport report, string controlId)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Uuid($"observation/{SubjectName(report)}/{controlId}");
    }

    /// <summary>Writes <paramref name="report"/> as an OSCAL assessment-results document (UTF-8 JSON, indented).</summary>
    /// <exception cref="KeyNotFoundException">A control of the report is not in <see cref="ControlCatalog.Default"/>.</exception>
    public static byte[] Write(ComplianceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var b = report.Basis;
        var from = IsoInstant.Format(report.Period.From);
        var to = IsoInstant.Format(report.Period.To);
        var sealedAt = IsoInstant.Format(b.SealedAt);
        var planUuid = Uuid($"assessment-plan/{b.PolicyId}/{b.PolicyVersion}");
        var evaluatorUuid = Uuid("component/control-evaluator");
        var platformUuid = Uuid("assessment-platform/compliance-reporting");
        var catalog = ControlCatalog.Default;

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("assessment-results");
            json.WriteString("uuid", DocumentUuid(report));

            json.WriteStartObject("metadata");
            json.WriteString("title", $"Compliance assessment results for {from} to {to}");
            json.WriteString("last-modified", sealedAt);
            json.WriteString("version", ShortHash(b.PolicyVersion));
            json.WriteString("oscal-version", OscalVersion);
            WriteProps(json, [
                ("report-format", ComplianceReport.Format, null),
                ("policy-id", b.PolicyId, null),
                ("policy-version", b.PolicyVersion, null),
                ("seal-number", b.SealNumber.ToString(CultureInfo.InvariantCulture), null),
                ("seal-hash", b.SealHash, null),
                ("key-custody", b.KeyCustody, null),
                ("events-read", b.EventsRead.ToString(CultureInfo.InvariantCulture), null),
                ("events-in-period", b.EventsInPeriod.ToString(CultureInfo.InvariantCulture), null),
                ("trail-intact", Boolean(b.TrailIntact), null),
                ("period-fully-sealed", Boolean(b.SealedAt >= report.Period.To), null),
            ]);
            json.WriteString(
                "remarks",
                "Generated from the sealed audit trail: last-modified is the time of the seal the report rests on, and the document version is the policy version (SHA-256) shortened.");
            json.WriteEndObject();

            json.WriteStartObject("import-ap");
            json.WriteString("href", "#" + planUuid);
            json.WriteString(
                "remarks",
                "No OSCAL assessment plan is published; the back-matter resource this points to stands for the plan: the shipped control catalog and the policy version named there.");
            json.WriteEndObject();

            json.WriteStartArray("results");
            json.WriteStartObject();
            json.WriteString("uuid", ResultUuid(report));
            json.WriteString("title", $"Automated evaluation of {report.Controls.Count} controls, {from} to {to}");
            json.WriteString(
                "description",
                $"Each control evaluated from the hash-chained audit trail up to seal {b.SealNumber.ToString(CultureInfo.InvariantCulture)} under policy {b.PolicyId}: {report.Passed.ToString(CultureInfo.InvariantCulture)} satisfied, {report.Failed.ToString(CultureInfo.InvariantCulture)} not satisfied, {report.NotApplicable.ToString(CultureInfo.InvariantCulture)} not applicable.");
            json.WriteString("start", from);
            json.WriteString("end", to);
            WriteProps(json, [
                ("controls-evaluated", report.Controls.Count.ToString(CultureInfo.InvariantCulture), null),
                ("controls-passed", report.Passed.ToString(CultureInfo.InvariantCulture), null),
                ("controls-failed", report.Failed.ToString(CultureInfo.InvariantCulture), null),
                ("controls-not-applicable", report.NotApplicable.ToString(CultureInfo.InvariantCulture), null),
            ]);

            WriteLocalDefinitions(json, evaluatorUuid, platformUuid);

            json.WriteStartObject("reviewed-controls");
            json.WriteStartArray("control-selections");
            json.WriteStartObject();
            if (report.Controls.Count == 0)
            {
                json.WriteString("description", "No controls were evaluated.");
            }
            else
            {
                json.WriteStartArray("include-controls");
                foreach (var control in report.Controls)
                {
                    json.WriteStartObject();
                    json.WriteString("control-id", ControlId(control.Id));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();

            if (report.Controls.Count > 0)
            {
                json.WriteStartArray("observations");
                foreach (var control in report.Controls)
                {
                    WriteObservation(json, report, control, evaluatorUuid, sealedAt);
                }

                json.WriteEndArray();

                json.WriteStartArray("findings");
                foreach (var control in report.Controls)
                {
                    WriteFinding(json, report, control, catalog);
                }

                json.WriteEndArray();
            }

            json.WriteString("remarks", "The period is half-open: events at the end instant are not included.");
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartObject("back-matter");
            json.WriteStartArray("resources");
            json.WriteStartObject();
            json.WriteString("uuid", planUuid);
            json.WriteString("title", $"Assessment plan: control catalog under policy {b.PolicyId} version {ShortHash(b.PolicyVersion)}");
            json.WriteString("description", catalog.Source);
            WriteProps(json, [
                ("policy-id", b.PolicyId, null),
                ("policy-version", b.PolicyVersion, null),
            ]);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteLocalDefinitions(Utf8JsonWriter json, string evaluatorUuid, string platformUuid)
    {
        json.WriteStartObject("local-definitions");
        json.WriteStartObject("assessment-assets");
        json.WriteStartArray("components");
        json.WriteStartObject();
        json.WriteString("uuid", evaluatorUuid);
        json.WriteString("type", "software");
        json.WriteString("title", "Control evaluator");
        json.WriteString("description", "Computes each control's evidence from the sealed, hash-chained audit trail and applies the pass rule.");
        json.WriteStartObject("status");
        json.WriteString("state", "operational");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartArray("assessment-platforms");
        json.WriteStartObject();
        json.WriteString("uuid", platformUuid);
        json.WriteString("title", "Compliance reporting service");
        json.WriteStartArray("uses-components");
        json.WriteStartObject();
        json.WriteString("component-uuid", evaluatorUuid);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteObservation(Utf8JsonWriter json, ComplianceReport report, ControlResult control, string evaluatorUuid, string collected)
    {
        json.WriteStartObject();
        json.WriteString("uuid", ObservationUuid(report, control.Id));
        json.WriteString("title", $"{control.Id} evidence");
        json.WriteString("description", $"The evidence figures and findings computed for {control.Id} ({control.Title}) over the period.");
        WriteProps(json, [("control-id", ControlId(control.Id), null)]);
        json.WriteStartArray("methods");
        json.WriteStringValue("TEST");
        json.WriteEndArray();
        json.WriteStartArray("types");
        json.WriteStringValue("control-objective");
        json.WriteEndArray();
        json.WriteStartArray("origins");
        json.WriteStartObject();
        json.WriteStartArray("actors");
        json.WriteStartObject();
        json.WriteString("type", "tool");
        json.WriteString("actor-uuid", evaluatorUuid);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();

        if (control.Evidence.Count + control.Findings.Count > 0)
        {
            json.WriteStartArray("relevant-evidence");
            foreach (var figure in control.Evidence)
            {
                var value = Number(figure.Value);
                var threshold = figure.Threshold is { } t ? Number(t) : null;
                json.WriteStartObject();
                json.WriteString(
                    "description",
                    threshold is null
                        ? $"{figure.Name} = {value}: {figure.Description}"
                        : $"{figure.Name} = {value} (threshold {threshold}): {figure.Description}");
                WriteProps(json, [
                    ("evidence-figure", figure.Name, null),
                    ("evidence-value", value, null),
                    ("evidence-threshold", threshold, null),
                ]);
                json.WriteEndObject();
            }

            foreach (var finding in control.Findings)
            {
                json.WriteStartObject();
                json.WriteString("description", finding.Message);
                WriteProps(json, [
                    ("finding-code", finding.Code, null),
                    ("finding-count", finding.Count.ToString(CultureInfo.InvariantCulture), null),
                    .. finding.SampleEvents.Select(id => ("sample-event", (string?)id, (string?)null)),
                ]);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteString("collected", collected);
        json.WriteEndObject();
    }

    private static void WriteFinding(Utf8JsonWriter json, ComplianceReport report, ControlResult control, ControlCatalog catalog)
    {
        var definition = catalog.Get(control.Id);
        var mappings = catalog.Frameworks
            .Where(f => definition.Mappings.ContainsKey(f.Key))
            .Select(f => ("framework-mapping", (string?)definition.Mappings[f.Key], (string?)f.Key));

        json.WriteStartObject();
        json.WriteString("uuid", FindingUuid(report, control.Id));
        json.WriteString("title", $"{control.Id}: {control.Title}");
        json.WriteString("description", control.Summary);
        WriteProps(json, [
            ("control-status", ReportJson.StatusName(control.Status), null),
            .. mappings,
            .. definition.NistPfIds.Select(id => ("nist-pf-subcategory", (string?)id, (string?)null)),
            .. definition.AiRmfIds.Select(id => ("nist-ai-rmf-subcategory", (string?)id, (string?)null)),
            .. definition.GdprArticles.Select(id => ("gdpr-provision", (string?)id, (string?)null)),
        ]);

        json.WriteStartObject("target");
        json.WriteString("type", "objective-id");
        json.WriteString("target-id", ObjectiveId(control.Id));
        json.WriteString("title", definition.Title);
        json.WriteString("description", definition.Statement);
        json.WriteStartObject("status");
        switch (control.Status)
        {
            case ControlStatus.Pass:
                json.WriteString("state", "satisfied");
                json.WriteString("reason", "pass");
                break;
            case ControlStatus.Fail:
                json.WriteString("state", "not-satisfied");
                json.WriteString("reason", "fail");
                break;
            default:
                // OSCAL has no third state. Nothing in the period broke the rule, so the objective is not failed;
                // the reason and the implementation status say it was not applicable rather than passed.
                json.WriteString("state", "satisfied");
                json.WriteString("reason", "other");
                json.WriteString("remarks", "Not applicable: nothing in the period to judge against the pass rule.");
                break;
        }

        json.WriteEndObject();
        if (control.Status == ControlStatus.NotApplicable)
        {
            json.WriteStartObject("implementation-status");
            json.WriteString("state", "not-applicable");
            json.WriteEndObject();
        }

        json.WriteString("remarks", "Pass rule: " + definition.PassRule);
        json.WriteEndObject();

        json.WriteStartArray("related-observations");
        json.WriteStartObject();
        json.WriteString("observation-uuid", ObservationUuid(report, control.Id));
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// Writes <c>props</c> (all in <see cref="Namespace"/>) if any has a value. OSCAL prop values may not be empty, start
    /// or end with whitespace, or span lines, so whitespace runs collapse to one space and empty values are left out.
    /// </summary>
    private static void WriteProps(Utf8JsonWriter json, IReadOnlyList<(string Name, string? Value, string? Class)> props)
    {
        var written = false;
        foreach (var (name, raw, cls) in props)
        {
            var value = PropValue(raw);
            if (value is null)
            {
                continue;
            }

            if (!written)
            {
                json.WriteStartArray("props");
                written = true;
            }

            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("ns", Namespace);
            json.WriteString("value", value);
            if (cls is not null)
            {
                json.WriteString("class", cls);
            }

            json.WriteEndObject();
        }

        if (written)
        {
            json.WriteEndArray();
        }
    }

    private static string? PropValue(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var text = new StringBuilder(raw.Length);
        var space = false;
        foreach (var c in raw.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(c);
        }

        return text.ToString();
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Boolean(bool value) => value ? "true" : "false";

    private static string ShortHash(string policyVersion) =>
        policyVersion.Length > ShortHashLength ? policyVersion[..ShortHashLength] : policyVersion;

    private static string PeriodName(ReportPeriod period) =>
        $"{IsoInstant.Format(period.From)}/{IsoInstant.Format(period.To)}";

    private static string SubjectName(ComplianceReport report) => $"{report.Basis.PolicyId}/{PeriodName(report.Period)}";
}
