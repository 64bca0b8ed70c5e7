using Compliance.Core.Access;
using Compliance.IntegrationTests.Ingestion;

namespace Compliance.IntegrationTests.Access;

public sealed class AccessBrokerTests
{
    private static readonly DateTimeOffset From = IngestionScenario.Start;
    private static readonly DateTimeOffset To = IngestionScenario.Start.AddHours(4);

    [Fact]
    public async Task ReadAsync_GrantedPurposeForAnEmployee_ReturnsDecryptedRecordsAuditedFirst()
    {
        await using var s = await SeededAsync();

        var result = await s.Host.Broker.ReadAsync(new AccessRequest("privacy-office", "employee-access-request", "keystroke-dynamics", EmployeeId: "ana"));

        Assert.Equal(2, result.Records.Count);
        Assert.All(result.Records, r => Assert.StartsWith("sub_", r.Subject, StringComparison.Ordinal));
        Assert.Equal(140, result.Records[0].Fields.GetProperty("keyCount").GetInt32());
        var read = Assert.Single(await s.Host.AuditEventsAsync("READ"));
        Assert.Equal(result.AuditSequence, read.GetInt64("Seq"));
        var body = read.GetString("Body");
        Assert.Contains("\"purpose\":\"employee-access-request\"", body, StringComparison.Ordinal);
        Assert.Contains("\"records\":2", body, StringComparison.Ordinal);
        Assert.Contains("principal:privacy-office", body, StringComparison.Ordinal);
        Assert.DoesNotContain("ana", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EmployeeNeverEnrolled_NoRecordsNeverEveryones()
    {
        await using var s = await SeededAsync();

        var result = await s.Host.Broker.ReadAsync(new AccessRequest("privacy-office", "employee-access-request", "keystroke-dynamics", EmployeeId: "typo@example.com"));

        Assert.Empty(result.Records);
        Assert.Contains("\"records\":0", Assert.Single(await s.Host.AuditEventsAsync("READ")).GetString("Body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_PeriodWithoutEmployee_EveryonesRecordsInThePeriod()
    {
        await using var s = await SeededAsync();

        var result = await s.Host.Broker.ReadAsync(new AccessRequest("ml-platform", "model-training", "keystroke-dynamics", From: From, To: To));

        Assert.Equal(3, result.Records.Count);
        Assert.Equal(2, result.Subjects);
    }

    public static TheoryData<string, string, string, string> Refusals => new()
    {
        { "hr-analytics", "hr-performance", "keystroke-dynamics", AccessReasons.PurposeNotAllowed },
        { "nobody", "model-training", "keystroke-dynamics", AccessReasons.UnknownPrincipal },
        { "ml-platform", "curiosity", "keystroke-dynamics", AccessReasons.UnknownPurpose },
        { "ml-platform", "model-training", "screen-recording", AccessReasons.UnknownCategory },
        { "security-operations", "model-training", "keystroke-dynamics", AccessReasons.NoActiveGrant },
        { "hr-analytics", "employee-access-request", "keystroke-dynamics", AccessReasons.TrainingDataForEmploymentDecisions },
        { "security-operations", "security-investigation", "keystroke-dynamics", AccessReasons.PurposeNotAllowed },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ReadAsync_Refused_DenyAuditedWithTheReasonAndNoDataReturned(string principal, string purpose, string category, string reason)
    {
        await using var s = await SeededAsync();

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => s.Host.Broker.ReadAsync(new AccessRequest(principal, purpose, category, From: From, To: To)));

        Assert.Equal(reason, denied.Reason);
        var deny = Assert.Single(await s.Host.AuditEventsAsync("DENY"));
        Assert.Contains(reason, deny.GetString("Body"), StringComparison.Ordinal);
        Assert.DoesNotContain("curiosity", deny.GetString("Body"), StringComparison.Ordinal);
        Assert.Empty(await s.Host.AuditEventsAsync("READ"));
    }

    [Fact]
    public async Task ReadAsync_GrantExpired_NoActiveGrant()
    {
        await using var s = await SeededAsync();
        s.Clock.Advance(TimeSpan.FromDays(800)); // the default grants end 2027-12-31

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => s.Host.Broker.ReadAsync(new AccessRequest("privacy-office", "employee-access-request", "keystroke-dynamics", EmployeeId: "ana")));

        Assert.Equal(AccessReasons.NoActiveGrant, denied.Reason);
    }

    [Fact]
    public async Task ReadAsync_ErasedEmployee_DeniedAndTheirRecordsNeverInAPeriodRead()
    {
        await using var s = await SeededAsync();
        await s.Host.Shredder.ShredAsync("ana", null, "OFFBOARDING", "job:erasure");

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => s.Host.Broker.ReadAsync(new AccessRequest("privacy-office", "employee-access-request", "keystroke-dynamics", EmployeeId: "ana")));
        var period = await s.Host.Broker.ReadAsync(new AccessRequest("ml-platform", "model-training", "keystroke-dynamics", From: From, To: To));

        Assert.Equal(AccessReasons.SubjectErased, denied.Reason);
        Assert.Single(period.Records);
        Assert.Equal(2, period.Unreadable);
    }

    [Fact]
    public async Task ReadAsync_AuditUnavailable_NothingReturned()
    {
        await using var s = await SeededAsync();
        var broker = new AccessBroker(s.Host.Subjects, s.Host.Telemetry, s.Host.Protector, s.Host.Policy, new ThrowingAudit(), s.Clock);

        await Assert.ThrowsAsync<InvalidOperationException>(() => broker.ReadAsync(new AccessRequest("ml-platform", "model-training", "keystroke-dynamics", From: From, To: To)));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("2026-11-23T10:00:00Z", "2026-11-23T09:00:00Z")]
    public async Task ReadAsync_NoEmployeeAndNoValidPeriod_BadInput(string? from, string? to)
    {
        await using var s = await SeededAsync();
        DateTimeOffset? Parse(string? v) => v is null ? null : DateTimeOffset.Parse(v, System.Globalization.CultureInfo.InvariantCulture);

        await Assert.ThrowsAsync<ArgumentException>(() => s.Host.Broker.ReadAsync(new AccessRequest("ml-platform", "model-training", "keystroke-dynamics", From: Parse(from), To: Parse(to))));
    }

    /// <summary>ana: two keystroke windows; bo: one keystroke window and one transcript.</summary>
    private static async Task<IngestionScenario> SeededAsync()
    {
        var s = await IngestionScenario.StartAsync(fullNotice: ["ana", "bo"]);
        var result = await s.IngestAsync(
            IngestionScenario.Keystroke("ana", "k-1"),
            IngestionScenario.Keystroke("ana", "k-2", IngestionScenario.Start.AddHours(1.6)),
            IngestionScenario.Keystroke("bo", "k-3"),
            IngestionScenario.Transcript("Weekly sync notes.", "bo", "t-1"));
        Assert.Equal(4, result.Stored);
        return s;
    }

    private sealed class ThrowingAudit : Compliance.Core.Audit.IAuditTrail
    {
        public Task<Compliance.Core.Audit.AuditReceipt> AppendAsync(Compliance.Core.Audit.AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
            auditEvent.Type == Compliance.Core.Audit.AuditEventType.Read ? throw new InvalidOperationException("audit store unavailable") : Task.FromResult(new Compliance.Core.Audit.AuditReceipt("s00", 1, "", false));

        public Task<IReadOnlyList<Compliance.Core.Audit.AuditReceipt>> AppendBatchAsync(IReadOnlyList<Compliance.Core.Audit.AuditEvent> auditEvents, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("audit store unavailable");
    }
}
