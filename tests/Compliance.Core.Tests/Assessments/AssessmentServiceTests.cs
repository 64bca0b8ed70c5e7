using Compliance.Core.Assessments;
using Compliance.Core.Audit;
using Compliance.Core.Reports;
using Compliance.Core.Tests.Audit;

namespace Compliance.Core.Tests.Assessments;

/// <summary>The assessment service over in-memory audit stores: what it writes, once, and what it refuses.</summary>
public sealed class AssessmentServiceTests
{
    private const string Actor = "operator:test";

    [Fact]
    public async Task RecordDpia_Twice_OneEventUnderThePolicyVersion()
    {
        using var host = new AuditTestHost();
        var service = Service(host);
        var approved = host.Clock.GetUtcNow().AddDays(-3);

        var first = await service.RecordDpiaAsync("all", "2026.1", approved, Actor);
        var second = await service.RecordDpiaAsync("all", "2026.1", approved, Actor);

        Assert.Equal((true, false), (first, second));
        var dpia = Assert.Single(Events(host), e => e.Type == AuditEventType.Dpia);
        Assert.Equal(("all", "2026.1", "2026-11-27T09:00:00Z"), (dpia.Attributes["scope"], dpia.Attributes["version"], dpia.Attributes["approvedAt"]));
        Assert.Equal(AuditTestHost.Policy.Version, dpia.Hashes["policy"]);
        Assert.Single(Events(host), e => e.Type == AuditEventType.Policy);
    }

    [Fact]
    public async Task RecordEvaluation_ValueAndThresholdAsMicroUnitsInCountsAndAttributes_Once()
    {
        using var host = new AuditTestHost();
        var service = Service(host);

        Assert.True(await service.RecordEvaluationAsync("mi-1", "assistant-v1", "membership-inference", 0.5123456789, 0.55, Actor));
        Assert.False(await service.RecordEvaluationAsync("mi-1", "assistant-v1", "membership-inference", 0.9, 0.55, Actor));

        var eval = Assert.Single(Events(host), e => e.Type == AuditEventType.Eval);
        Assert.Equal((512_346L, 550_000L), (eval.Counts["valueMicros"], eval.Counts["thresholdMicros"]));
        Assert.Equal(("0.512346", "0.55", "membership-inference", "assistant-v1"), (eval.Attributes["value"], eval.Attributes["threshold"], eval.Attributes["type"], eval.Attributes["modelId"]));
    }

    [Fact]
    public async Task PromoteModel_PassingEvalsOfEveryType_NoWarningsAndOneEventWithSortedEvals()
    {
        using var host = new AuditTestHost();
        var service = Service(host);
        await service.RecordEvaluationAsync("pii-1", "assistant-v1", "pii-output-scan", 0, 0.001, Actor);
        await service.RecordEvaluationAsync("mi-1", "assistant-v1", "membership-inference", 0.5, 0.55, Actor);
        await service.RecordEvaluationAsync("ce-1", "assistant-v1", "canary-extraction", 1, 2, Actor);

        var result = await service.PromoteModelAsync("assistant-v1", ["pii-1", "mi-1", "ce-1", "mi-1"], Actor);
        var again = await service.PromoteModelAsync("assistant-v1", ["ce-1", "mi-1", "pii-1"], Actor);

        Assert.Empty(result.Warnings);
        Assert.Equal(["ce-1", "mi-1", "pii-1"], result.EvalIds);
        Assert.False(result.AlreadyRecorded);
        Assert.True(again.AlreadyRecorded);
        var promote = Assert.Single(Events(host), e => e.Type == AuditEventType.ModelPromote);
        Assert.Equal(("assistant-v1", "ce-1", "mi-1", "pii-1", 3L), (promote.Attributes["modelId"], promote.Attributes["eval.1"], promote.Attributes["eval.2"], promote.Attributes["eval.3"], promote.Counts["evals"]));
    }

    [Fact]
    public async Task PromoteModel_MissingUnknownOtherModelOrOverThreshold_RecordedWithAWarningForEach()
    {
        using var host = new AuditTestHost();
        var service = Service(host);
        await service.RecordEvaluationAsync("mi-1", "assistant-v1", "membership-inference", 0.7, 0.55, Actor);
        await service.RecordEvaluationAsync("ce-0", "assistant-v0", "canary-extraction", 0, 1, Actor);

        var result = await service.PromoteModelAsync("assistant-v1", ["mi-1", "ce-0", "nope-1"], Actor);

        Assert.Single(Events(host), e => e.Type == AuditEventType.ModelPromote);
        Assert.Contains(result.Warnings, w => w.Contains("mi-1 (membership-inference): 0.7 is over its threshold 0.55", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("ce-0 is of model assistant-v0", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("nope-1 is not recorded", StringComparison.Ordinal));
        Assert.Contains("no canary-extraction evaluation of assistant-v1", result.Warnings);
        Assert.Contains("no pii-output-scan evaluation of assistant-v1", result.Warnings);
        Assert.DoesNotContain("no membership-inference evaluation of assistant-v1", result.Warnings);
    }

    [Fact]
    public async Task RecordSchemaChange_KnownCategory_Recorded()
    {
        using var host = new AuditTestHost();

        await Service(host).RecordSchemaChangeAsync("keystroke-dynamics", Actor);

        Assert.Equal("keystroke-dynamics", Assert.Single(Events(host), e => e.Type == AuditEventType.SchemaChange).Category);
    }

    [Fact]
    public async Task BadInput_ArgumentExceptionNamingTheFieldAndNothingRecorded()
    {
        using var host = new AuditTestHost();
        var service = Service(host);
        var now = host.Clock.GetUtcNow();

        Assert.Equal("category", (await Assert.ThrowsAsync<ArgumentException>(() => service.RecordDpiaAsync("webcam", "1", now, Actor))).ParamName);
        Assert.Equal("version", (await Assert.ThrowsAsync<ArgumentException>(() => service.RecordDpiaAsync("all", "v 1", now, Actor))).ParamName);
        Assert.Equal("approvedAt", (await Assert.ThrowsAsync<ArgumentException>(() => service.RecordDpiaAsync("all", "1", now.AddMinutes(1), Actor))).ParamName);
        Assert.Equal("evalId", (await Assert.ThrowsAsync<ArgumentException>(() => service.RecordEvaluationAsync("Bad Id", "m", "canary-extraction", 0, 1, Actor))).ParamName);
        Assert.Equal("modelId", (await Assert.ThrowsAsync<ArgumentException>(() => service.RecordEvaluationAsync("e1", "", "canary-extraction", 0, 1, Actor))).ParamName);
        Assert.Equal("type", (await Assert.ThrowsAsync<ArgumentException>(() => service.RecordEvaluationAsync("e1", "m", "accuracy", 0, 1, Actor))).ParamName);
        Assert.Equal("value", (await Assert.ThrowsAsync<ArgumentException>(() => service.RecordEvaluationAsync("e1", "m", "canary-extraction", -0.1, 1, Actor))).ParamName);
        Assert.Equal("threshold", (await Assert.ThrowsAsync<ArgumentException>(() => service.RecordEvaluationAsync("e1", "m", "canary-extraction", 0, double.NaN, Actor))).ParamName);
        Assert.Equal("evalIds", (await Assert.ThrowsAsync<ArgumentException>(() => service.PromoteModelAsync("m", ["ok", "NOT OK"], Actor))).ParamName);
        Assert.Equal("category", (await Assert.ThrowsAsync<ArgumentException>(() => service.RecordSchemaChangeAsync("all", Actor))).ParamName);
        Assert.Empty(Events(host));
    }

    [Fact]
    public async Task RecordedThroughTheService_TheReportJudgesRsk1AndMdl1()
    {
        using var host = new AuditTestHost();
        var service = Service(host);
        var from = host.Clock.GetUtcNow();
        await service.RecordDpiaAsync("all", "2026.1", from.AddDays(-1), Actor);
        await host.Trail.AppendAsync(new AuditEvent { Type = AuditEventType.Ingest, Actor = "job:test", Subject = "sub_aaaaaaaaaaaaaaaaaaaaaaaaaa", Category = "keystroke-dynamics", Fields = ["keyCount"] });
        await service.RecordEvaluationAsync("mi-1", "assistant-v1", "membership-inference", 0.5, 0.55, Actor);
        await service.RecordEvaluationAsync("ce-1", "assistant-v1", "canary-extraction", 0, 0, Actor);
        await service.PromoteModelAsync("assistant-v1", ["mi-1", "ce-1"], Actor);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await service.RecordSchemaChangeAsync("keystroke-dynamics", Actor);
        host.Clock.Advance(TimeSpan.FromHours(1));
        await host.Sealer.SealAsync("job:audit-seal");

        var report = await new ReportService(host.Seals, host.Events, host.Signer, new AuditEventGuard(AuditTestHost.Policy), AuditTestHost.Policy, host.Trail)
            .GenerateAsync(new ReportPeriod(from.AddHours(-1), host.Clock.GetUtcNow()));

        var rsk1 = report.Controls.Single(c => c.Id == "RSK-1");
        var mdl1 = report.Controls.Single(c => c.Id == "MDL-1");
        Assert.Equal("DPIA_PREDATES_CHANGE", Assert.Single(rsk1.Findings).Code);
        Assert.Equal("PROMOTED_WITHOUT_EVAL", Assert.Single(mdl1.Findings).Code);
    }

    private static AssessmentService Service(AuditTestHost host) =>
        new(AuditTestHost.Policy, host.Trail, host.Events, host.PolicyRecorder, host.Options, host.Clock);

    private static List<AuditEvent> Events(AuditTestHost host) =>
        [.. host.Events.Streams.SelectMany(host.Events.Rows).Select(r => AuditCanonicalForm.Parse(r.Body!).Event)];
}
