using Compliance.Core.Audit;
using Compliance.Core.Ingestion;
using Compliance.Core.Policy;
using Compliance.Core.Reports;

namespace Compliance.Core.Tests.Reports;

/// <summary>Each control the suite evaluates, once passing and once failing for the reason the catalog gives.</summary>
public sealed class ControlSuiteTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private static readonly ReportPeriod Week = new(Start, Start.AddDays(7));
    private static readonly ActivePolicy Policy = PolicyDocument.LoadDefault();
    private const string Ana = "sub_aaaaaaaaaaaaaaaaaaaaaaaaaa";

    [Fact]
    public async Task Inventory_RegisteredCategories_PassUnregisteredFails()
    {
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("INV-1", ReportTrail.New().Ack(Ana).Ingest(Ana, "keystroke-dynamics"))).Status);

        var failed = await EvaluateAsync("INV-1", ReportTrail.New().Ack(Ana).Ingest(Ana, "webcam"));

        Assert.Equal(ControlStatus.Fail, failed.Status);
        Assert.Equal("CATEGORY_NOT_REGISTERED", Assert.Single(failed.Findings).Code);
    }

    [Fact]
    public async Task FieldAllowList_StoredOffListFieldFails()
    {
        var passed = await EvaluateAsync("MIN-1", ReportTrail.New().Ack(Ana).Ingest(Ana, "keystroke-dynamics").Dropped("keystroke-dynamics", "password"));
        var failed = await EvaluateAsync("MIN-1", ReportTrail.New().Ack(Ana).Ingest(Ana, "keystroke-dynamics", "keyCount", "deviceSerial"));

        Assert.Equal(ControlStatus.Pass, passed.Status);
        Assert.Contains(passed.Evidence, f => f.Name == "dropped.password" && f.Value == 1);
        Assert.Equal(ControlStatus.Fail, failed.Status);
        Assert.Equal("FIELD_OFF_ALLOW_LIST", Assert.Single(failed.Findings).Code);
    }

    [Fact]
    public async Task FieldAllowList_DropLoggedWithoutItsName_Fails()
    {
        var failed = await EvaluateAsync("MIN-1", ReportTrail.New().Add(new AuditEvent { Type = AuditEventType.Reject, Actor = "job:test", ReasonCode = IngestReasons.FieldNotAllowed }));

        Assert.Equal("DROP_WITHOUT_NAME", Assert.Single(failed.Findings).Code);
    }

    [Fact]
    public async Task NoContent_TypedCharactersStoredFails_AndReadingTypingToEvaluateFails()
    {
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("MIN-2", ReportTrail.New().Ack(Ana).Ingest(Ana, "keystroke-dynamics").Read("privacy-office", "employee-access-request", "keystroke-dynamics"))).Status);

        var stored = await EvaluateAsync("MIN-2", ReportTrail.New().Ack(Ana).Ingest(Ana, "keystroke-dynamics", "keyCount", "keyChar"));
        var evaluated = await EvaluateAsync("MIN-2", ReportTrail.New().Read("security-operations", "security-investigation", "app-focus"));

        Assert.Equal("CONTENT_STORED", Assert.Single(stored.Findings).Code);
        Assert.Equal("TYPING_READ_TO_EVALUATE", Assert.Single(evaluated.Findings).Code);
    }

    [Fact]
    public async Task PurposeLimitation_OffListPurposeFails()
    {
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("PUR-1", ReportTrail.New().Read("ml-platform", "model-training", "keystroke-dynamics"))).Status);

        var failed = await EvaluateAsync("PUR-1", ReportTrail.New().Read("ml-platform", "model-training", "performance-metric").Read("ml-platform", null, "transcript"));

        var finding = Assert.Single(failed.Findings);
        Assert.Equal(("PURPOSE_NOT_ALLOWED", 2L), (finding.Code, finding.Count));
        Assert.Equal(["s00/1", "s00/2"], finding.SampleEvents);
    }

    [Fact]
    public async Task NoEmploymentDecisions_TrainingDataReadForHrFails_HrDataForHrPasses()
    {
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("PUR-2", ReportTrail.New().Read("hr-analytics", "hr-performance", "performance-metric"))).Status);

        var failed = await EvaluateAsync("PUR-2", ReportTrail.New().Read("hr-analytics", "hr-performance", "keystroke-dynamics"));

        Assert.Equal("EMPLOYMENT_DECISION_READ", Assert.Single(failed.Findings).Code);
    }

    [Fact]
    public async Task LeastPrivilege_ReadWithoutGrantFails_ReaderCapExceededFails()
    {
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("ACC-1", ReportTrail.New().Read("ml-platform", "model-training", "keystroke-dynamics").Read("privacy-office", "employee-access-request", "keystroke-dynamics"))).Status);

        var ungranted = await EvaluateAsync("ACC-1", ReportTrail.New().Read("hr-analytics", "employee-access-request", "keystroke-dynamics"));
        var crowded = ReportTrail.New();
        foreach (var reader in new[] { "ml-platform", "privacy-office", "security-operations", "hr-analytics" })
        {
            crowded.Read(reader, "model-training", "transcript");
        }

        var overCap = await EvaluateAsync("ACC-1", crowded);

        Assert.Equal("READ_WITHOUT_GRANT", Assert.Single(ungranted.Findings).Code);
        Assert.Contains(overCap.Findings, f => f.Code == "READER_CAP_EXCEEDED" && f.Count == 1);
        Assert.Contains(overCap.Evidence, f => f.Name == "readers.transcript" && f.Value == 4 && f.Threshold == 3);
    }

    [Fact]
    public async Task NoticeBeforeCapture_IngestBeforeTheAcknowledgementFails()
    {
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("TRN-1", ReportTrail.New().Ack(Ana).Ingest(Ana, "transcript"))).Status);

        var before = await EvaluateAsync("TRN-1", ReportTrail.New().Ingest(Ana, "keystroke-dynamics").Ack(Ana));
        var notCovered = await EvaluateAsync("TRN-1", ReportTrail.New().Ack(Ana, "2026-09").Ingest(Ana, "transcript"));

        Assert.Equal("COLLECTED_WITHOUT_NOTICE", Assert.Single(before.Findings).Code);
        Assert.Equal("COLLECTED_WITHOUT_NOTICE", Assert.Single(notCovered.Findings).Code);
    }

    [Fact]
    public async Task NoticeBeforeCapture_CapturedBeforeTheAcknowledgementButUploadedAfter_Fails()
    {
        var trail = ReportTrail.New().Ack(Ana);
        trail.Ingest(Ana, "keystroke-dynamics", capturedAt: Start); // captured at midnight, the notice came at 01:00

        Assert.Equal("COLLECTED_WITHOUT_NOTICE", Assert.Single((await EvaluateAsync("TRN-1", trail)).Findings).Code);
    }

    [Fact]
    public async Task NoticeBeforeCapture_AcknowledgedBeforeThePeriod_Counts()
    {
        var trail = ReportTrail.New(Start.AddDays(-10)).Ack(Ana);
        trail.At(Start.AddHours(1)).Ingest(Ana, "keystroke-dynamics");

        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("TRN-1", trail)).Status);
    }

    [Fact]
    public async Task PausesHonoured_CollectionLaterThanThePauseSlaFails()
    {
        var within = ReportTrail.New().Ack(Ana).Pause(Ana, "paused").Ingest(Ana, "keystroke-dynamics");
        var late = ReportTrail.New().Ack(Ana).Pause(Ana, "paused");
        late.At(late.Now.AddHours(2)).Ingest(Ana, "keystroke-dynamics");
        var resumed = ReportTrail.New().Ack(Ana).Pause(Ana, "paused").Pause(Ana, "resumed");
        resumed.At(resumed.Now.AddHours(3)).Ingest(Ana, "keystroke-dynamics");

        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("MON-1", within)).Status); // within the hour a pause may take
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("MON-1", resumed)).Status);
        Assert.Equal("COLLECTED_WHILE_PAUSED", Assert.Single((await EvaluateAsync("MON-1", late)).Findings).Code);
    }

    [Fact]
    public async Task ErasureFulfilled_ReadableProbeFails_LateCompletionFails_HeldTimeNotCounted()
    {
        var prompt = ReportTrail.New().ErasureRequested("era-1").ErasureDone("era-1", seconds: 60, held: 0);
        var held = ReportTrail.New(Start.AddHours(2).AddDays(-40)).ErasureRequested("era-2");
        held.At(Start.AddHours(2)).ErasureDone("era-2", seconds: 40 * 86_400, held: 40 * 86_400 - 120); // 40 days, all but two minutes under a hold
        var readable = ReportTrail.New().Add(new AuditEvent { Type = AuditEventType.KeyShred, Actor = "job:erasure", Subject = Ana, Counts = new Dictionary<string, long> { ["probeDecrypted"] = 1 } });
        var late = ReportTrail.New(Start.AddDays(-31)).ErasureRequested("era-3");
        late.At(Start.AddHours(2)).ErasureDone("era-3", seconds: 31 * 86_400, held: 0);
        var underReported = ReportTrail.New(Start.AddDays(-35)).ErasureRequested("era-10");
        underReported.At(Start.AddHours(2)).ErasureDone("era-10", seconds: 60, held: 0); // the job's own count says a minute; the trail says 35 days

        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("ERA-1", prompt)).Status);
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("ERA-1", held)).Status);
        Assert.Equal("PROBE_READABLE", Assert.Single((await EvaluateAsync("ERA-1", readable)).Findings).Code);
        Assert.Contains((await EvaluateAsync("ERA-1", late)).Findings, f => f.Code == "ERASURE_LATE");
        Assert.Contains((await EvaluateAsync("ERA-1", underReported)).Findings, f => f.Code == "ERASURE_LATE");
    }

    [Fact]
    public async Task ErasureFulfilled_OpenPastTheMaximumWithoutAHold_Fails()
    {
        var open = ReportTrail.New(Start.AddDays(-40)).ErasureRequested("era-4");
        var heldOpen = ReportTrail.New(Start.AddDays(-40)).ErasureRequested("era-5").ErasureHeld("era-5");
        var releasedButStalled = ReportTrail.New(Start.AddDays(-40)).ErasureRequested("era-9").ErasureHeld("era-9").HoldReleased("CASE-1");

        Assert.Contains((await EvaluateAsync("ERA-1", open)).Findings, f => f.Code == "ERASURE_OPEN_TOO_LONG");
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("ERA-1", heldOpen)).Status);
        Assert.Contains((await EvaluateAsync("ERA-1", releasedButStalled)).Findings, f => f.Code == "ERASURE_OPEN_TOO_LONG");
    }

    [Fact]
    public async Task TrailIntact_MismatchGapOrBadSealFails()
    {
        var intact = new ChainCheck();
        var tampered = new ChainCheck();
        tampered.Mismatch("s01", 7, "modified");
        var truncated = new ChainCheck();
        truncated.Gap("s02", 3, 5);

        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("LOG-1", ReportTrail.New(), intact)).Status);
        Assert.Equal(["s01/7: modified"], Assert.Single((await EvaluateAsync("LOG-1", ReportTrail.New(), tampered)).Findings).SampleEvents);
        var gap = Assert.Single((await EvaluateAsync("LOG-1", ReportTrail.New(), truncated)).Findings);
        Assert.Equal(("SEQUENCE_GAP", 3L), (gap.Code, gap.Count));
        Assert.Equal("SEAL_SIGNATURE_INVALID", Assert.Single((await EvaluateAsync("LOG-1", ReportTrail.New(), intact, sealValid: false)).Findings).Code);
    }

    [Fact]
    public async Task TrailMinimised_EventHoldingAnEmployeeIdFails()
    {
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("LOG-2", ReportTrail.New().Ack(Ana))).Status);

        // What a forged or pre-guard event could hold: an employee id in an attribute.
        var leaked = ReportTrail.New().Add(new AuditEvent { Type = AuditEventType.Hold, Actor = "user:legal", Attributes = new Dictionary<string, string> { ["caseId"] = "E10042" } });

        Assert.Equal("AUDIT_NOT_MINIMISED", Assert.Single((await EvaluateAsync("LOG-2", leaked)).Findings).Code);
    }

    [Fact]
    public async Task RetentionEnforced_ExpiredDataAndNoRecentPurgeFails()
    {
        var purged = ReportTrail.New(Start.AddDays(-40)).Ack(Ana).Ingest(Ana, "keystroke-dynamics", capturedAt: Start.AddDays(-40));
        purged.At(Week.To.AddHours(-3)).Purge();
        var young = ReportTrail.New().Ack(Ana).Ingest(Ana, "keystroke-dynamics", capturedAt: Start);
        var overdue = ReportTrail.New(Start.AddDays(-40)).Ack(Ana).Ingest(Ana, "keystroke-dynamics", capturedAt: Start.AddDays(-40));
        overdue.At(Start.AddDays(-5)).Purge(); // a purge five days before the end of the week: too long ago

        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("RET-1", purged)).Status);
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("RET-1", young)).Status); // nothing has expired yet
        Assert.Equal("RETENTION_OVERDUE", Assert.Single((await EvaluateAsync("RET-1", overdue)).Findings).Code);
    }

    [Fact]
    public async Task RetentionSchedulePublished_PolicyInForceNotRecordedFails()
    {
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("RET-2", ReportTrail.New().Policy(Policy.Version))).Status);

        var other = await EvaluateAsync("RET-2", ReportTrail.New().Policy(new string('b', 64)));

        Assert.Equal("SCHEDULE_NOT_PUBLISHED", Assert.Single(other.Findings).Code);
    }

    [Fact]
    public async Task ErasureReachesDerivedData_DatasetNotRebuiltWithinGraceFails()
    {
        var rebuilt = ReportTrail.New(Start.AddDays(-40)).ErasureDone("era-6", 60, 0, datasets: 1, models: 1).DatasetBuilt().ModelTrained();
        var stale = ReportTrail.New(Start.AddDays(-40)).ErasureDone("era-7", 60, 0, datasets: 1, models: 1).ModelTrained();
        var recent = ReportTrail.New().ErasureDone("era-8", 60, 0, datasets: 1, models: 0);

        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("ERA-2", rebuilt)).Status);
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("ERA-2", recent)).Status); // within the grace
        var failed = await EvaluateAsync("ERA-2", stale);
        Assert.Equal(["DATASET_NOT_REBUILT", "MODEL_NOT_RETRAINED"], failed.Findings.Select(f => f.Code)); // retraining on a stale dataset does not count
    }

    [Fact]
    public async Task KeysRotated_SubjectKeyOrRootKeyPastItsPeriodFails()
    {
        var fresh = ReportTrail.New().Key(Ana, "telemetry").RootRotated();
        var oldSubjectKey = ReportTrail.New(Start.AddDays(-120)).Key(Ana, "telemetry");
        oldSubjectKey.At(Start.AddHours(1)).RootRotated();
        var oldRoot = ReportTrail.New(Start.AddDays(-45)).RootRotated();
        oldRoot.At(Start.AddHours(1)).Key(Ana, "telemetry");
        var shredded = ReportTrail.New(Start.AddDays(-120)).Key(Ana, "telemetry").At(Start.AddHours(1)).RootRotated().Shredded(Ana, "all");

        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("KEY-1", fresh)).Status);
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("KEY-1", shredded)).Status);
        Assert.Equal("SUBJECT_KEY_OVERDUE", Assert.Single((await EvaluateAsync("KEY-1", oldSubjectKey)).Findings).Code);
        Assert.Equal("ROOT_KEY_OVERDUE", Assert.Single((await EvaluateAsync("KEY-1", oldRoot)).Findings).Code);
    }

    [Fact]
    public async Task EncryptedUnderSubjectKeys_RecordsSealedUnderAKeyOutsideTheInventoryFail()
    {
        var sealedUnderKnownKey = ReportTrail.New().Key(Ana, "telemetry").Ack(Ana).Sealed(Ana, "keystroke-dynamics", "telemetry", "1");
        var unknownVersion = ReportTrail.New().Key(Ana, "telemetry").Ack(Ana).Sealed(Ana, "keystroke-dynamics", "telemetry", "2");
        var noMetadata = ReportTrail.New().Ack(Ana).Ingest(Ana, "keystroke-dynamics");
        var foreignScope = ReportTrail.New().Ack(Ana).Sealed(Ana, "keystroke-dynamics", "shared", "1");

        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("CRY-1", sealedUnderKnownKey)).Status);
        Assert.Equal("KEY_NOT_IN_INVENTORY", Assert.Single((await EvaluateAsync("CRY-1", unknownVersion)).Findings).Code);
        Assert.Equal("NO_KEY_METADATA", Assert.Single((await EvaluateAsync("CRY-1", noMetadata)).Findings).Code);
        Assert.Equal("KEY_NOT_SUBJECT_SCOPED", Assert.Single((await EvaluateAsync("CRY-1", foreignScope)).Findings).Code);
    }

    [Fact]
    public async Task PseudonymisedTraining_DatasetWithDirectIdentifiersFails_NoDatasetNotApplicable()
    {
        Assert.Equal(ControlStatus.Pass, (await EvaluateAsync("PSE-1", ReportTrail.New().DatasetBuilt(directIdentifiers: 0))).Status);
        Assert.Equal(ControlStatus.NotApplicable, (await EvaluateAsync("PSE-1", ReportTrail.New().Ack(Ana))).Status);

        var identified = await EvaluateAsync("PSE-1", ReportTrail.New().DatasetBuilt(directIdentifiers: 3));
        var unscanned = await EvaluateAsync("PSE-1", ReportTrail.New().DatasetBuilt());

        Assert.Equal(("DIRECT_IDENTIFIER_IN_DATASET", 1L), (identified.Findings.Single().Code, identified.Findings.Single().Count));
        Assert.Contains(identified.Evidence, f => f.Name == "recordsWithDirectIdentifiers" && f.Value == 3);
        Assert.Equal("DATASET_NOT_SCANNED", Assert.Single(unscanned.Findings).Code);
    }

    [Fact]
    public async Task EvaluateAsync_EventsAfterThePeriod_NotJudgedButWhatFollowsThemIs()
    {
        var trail = ReportTrail.New().Ack(Ana);
        trail.At(Week.To.AddHours(1)).Ingest(Ana, "webcam");
        trail.At(Start.AddHours(3)).Ingest(Ana, "microphone"); // a writer whose clock lags: later in the stream, earlier in time

        var evaluation = await ControlSuite.EvaluateAsync(trail.ReadAsync(), Week, Policy, ControlSuite.Create(new ChainCheck(), true, new string('a', 64), new AuditEventGuard(Policy)));

        Assert.Equal((2L, 2L), (evaluation.EventsRead, evaluation.EventsInPeriod));
        var inventory = evaluation.Controls.Single(c => c.Id == "INV-1");
        Assert.Equal(["s00/3"], Assert.Single(inventory.Findings).SampleEvents);
        Assert.Equal(ControlCatalog.Default.Controls.Select(c => c.Id).Where(id => evaluation.Controls.Any(r => r.Id == id)), evaluation.Controls.Select(c => c.Id));
    }

    private static async Task<ControlResult> EvaluateAsync(string id, ReportTrail trail, ChainCheck? check = null, bool sealValid = true)
    {
        var evaluation = await ControlSuite.EvaluateAsync(trail.ReadAsync(), Week, Policy, ControlSuite.Create(check ?? new ChainCheck(), sealValid, new string('a', 64), new AuditEventGuard(Policy)));
        return evaluation.Controls.Single(c => c.Id == id);
    }
}
