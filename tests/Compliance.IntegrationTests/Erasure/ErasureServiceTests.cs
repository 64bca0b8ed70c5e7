using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Compliance.Core.Access;
using Compliance.Core.Audit;
using Compliance.Core.Erasure;
using Compliance.Core.Ingestion;
using Compliance.Core.Keys;
using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;
using Compliance.IntegrationTests.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.IntegrationTests.Erasure;

public sealed class ErasureServiceTests
{
    private const string Actor = "job:erasure";
    private static readonly DateTimeOffset From = IngestionScenario.Start;
    private static readonly DateTimeOffset To = IngestionScenario.Start.AddHours(4);
    private static readonly DateOnly Day = DateOnly.FromDateTime(IngestionScenario.Start.UtcDateTime);

    [Fact]
    public async Task EraseAsync_WholeEmployee_EveryReadPathFailsForThemAndStillWorksForOthers()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        var ana = await SurrogateAsync(s, "ana");
        var anaRecords = await RecordsAsync(s, ana);
        var dataset = await ExportAsync(s);
        await s.Host.Lineage.LinkModelAsync("assistant-v3", dataset, "operator:test");

        var done = await s.Host.Erasure.EraseAsync(Submission("hr-0001", "ana"), Actor);

        Assert.Equal(ErasureState.Completed, done.State);
        Assert.Equal(["content/1", "telemetry/1"], done.KeyIds);
        Assert.True(done.ProbeSampled > 0);
        Assert.Equal(0, done.ProbeDecrypted);

        // Broker, one employee: refused.
        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => s.Host.Broker.ReadAsync(new AccessRequest("privacy-office", "employee-access-request", "keystroke-dynamics", EmployeeId: "ana")));
        Assert.Equal(AccessReasons.SubjectErased, denied.Reason);

        // Broker, everyone: the others only; the erased employee's rows count as unreadable.
        var everyone = await s.Host.Broker.ReadAsync(new AccessRequest("ml-platform", "model-training", "keystroke-dynamics", From: From, To: To));
        Assert.Equal(2, everyone.Records.Count);
        Assert.Equal(1, everyone.Unreadable);
        Assert.DoesNotContain(everyone.Records, r => r.Subject == ana);

        // Export: a new dataset leaves them out.
        using var output = new MemoryStream();
        var export = await s.Host.Exporter.ExportAsync(new AccessRequest("ml-platform", "model-training", "keystroke-dynamics", From: From, To: To), output);
        Assert.Equal(2, export.Subjects);
        Assert.DoesNotContain(ana, Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);

        // Direct decryption, straight from the key store: every record fails; the others' records open.
        foreach (var record in anaRecords)
        {
            var failure = await Assert.ThrowsAsync<RecordUnreadableException>(() => s.Host.Protector.OpenAsync(record, useCache: false));
            Assert.Equal(UnreadableReason.KeyShredded, failure.Reason);
        }

        foreach (var record in await RecordsAsync(s, await SurrogateAsync(s, "bo")))
        {
            Assert.NotEmpty(await s.Host.Protector.OpenAsync(record, useCache: false));
        }

        // No further collection: at once the key tombstone refuses it, and once the gate's cache of active subjects
        // has turned over, the erased subject itself.
        Assert.Equal(IngestReasons.ScopeShredded, (await s.IngestOneAsync(IngestionScenario.Keystroke("ana", "k-late"))).Reason);
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(IngestReasons.SubjectErased, (await s.IngestOneAsync(IngestionScenario.Keystroke("ana", "k-later"))).Reason);

        // The certificate: what was destroyed, what the data reached, its hash in ERASURE_DONE.
        var certificate = (await s.Host.Erasure.GetCertificateAsync(done.Id))!;
        using var json = JsonDocument.Parse(certificate);
        var root = json.RootElement;
        Assert.Equal(ana, root.GetProperty("subject").GetString());
        Assert.Equal("all", root.GetProperty("request").GetProperty("scope").GetString());
        Assert.Equal("unreadable", root.GetProperty("probe").GetProperty("result").GetString());
        Assert.Equal([dataset], root.GetProperty("derived").GetProperty("datasets").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(["assistant-v3"], root.GetProperty("derived").GetProperty("models").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("required", root.GetProperty("derived").GetProperty("disposition").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(certificate)), done.CertificateSha256);
        var closing = await EventAsync(s, "ERASURE_DONE");
        Assert.Equal(done.CertificateSha256, closing.Event.Hashes["certificate"]);
        Assert.Equal(ana, closing.Event.Subject);
        Assert.DoesNotContain("\"ana\"", Encoding.UTF8.GetString(certificate), StringComparison.Ordinal);
        Assert.DoesNotContain("hr-0001", Encoding.UTF8.GetString(certificate), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EraseAsync_Redelivered_NothingHappensTwice()
    {
        await using var s = await IngestionScenario.StartSeededAsync();

        var first = await s.Host.Erasure.EraseAsync(Submission("hr-0002", "ana"), Actor);
        var certificate = await s.Host.Erasure.GetCertificateAsync(first.Id);
        var again = await s.Host.Erasure.EraseAsync(Submission("hr-0002", "ana"), Actor);
        var sweep = await s.Host.Erasure.ProcessOpenAsync(Actor);

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(ErasureState.Completed, again.State);
        Assert.Equal(first.KeysDestroyedAt, again.KeysDestroyedAt);
        Assert.Equal(certificate, await s.Host.Erasure.GetCertificateAsync(first.Id));
        Assert.Empty(sweep.Requests);
        foreach (var type in new[] { "ERASURE_REQ", "KEY_SHRED", "ERASURE_DONE" })
        {
            Assert.Single(await s.Host.AuditEventsAsync(type));
        }

        Assert.Single(await s.Host.Erasure.ListAsync("ana"));
        var conflict = await Assert.ThrowsAsync<ErasureConflictException>(() => s.Host.Erasure.EraseAsync(Submission("hr-0002", "bo"), Actor));
        Assert.Contains(first.Id, conflict.Message, StringComparison.Ordinal);
        Assert.Equal(SubjectStatus.Active, (await s.Host.Subjects.FindAsync("bo"))!.Status);
    }

    [Fact]
    public async Task EraseAsync_UnderLegalHold_HeldUntilTheReleaseThenCompletesByItself()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        var ana = await SurrogateAsync(s, "ana");
        await s.Host.Holds.PlaceAsync("ana", null, "CASE-2026-7", "litigation", "user:legal");

        var held = await s.Host.Erasure.EraseAsync(Submission("hr-0003", "ana"), Actor);
        s.Clock.Advance(TimeSpan.FromDays(3));
        var stillHeld = await s.Host.Erasure.ProcessOpenAsync(Actor);

        Assert.Equal(ErasureState.Held, held.State);
        Assert.Equal(["CASE-2026-7"], held.HoldCases);
        Assert.Equal((0, 1), (stillHeld.Completed, stillHeld.Held));
        Assert.Single(await s.Host.AuditEventsAsync("ERASURE_HELD"));
        Assert.Empty(await s.Host.AuditEventsAsync("KEY_SHRED"));
        Assert.All(await RecordsAsync(s, ana), r => Assert.NotNull(r));
        Assert.NotEmpty(await s.Host.Protector.OpenAsync((await RecordsAsync(s, ana))[0], useCache: false)); // the hold keeps the data readable
        Assert.Equal(SubjectStatus.Held, (await s.Host.Subjects.FindAsync("ana"))!.Status);
        Assert.Equal(IngestReasons.ErasurePending, (await s.IngestOneAsync(IngestionScenario.Keystroke("ana", "k-while-held"))).Reason);
        var sla = await s.Host.Erasure.GetSlaAsync();
        Assert.Equal(1, sla.Held);
        Assert.Empty(sla.OpenPastTarget); // a hold, not the service, keeps it open

        await s.Host.Holds.ReleaseAsync("ana", null, "CASE-2026-7", "user:legal");
        s.Clock.Advance(TimeSpan.FromMinutes(15));
        var swept = await s.Host.Erasure.ProcessOpenAsync(Actor);

        var done = Assert.Single(swept.Requests);
        Assert.Equal(ErasureState.Completed, done.State);
        Assert.Equal(held.HeldSince, done.HeldSince);
        Assert.Equal(s.Now, done.HeldUntil);
        Assert.Equal(SubjectStatus.Erased, (await s.Host.Subjects.FindAsync("ana"))!.Status);
        using var certificate = JsonDocument.Parse((await s.Host.Erasure.GetCertificateAsync(done.Id))!);
        Assert.Equal(["CASE-2026-7"], certificate.RootElement.GetProperty("legalHolds").EnumerateArray().Select(c => c.GetString()));
        Assert.NotEqual(JsonValueKind.Null, certificate.RootElement.GetProperty("timeline").GetProperty("holdReleased").ValueKind);
    }

    [Fact]
    public async Task EraseAsync_TrainingObjection_OnlyTheTrainingScopeGoesAndOtherRetentionContinues()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        var first = await ExportAsync(s);

        var done = await s.Host.Erasure.EraseAsync(Submission("hr-0004", "ana", ErasureReasons.Objection, scope: "training"), Actor);

        Assert.Equal(ErasureState.Completed, done.State);
        Assert.Equal(["training"], done.Scopes);
        Assert.Equal([first], done.Datasets); // the dataset holding their data must be rebuilt
        Assert.Equal(SubjectStatus.Active, (await s.Host.Subjects.FindAsync("ana"))!.Status);
        var own = await s.Host.Broker.ReadAsync(new AccessRequest("privacy-office", "employee-access-request", "keystroke-dynamics", EmployeeId: "ana"));
        Assert.Single(own.Records);
        using var output = new MemoryStream();
        var export = await s.Host.Exporter.ExportAsync(new AccessRequest("ml-platform", "model-training", "keystroke-dynamics", From: From, To: To), output);
        Assert.Equal((2, 1), (export.Subjects, export.ExcludedSubjects));
        Assert.Equal(IngestStatus.Stored, (await s.IngestOneAsync(IngestionScenario.Keystroke("ana", "k-after"))).Status);
    }

    [Fact]
    public async Task EraseAsync_ContentScope_TranscriptsUnreadableBehaviouralDataReadable()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        var ana = await SurrogateAsync(s, "ana");

        var done = await s.Host.Erasure.EraseAsync(Submission("hr-0005", "ana", ErasureReasons.ConsentWithdrawn, scope: "content"), Actor);

        Assert.Equal(["content/1"], done.KeyIds);
        var transcript = Assert.Single(await s.Host.Telemetry.ReadSubjectAsync(ana, "transcript", Day, Day).ToListAsync());
        await Assert.ThrowsAsync<RecordUnreadableException>(() => s.Host.Protector.OpenAsync(transcript, useCache: false));
        var keystroke = Assert.Single(await s.Host.Telemetry.ReadSubjectAsync(ana, "keystroke-dynamics", Day, Day).ToListAsync());
        Assert.NotEmpty(await s.Host.Protector.OpenAsync(keystroke, useCache: false));
        Assert.Empty(done.Datasets);
    }

    [Fact]
    public async Task EraseAsync_CleanUp_DeletesOnlyTheSubjectsRowsAndAuditsTheCount()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        var ana = await SurrogateAsync(s, "ana");
        var bo = await SurrogateAsync(s, "bo");

        var done = await s.Host.Erasure.EraseAsync(Submission("hr-0006", "ana", cleanUp: true), Actor);

        Assert.Equal(2, done.CleanUpRows);
        Assert.NotNull(done.CleanedUpAt);
        Assert.Empty(await RecordsAsync(s, ana));
        Assert.Equal(2, (await RecordsAsync(s, bo)).Count);
        var purge = await EventAsync(s, "PURGE");
        Assert.Equal((ErasureService.CleanUpReason, 2L), (purge.Event.ReasonCode, purge.Event.Counts["records"]));
    }

    [Fact]
    public async Task ProcessAsync_KilledPartWay_ResumesToTheSameEndStateWithoutRepeatingAnything()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        var flaky = new FailingOnce(s.Host.Services.GetRequiredService<IErasureCertificateStore>());
        var killed = ActivatorUtilities.CreateInstance<ErasureService>(s.Host.Services, (IErasureCertificateStore)flaky);

        await Assert.ThrowsAsync<IOException>(() => killed.EraseAsync(Submission("hr-0007", "ana", cleanUp: true), Actor));
        var stopped = Assert.Single(await s.Host.Erasure.ListAsync("ana"));
        s.Clock.Advance(TimeSpan.FromMinutes(5));
        var resumed = await s.Host.Erasure.ProcessAsync(stopped.Id, Actor);

        Assert.Equal(ErasureState.Certifying, stopped.State);
        Assert.Equal(ErasureState.Completed, resumed.State);
        Assert.Equal(stopped.KeysDestroyedAt, resumed.KeysDestroyedAt);
        Assert.Equal(2, resumed.CleanUpRows);
        foreach (var type in new[] { "ERASURE_REQ", "KEY_SHRED", "PURGE", "ERASURE_DONE" })
        {
            Assert.Single(await s.Host.AuditEventsAsync(type));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task ProcessAsync_KilledAfterAnyStepBeforeItWasStored_ResumesWithOneEventOfEachKind(int failingUpdate)
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        var crashing = new CrashBeforeUpdate(s.Host.Services.GetRequiredService<IErasureStore>(), failingUpdate);
        var killed = ActivatorUtilities.CreateInstance<ErasureService>(s.Host.Services, (IErasureStore)crashing);

        await Assert.ThrowsAsync<IOException>(() => killed.EraseAsync(Submission("hr-0011", "ana", cleanUp: true), Actor));
        s.Clock.Advance(TimeSpan.FromMinutes(15));
        var sweep = await s.Host.Erasure.ProcessOpenAsync(Actor);

        var done = Assert.Single(sweep.Requests);
        Assert.Equal(ErasureState.Completed, done.State);
        Assert.Equal(["content/1", "telemetry/1"], done.KeyIds);
        Assert.Equal(2, done.CleanUpRows);
        Assert.Empty(await RecordsAsync(s, done.Subject));
        foreach (var type in new[] { "ERASURE_REQ", "KEY_SHRED", "PURGE", "ERASURE_DONE" })
        {
            Assert.Single(await s.Host.AuditEventsAsync(type));
        }

        // The stored certificate is exactly what the stored request gives: rebuilding it can never conflict.
        var stored = (await s.Host.Erasure.GetAsync(done.Id))!;
        Assert.Equal(ErasureCertificate.Build(stored), await s.Host.Erasure.GetCertificateAsync(done.Id));
    }

    [Fact]
    public async Task ProcessAsync_TwoInstancesAtOnce_OneOutcome()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        var submitted = await s.Host.Erasure.SubmitAsync(Submission("hr-0012", "ana", cleanUp: true), Actor);
        await using var peer = s.Host.Peer(streamCount: 1, s.Clock);

        var results = await Task.WhenAll(s.Host.Erasure.ProcessAsync(submitted.Id, Actor), peer.Erasure.ProcessAsync(submitted.Id, Actor));

        Assert.All(results, r => Assert.Equal(ErasureState.Completed, r.State));
        Assert.Equal(results[0].CertificateSha256, results[1].CertificateSha256);
        foreach (var type in new[] { "ERASURE_REQ", "KEY_SHRED", "PURGE", "ERASURE_DONE" })
        {
            Assert.Single(await s.Host.AuditEventsAsync(type));
        }
    }

    [Fact]
    public async Task SubmitAsync_LosesARaceForItsRequestId_TheOtherEmployeeIsNotTouched()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        var winner = await s.Host.Erasure.SubmitAsync(Submission("hr-0013", "ana"), Actor);
        var blind = new BlindFirstRead(s.Host.Services.GetRequiredService<IErasureStore>());
        var loser = ActivatorUtilities.CreateInstance<ErasureService>(s.Host.Services, (IErasureStore)blind);

        await Assert.ThrowsAsync<ErasureConflictException>(() => loser.SubmitAsync(Submission("hr-0013", "bo"), Actor));

        Assert.Equal(SubjectStatus.Active, (await s.Host.Subjects.FindAsync("bo"))!.Status);
        Assert.Equal(IngestStatus.Stored, (await s.IngestOneAsync(IngestionScenario.Keystroke("bo", "k-bo-after"))).Status);
        Assert.Equal(SubjectStatus.ErasurePending, (await s.Host.Subjects.FindAsync("ana"))!.Status);
        Assert.Equal(winner.Id, Assert.Single(await s.Host.Erasure.ListAsync()).Id);
    }

    [Fact]
    public async Task CleanUp_HoldPlacedAfterTheShred_HeldRowsKeptAndCounted()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        var ana = await SurrogateAsync(s, "ana");
        var crashing = new CrashBeforeUpdate(s.Host.Services.GetRequiredService<IErasureStore>(), 3); // after counting, before deleting
        var killed = ActivatorUtilities.CreateInstance<ErasureService>(s.Host.Services, (IErasureStore)crashing);
        await Assert.ThrowsAsync<IOException>(() => killed.EraseAsync(Submission("hr-0014", "ana", cleanUp: true), Actor));
        await s.Host.Holds.PlaceAsync(null, "transcript", "CASE-LATE", null, "user:legal");

        var done = Assert.Single((await s.Host.Erasure.ProcessOpenAsync(Actor)).Requests);

        Assert.Equal(ErasureState.Completed, done.State);
        Assert.Equal((2, 1), (done.CleanUpRows!.Value, done.CleanUpHeldRows));
        Assert.Single(await s.Host.Telemetry.ReadSubjectAsync(ana, "transcript", Day, Day).ToListAsync()); // kept for the hold
        Assert.Empty(await s.Host.Telemetry.ReadSubjectAsync(ana, "keystroke-dynamics", Day, Day).ToListAsync());
        using var certificate = JsonDocument.Parse((await s.Host.Erasure.GetCertificateAsync(done.Id))!);
        Assert.Equal(1, certificate.RootElement.GetProperty("cleanUp").GetProperty("rowsKeptForLegalHolds").GetInt32());
    }

    [Fact]
    public async Task EraseAsync_HoldPlacedAgainRightBeforeTheShred_DeferredAgainAuditedAndOnlyHeldTimeLeftOut()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        await s.Host.Holds.PlaceAsync("ana", null, "CASE-8", null, "user:legal");
        var held = await s.Host.Erasure.EraseAsync(Submission("hr-0015", "ana"), Actor);
        s.Clock.Advance(TimeSpan.FromDays(2));
        await s.Host.Holds.ReleaseAsync("ana", null, "CASE-8", "user:legal");
        var rehold = new AfterFirstUpdate(s.Host.Services.GetRequiredService<IErasureStore>(), async () =>
        {
            s.Clock.Advance(TimeSpan.FromHours(5)); // the service's own time, with no hold
            await s.Host.Holds.PlaceAsync("ana", null, "CASE-8", null, "user:legal");
        });
        var racing = ActivatorUtilities.CreateInstance<ErasureService>(s.Host.Services, (IErasureStore)rehold);

        var deferredAgain = await racing.ProcessAsync(held.Id, Actor);
        s.Clock.Advance(TimeSpan.FromDays(3));
        await s.Host.Holds.ReleaseAsync("ana", null, "CASE-8", "user:legal");
        var done = Assert.Single((await s.Host.Erasure.ProcessOpenAsync(Actor)).Requests);

        Assert.Equal(ErasureState.Held, deferredAgain.State);
        Assert.Null(deferredAgain.KeysDestroyedAt); // the shred refused: the hold came first
        Assert.Equal(ErasureState.Completed, done.State);
        Assert.Equal(2, done.Deferrals);
        Assert.Equal(2, (await s.Host.AuditEventsAsync("ERASURE_HELD")).Count);
        Assert.Equal(TimeSpan.FromHours(5), done.TimeToKeysDestroyed);
        Assert.Equal(["content/1", "telemetry/1"], done.KeyIds);
    }

    [Fact]
    public async Task EraseAsync_StaleCopyOfTheTables_UnreadableForTheSubjectOncePastTheShredHorizon()
    {
        await using var s = await IngestionScenario.StartSeededAsync();
        var ana = await SurrogateAsync(s, "ana");
        var staleKeys = (await s.Host.SubjectKeysTable.QueryAsync<TableEntity>().ToListAsync()).Where(r => r.PartitionKey == ana && r.ContainsKey("WrappedValue")).ToList();
        var staleRecords = await RecordsAsync(s, ana);

        var done = await s.Host.Erasure.EraseAsync(Submission("hr-0008", "ana"), Actor);
        var beforeHorizon = await s.Host.RootKeys.UnwrapKeyAsync(Wrapped(staleKeys[0]));
        s.Clock.Advance(done.ShredHorizon!.Value - s.Now + TimeSpan.FromMinutes(1));
        var rotation = await s.Host.KeyRotation.RotateDueAsync("job:key-rotation");

        Assert.Equal(2, staleKeys.Count);
        Assert.Equal(2, staleRecords.Count);
        Assert.Equal(32, beforeHorizon.Length); // until the horizon a stale copy still opens: the certificate says so
        Assert.NotNull(rotation.Root);
        foreach (var row in staleKeys)
        {
            await Assert.ThrowsAsync<KeyCustodyForbiddenException>(() => s.Host.RootKeys.UnwrapKeyAsync(Wrapped(row)));
        }

        foreach (var record in await RecordsAsync(s, await SurrogateAsync(s, "bo")))
        {
            Assert.NotEmpty(await s.Host.Protector.OpenAsync(record, useCache: false)); // everyone else's keys were rewrapped
        }
    }

    [Theory]
    [InlineData("hr 0009", "ana", ErasureReasons.Offboarding, null, "requestId")]
    [InlineData("hr-0009", "ana", "LEFT", null, "reason")]
    [InlineData("hr-0009", "ana", ErasureReasons.Offboarding, "contents", "scope")]
    [InlineData("hr-0009", " ", ErasureReasons.Offboarding, null, "employee id")]
    public async Task SubmitAsync_InvalidField_NamedAndNothingRecorded(string requestId, string employee, string reason, string? scope, string named)
    {
        await using var s = await IngestionScenario.StartSeededAsync();

        var error = await Assert.ThrowsAsync<InvalidErasureRequestException>(() => s.Host.Erasure.SubmitAsync(new ErasureSubmission(requestId, employee, reason, scope, false, "cli"), Actor));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ana", error.Field, StringComparison.Ordinal);
        Assert.Empty(await s.Host.Erasure.ListAsync());
        Assert.Empty(await s.Host.AuditEventsAsync("ERASURE_REQ"));
        Assert.Equal(SubjectStatus.Active, (await s.Host.Subjects.FindAsync("ana"))!.Status);
    }

    [Fact]
    public async Task EraseAsync_EmployeeNeverSeen_CompletesAndTheTombstoneBlocksLaterCollection()
    {
        await using var s = await IngestionScenario.StartSeededAsync();

        var done = await s.Host.Erasure.EraseAsync(Submission("hr-0010", "never-seen"), Actor);

        Assert.Equal(ErasureState.Completed, done.State);
        Assert.Equal(0, done.ProbeSampled);
        Assert.Empty(done.KeyIds);
        Assert.Equal(SubjectStatus.Erased, (await s.Host.Subjects.FindAsync("never-seen"))!.Status);
    }

    private static ErasureSubmission Submission(string requestId, string employee, string reason = ErasureReasons.Offboarding, string? scope = null, bool cleanUp = false) =>
        new(requestId, employee, reason, scope, cleanUp, "cli");

    private static async Task<string> ExportAsync(IngestionScenario s)
    {
        using var output = new MemoryStream();
        return (await s.Host.Exporter.ExportAsync(new AccessRequest("ml-platform", "model-training", "keystroke-dynamics", From: From, To: To), output)).DatasetId;
    }

    private static async Task<string> SurrogateAsync(IngestionScenario s, string employee) => (await s.Host.Subjects.FindAsync(employee))!.Surrogate;

    private static async Task<List<TelemetryRecord>> RecordsAsync(IngestionScenario s, string surrogate) =>
    [
        .. await s.Host.Telemetry.ReadSubjectAsync(surrogate, "keystroke-dynamics", Day, Day).ToListAsync(),
        .. await s.Host.Telemetry.ReadSubjectAsync(surrogate, "transcript", Day, Day).ToListAsync(),
    ];

    private static async Task<AuditRecord> EventAsync(IngestionScenario s, string type) =>
        AuditCanonicalForm.Parse(Assert.Single(await s.Host.AuditEventsAsync(type)).GetString("Body"));

    private static WrappedKey Wrapped(TableEntity row) => new(row.GetString("RootKeyName"), row.GetString("RootKeyVersion"), row.GetBinary("WrappedValue"));

    /// <summary>The real request store, with a run killed right before its <c>n</c>th update: the step's work done, its result not stored.</summary>
    private sealed class CrashBeforeUpdate(IErasureStore inner, int n) : IErasureStore
    {
        private int _updates;

        public Task<ErasureRecord?> GetAsync(string erasureId, CancellationToken cancellationToken = default) => inner.GetAsync(erasureId, cancellationToken);

        public Task<ErasureRecord> AddOrGetAsync(ErasureRecord record, CancellationToken cancellationToken = default) => inner.AddOrGetAsync(record, cancellationToken);

        public Task<ErasureRecord?> TryUpdateAsync(ErasureRecord record, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _updates) == n ? throw new IOException($"killed before update {n}") : inner.TryUpdateAsync(record, cancellationToken);

        public IAsyncEnumerable<ErasureRecord> ListAsync(string? lookupKey = null, bool openOnly = false, CancellationToken cancellationToken = default) => inner.ListAsync(lookupKey, openOnly, cancellationToken);
    }

    /// <summary>The real request store, running <paramref name="then"/> right after its first update: something happening between two steps.</summary>
    private sealed class AfterFirstUpdate(IErasureStore inner, Func<Task> then) : IErasureStore
    {
        private int _updates;

        public Task<ErasureRecord?> GetAsync(string erasureId, CancellationToken cancellationToken = default) => inner.GetAsync(erasureId, cancellationToken);

        public Task<ErasureRecord> AddOrGetAsync(ErasureRecord record, CancellationToken cancellationToken = default) => inner.AddOrGetAsync(record, cancellationToken);

        public async Task<ErasureRecord?> TryUpdateAsync(ErasureRecord record, CancellationToken cancellationToken = default)
        {
            var written = await inner.TryUpdateAsync(record, cancellationToken);
            if (Interlocked.Increment(ref _updates) == 1)
            {
                await then();
            }

            return written;
        }

        public IAsyncEnumerable<ErasureRecord> ListAsync(string? lookupKey = null, bool openOnly = false, CancellationToken cancellationToken = default) => inner.ListAsync(lookupKey, openOnly, cancellationToken);
    }

    /// <summary>The real request store, whose first read misses: the window in which two submissions of one request id race.</summary>
    private sealed class BlindFirstRead(IErasureStore inner) : IErasureStore
    {
        private int _reads;

        public Task<ErasureRecord?> GetAsync(string erasureId, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _reads) == 1 ? Task.FromResult<ErasureRecord?>(null) : inner.GetAsync(erasureId, cancellationToken);

        public Task<ErasureRecord> AddOrGetAsync(ErasureRecord record, CancellationToken cancellationToken = default) => inner.AddOrGetAsync(record, cancellationToken);

        public Task<ErasureRecord?> TryUpdateAsync(ErasureRecord record, CancellationToken cancellationToken = default) => inner.TryUpdateAsync(record, cancellationToken);

        public IAsyncEnumerable<ErasureRecord> ListAsync(string? lookupKey = null, bool openOnly = false, CancellationToken cancellationToken = default) => inner.ListAsync(lookupKey, openOnly, cancellationToken);
    }

    /// <summary>The real certificate store, failing its first write: a run killed just before the certificate.</summary>
    private sealed class FailingOnce(IErasureCertificateStore inner) : IErasureCertificateStore
    {
        private int _calls;

        public Task SaveAsync(string name, ReadOnlyMemory<byte> certificate, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _calls) == 1 ? throw new IOException("killed before the certificate was stored") : inner.SaveAsync(name, certificate, cancellationToken);

        public Task<byte[]?> GetAsync(string name, CancellationToken cancellationToken = default) => inner.GetAsync(name, cancellationToken);
    }
}
