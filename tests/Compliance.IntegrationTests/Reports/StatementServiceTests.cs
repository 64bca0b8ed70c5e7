using System.Text;
using System.Text.Json;
using Compliance.Core.Access;
using Compliance.Core.Erasure;
using Compliance.Core.Reports;
using Compliance.Core.Subjects;
using Compliance.IntegrationTests.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.IntegrationTests.Reports;

public sealed class StatementServiceTests
{
    private static readonly DateTimeOffset From = IngestionScenario.Start;
    private static readonly DateTimeOffset To = IngestionScenario.Start.AddHours(4);

    [Fact]
    public async Task BuildAsync_SeededEmployee_CountsPerCategoryWithPurposesRetentionAndNotices()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        Assert.Equal(1, (await s.IngestAsync(IngestionScenario.Keystroke("ana", "k-early", IngestionScenario.Start.AddMinutes(30)))).Stored);
        await s.Host.Subjects.PauseAsync("ana", PauseReason.Objection, "operator:test");
        await s.Host.Sealer.SealAsync("job:test");

        var statement = await Service(s).BuildAsync("ana");

        Assert.Equal((await s.Host.Subjects.FindAsync("ana"))!.Surrogate, statement.Subject);
        Assert.Equal("active", statement.Status);
        Assert.Equal(s.Host.Policy.Version, statement.Basis.PolicyVersion);
        Assert.True(statement.Basis.TrailIntact);
        Assert.Equal(1, statement.Basis.SealNumber);
        Assert.Equal(["keystroke-dynamics", "transcript"], statement.Categories.Select(c => c.Category));
        var keystroke = statement.Categories[0];
        Assert.Equal(2, keystroke.Records);
        Assert.Equal(IngestionScenario.Start.AddMinutes(30), keystroke.OldestCapture);
        Assert.Equal(IngestionScenario.Start.AddHours(1.5), keystroke.NewestCapture);
        Assert.Equal(IngestionScenario.Start.AddMinutes(30).AddDays(30), keystroke.HeldUntil);
        Assert.Equal(["employee-access-request", "model-training"], keystroke.Purposes);
        Assert.Equal(("telemetry", false, true, 0), (keystroke.KeyScope, keystroke.ScopeShredded, keystroke.Readable, keystroke.LegalHoldCases));
        var transcript = statement.Categories[1];
        Assert.Equal(1, transcript.Records);
        Assert.Equal(["employee-access-request", "model-training", "security-investigation"], transcript.Purposes);
        Assert.Equal("content", transcript.KeyScope);
        var notice = Assert.Single(statement.Notices);
        Assert.Equal(("2026-11", IngestionScenario.Start), (notice.Version, notice.AcknowledgedAt));
        Assert.Contains("transcript", notice.Categories);
        Assert.Equal("objection", statement.Pause?.Reason);
        Assert.Empty(statement.Erasures);
        Assert.Empty(statement.ShreddedScopes);
    }

    [Fact]
    public async Task BuildAsync_AfterBrokerReadsAndAnExport_CountsReadsNamingThemByPurposeAndPrincipal()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        var broker = s.Host.Broker;
        await broker.ReadAsync(new AccessRequest("privacy-office", "employee-access-request", "keystroke-dynamics", EmployeeId: "ana"));
        await broker.ReadAsync(new AccessRequest("privacy-office", "employee-access-request", "transcript", EmployeeId: "ana"));
        await broker.ReadAsync(new AccessRequest("security-operations", "security-investigation", "transcript", EmployeeId: "ana"));
        await broker.ReadAsync(new AccessRequest("ml-platform", "model-training", "keystroke-dynamics", EmployeeId: "ana"));
        await broker.ReadAsync(new AccessRequest("privacy-office", "employee-access-request", "keystroke-dynamics", EmployeeId: "bo"));
        await broker.ReadAsync(new AccessRequest("ml-platform", "model-training", "keystroke-dynamics", From: From, To: To));
        using var output = new MemoryStream();
        var dataset = (await s.Host.Exporter.ExportAsync(new AccessRequest("ml-platform", "model-training", "keystroke-dynamics", From: From, To: To), output)).DatasetId;
        await s.Host.Lineage.LinkModelAsync("assistant-v3", dataset, "operator:test");
        await s.Host.Sealer.SealAsync("job:test");
        await broker.ReadAsync(new AccessRequest("privacy-office", "employee-access-request", "keystroke-dynamics", EmployeeId: "ana")); // after the seal: not counted

        var statement = await Service(s).BuildAsync("ana");

        var access = statement.Access;
        Assert.Equal(4, access.Reads);
        Assert.Equal([("employee-access-request", 2L), ("model-training", 1L), ("security-investigation", 1L)], access.ReadsByPurpose.Select(c => (c.Name, c.Count)));
        Assert.Equal([("ml-platform", 1L), ("privacy-office", 2L), ("security-operations", 1L)], access.ReadsByPrincipal.Select(c => (c.Name, c.Count)));
        Assert.Equal(1, access.Exports);
        Assert.Equal([("model-training", 1L)], access.ExportsByPurpose.Select(c => (c.Name, c.Count)));
        Assert.Equal([("ml-platform", 1L)], access.ExportsByPrincipal.Select(c => (c.Name, c.Count)));
        Assert.Equal(0, access.Denied);
        var listed = Assert.Single(statement.Datasets);
        Assert.Equal((dataset, "keystroke-dynamics", "model-training", "ml-platform"), (listed.Id, listed.Category, listed.Purpose, listed.Principal));
        Assert.Equal(["assistant-v3"], statement.Models);

        using var json = JsonDocument.Parse(StatementJson.Write(statement));
        var readsByPurpose = json.RootElement.GetProperty("access").GetProperty("readsByPurpose");
        Assert.Equal(2, readsByPurpose[0].GetProperty("count").GetInt64());
        Assert.Equal(4, json.RootElement.GetProperty("summary").GetProperty("reads").GetInt64());
    }

    [Fact]
    public async Task BuildAsync_LegalHolds_KeptLongerWithTheCaseCountNeverTheCaseIds()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        await s.Host.Holds.PlaceAsync("ana", null, "CASE-2026-41", "litigation", "user:legal");
        await s.Host.Holds.PlaceAsync(null, "transcript", "CASE-2026-42", "regulator", "user:legal");
        await s.Host.Holds.PlaceAsync(null, "app-focus", "CASE-2026-43", null, "user:legal");
        await s.Host.Sealer.SealAsync("job:test");

        var ana = await Service(s).BuildAsync("ana");
        var cy = await Service(s).BuildAsync("cy");

        Assert.Equal([("keystroke-dynamics", 1), ("transcript", 2)], ana.Categories.Select(c => (c.Category, c.LegalHoldCases)));
        Assert.All(ana.Categories, c => Assert.True(c.KeptLongerUnderLegalHold));
        Assert.Equal(IngestionScenario.Start.AddHours(1.5).AddDays(30), ana.Categories[0].HeldUntil);
        Assert.False(Assert.Single(cy.Categories).KeptLongerUnderLegalHold);
        foreach (var bytes in new[] { StatementJson.Write(ana), StatementHtml.Write(ana) })
        {
            var text = Encoding.UTF8.GetString(bytes);
            Assert.DoesNotContain("CASE-2026", text, StringComparison.Ordinal);
            Assert.DoesNotContain("litigation", text, StringComparison.Ordinal);
        }

        var html = Encoding.UTF8.GetString(StatementHtml.Write(ana));
        Assert.Contains("kept longer under legal hold", html, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(StatementJson.Write(ana));
        Assert.True(json.RootElement.GetProperty("categories")[0].GetProperty("keptLongerUnderLegalHold").GetBoolean());
    }

    [Fact]
    public async Task BuildAsync_ErasedEmployee_SaysSoWithUnreadableCategoriesAndTheCertificate()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        var done = await s.Host.Erasure.EraseAsync(new ErasureSubmission("hr-9001", "ana", ErasureReasons.Offboarding, null, false, "cli"), "job:erasure");
        await Assert.ThrowsAsync<AccessDeniedException>(() => s.Host.Broker.ReadAsync(new AccessRequest("privacy-office", "employee-access-request", "keystroke-dynamics", EmployeeId: "ana")));
        await s.Host.Sealer.SealAsync("job:test");

        var statement = await Service(s).BuildAsync("ana");

        Assert.Equal(ErasureState.Completed, done.State);
        Assert.True(statement.Erased);
        Assert.Equal("erased", statement.Status);
        Assert.Equal(["keystroke-dynamics", "transcript"], statement.Categories.Select(c => c.Category));
        Assert.All(statement.Categories, c => Assert.False(c.Readable));
        Assert.All(statement.Categories, c => Assert.True(c.ScopeShredded));
        Assert.Equal(["content", "performance", "telemetry", "training"], statement.ShreddedScopes); // a full erasure tombstones every scope
        var erasure = Assert.Single(statement.Erasures);
        Assert.Equal((done.Id, "completed", done.CertificateName, done.CertificateSha256), (erasure.Id, erasure.State, erasure.CertificateName, erasure.CertificateSha256));
        Assert.NotNull(erasure.CertificateSha256);
        Assert.Equal(1, statement.Access.Denied);

        using var json = JsonDocument.Parse(StatementJson.Write(statement));
        Assert.True(json.RootElement.GetProperty("employee").GetProperty("erased").GetBoolean());
        Assert.Equal(done.CertificateSha256, json.RootElement.GetProperty("erasures")[0].GetProperty("certificate").GetProperty("sha256").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("summary").GetProperty("readableRecords").GetInt64());
        var html = Encoding.UTF8.GetString(StatementHtml.Write(statement));
        Assert.Contains("Your data was erased", html, StringComparison.Ordinal);
        Assert.Contains(done.CertificateSha256!, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_NeverEnrolled_SaysNothingIsHeldAndDoesNotEnrol()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        await s.Host.Sealer.SealAsync("job:test");

        var statement = await Service(s).BuildAsync("E-never-seen-5150");

        Assert.False(statement.Enrolled);
        Assert.Null(statement.Subject);
        Assert.Equal(EmployeeStatement.NotEnrolled, statement.Status);
        Assert.Empty(statement.Categories);
        Assert.Empty(statement.Erasures);
        Assert.Equal(0, statement.Access.Reads);
        Assert.True(statement.Basis.TrailIntact);
        Assert.Null(await s.Host.Subjects.FindAsync("E-never-seen-5150"));
        var html = Encoding.UTF8.GetString(StatementHtml.Write(statement));
        Assert.Contains("Nothing is held about you", html, StringComparison.Ordinal);
        Assert.DoesNotContain("never-seen", Encoding.UTF8.GetString(StatementJson.Write(statement)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_NoSealYet_RefusesSayingToSeal()
    {
        await using var s = await IngestionScenario.StartSeededAsync();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Service(s).BuildAsync("ana"));

        Assert.Contains("compliance audit seal", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writers_NoEmployeeIdNoLookupKeyAndNoOtherEmployeesSurrogate()
    {
        await using var s = await IngestionScenario.StartAsync(fullNotice: ["emp-7731", "emp-8842"]);
        await s.IngestAsync(
            IngestionScenario.Keystroke("emp-7731", "k-1"),
            IngestionScenario.Keystroke("emp-8842", "k-2"),
            IngestionScenario.Transcript("Planning the offsite.", "emp-7731", "t-1"));
        await s.Host.Broker.ReadAsync(new AccessRequest("privacy-office", "employee-access-request", "keystroke-dynamics", EmployeeId: "emp-7731"));
        await s.Host.Broker.ReadAsync(new AccessRequest("privacy-office", "employee-access-request", "keystroke-dynamics", EmployeeId: "emp-8842"));
        using var output = new MemoryStream();
        await s.Host.Exporter.ExportAsync(new AccessRequest("ml-platform", "model-training", "keystroke-dynamics", From: From, To: To), output);
        await s.Host.Holds.PlaceAsync("emp-8842", null, "CASE-OTHER", null, "user:legal");
        await s.Host.Erasure.EraseAsync(new ErasureSubmission("hr-7731", "emp-7731", ErasureReasons.Objection, "training", false, "cli"), "job:erasure");
        await s.Host.Sealer.SealAsync("job:test");
        var own = (await s.Host.Subjects.FindAsync("emp-7731"))!.Surrogate;
        var other = (await s.Host.Subjects.FindAsync("emp-8842"))!.Surrogate;
        var lookup = await s.Host.Subjects.LookupKeyAsync("emp-7731", CancellationToken.None);

        var statement = await Service(s).BuildAsync("emp-7731");

        Assert.Equal(1, statement.Access.Reads);
        Assert.Single(statement.Erasures);
        foreach (var bytes in new[] { StatementJson.Write(statement), StatementHtml.Write(statement) })
        {
            var text = Encoding.UTF8.GetString(bytes);
            Assert.Contains(own, text, StringComparison.Ordinal);
            Assert.DoesNotContain("emp-", text, StringComparison.Ordinal);
            Assert.DoesNotContain(other, text, StringComparison.Ordinal);
            Assert.DoesNotContain(lookup, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Writers_TwoBuilds_IdenticalBytes()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        await s.Host.Broker.ReadAsync(new AccessRequest("privacy-office", "employee-access-request", "keystroke-dynamics", EmployeeId: "ana"));
        await s.Host.Holds.PlaceAsync(null, "transcript", "CASE-2026-50", null, "user:legal");
        await s.Host.Sealer.SealAsync("job:test");

        var first = await Service(s).BuildAsync("ana");
        s.Clock.Advance(TimeSpan.FromHours(3)); // the statement reads no clock
        var second = await Service(s).BuildAsync("ana");

        Assert.Equal(StatementJson.Write(first), StatementJson.Write(second));
        Assert.Equal(StatementHtml.Write(first), StatementHtml.Write(second));
        using var json = JsonDocument.Parse(StatementJson.Write(first));
        Assert.Equal(first.Basis.SealedAt, json.RootElement.GetProperty("asOf").GetDateTimeOffset());
    }

    private static StatementService Service(IngestionScenario s) => s.Host.Services.GetRequiredService<StatementService>();
}
