using Azure.Data.Tables;
using Compliance.Core.Keys;
using Compliance.Core.Subjects;
using Compliance.Core.SubjectKeys;
using Compliance.Core.Telemetry;

namespace Compliance.IntegrationTests.SubjectKeys;

public sealed class CryptoShredderTests
{
    private static readonly DateTimeOffset Captured = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly FirstDay = new(2026, 11, 26);
    private static readonly DateOnly LastDay = new(2026, 11, 28);
    private static readonly string[] Categories = ["keystroke-dynamics", "transcript", "performance-metric"];

    [Fact]
    public async Task ShredAsync_WholeSubject_EveryRecordUnreadableOthersUnaffected()
    {
        await using var host = await IntegrationHost.StartAsync();
        var erased = await SeedAsync(host, "leaver@example.com");
        var kept = await SeedAsync(host, "stayer@example.com");

        var result = await host.Shredder.ShredAsync("leaver@example.com", scope: null, "OFFBOARDING", "job:erasure");

        Assert.True(result.SubjectErased);
        Assert.Equal(3, result.VersionsDestroyed); // telemetry, content, performance
        Assert.True(result.Probe.Sampled > 0);
        Assert.True(result.Probe.Holds);
        foreach (var record in await ReadEverythingAsync(host, erased))
        {
            var failure = await Assert.ThrowsAsync<RecordUnreadableException>(() => host.Protector.OpenAsync(record));
            Assert.Equal(UnreadableReason.KeyShredded, failure.Reason);
        }

        var keptRecords = await ReadEverythingAsync(host, kept);
        Assert.Equal(3 * 40, keptRecords.Count);
        foreach (var record in keptRecords)
        {
            Assert.NotEmpty(await host.Protector.OpenAsync(record));
        }

        Assert.Equal(SubjectStatus.Erased, (await host.Subjects.FindAsync("leaver@example.com"))!.Status);
        await Assert.ThrowsAsync<SubjectErasedException>(() => host.Subjects.EnrolAsync("leaver@example.com"));
        await Assert.ThrowsAsync<SubjectKeyShreddedException>(() => host.SubjectKeys.GetCurrentAsync(erased, "telemetry"));
    }

    [Fact]
    public async Task ShredAsync_OtherInstanceStillCachingTheKey_ProbeFailsAndTheCacheStopsWithinItsLiveness()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await IntegrationHost.StartAsync(clock: clock);
        await using var peer = host.Peer(streamCount: 1, clock);
        var surrogate = await SeedAsync(host, "cached");
        var record = (await ReadEverythingAsync(host, surrogate))[0];
        Assert.NotEmpty(await peer.Protector.OpenAsync(record)); // the peer now holds the key in memory

        var result = await host.Shredder.ShredAsync("cached", scope: null, "OFFBOARDING", "job:erasure");
        clock.Advance(SubjectKeyService.CurrentVersionLifetime + TimeSpan.FromSeconds(1));

        Assert.True(result.Probe.Holds);
        var uncached = await Assert.ThrowsAsync<RecordUnreadableException>(() => peer.Protector.OpenAsync(record, useCache: false));
        var cached = await Assert.ThrowsAsync<RecordUnreadableException>(() => peer.Protector.OpenAsync(record));
        Assert.Equal((UnreadableReason.KeyShredded, UnreadableReason.KeyShredded), (uncached.Reason, cached.Reason));
    }

    [Fact]
    public async Task ShredAsync_OneScope_OnlyThatScopeUnreadableAndTheSubjectStaysActive()
    {
        await using var host = await IntegrationHost.StartAsync();
        var surrogate = await SeedAsync(host, "objector");

        var result = await host.Shredder.ShredAsync("objector", "content", "OBJECTION", "job:erasure");

        Assert.False(result.SubjectErased);
        Assert.Equal(["content"], result.Scopes);
        Assert.Equal(1, result.VersionsDestroyed);
        Assert.True(result.Probe.Holds);
        foreach (var record in await ReadEverythingAsync(host, surrogate))
        {
            if (record.Scope == "content")
            {
                await Assert.ThrowsAsync<RecordUnreadableException>(() => host.Protector.OpenAsync(record));
            }
            else
            {
                Assert.NotEmpty(await host.Protector.OpenAsync(record));
            }
        }

        Assert.Equal(SubjectStatus.Active, (await host.Subjects.EnrolAsync("objector")).Status);
        await Assert.ThrowsAsync<SubjectKeyShreddedException>(() => host.SubjectKeys.GetCurrentAsync(surrogate, "content"));
        await Assert.ThrowsAsync<SubjectKeyShreddedException>(() => host.SubjectKeys.RotateAsync(surrogate, "content"));
        Assert.Equal(1, (await host.SubjectKeys.GetCurrentAsync(surrogate, "telemetry")).Version);
    }

    [Fact]
    public async Task ShredAsync_Rerun_DestroysNothingMoreAndRecordsOneEvent()
    {
        await using var host = await IntegrationHost.StartAsync();
        var surrogate = await SeedAsync(host, "twice");

        var first = await host.Shredder.ShredAsync("twice", scope: null, "OFFBOARDING", "job:erasure");
        var second = await host.Shredder.ShredAsync("twice", scope: null, "OFFBOARDING", "job:erasure");

        Assert.Equal(3, first.VersionsDestroyed);
        Assert.Equal(0, second.VersionsDestroyed);
        Assert.True(second.Probe.Holds);
        var shreds = await host.AuditEventsAsync("KEY_SHRED");
        var body = Assert.Single(shreds).GetString("Body");
        Assert.Contains(surrogate, body, StringComparison.Ordinal);
        Assert.Contains("\"probeDecrypted\":0", body, StringComparison.Ordinal);
        Assert.Contains("\"versionsDestroyed\":3", body, StringComparison.Ordinal);
        Assert.DoesNotContain("twice", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShredAsync_EmployeeNeverSeen_TombstoneBlocksLaterIngestion()
    {
        await using var host = await IntegrationHost.StartAsync();

        var result = await host.Shredder.ShredAsync("never-enrolled", scope: null, "EMPLOYEE_REQUEST", "job:erasure");

        Assert.Equal((0, 0), (result.VersionsDestroyed, result.Probe.Sampled));
        await Assert.ThrowsAsync<SubjectErasedException>(() => host.Subjects.EnrolAsync("never-enrolled"));
        var lookupRows = await host.SubjectsTable.QueryAsync<TableEntity>(e => e.GetString("Status") == "Erased").ToListAsync();
        Assert.DoesNotContain("never-enrolled", string.Join('|', lookupRows.SelectMany(r => r.Select(kv => kv.Value?.ToString()))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShredAsync_SubjectOrCategoryOfTheScopeHeld_RefusedAndNothingDestroyed()
    {
        await using var host = await IntegrationHost.StartAsync();
        var surrogate = await SeedAsync(host, "held");
        await host.Holds.PlaceAsync(null, "transcript", "CASE-3", null, "user:legal");

        var contentRefused = await Assert.ThrowsAsync<SubjectUnderLegalHoldException>(() => host.Shredder.ShredAsync("held", "content", "OBJECTION", "job:erasure"));
        var telemetryShred = await host.Shredder.ShredAsync("held", "telemetry", "OBJECTION", "job:erasure");
        await host.Holds.PlaceAsync("held", null, "CASE-4", null, "user:legal");
        await Assert.ThrowsAsync<SubjectUnderLegalHoldException>(() => host.Shredder.ShredAsync("held", null, "OFFBOARDING", "job:erasure"));

        Assert.Equal(["CASE-3"], contentRefused.Cases);
        Assert.Equal(1, telemetryShred.VersionsDestroyed);
        Assert.Equal(1, (await host.SubjectKeys.GetCurrentAsync(surrogate, "content")).Version);
        Assert.Equal(SubjectStatus.Active, (await host.Subjects.FindAsync("held"))!.Status);
    }

    [Fact]
    public async Task ShredAsync_UnknownScope_RefusedBeforeAnythingChanges()
    {
        await using var host = await IntegrationHost.StartAsync();
        var surrogate = await SeedAsync(host, "typo");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Shredder.ShredAsync("typo", "contents", "OBJECTION", "job:erasure"));

        Assert.Contains("'contents'", error.Message, StringComparison.Ordinal);
        Assert.Contains("content", error.Message, StringComparison.Ordinal);
        Assert.All(await ReadEverythingAsync(host, surrogate), r => Assert.NotNull(r));
        Assert.Equal(1, (await host.SubjectKeys.GetCurrentAsync(surrogate, "content")).Version);
    }

    [Fact]
    public async Task GetCurrentAsync_ShredLandsBetweenInsertAndReturn_CreationUndone()
    {
        await using var host = await IntegrationHost.StartAsync();
        var surrogate = SubjectSurrogate.New();
        var store = new ShredAfterInsert(host.KeyStore);
        using var keys = new SubjectKeyService(store, host.RootKeys, host.Trail, TimeProvider.System);

        await Assert.ThrowsAsync<SubjectKeyShreddedException>(() => keys.GetCurrentAsync(surrogate, "telemetry"));

        var ring = await host.KeyStore.GetRingAsync(surrogate, "telemetry");
        Assert.True(ring.IsShredded);
        Assert.Empty(ring.Versions);
    }

    [Fact]
    public async Task ShredAsync_StaleCopyOfTheKeyTable_UnreadableOnceTheRootRotates()
    {
        await using var host = await IntegrationHost.StartAsync();
        await SeedAsync(host, "backup");
        var staleCopy = await host.SubjectKeysTable.QueryAsync<TableEntity>().ToListAsync();

        var result = await host.Shredder.ShredAsync("backup", scope: null, "OFFBOARDING", "job:erasure");
        var copyStillOpens = await host.RootKeys.UnwrapKeyAsync(Wrapped(staleCopy[0]));
        await host.SubjectKeys.RotateRootAsync();

        Assert.True(result.ShredHorizon > DateTimeOffset.UtcNow);
        Assert.Equal(32, copyStillOpens.Length); // before the horizon a stale copy still opens: that is what the horizon says
        foreach (var row in staleCopy)
        {
            await Assert.ThrowsAsync<KeyCustodyForbiddenException>(() => host.RootKeys.UnwrapKeyAsync(Wrapped(row)));
        }
    }

    private static WrappedKey Wrapped(TableEntity row) => new(row.GetString("RootKeyName"), row.GetString("RootKeyVersion"), row.GetBinary("WrappedValue"));

    /// <summary>Forty records in each of three categories (three scopes) for the employee; returns their surrogate.</summary>
    private static async Task<string> SeedAsync(IntegrationHost host, string employeeId)
    {
        string surrogate = "";
        foreach (var category in Categories)
        {
            surrogate = (await TelemetrySeed.StoreAsync(host, employeeId, category, 40, Captured, TimeSpan.FromHours(1))).Subject.Surrogate;
        }

        return surrogate;
    }

    private static async Task<List<TelemetryRecord>> ReadEverythingAsync(IntegrationHost host, string surrogate)
    {
        var all = new List<TelemetryRecord>();
        foreach (var category in Categories)
        {
            all.AddRange(await TelemetrySeed.ReadAllAsync(host, surrogate, category, FirstDay, LastDay));
        }

        Assert.Equal(3 * 40, all.Count);
        return all;
    }

    /// <summary>The real store, with a shred landing right after the first key insert: the race the creator must undo.</summary>
    private sealed class ShredAfterInsert(ISubjectKeyStore inner) : ISubjectKeyStore
    {
        public Task<SubjectKeyRing> GetRingAsync(string subject, string scope, CancellationToken cancellationToken = default) => inner.GetRingAsync(subject, scope, cancellationToken);

        public Task<IReadOnlyList<SubjectKeyRing>> GetRingsAsync(string subject, CancellationToken cancellationToken = default) => inner.GetRingsAsync(subject, cancellationToken);

        public async Task<bool> TryAddAsync(StoredSubjectKey key, CancellationToken cancellationToken = default)
        {
            var added = await inner.TryAddAsync(key, cancellationToken);
            await inner.TryAddTombstoneAsync(key.Subject, key.Scope, DateTimeOffset.UtcNow, cancellationToken);
            return added;
        }

        public Task<bool> TryRewrapAsync(StoredSubjectKey key, WrappedKey rewrapped, CancellationToken cancellationToken = default) => inner.TryRewrapAsync(key, rewrapped, cancellationToken);

        public Task<bool> TryDeleteAsync(StoredSubjectKey key, CancellationToken cancellationToken = default) => inner.TryDeleteAsync(key, cancellationToken);

        public Task<bool> TryAddTombstoneAsync(string subject, string scope, DateTimeOffset shreddedAt, CancellationToken cancellationToken = default) => inner.TryAddTombstoneAsync(subject, scope, shreddedAt, cancellationToken);

        public IAsyncEnumerable<StoredSubjectKey> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

        public IAsyncEnumerable<StoredSubjectKey> ListWrappedByOtherThanAsync(string rootKeyVersion, CancellationToken cancellationToken = default) => inner.ListWrappedByOtherThanAsync(rootKeyVersion, cancellationToken);
    }
}
