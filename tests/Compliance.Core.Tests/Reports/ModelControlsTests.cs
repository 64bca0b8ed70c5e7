using Compliance.Core.Audit;
using Compliance.Core.Policy;
using Compliance.Core.Reports;

namespace Compliance.Core.Tests.Reports;

/// <summary>RSK-1 and MDL-1, each passing and failing for the reasons the catalog gives, over in-memory trails.</summary>
public sealed class ModelControlsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private static readonly ReportPeriod Week = new(Start, Start.AddDays(7));
    private static readonly ActivePolicy Policy = PolicyDocument.LoadDefault();
    private const string Ana = "sub_aaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static readonly string PolicyA = new('a', 64);
    private static readonly string PolicyB = new('b', 64);

    [Fact]
    public async Task RiskAssessment_CurrentDpiaForTheCategoryOrAll_Passes()
    {
        var all = ReportTrail.New(Start.AddDays(-30)).Dpia("all", "2026.1", PolicyA);
        all.At(Start.AddHours(1)).Ingest(Ana, "keystroke-dynamics").Ingest(Ana, "transcript");
        var own = ReportTrail.New(Start.AddDays(-30)).Dpia("keystroke-dynamics", "ks-1", PolicyA);
        own.At(Start.AddHours(1)).Ingest(Ana, "keystroke-dynamics");

        var passed = await EvaluateAsync("RSK-1", all);

        Assert.Equal(ControlStatus.Pass, passed.Status);
        Assert.Contains(passed.Evidence, f => f.Name == "pairsInUse" && f.Value == 2);
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("RSK-1", own)).Status);
    }

    [Fact]
    public async Task RiskAssessment_CategoryInUseWithoutDpia_FailsMissing()
    {
        var other = ReportTrail.New(Start.AddDays(-30)).Dpia("transcript", "tr-1", PolicyA);
        other.At(Start.AddHours(1)).Ingest(Ana, "keystroke-dynamics");

        var failed = await EvaluateAsync("RSK-1", other);

        Assert.Equal(ControlStatus.Fail, failed.Status);
        var finding = Assert.Single(failed.Findings);
        Assert.Equal(("DPIA_MISSING", 1L), (finding.Code, finding.Count));
        Assert.Contains("keystroke-dynamics", finding.Message, StringComparison.Ordinal);
        Assert.Equal(["s00/2"], finding.SampleEvents);
    }

    [Fact]
    public async Task RiskAssessment_DpiaMoreThan365DaysOld_Fails()
    {
        var old = ReportTrail.New(Week.To.AddDays(-366)).Dpia("all", "2025.1", PolicyA);
        old.At(Start.AddHours(1)).Ingest(Ana, "keystroke-dynamics");
        var justInTime = ReportTrail.New(Week.To.AddDays(-365)).Dpia("all", "2025.2", PolicyA);
        justInTime.At(Start.AddHours(1)).Ingest(Ana, "keystroke-dynamics");

        var failed = await EvaluateAsync("RSK-1", old);

        Assert.Equal("DPIA_OLDER_THAN_365_DAYS", Assert.Single(failed.Findings).Code);
        Assert.Equal(["s00/1"], failed.Findings[0].SampleEvents);
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("RSK-1", justInTime)).Status);
    }

    [Fact]
    public async Task RiskAssessment_DpiaApprovedBeforeTheLatestSchemaChange_Fails_RedoneAfterPasses()
    {
        var stale = ReportTrail.New(Start.AddDays(-30)).Dpia("all", "2026.1", PolicyA).SchemaChange("keystroke-dynamics");
        stale.At(Start.AddHours(1)).Ingest(Ana, "keystroke-dynamics");
        var otherCategory = ReportTrail.New(Start.AddDays(-30)).Dpia("all", "2026.1", PolicyA).SchemaChange("transcript");
        otherCategory.At(Start.AddHours(1)).Ingest(Ana, "keystroke-dynamics");
        var redone = ReportTrail.New(Start.AddDays(-30)).Dpia("all", "2026.1", PolicyA).SchemaChange("keystroke-dynamics").Dpia("keystroke-dynamics", "ks-2", PolicyA);
        redone.At(Start.AddHours(1)).Ingest(Ana, "keystroke-dynamics");

        var failed = await EvaluateAsync("RSK-1", stale);

        var finding = Assert.Single(failed.Findings);
        Assert.Equal("DPIA_PREDATES_CHANGE", finding.Code);
        Assert.Equal(["s00/2"], finding.SampleEvents); // the schema change
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("RSK-1", otherCategory)).Status);
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("RSK-1", redone)).Status);
    }

    [Fact]
    public async Task RiskAssessment_PolicyVersionChangedAfterTheDpia_Fails_DpiaUnderTheNewVersionPasses()
    {
        var changed = ReportTrail.New(Start.AddDays(-30)).Policy(PolicyA).Dpia("all", "2026.1", PolicyA).Policy(PolicyB);
        changed.At(Start.AddHours(1)).Ingest(Ana, "keystroke-dynamics");
        var sameVersionAgain = ReportTrail.New(Start.AddDays(-30)).Policy(PolicyA).Dpia("all", "2026.1", PolicyA).Policy(PolicyA);
        sameVersionAgain.At(Start.AddHours(1)).Ingest(Ana, "keystroke-dynamics");
        var underNew = ReportTrail.New(Start.AddDays(-30)).Policy(PolicyA).Policy(PolicyB).Dpia("all", "2026.2", PolicyB, approvedDaysEarlier: 2);
        underNew.At(Start.AddHours(1)).Ingest(Ana, "keystroke-dynamics");

        Assert.Equal("DPIA_PREDATES_CHANGE", Assert.Single((await EvaluateAsync("RSK-1", changed)).Findings).Code);
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("RSK-1", sameVersionAgain)).Status);
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("RSK-1", underNew)).Status);
    }

    [Fact]
    public async Task RiskAssessment_ModelWithoutDpia_Fails()
    {
        var trained = ReportTrail.New().DatasetBuilt("ds-1", "keystroke-dynamics").ModelTrained("assistant-v1", "ds-1");
        var promotedOnly = ReportTrail.New().Promote("assistant-v2");
        var covered = ReportTrail.New(Start.AddDays(-1)).Dpia("keystroke-dynamics", "ks-1", PolicyA).DatasetBuilt("ds-1", "keystroke-dynamics").ModelTrained("assistant-v1", "ds-1");

        var failed = await EvaluateAsync("RSK-1", trained);

        Assert.Contains(failed.Findings, f => f.Code == "MODEL_WITHOUT_DPIA" && f.Count == 1 && f.SampleEvents.SequenceEqual(["s00/2"]));
        Assert.Contains(failed.Evidence, f => f.Name == "modelsWithoutDpia" && f.Value == 1);
        Assert.Equal("MODEL_WITHOUT_DPIA", Assert.Single((await EvaluateAsync("RSK-1", promotedOnly)).Findings).Code);
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("RSK-1", covered)).Status);
    }

    [Fact]
    public async Task RiskAssessment_NoTrainingCategoryInUseAndNoModel_NotApplicable()
    {
        var hrOnly = ReportTrail.New().Ingest(Ana, "performance-metric");

        Assert.Equal(ControlStatus.NotApplicable, (await EvaluateAsync("RSK-1", ReportTrail.New().Ack(Ana))).Status);
        Assert.Equal(ControlStatus.NotApplicable, (await EvaluateAsync("RSK-1", hrOnly)).Status);
    }

    [Fact]
    public async Task PromotionTested_PassingEvalOfEveryType_Passes()
    {
        var trail = ReportTrail.New()
            .Eval("mi-1", "assistant-v1", "membership-inference", 0.51, 0.55)
            .Eval("ce-1", "assistant-v1", "canary-extraction", 0, 0)
            .Eval("pii-1", "assistant-v1", "pii-output-scan", 0.001, 0.001)
            .Promote("assistant-v1", "ce-1", "mi-1", "pii-1");

        var passed = await EvaluateAsync("MDL-1", trail);

        Assert.Equal(ControlStatus.Pass, passed.Status);
        Assert.Contains(passed.Evidence, f => f.Name == "promotions" && f.Value == 1);
    }

    [Fact]
    public async Task PromotionTested_WithoutAnEvalOfEachType_Fails()
    {
        var twoTypes = ReportTrail.New()
            .Eval("mi-1", "assistant-v1", "membership-inference", 0.5, 0.55)
            .Eval("ce-1", "assistant-v1", "canary-extraction", 0, 0)
            .Promote("assistant-v1", "mi-1", "ce-1");
        var otherModel = ReportTrail.New()
            .Eval("mi-1", "assistant-v1", "membership-inference", 0.5, 0.55)
            .Eval("ce-1", "assistant-v1", "canary-extraction", 0, 0)
            .Eval("pii-0", "assistant-v0", "pii-output-scan", 0, 0.01)
            .Promote("assistant-v1", "mi-1", "ce-1", "pii-0");
        var evalAfterPromotion = ReportTrail.New()
            .Eval("mi-1", "assistant-v1", "membership-inference", 0.5, 0.55)
            .Eval("ce-1", "assistant-v1", "canary-extraction", 0, 0)
            .Promote("assistant-v1", "mi-1", "ce-1", "pii-1")
            .Eval("pii-1", "assistant-v1", "pii-output-scan", 0, 0.01);

        var failed = await EvaluateAsync("MDL-1", twoTypes);

        Assert.Equal(ControlStatus.Fail, failed.Status);
        var finding = Assert.Single(failed.Findings);
        Assert.Equal(("PROMOTED_WITHOUT_EVAL", 1L), (finding.Code, finding.Count));
        Assert.Equal(["s00/3"], finding.SampleEvents);
        Assert.Equal("PROMOTED_WITHOUT_EVAL", Assert.Single((await EvaluateAsync("MDL-1", otherModel)).Findings).Code);
        Assert.Equal("PROMOTED_WITHOUT_EVAL", Assert.Single((await EvaluateAsync("MDL-1", evalAfterPromotion)).Findings).Code);
    }

    [Fact]
    public async Task PromotionTested_EvalOverThreshold_Fails_UnlessAnotherOfTheTypePasses()
    {
        var over = ReportTrail.New()
            .Eval("mi-1", "assistant-v1", "membership-inference", 0.5, 0.55)
            .Eval("ce-1", "assistant-v1", "canary-extraction", 0.000002, 0.000001)
            .Eval("pii-1", "assistant-v1", "pii-output-scan", 0, 0.01)
            .Promote("assistant-v1", "mi-1", "ce-1", "pii-1");
        var retested = ReportTrail.New()
            .Eval("mi-1", "assistant-v1", "membership-inference", 0.5, 0.55)
            .Eval("ce-1", "assistant-v1", "canary-extraction", 0.3, 0.1)
            .Eval("ce-2", "assistant-v1", "canary-extraction", 0.05, 0.1)
            .Eval("pii-1", "assistant-v1", "pii-output-scan", 0, 0.01)
            .Promote("assistant-v1", "mi-1", "ce-1", "ce-2", "pii-1");

        var failed = await EvaluateAsync("MDL-1", over);

        var finding = Assert.Single(failed.Findings);
        Assert.Equal(("EVAL_OVER_THRESHOLD", 1L), (finding.Code, finding.Count));
        Assert.Contains(failed.Evidence, f => f.Name == "promotionsWithoutPassingEvals" && f.Value == 1 && f.Threshold == 0);
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("MDL-1", retested)).Status);
    }

    [Fact]
    public async Task PromotionTested_NothingPromotedInThePeriod_NotApplicable()
    {
        var evalsOnly = ReportTrail.New().Eval("mi-1", "assistant-v1", "membership-inference", 0.5, 0.55);
        var promotedBefore = ReportTrail.New(Start.AddDays(-2)).Promote("assistant-v1");

        var evaluated = await EvaluateAsync("MDL-1", evalsOnly);

        Assert.Equal(ControlStatus.NotApplicable, evaluated.Status);
        Assert.Empty(evaluated.Findings);
        Assert.Equal(ControlStatus.NotApplicable, (await EvaluateAsync("MDL-1", promotedBefore)).Status);
    }

    private static async Task<ControlResult> EvaluateAsync(string id, ReportTrail trail)
    {
        var evaluation = await ControlSuite.EvaluateAsync(trail.ReadAsync(), Week, Policy, ControlSuite.Create(new ChainCheck(), true, new string('a', 64), new AuditEventGuard(Policy)));
        return evaluation.Controls.Single(c => c.Id == id);
    }
}
