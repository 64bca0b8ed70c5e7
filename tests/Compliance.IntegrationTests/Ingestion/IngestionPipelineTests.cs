using System.Text.Json.Nodes;
using Compliance.Core.Ingestion;
using Compliance.Core.Subjects;

namespace Compliance.IntegrationTests.Ingestion;

public sealed class IngestionPipelineTests
{
    [Fact]
    public async Task IngestAsync_GoodEvent_StoredEncryptedWithOnlyAllowedFieldsAndAudited()
    {
        await using var s = await IngestionScenario.StartAsync();

        var outcome = await s.IngestOneAsync(IngestionScenario.Keystroke());

        Assert.Equal(IngestStatus.Stored, outcome.Status);
        var stored = Assert.Single(await s.StoredAsync("ana", "keystroke-dynamics"));
        Assert.Equal(["backspaceRate", "dwellMsMean", "inputFieldType", "keyCount", "windowSeconds"], stored.Select(p => p.Key));
        var ingest = Assert.Single(await s.Host.AuditEventsAsync("INGEST"));
        var body = ingest.GetString("Body");
        Assert.Contains("\"accepted\":1", body, StringComparison.Ordinal);
        Assert.Contains("\"category\":\"keystroke-dynamics\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("ana", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestAsync_RedeliveredInAnotherBatchOrRepeatedInOne_StoredOnce()
    {
        await using var s = await IngestionScenario.StartAsync();
        await s.IngestAsync(IngestionScenario.Keystroke(eventId: "k-1"));

        var again = await s.IngestAsync(IngestionScenario.Keystroke(eventId: "k-1"), IngestionScenario.Keystroke(eventId: "k-2"), IngestionScenario.Keystroke(eventId: "k-2"));

        Assert.Equal([IngestStatus.Duplicate, IngestStatus.Stored, IngestStatus.Duplicate], again.Outcomes.Select(o => o.Status));
        Assert.Equal(2, (await s.StoredAsync("ana", "keystroke-dynamics")).Count);
    }

    public static TheoryData<string, string> MalformedEvents => new()
    {
        { "{\"eventId\": \"x\", ", IngestReasons.MalformedJson },
        { "[1, 2]", IngestReasons.MalformedJson },
        { "\"just a string\"", IngestReasons.MalformedJson },
        { "{\"eventId\":\"k\",\"employeeId\":\"ana\",\"category\":\"keystroke-dynamics\",\"capturedAt\":\"2026-11-23T09:30:00Z\",\"source\":\"a\",\"schemaVersion\":1,\"fields\":{\"windowSeconds\":60,\"keyCount\":1,\"inputFieldType\":\"password\",\"inputFieldType\":\"text\"}}", IngestReasons.MalformedJson },
    };

    [Theory]
    [MemberData(nameof(MalformedEvents))]
    public async Task IngestAsync_NotAnEventObject_MalformedJson(string raw, string reason)
    {
        await using var s = await IngestionScenario.StartAsync();

        var outcome = (await s.IngestRawAsync(raw)).Outcomes.Single();

        Assert.Equal((IngestStatus.Rejected, reason), (outcome.Status, outcome.Reason));
    }

    [Theory]
    [InlineData("capturedAt", null, "'capturedAt' is missing")]
    [InlineData("eventId", 42, "'eventId' must be a string")]
    [InlineData("capturedAt", "2026-11-23T09:30:00", "with an offset")]
    [InlineData("schemaVersion", "1", "positive integer")]
    [InlineData("employeeId", " ", "not blank")]
    [InlineData("deviceSerial", "SN-1", "unknown property 'deviceSerial'")]
    public async Task IngestAsync_EnvelopePropertyMissingMistypedOrUnknown_InvalidEnvelopeNamingIt(string property, object? value, string expected)
    {
        await using var s = await IngestionScenario.StartAsync();
        var e = IngestionScenario.Keystroke();
        e.Remove(property);
        if (value is not null)
        {
            e[property] = JsonValue.Create(value);
        }

        var outcome = await s.IngestOneAsync(e);

        Assert.Equal(IngestReasons.InvalidEnvelope, outcome.Reason);
        Assert.Contains(expected, outcome.Detail, StringComparison.Ordinal);
        Assert.Empty(await s.StoredAsync("ana", "keystroke-dynamics"));
    }

    [Fact]
    public async Task IngestAsync_LargerThanTheLimit_Oversize()
    {
        await using var s = await IngestionScenario.StartAsync();

        var outcome = await s.IngestOneAsync(IngestionScenario.Transcript(new string('a', 40_000)));

        Assert.Equal(IngestReasons.Oversize, outcome.Reason);
    }

    [Fact]
    public async Task IngestAsync_LongNonAsciiTranscriptWithinLimits_StoredWhole()
    {
        await using var s = await IngestionScenario.StartAsync();
        var text = string.Concat(Enumerable.Repeat("Совещание по проекту, ", 700)).Trim(); // ~15,000 characters, ~28 KB of UTF-8

        var json = IngestionScenario.Transcript(text).ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        var outcome = (await s.IngestRawAsync(json)).Outcomes.Single();

        Assert.Equal(IngestStatus.Stored, outcome.Status);
        Assert.Equal(text, (string)Assert.Single(await s.StoredAsync("ana", "transcript"))["text"]!);
    }

    [Fact]
    public async Task IngestAsync_CategoryNotInPolicy_UnknownCategory()
    {
        await using var s = await IngestionScenario.StartAsync();

        var outcome = await s.IngestOneAsync(IngestionScenario.Event("ana", "screen-recording", "r-1", IngestionScenario.Start.AddHours(1), []));

        Assert.Equal(IngestReasons.UnknownCategory, outcome.Reason);
        Assert.Contains("keystroke-dynamics", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestAsync_AnotherSchemaVersion_Unsupported()
    {
        await using var s = await IngestionScenario.StartAsync();
        var e = IngestionScenario.Keystroke();
        e["schemaVersion"] = 2;

        Assert.Equal(IngestReasons.UnsupportedSchemaVersion, (await s.IngestOneAsync(e)).Reason);
    }

    [Theory]
    [InlineData("keyCount", "many", "fields.keyCount")]
    [InlineData("windowSeconds", null, "windowSeconds")]
    [InlineData("backspaceRate", 2.5, "fields.backspaceRate")]
    [InlineData("inputFieldType", "terminal-window", "fields.inputFieldType")]
    public async Task IngestAsync_AllowedFieldMissingMistypedOrOutOfBounds_InvalidFields(string field, object? value, string expected)
    {
        await using var s = await IngestionScenario.StartAsync();
        var e = IngestionScenario.Keystroke();
        var fields = e["fields"]!.AsObject();
        fields.Remove(field);
        if (value is not null)
        {
            fields[field] = JsonValue.Create(value);
        }

        var outcome = await s.IngestOneAsync(e);

        Assert.Equal(IngestReasons.InvalidFields, outcome.Reason);
        Assert.Contains(expected, outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestAsync_CapturedInTheFuture_WithinSkewAcceptedBeyondRefused()
    {
        await using var s = await IngestionScenario.StartAsync();
        s.Clock.Advance(TimeSpan.FromHours(1)); // 11:00

        var within = await s.IngestOneAsync(IngestionScenario.Keystroke(eventId: "k-skew-ok", capturedAt: s.Now.AddMinutes(4)));
        var beyond = await s.IngestOneAsync(IngestionScenario.Keystroke(eventId: "k-skew-bad", capturedAt: s.Now.AddMinutes(6)));

        Assert.Equal(IngestStatus.Stored, within.Status);
        Assert.Equal(IngestReasons.ClockSkew, beyond.Reason);
    }

    [Fact]
    public async Task IngestAsync_OlderThanTheCategoryRetention_RetentionExpired()
    {
        await using var s = await IngestionScenario.StartAsync();
        s.Clock.Advance(TimeSpan.FromDays(30)); // the event below is captured at 09:30 thirty days ago

        var expired = await s.IngestOneAsync(IngestionScenario.Keystroke(eventId: "k-old"));

        Assert.Equal(IngestReasons.RetentionExpired, expired.Reason);
    }

    [Fact]
    public async Task IngestAsync_PasswordField_DroppedWhole()
    {
        await using var s = await IngestionScenario.StartAsync();
        var e = IngestionScenario.Keystroke();
        e["fields"]!["inputFieldType"] = "password";

        Assert.Equal(IngestReasons.PasswordField, (await s.IngestOneAsync(e)).Reason);
        Assert.Empty(await s.StoredAsync("ana", "keystroke-dynamics"));
    }

    [Theory]
    [InlineData("2026-11-21T10:00:00Z")] // Saturday
    [InlineData("2026-11-23T06:59:59Z")]
    [InlineData("2026-11-23T19:00:00Z")]
    [InlineData("2026-11-23T22:30:00+01:00")]
    public async Task IngestAsync_OutsideTheMonitoringWindow_Refused(string capturedAt)
    {
        await using var s = await IngestionScenario.StartAsync();
        s.Clock.Advance(TimeSpan.FromHours(12));

        var outcome = await s.IngestOneAsync(IngestionScenario.Keystroke(capturedAt: DateTimeOffset.Parse(capturedAt, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(IngestReasons.OutsideMonitoringWindow, outcome.Reason);
    }

    [Fact]
    public async Task IngestAsync_PerformanceMetricOnSunday_NoWindowSoStored()
    {
        await using var s = await IngestionScenario.StartAsync();
        s.Clock.Advance(TimeSpan.FromDays(6) + TimeSpan.FromHours(13)); // Sunday 2026-11-29, 23:00
        var e = IngestionScenario.Event("ana", "performance-metric", "p-1", new DateTimeOffset(2026, 11, 29, 22, 30, 0, TimeSpan.Zero), new JsonObject
        {
            ["metricName"] = "tickets-resolved", ["value"] = 42, ["periodStart"] = "2026-11-01", ["periodEnd"] = "2026-11-22",
        });

        Assert.Equal(IngestStatus.Stored, (await s.IngestOneAsync(e)).Status);
    }

    [Fact]
    public async Task IngestAsync_NoticeMissingPartialOrAcknowledgedAfterCapture_NoNotice()
    {
        await using var s = await IngestionScenario.StartAsync(partialNotice: ["bo"]);
        await s.Host.Subjects.EnrolAsync("cy");
        await s.Host.Subjects.AcknowledgeNoticeAsync("di", "2026-11", "operator:test"); // at 10:00, after the 09:30 capture

        var unknown = await s.IngestOneAsync(IngestionScenario.Keystroke(employee: "never-seen"));
        var enrolledOnly = await s.IngestOneAsync(IngestionScenario.Keystroke(employee: "cy"));
        var partial = await s.IngestOneAsync(IngestionScenario.Transcript("hello", employee: "bo"));
        var partialKeystroke = await s.IngestOneAsync(IngestionScenario.Keystroke(employee: "bo"));
        var late = await s.IngestOneAsync(IngestionScenario.Keystroke(employee: "di"));

        Assert.Equal([IngestReasons.NoNotice, IngestReasons.NoNotice, IngestReasons.NoNotice, null, IngestReasons.NoNotice], new[] { unknown, enrolledOnly, partial, partialKeystroke, late }.Select(o => o.Reason));
        Assert.Null(await s.Host.Subjects.FindAsync("never-seen")); // ingestion never enrols anyone
    }

    [Fact]
    public async Task IngestAsync_AcknowledgementJustRecorded_CountsAtOnceDespiteTheCache()
    {
        await using var s = await IngestionScenario.StartAsync(partialNotice: ["bo"]);
        Assert.Equal(IngestStatus.Stored, (await s.IngestOneAsync(IngestionScenario.Keystroke(employee: "bo"))).Status); // caches bo's state

        await s.Host.Subjects.AcknowledgeNoticeAsync("bo", "2026-11", "operator:test");
        var e = IngestionScenario.Transcript("hello", employee: "bo");
        e["capturedAt"] = s.Now.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(IngestStatus.Stored, (await s.IngestOneAsync(e)).Status);
    }

    [Fact]
    public async Task IngestAsync_PausedEmployee_PausedUntilResumed()
    {
        await using var s = await IngestionScenario.StartAsync();
        await s.Host.Subjects.PauseAsync("ana", PauseReason.Objection, "operator:test");

        var paused = await s.IngestOneAsync(IngestionScenario.Keystroke(eventId: "k-p"));
        await s.Host.Subjects.ResumeAsync("ana", "operator:test");
        var resumed = await s.IngestOneAsync(IngestionScenario.Keystroke(eventId: "k-p"));

        Assert.Equal(IngestReasons.Paused, paused.Reason);
        Assert.Equal(IngestStatus.Stored, resumed.Status);
    }

    [Fact]
    public async Task IngestAsync_ErasedOrErasurePending_Refused()
    {
        await using var s = await IngestionScenario.StartAsync(fullNotice: ["ana", "bo"]);
        await s.Host.Shredder.ShredAsync("ana", null, "OFFBOARDING", "job:erasure");
        await s.Host.Subjects.SetStatusAsync("bo", SubjectStatus.ErasurePending);

        var erased = await s.IngestOneAsync(IngestionScenario.Keystroke(employee: "ana"));
        var pending = await s.IngestOneAsync(IngestionScenario.Keystroke(employee: "bo"));

        Assert.Equal(IngestReasons.SubjectErased, erased.Reason);
        Assert.Equal(IngestReasons.ErasurePending, pending.Reason);
    }

    [Fact]
    public async Task IngestAsync_ContentScopeShredded_TranscriptsRefusedKeystrokesStillStored()
    {
        await using var s = await IngestionScenario.StartAsync();
        await s.Host.Shredder.ShredAsync("ana", "content", "OBJECTION", "job:erasure");

        var transcript = await s.IngestOneAsync(IngestionScenario.Transcript("hello"));
        var keystroke = await s.IngestOneAsync(IngestionScenario.Keystroke());

        Assert.Equal(IngestReasons.ScopeShredded, transcript.Reason);
        Assert.Equal(IngestStatus.Stored, keystroke.Status);
    }

    [Fact]
    public async Task IngestAsync_FieldsOffTheAllowList_DroppedCountedByNameAndAuditedWithoutValues()
    {
        await using var s = await IngestionScenario.StartAsync();
        var e = IngestionScenario.Keystroke();
        e["fields"]!["typedText"] = "my secret plan";
        e["fields"]!["keyChar"] = "q";
        e["fields"]!["windowTitle"] = "Salary review - Zoë.xlsx";
        e["fields"]!["ana@example.com"] = "x";

        var outcome = await s.IngestOneAsync(e);

        Assert.Equal(IngestStatus.Stored, outcome.Status);
        Assert.Equal(["keyChar", "typedText", "unnamedField", "windowTitle"], outcome.DroppedFields.Order(StringComparer.Ordinal));
        var stored = Assert.Single(await s.StoredAsync("ana", "keystroke-dynamics"));
        Assert.DoesNotContain(stored, p => p.Key is "typedText" or "keyChar" or "windowTitle" or "ana@example.com");
        var drop = Assert.Single(await s.Host.AuditEventsAsync("REJECT"));
        var body = drop.GetString("Body");
        Assert.Contains("FIELD_NOT_ALLOWED", body, StringComparison.Ordinal);
        Assert.Contains("\"dropped.typedText\":1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Salary", body, StringComparison.Ordinal);
        Assert.DoesNotContain("example.com", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestAsync_TranscriptWithPii_RedactedBeforeStorageAndCounted()
    {
        await using var s = await IngestionScenario.StartAsync();
        const string text = "Mail ana.lopez@example.com or call +49 30 1234567, card 4111 1111 1111 1111, ask E12345.";

        var outcome = await s.IngestOneAsync(IngestionScenario.Transcript(text));

        Assert.Equal(4, outcome.Redactions);
        var stored = (string)Assert.Single(await s.StoredAsync("ana", "transcript"))["text"]!;
        Assert.DoesNotContain("example.com", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("1234567", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("E12345", stored, StringComparison.Ordinal);
        Assert.Contains("[email]", stored, StringComparison.Ordinal);
        var body = Assert.Single(await s.Host.AuditEventsAsync("INGEST")).GetString("Body");
        Assert.Contains("\"redacted.card\":1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestAsync_EmployeeIdWithAwkwardCharacters_StoredAndNeverInAKeyOrColumn()
    {
        const string employee = "contractors/ext#17?x=1%20 Zoë Ångström";
        await using var s = await IngestionScenario.StartAsync(fullNotice: [employee]);

        var outcome = await s.IngestOneAsync(IngestionScenario.Keystroke(employee: employee, eventId: employee + "/event-1"));

        Assert.Equal(IngestStatus.Stored, outcome.Status);
        Assert.Single(await s.StoredAsync(employee, "keystroke-dynamics"));
        var rows = 0;
        await foreach (var (_, entity) in s.Host.ScanAllTablesAsync())
        {
            rows++;
            var everything = string.Join('|', entity.Select(kv => kv.Value is byte[] b ? Convert.ToBase64String(b) : kv.Value?.ToString()).Prepend(entity.RowKey).Prepend(entity.PartitionKey));
            Assert.DoesNotContain("Zoë", everything, StringComparison.Ordinal);
            Assert.DoesNotContain("contractors", everything, StringComparison.Ordinal);
        }

        Assert.True(rows > 5, "the scan saw the environment's tables");
    }

    [Fact]
    public async Task IngestAsync_AuditWriteFails_NothingStored()
    {
        await using var s = await IngestionScenario.StartAsync();
        using var pipeline = new IngestionPipeline(
            s.Host.Subjects,
            s.Host.Protector,
            s.Host.Telemetry,
            s.Host.Policy,
            new FailingAuditTrail(),
            Microsoft.Extensions.Options.Options.Create(new IngestionOptions()),
            s.Clock);

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.IngestAsync([System.Text.Encoding.UTF8.GetBytes(IngestionScenario.Keystroke().ToJsonString())], "job:test"));

        Assert.Empty(await s.StoredAsync("ana", "keystroke-dynamics"));
    }

    [Fact]
    public async Task IngestAsync_RejectionsAudited_ByReasonAndKnownCategoryOnly()
    {
        await using var s = await IngestionScenario.StartAsync();
        var password = IngestionScenario.Keystroke(eventId: "k-pw");
        password["fields"]!["inputFieldType"] = "password";

        await s.IngestAsync(password, IngestionScenario.Event("ana", "screen-recording", "r-1", IngestionScenario.Start.AddHours(1), []));

        var rejects = (await s.Host.AuditEventsAsync("REJECT")).Select(r => r.GetString("Body")).ToList();
        Assert.Contains(rejects, b => b.Contains("PASSWORD_FIELD", StringComparison.Ordinal) && b.Contains("\"category\":\"keystroke-dynamics\"", StringComparison.Ordinal));
        Assert.Contains(rejects, b => b.Contains("UNKNOWN_CATEGORY", StringComparison.Ordinal) && !b.Contains("screen-recording", StringComparison.Ordinal));
    }

    private sealed class FailingAuditTrail : Compliance.Core.Audit.IAuditTrail
    {
        public Task<Compliance.Core.Audit.AuditReceipt> AppendAsync(Compliance.Core.Audit.AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("audit store unavailable");

        public Task<IReadOnlyList<Compliance.Core.Audit.AuditReceipt>> AppendBatchAsync(IReadOnlyList<Compliance.Core.Audit.AuditEvent> auditEvents, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("audit store unavailable");
    }
}
