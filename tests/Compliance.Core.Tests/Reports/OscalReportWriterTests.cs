using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Compliance.Core.Reports;
using Json.Schema;

namespace Compliance.Core.Tests.Reports;

public sealed partial class OscalReportWriterTests
{
    private static readonly string SchemaPath = Path.Combine(AppContext.BaseDirectory, "Reports", "Oscal", "oscal_assessment-results_schema.json");

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(SchemaPath)));

    private static readonly DateTimeOffset From = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset To = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset SealedAt = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    private const string PolicyVersion = "3f8a1c2b9d0e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c";

    private const string SealHash = "9c1d4e7f0a2b5c8d1e4f7a0b3c6d9e2f5a8b1c4d7e0f3a6b9c2d5e8f1a4b7c0d";

    [Fact]
    public void NameBasedUuid_MatchesTheRfcVector()
    {
        Assert.Equal("2ed6657d-e927-568b-95e1-2665a8aea6a2", NameBasedUuid.CreateText(NameBasedUuid.DnsNamespace, "www.example.com"));
        Assert.Equal("886313e1-3b8a-5372-9b90-0c9aee199e5d", NameBasedUuid.CreateText(NameBasedUuid.DnsNamespace, "python.org"));
    }

    [Fact]
    public void UuidNamespace_IsTheV5UuidOfThePropNamespaceUrl()
    {
        Assert.Equal(NameBasedUuid.Create(NameBasedUuid.UrlNamespace, OscalReportWriter.Namespace), OscalReportWriter.UuidNamespace);
    }

    [Fact]
    public void NameBasedUuid_SetsVersion5AndTheRfc4122Variant()
    {
        foreach (var name in new[] { string.Empty, "a", "finding/x/PUR-1", "é ü 名前", new string('z', 1000) })
        {
            Assert.Matches(V5Uuid(), NameBasedUuid.CreateText(OscalReportWriter.UuidNamespace, name));
            Assert.Equal(NameBasedUuid.Create(OscalReportWriter.UuidNamespace, name), NameBasedUuid.Create(OscalReportWriter.UuidNamespace, name));
        }

        Assert.NotEqual(NameBasedUuid.Create(OscalReportWriter.UuidNamespace, "a"), NameBasedUuid.Create(NameBasedUuid.UrlNamespace, "a"));
    }

    [Fact]
    public void Schema_AcceptsTheReferenceExample()
    {
        var example = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reports", "Oscal", "oscal-ar-populated.json"));
        AssertValid(JsonNode.Parse(example)!);
    }

    [Fact]
    public void Write_ValidatesAgainstTheOscal112Schema()
    {
        AssertValid(Parse(OscalReportWriter.Write(SampleReport())));
    }

    [Fact]
    public void Write_ReportWithoutControls_StillValidates()
    {
        var report = SampleReport() with { Controls = [] };
        var root = Parse(OscalReportWriter.Write(report));

        AssertValid(root);
        Assert.Null(Result(root)["findings"]);
        Assert.Null(Result(root)["observations"]);
    }

    [Theory]
    [InlineData("metadata", "title")]
    [InlineData("metadata", "last-modified")]
    [InlineData("metadata", "oscal-version")]
    [InlineData("assessment-results", "import-ap")]
    [InlineData("result", "reviewed-controls")]
    [InlineData("finding", "target")]
    [InlineData("observation", "methods")]
    public void Validator_RejectsTheDocumentWithARequiredFieldDropped(string owner, string property)
    {
        var root = Parse(OscalReportWriter.Write(SampleReport()));
        var ar = root["assessment-results"]!.AsObject();
        var parent = owner switch
        {
            "assessment-results" => ar,
            "metadata" => ar["metadata"]!.AsObject(),
            "result" => Result(root),
            "finding" => Result(root)["findings"]![0]!.AsObject(),
            "observation" => Result(root)["observations"]![0]!.AsObject(),
            _ => throw new ArgumentOutOfRangeException(nameof(owner)),
        };
        AssertValid(root);

        Assert.True(parent.Remove(property));

        Assert.False(Evaluate(root).IsValid, $"{owner}.{property} removed, yet the document validated");
    }

    [Fact]
    public void Validator_RejectsAVersion1Uuid()
    {
        var root = Parse(OscalReportWriter.Write(SampleReport()));
        root["assessment-results"]!["uuid"] = "c232ab00-9414-11ec-b3c8-9f6bdeced846";

        Assert.False(Evaluate(root).IsValid);
    }

    [Fact]
    public void Write_TwiceGivesTheSameBytes()
    {
        var first = OscalReportWriter.Write(SampleReport());
        var second = OscalReportWriter.Write(SampleReport());

        Assert.Equal(first, second);
    }

    [Fact]
    public void Write_HeaderComesFromTheReport_NotTheClock()
    {
        var root = Parse(OscalReportWriter.Write(SampleReport()));
        var metadata = root["assessment-results"]!["metadata"]!;
        var result = Result(root);

        Assert.Equal("2026-12-01T02:00:00Z", (string?)metadata["last-modified"]);
        Assert.Equal("1.1.2", (string?)metadata["oscal-version"]);
        Assert.Equal(PolicyVersion[..12], (string?)metadata["version"]);
        Assert.Contains("2026-11-01T00:00:00Z to 2026-12-01T00:00:00Z", (string?)metadata["title"], StringComparison.Ordinal);
        Assert.Equal("2026-11-01T00:00:00Z", (string?)result["start"]);
        Assert.Equal("2026-12-01T00:00:00Z", (string?)result["end"]);

        var href = (string)root["assessment-results"]!["import-ap"]!["href"]!;
        var resource = Assert.Single(root["assessment-results"]!["back-matter"]!["resources"]!.AsArray());
        Assert.Equal("#" + (string?)resource!["uuid"], href);
    }

    [Fact]
    public void EveryUuid_IsVersion5_Unique_AndStableAcrossWrites()
    {
        var uuids = Uuids(Parse(OscalReportWriter.Write(SampleReport())));

        Assert.All(uuids, u => Assert.Matches(V5Uuid(), u));
        Assert.Equal(uuids.Count, uuids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(uuids, Uuids(Parse(OscalReportWriter.Write(SampleReport()))));
    }

    [Fact]
    public void Uuids_FollowTheirSubject()
    {
        var report = SampleReport();
        var resealed = report with { Basis = report.Basis with { SealNumber = 8, SealHash = new string('e', 64), SealedAt = SealedAt.AddDays(1) } };
        var nextMonth = report with { Period = new ReportPeriod(To, To.AddMonths(1)) };

        // A new seal for the same period is a new revision of the document, of the same result and findings.
        Assert.NotEqual(OscalReportWriter.DocumentUuid(report), OscalReportWriter.DocumentUuid(resealed));
        Assert.Equal(OscalReportWriter.ResultUuid(report), OscalReportWriter.ResultUuid(resealed));
        Assert.Equal(OscalReportWriter.FindingUuid(report, "PUR-1"), OscalReportWriter.FindingUuid(resealed, "PUR-1"));

        // Another period is another subject.
        Assert.NotEqual(OscalReportWriter.ResultUuid(report), OscalReportWriter.ResultUuid(nextMonth));
        Assert.NotEqual(OscalReportWriter.FindingUuid(report, "PUR-1"), OscalReportWriter.FindingUuid(nextMonth, "PUR-1"));
        Assert.NotEqual(OscalReportWriter.FindingUuid(report, "PUR-1"), OscalReportWriter.FindingUuid(report, "RET-1"));

        var root = Parse(OscalReportWriter.Write(report));
        Assert.Equal(OscalReportWriter.DocumentUuid(report), (string?)root["assessment-results"]!["uuid"]);
        Assert.Equal(OscalReportWriter.ResultUuid(report), (string?)Result(root)["uuid"]);
    }

    [Fact]
    public void EveryControl_IsReviewed_AndHasOneFindingWithTheMappedStatus()
    {
        var report = SampleReport();
        var result = Result(Parse(OscalReportWriter.Write(report)));

        var reviewed = result["reviewed-controls"]!["control-selections"]![0]!["include-controls"]!.AsArray()
            .Select(c => (string)c!["control-id"]!);
        Assert.Equal(["pur-1", "ret-1", "mdl-1", "log-1"], reviewed);

        var findings = result["findings"]!.AsArray().Select(f => f!.AsObject()).ToList();
        Assert.Equal(report.Controls.Count, findings.Count);
        var observationUuids = result["observations"]!.AsArray().Select(o => (string)o!["uuid"]!).ToHashSet(StringComparer.Ordinal);
        foreach (var (control, finding) in report.Controls.Zip(findings))
        {
            var target = finding["target"]!;
            Assert.Equal("objective-id", (string?)target["type"]);
            Assert.Equal(OscalReportWriter.ControlId(control.Id) + "_obj", (string?)target["target-id"]);
            Assert.Equal(OscalReportWriter.FindingUuid(report, control.Id), (string?)finding["uuid"]);
            Assert.Equal(control.Summary, (string?)finding["description"]);
            Assert.StartsWith(control.Id + ": " + control.Title, (string?)finding["title"], StringComparison.Ordinal);
            Assert.Contains((string)finding["related-observations"]![0]!["observation-uuid"]!, observationUuids);

            var (state, reason) = control.Status switch
            {
                ControlStatus.Pass => ("satisfied", "pass"),
                ControlStatus.Fail => ("not-satisfied", "fail"),
                _ => ("satisfied", "other"),
            };
            Assert.Equal(state, (string?)target["status"]!["state"]);
            Assert.Equal(reason, (string?)target["status"]!["reason"]);
            Assert.Equal(
                control.Status == ControlStatus.NotApplicable ? "not-applicable" : null,
                (string?)target["implementation-status"]?["state"]);
            Assert.Equal(ReportJson.StatusName(control.Status), Prop(finding, "control-status").Single());
        }
    }

    [Fact]
    public void Findings_CarryTheFrameworkMappingsOfTheCatalog_InOurNamespace()
    {
        var root = Parse(OscalReportWriter.Write(SampleReport()));
        var finding = Result(root)["findings"]![0]!.AsObject();
        var definition = ControlCatalog.Default.Get("PUR-1");

        var mappings = finding["props"]!.AsArray()
            .Where(p => (string?)p!["name"] == "framework-mapping")
            .Select(p => ((string)p!["class"]!, (string)p["value"]!));
        Assert.Equal(
            ControlCatalog.Default.Frameworks.Where(f => !string.IsNullOrWhiteSpace(definition.Mappings[f.Key])).Select(f => (f.Key, definition.Mappings[f.Key].Trim())),
            mappings);
        Assert.Equal(definition.NistPfIds, Prop(finding, "nist-pf-subcategory"));
        Assert.Equal(definition.GdprArticles, Prop(finding, "gdpr-provision"));
        Assert.All(AllProps(root), p => Assert.Equal(OscalReportWriter.Namespace, (string?)p["ns"]));
    }

    [Fact]
    public void Observations_CarryTheEvidenceFigures_AndTheSampleEvents()
    {
        var report = SampleReport();
        var result = Result(Parse(OscalReportWriter.Write(report)));
        var observation = result["observations"]![1]!.AsObject();

        Assert.Equal(OscalReportWriter.ObservationUuid(report, "RET-1"), (string?)observation["uuid"]);
        Assert.Equal("2026-12-01T02:00:00Z", (string?)observation["collected"]);
        var evidence = observation["relevant-evidence"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(3, evidence.Count);

        Assert.Equal(["overRetained"], Prop(evidence[0], "evidence-figure"));
        Assert.Equal(["3"], Prop(evidence[0], "evidence-value"));
        Assert.Equal(["0"], Prop(evidence[0], "evidence-threshold"));
        Assert.Equal(["retention.days"], Prop(evidence[1], "evidence-figure"));
        Assert.Equal(["30.5"], Prop(evidence[1], "evidence-value"));
        Assert.Empty(Prop(evidence[1], "evidence-threshold"));

        Assert.Equal("Records kept past the category's retention.", (string?)evidence[2]["description"]);
        Assert.Equal(["RET_OVER_RETAINED"], Prop(evidence[2], "finding-code"));
        Assert.Equal(["3"], Prop(evidence[2], "finding-count"));
        Assert.Equal(["ingest-keystroke/17", "ingest-keystroke/18", "ingest-keystroke/21"], Prop(evidence[2], "sample-event"));
    }

    private static ComplianceReport SampleReport()
    {
        static ControlResult Control(string id, ControlStatus status, string summary, IReadOnlyList<EvidenceFigure> evidence, IReadOnlyList<ControlFinding> findings) =>
            new(id, ControlCatalog.Default.Get(id).Title, status, summary, evidence, findings);

        return new ComplianceReport(
            new ReportPeriod(From, To),
            new ReportBasis(7, SealHash, SealedAt, "telemetry-default", PolicyVersion, "local-file", 1200, 950, TrailIntact: true),
            [
                Control("PUR-1", ControlStatus.Pass, "Every read named an allowed purpose.", [new EvidenceFigure("readsWithoutPurpose", 0, 0, "reads with no allowed purpose")], []),
                Control(
                    "RET-1",
                    ControlStatus.Fail,
                    "3 records were kept past retention.",
                    [
                        new EvidenceFigure("overRetained", 3, 0, "records older than their category's retention"),
                        new EvidenceFigure("retention.days", 30.5, null, "mean retention (informational)"),
                    ],
                    [new ControlFinding("RET_OVER_RETAINED", "Records kept past the category's retention.", 3, ["ingest-keystroke/17", "ingest-keystroke/18", "ingest-keystroke/21"])]),
                Control("MDL-1", ControlStatus.NotApplicable, "No models were promoted in the period.", [], []),
                Control(
                    "LOG-1",
                    ControlStatus.Pass,
                    "The chain verified.",
                    [new EvidenceFigure("mismatches", 0, 0, "prev-hash mismatches\nover the period")],
                    [new ControlFinding(" HEAD ", "Head hash at the seal.", 1, ["audit/1199"])]),
            ],
            []);
    }

    private static JsonNode Parse(byte[] utf8) => JsonNode.Parse(utf8)!;

    private static JsonObject Result(JsonNode root) => root["assessment-results"]!["results"]![0]!.AsObject();

    private static List<string> Prop(JsonObject owner, string name) =>
        owner["props"]?.AsArray().Where(p => (string?)p!["name"] == name).Select(p => (string)p!["value"]!).ToList() ?? [];

    private static IEnumerable<JsonObject> AllProps(JsonNode node) => node switch
    {
        JsonObject o => (o["props"] is JsonArray props ? props.Select(p => p!.AsObject()) : [])
            .Concat(o.Where(kv => kv.Value is not null).SelectMany(kv => AllProps(kv.Value!))),
        JsonArray a => a.Where(n => n is not null).SelectMany(n => AllProps(n!)),
        _ => [],
    };

    private static List<string> Uuids(JsonNode node)
    {
        var found = new List<string>();
        Collect(node);
        return found;

        void Collect(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key == "uuid")
                        {
                            found.Add((string)value!);
                        }
                        else
                        {
                            Collect(value);
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Collect(item);
                    }

                    break;
            }
        }
    }

    private static EvaluationResults Evaluate(JsonNode document)
    {
        using var parsed = JsonDocument.Parse(document.ToJsonString());
        return Schema.Value.Evaluate(parsed.RootElement.Clone(), new EvaluationOptions
        {
            OutputFormat = OutputFormat.List,
            RequireFormatValidation = true,
        });
    }

    private static void AssertValid(JsonNode document)
    {
        var results = Evaluate(document);
        var errors = (results.Details ?? []).Prepend(results)
            .Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))
            .Take(15)
            .ToList();
        Assert.True(results.IsValid, "The document does not validate against the OSCAL 1.1.2 assessment-results schema:\n" + string.Join("\n", errors));
    }

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex V5Uuid();
}
