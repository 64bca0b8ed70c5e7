using System.Security.Cryptography;
using Compliance.Core.Retention;
using Compliance.Core.Telemetry;
using Compliance.IntegrationTests.Ingestion;
using Compliance.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.IntegrationTests.Retention;

public sealed class PurgeServiceTests
{
    private const string Category = "keystroke-dynamics"; // kept 30 days
    private static readonly DateTimeOffset T = IngestionScenario.Start.AddHours(1); // Monday 09:00
    private static readonly DateOnly Monday = DateOnly.FromDateTime(T.UtcDateTime);

    [Fact]
    public async Task RunAsync_RecordsAroundTheCutoff_ExactlyAtRetentionAndOlderGoOneSecondYoungerStays()
    {
        await using var s = await SeededAsync(("ana", "before", T.AddSeconds(-1)), ("ana", "exact", T), ("ana", "after", T.AddSeconds(1)));
        s.Clock.Advance(T.AddDays(30) - s.Now); // now - retention = T

        var plan = await s.Host.Purge.PlanAsync();
        var result = await s.Host.Purge.RunAsync("job:test");

        var action = Assert.Single(Assert.Single(plan.Categories, c => c.Category == Category).Actions);
        Assert.Equal((PurgeActionKind.DeleteRecords, 2), (action.Kind, action.Records));
        Assert.Equal(2, result.Manifest.RecordsDeleted);
        var left = await s.Host.Telemetry.ListLocationsAsync(Category, Monday).ToListAsync();
        Assert.Equal([T.AddSeconds(1)], left.Select(l => l.CapturedAt));
    }

    [Fact]
    public async Task RunAsync_WholeDayExpired_TableDroppedAndPlanMatchesTheRun()
    {
        await using var s = await SeededAsync(("ana", "a", T), ("bo", "b", T.AddHours(2)), ("bo", "c", T.AddHours(3)));
        s.Clock.Advance(TimeSpan.FromDays(32));

        var plan = await s.Host.Purge.PlanAsync();
        var result = await s.Host.Purge.RunAsync("job:test");

        var action = Assert.Single(Assert.Single(plan.Categories, c => c.Category == Category).Actions);
        Assert.Equal((PurgeActionKind.DropTable, 3), (action.Kind, action.Records));
        Assert.Equal(plan.Records, result.Manifest.RecordsDeleted);
        Assert.Equal(1, result.Manifest.TablesDropped);
        Assert.Empty(await s.Host.Telemetry.ListDaysAsync(Category).ToListAsync());
    }

    [Fact]
    public async Task RunAsync_HeldSubject_TheirRecordsKeptOthersDeletedUntilReleased()
    {
        await using var s = await SeededAsync(("ana", "a", T), ("bo", "b", T));
        await s.Host.Holds.PlaceAsync("ana", null, "CASE-7", "litigation", "user:legal");
        s.Clock.Advance(TimeSpan.FromDays(32));

        var held = await s.Host.Purge.RunAsync("job:test");
        var ana = (await s.Host.Subjects.FindAsync("ana"))!.Surrogate;
        var left = await s.Host.Telemetry.ListLocationsAsync(Category, Monday).ToListAsync();
        await s.Host.Holds.ReleaseAsync("ana", null, "CASE-7", "user:legal");
        var released = await s.Host.Purge.RunAsync("job:test");

        Assert.Equal((1, 1, 0), (held.Manifest.RecordsDeleted, held.Manifest.RecordsHeld, held.Manifest.TablesDropped));
        Assert.Equal(["CASE-7"], held.Manifest.HoldsHonoured);
        Assert.Equal([ana], left.Select(l => l.PartitionKey));
        Assert.Equal((1, 1), (released.Manifest.RecordsDeleted, released.Manifest.TablesDropped));
    }

    [Fact]
    public async Task RunAsync_HeldCategory_NothingOfItDeleted()
    {
        await using var s = await SeededAsync(("ana", "a", T), ("bo", "b", T));
        await s.Host.Holds.PlaceAsync(null, Category, "CASE-8", null, "user:legal");
        s.Clock.Advance(TimeSpan.FromDays(32));

        var plan = await s.Host.Purge.PlanAsync();
        var result = await s.Host.Purge.RunAsync("job:test");

        Assert.True(Assert.Single(plan.Categories, c => c.Category == Category).CategoryHeld);
        Assert.Equal((0, 2), (result.Manifest.RecordsDeleted, result.Manifest.RecordsHeld));
        Assert.Equal(2, (await s.Host.Telemetry.ListLocationsAsync(Category, Monday).ToListAsync()).Count);
    }

    [Fact]
    public async Task RunAsync_InterruptedAfterTheFirstDay_NextRunFinishesWithoutCountingTwice()
    {
        await using var s = await SeededAsync(("ana", "a", T), ("ana", "b", T.AddDays(1)), ("ana", "c", T.AddDays(2)));
        s.Clock.Advance(TimeSpan.FromDays(40));
        var failing = new AfterFirstDrop(s.Host.Telemetry, () => throw new IOException("killed after the first day"));
        var interrupted = Purge(s, failing, s.Host.Services.GetRequiredService<Compliance.Core.Holds.IHoldStore>());

        await Assert.ThrowsAsync<IOException>(() => interrupted.RunAsync("job:test"));
        var finished = await s.Host.Purge.RunAsync("job:test");

        Assert.Equal(2, finished.Manifest.RecordsDeleted);
        Assert.Empty(await s.Host.Telemetry.ListDaysAsync(Category).ToListAsync());
        var purges = (await s.Host.AuditEventsAsync("PURGE")).Select(e => e.GetString("Body")).ToList();
        Assert.Equal(2, purges.Count(b => b.Contains("\"phase\":\"planned\"", StringComparison.Ordinal)));
        Assert.Contains(purges, b => b.Contains("\"recordsPlanned\":3", StringComparison.Ordinal));
        Assert.Single(purges, b => b.Contains("\"phase\":\"completed\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_HoldPlacedAfterPlanning_WinsOverThePlan()
    {
        await using var s = await SeededAsync(("ana", "a", T));
        s.Clock.Advance(TimeSpan.FromDays(32));
        var realHolds = s.Host.Services.GetRequiredService<Compliance.Core.Holds.IHoldStore>();
        var lateHold = new HoldAfterPlanning(realHolds, new Compliance.Core.Holds.LegalHold("CASE-LATE", null, Category, null, s.Now, null));
        var purge = Purge(s, s.Host.Telemetry, lateHold);

        var result = await purge.RunAsync("job:test");

        Assert.Equal((0, 1), (result.Manifest.RecordsDeleted, result.Manifest.RecordsHeld));
        Assert.Equal(["CASE-LATE"], result.Manifest.HoldsHonoured);
        Assert.Single(await s.Host.Telemetry.ListDaysAsync(Category).ToListAsync());
    }

    [Fact]
    public async Task RunAsync_LeaseLostAfterTheFirstDay_StopsThereAndTheNextRunFinishes()
    {
        await using var s = await SeededAsync(("ana", "a", T), ("ana", "b", T.AddDays(1)), ("ana", "c", T.AddDays(2)));
        s.Clock.Advance(TimeSpan.FromDays(40));
        using var purgeLock = new LosableLock(s.Host.Services.GetRequiredService<IPurgeLock>());
        var interrupted = Purge(s, new AfterFirstDrop(s.Host.Telemetry, purgeLock.Lose), s.Host.Services.GetRequiredService<Compliance.Core.Holds.IHoldStore>(), purgeLock);

        await Assert.ThrowsAsync<PurgeLeaseLostException>(() => interrupted.RunAsync("job:test"));
        var left = await s.Host.Telemetry.ListDaysAsync(Category).ToListAsync();
        var finished = await s.Host.Purge.RunAsync("job:test");

        // It stopped right after the day it was deleting, never touching the next: another run may have started.
        Assert.Equal(2, left.Count);
        Assert.Equal(2, finished.Manifest.RecordsDeleted);
        Assert.Empty(await s.Host.Telemetry.ListDaysAsync(Category).ToListAsync());
        Assert.Single(await s.Host.AuditEventsAsync("PURGE"), e => e.GetString("Body").Contains("\"phase\":\"completed\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_AnotherRunHoldsTheLease_RefusedAndNothingDeleted()
    {
        await using var s = await SeededAsync(("ana", "a", T));
        s.Clock.Advance(TimeSpan.FromDays(32));
        var purgeLock = s.Host.Services.GetRequiredService<IPurgeLock>();

        await using (var held = await purgeLock.TryAcquireAsync())
        {
            Assert.NotNull(held);
            Assert.Null(await purgeLock.TryAcquireAsync());
            await Assert.ThrowsAsync<PurgeInProgressException>(() => s.Host.Purge.RunAsync("job:test"));
            Assert.Single(await s.Host.Telemetry.ListDaysAsync(Category).ToListAsync());
        }

        Assert.Equal(1, (await s.Host.Purge.RunAsync("job:test")).Manifest.RecordsDeleted);
    }

    [Fact]
    public async Task RunAsync_ManifestStoredAndItsHashInThePurgeEvent()
    {
        await using var s = await SeededAsync(("ana", "a", T));
        s.Clock.Advance(TimeSpan.FromDays(32));

        var result = await s.Host.Purge.RunAsync("job:test");

        var blob = s.Host.Services.GetRequiredService<StorageClients>().Container(StorageLayout.PurgeManifests).GetBlobClient(result.ManifestName);
        var stored = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(result.ManifestSha256, Convert.ToHexStringLower(SHA256.HashData(stored)));
        var purge = Assert.Single(await s.Host.AuditEventsAsync("PURGE"), e => e.GetString("Body").Contains("completed", StringComparison.Ordinal)).GetString("Body");
        Assert.Contains(result.ManifestSha256, purge, StringComparison.Ordinal);
        Assert.Contains("\"deleted.keystroke-dynamics\":1", purge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DatasetWithExpiredData_MarkedStaleOnce()
    {
        await using var s = await SeededAsync(("ana", "a", T), ("bo", "b", T));
        using var output = new MemoryStream();
        var export = await s.Host.Exporter.ExportAsync(new Compliance.Core.Access.AccessRequest("ml-platform", "model-training", Category, From: IngestionScenario.Start, To: s.Now), output);
        s.Clock.Advance(TimeSpan.FromDays(31));

        var first = await s.Host.Purge.RunAsync("job:test");
        var second = await s.Host.Purge.RunAsync("job:test");

        Assert.Equal([export.DatasetId], first.Manifest.DatasetsMarkedStale);
        Assert.Empty(second.Manifest.DatasetsMarkedStale);
    }

    /// <summary>A purge service over the scenario's storage with the given telemetry store and holds (to inject failures or late holds).</summary>
    private static PurgeService Purge(IngestionScenario s, ITelemetryStore store, Compliance.Core.Holds.IHoldStore holds, IPurgeLock? purgeLock = null) => new(
        store,
        holds,
        s.Host.Services.GetRequiredService<IPurgeManifestStore>(),
        purgeLock ?? s.Host.Services.GetRequiredService<IPurgeLock>(),
        s.Host.Services.GetRequiredService<Compliance.Core.Lineage.ILineageStore>(),
        s.Host.KeyRotation,
        s.Host.Policy,
        s.Host.Trail,
        s.Clock);

    private static async Task<IngestionScenario> SeededAsync(params (string Employee, string EventId, DateTimeOffset CapturedAt)[] events)
    {
        var s = await IngestionScenario.StartAsync(fullNotice: ["ana", "bo"]);
        var latest = events.Max(e => e.CapturedAt) + TimeSpan.FromMinutes(1);
        if (latest > s.Now)
        {
            s.Clock.Advance(latest - s.Now);
        }

        var result = await s.IngestAsync([.. events.Select(e => IngestionScenario.Keystroke(e.Employee, e.EventId, e.CapturedAt))]);
        Assert.Equal(events.Length, result.Stored);
        return s;
    }

    /// <summary>Holds as stored, plus one that appears after the first listing (the purge's plan).</summary>
    private sealed class HoldAfterPlanning(Compliance.Core.Holds.IHoldStore inner, Compliance.Core.Holds.LegalHold late) : Compliance.Core.Holds.IHoldStore
    {
        private int _lists;

        public Task<Compliance.Core.Holds.LegalHold> PlaceAsync(Compliance.Core.Holds.LegalHold hold, CancellationToken cancellationToken = default) => inner.PlaceAsync(hold, cancellationToken);

        public Task<Compliance.Core.Holds.LegalHold?> ReleaseAsync(string caseId, string scope, DateTimeOffset releasedAt, CancellationToken cancellationToken = default) => inner.ReleaseAsync(caseId, scope, releasedAt, cancellationToken);

        public async Task<IReadOnlyList<Compliance.Core.Holds.LegalHold>> ListAsync(CancellationToken cancellationToken = default)
        {
            var stored = await inner.ListAsync(cancellationToken);
            return ++_lists == 1 ? stored : [.. stored, late];
        }
    }

    /// <summary>The real purge lock, whose lease a test can declare lost (as a failed renewal does).</summary>
    private sealed class LosableLock(IPurgeLock inner) : IPurgeLock, IDisposable
    {
        private readonly CancellationTokenSource _lost = new();

        public void Lose() => _lost.Cancel();

        public void Dispose() => _lost.Dispose();

        public async Task<IPurgeLease?> TryAcquireAsync(CancellationToken cancellationToken = default) =>
            await inner.TryAcquireAsync(cancellationToken) is { } lease ? new Lease(lease, _lost) : null;

        private sealed class Lease(IPurgeLease inner, CancellationTokenSource lost) : IPurgeLease
        {
            public CancellationToken Lost => lost.Token;

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }

    /// <summary>The real store, doing <paramref name="afterFirstDrop"/> right after its first table drop (throw: a run killed part-way).</summary>
    private sealed class AfterFirstDrop(ITelemetryStore inner, Action afterFirstDrop) : ITelemetryStore
    {
        private int _drops;

        public Task<IReadOnlyList<InsertOutcome>> InsertAsync(IReadOnlyList<TelemetryRecord> records, CancellationToken cancellationToken = default) => inner.InsertAsync(records, cancellationToken);

        public IAsyncEnumerable<TelemetryRecord> ReadSubjectAsync(string subject, string category, DateOnly firstDay, DateOnly lastDay, int max = int.MaxValue, CancellationToken cancellationToken = default) => inner.ReadSubjectAsync(subject, category, firstDay, lastDay, max, cancellationToken);

        public IAsyncEnumerable<TelemetryRecord> ReadRangeAsync(string category, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default) => inner.ReadRangeAsync(category, firstDay, lastDay, cancellationToken);

        public IAsyncEnumerable<RecordLocation> ListLocationsAsync(string category, DateOnly day, DateTimeOffset? capturedAtOrBefore = null, string? subject = null, CancellationToken cancellationToken = default) => inner.ListLocationsAsync(category, day, capturedAtOrBefore, subject, cancellationToken);

        public async Task<bool> DropDayAsync(string category, DateOnly day, CancellationToken cancellationToken = default)
        {
            var dropped = await inner.DropDayAsync(category, day, cancellationToken);
            if (++_drops == 1)
            {
                afterFirstDrop();
            }

            return dropped;
        }

        public Task<int> DeleteAsync(string category, DateOnly day, IReadOnlyList<RecordLocation> records, CancellationToken cancellationToken = default) => inner.DeleteAsync(category, day, records, cancellationToken);

        public IAsyncEnumerable<DateOnly> ListDaysAsync(string category, CancellationToken cancellationToken = default) => inner.ListDaysAsync(category, cancellationToken);
    }
}
