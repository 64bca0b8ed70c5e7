using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.IntegrationTests.SubjectKeys;

public sealed class KeyRotationServiceTests
{
    [Fact]
    public async Task RotateAsync_KeysPastThePolicyPeriod_RotatedAndAudited()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero));
        await using var host = await IntegrationHost.StartAsync(clock: clock);
        var old = SubjectSurrogate.New();
        await host.SubjectKeys.GetCurrentAsync(old, "telemetry");
        clock.Advance(TimeSpan.FromDays(60));
        var recent = SubjectSurrogate.New();
        await host.SubjectKeys.GetCurrentAsync(recent, "telemetry");
        clock.Advance(TimeSpan.FromDays(31));

        var before = await host.KeyRotation.GetStatusAsync();
        var result = await host.KeyRotation.RotateAsync(root: false, "job:key-rotation");
        var after = await host.KeyRotation.GetStatusAsync();

        Assert.Equal((2, 1), (before.SubjectKeys, before.SubjectKeysDueForRotation));
        Assert.Equal(1, result.SubjectKeysRotated);
        Assert.Equal(0, after.SubjectKeysDueForRotation);
        Assert.Equal(2, (await host.SubjectKeys.GetCurrentAsync(old, "telemetry")).Version);
        Assert.Equal(1, (await host.SubjectKeys.GetCurrentAsync(recent, "telemetry")).Version);
        var rotations = await host.AuditEventsAsync("KEY_ROTATE");
        Assert.Contains(old, Assert.Single(rotations).GetString("Body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateAsync_TwoRunsAtOnce_OneNewVersionPerKey()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero));
        await using var host = await IntegrationHost.StartAsync(clock: clock);
        await using var other = host.Peer(streamCount: 1, clock);
        var subjects = Enumerable.Range(0, 5).Select(_ => SubjectSurrogate.New()).ToList();
        foreach (var subject in subjects)
        {
            await host.SubjectKeys.GetCurrentAsync(subject, "telemetry");
        }

        clock.Advance(TimeSpan.FromDays(91));
        var results = await Task.WhenAll(host.KeyRotation.RotateAsync(false, "job:key-rotation"), other.KeyRotation.RotateAsync(false, "job:key-rotation"));

        Assert.Equal(5, results.Sum(r => r.SubjectKeysRotated));
        foreach (var subject in subjects)
        {
            Assert.Equal([1, 2], (await host.KeyStore.GetRingAsync(subject, "telemetry")).Versions.Select(v => v.Version));
        }
    }

    [Fact]
    public async Task RotateDueAsync_RootOlderThanItsPeriod_RootRotatedToo()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero));
        await using var host = await IntegrationHost.StartAsync(clock: clock);
        await host.SubjectKeys.GetCurrentAsync(SubjectSurrogate.New(), "telemetry");

        clock.Advance(TimeSpan.FromDays(29));
        var early = await host.KeyRotation.RotateDueAsync("job:key-rotation");
        clock.Advance(TimeSpan.FromDays(1));
        var due = await host.KeyRotation.RotateDueAsync("job:key-rotation");

        Assert.Null(early.Root);
        Assert.Equal(1, due.Root!.Rewrapped);
        Assert.False((await host.KeyRotation.GetStatusAsync()).RootRotationOverdue);
        clock.Advance(TimeSpan.FromDays(31));
        Assert.True((await host.KeyRotation.GetStatusAsync()).RootRotationOverdue);
    }

    [Fact]
    public async Task RotateDueAsync_SealKeyOlderThanTheRootPeriod_NewSigningVersionAuditedAndOldSealsStillVerify()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero));
        await using var host = await IntegrationHost.StartAsync(clock: clock);
        var before = await host.KeyRotation.RotateDueAsync("job:key-rotation");
        await host.Sealer.SealAsync("job:audit-seal");
        var signedWith = (await host.RootKeys.GetKeyAsync("audit-seal")).Version;

        clock.Advance(TimeSpan.FromDays(29));
        var early = await host.KeyRotation.RotateDueAsync("job:key-rotation");
        clock.Advance(TimeSpan.FromDays(1));
        var due = await host.KeyRotation.RotateDueAsync("job:key-rotation");
        var again = await host.KeyRotation.RotateDueAsync("job:key-rotation");
        await host.Sealer.SealAsync("job:audit-seal");

        Assert.Null(before.SealKeyVersion);
        Assert.Null(early.SealKeyVersion);
        Assert.NotNull(due.SealKeyVersion);
        Assert.NotEqual(signedWith, due.SealKeyVersion);
        Assert.Null(again.SealKeyVersion);
        Assert.Equal(due.SealKeyVersion, (await host.RootKeys.GetKeyAsync("audit-seal")).Version);
        var body = Assert.Single(await host.AuditEventsAsync("KEY_ROTATE")).GetString("Body");
        Assert.Contains("\"rootKey\":\"audit-seal\"", body, StringComparison.Ordinal);
        Assert.Contains($"\"previousVersion\":\"{signedWith}\"", body, StringComparison.Ordinal);
        Assert.True((await host.Verifier.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task RotateRootAsync_EarlyWithAReason_OnlyTheRootRotatesAndTheEventSaysWhy()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero));
        await using var host = await IntegrationHost.StartAsync(clock: clock);
        var subject = SubjectSurrogate.New();
        await host.SubjectKeys.GetCurrentAsync(subject, "telemetry");
        clock.Advance(TimeSpan.FromDays(91));
        var before = await host.KeyRotation.GetStatusAsync();

        var result = await host.KeyRotation.RotateRootAsync("job:keyvault-events", "KEY_NEAR_EXPIRY", "keyvault-event");

        var after = await host.KeyRotation.GetStatusAsync();
        Assert.Equal((1, 1), (result.Rewrapped, result.DisabledVersions.Count));
        Assert.Equal(result.NewRootVersion, after.RootKeyVersion);
        Assert.NotEqual(before.RootKeyVersion, after.RootKeyVersion);
        Assert.Equal(1, after.SubjectKeysDueForRotation);
        var body = Assert.Single(await host.AuditEventsAsync("KEY_ROTATE")).GetString("Body");
        Assert.Contains("\"reasonCode\":\"KEY_NEAR_EXPIRY\"", body, StringComparison.Ordinal);
        Assert.Contains("\"trigger\":\"keyvault-event\"", body, StringComparison.Ordinal);
        Assert.Contains("\"actor\":\"job:keyvault-events\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatusAsync_ShredHorizon_IsTheNextRootRotation()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero));
        await using var host = await IntegrationHost.StartAsync(clock: clock);
        await host.SubjectKeys.GetCurrentAsync(SubjectSurrogate.New(), "telemetry");
        clock.Advance(TimeSpan.FromDays(10));

        var status = await host.KeyRotation.GetStatusAsync();
        await host.KeyRotation.RotateAsync(root: true, "job:key-rotation");
        var afterRoot = await host.KeyRotation.GetStatusAsync();

        Assert.Equal(new DateTimeOffset(2026, 12, 30, 2, 0, 0, TimeSpan.Zero), status.ShredHorizon);
        Assert.Equal(new DateTimeOffset(2027, 1, 9, 2, 0, 0, TimeSpan.Zero), afterRoot.ShredHorizon);
        Assert.NotEqual(status.RootKeyVersion, afterRoot.RootKeyVersion);
    }

    [Fact]
    public async Task RetireAsync_OldVersionOnceItsDataHasAllExpired_RetiredAndAudited()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero));
        await using var host = await IntegrationHost.StartAsync(clock: clock);
        var (subject, records) = await TelemetrySeed.StoreAsync(host, "emp-7", "app-focus", 2, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(91));
        await host.KeyRotation.RotateAsync(root: false, "job:key-rotation");

        // The telemetry scope keeps data at most 90 days (app-focus) and the purge may lag 26 hours behind.
        clock.Advance(TimeSpan.FromDays(90) + TimeSpan.FromHours(26) - TimeSpan.FromSeconds(1));
        var early = await host.KeyRotation.RetireAsync("job:key-rotation");
        clock.Advance(TimeSpan.FromSeconds(1));
        var due = await host.KeyRotation.RetireAsync("job:key-rotation");
        var again = await host.KeyRotation.RetireAsync("job:key-rotation");

        Assert.Equal((0, 1, 0), (early, due, again));
        var ring = await host.KeyStore.GetRingAsync(subject.Surrogate, "telemetry");
        Assert.Equal([2], ring.Versions.Select(v => v.Version));
        var failure = await Assert.ThrowsAsync<RecordUnreadableException>(() => host.Protector.OpenAsync(records[0], useCache: false));
        Assert.Equal(UnreadableReason.KeyMissing, failure.Reason);
        var retired = await host.AuditEventsAsync("KEY_RETIRE");
        Assert.Contains("\"version\":\"1\"", Assert.Single(retired).GetString("Body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetireAsync_SubjectOrCategoryUnderLegalHold_KeptUntilReleased()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero));
        await using var host = await IntegrationHost.StartAsync(clock: clock);
        var held = (await TelemetrySeed.StoreAsync(host, "held", "app-focus", 1, clock.GetUtcNow())).Subject.Surrogate;
        var heldByCategory = (await TelemetrySeed.StoreAsync(host, "other", "transcript", 1, clock.GetUtcNow())).Subject.Surrogate;
        clock.Advance(TimeSpan.FromDays(91));
        await host.KeyRotation.RotateAsync(root: false, "job:key-rotation");
        await host.Holds.PlaceAsync("held", null, "CASE-1", null, "user:legal");
        await host.Holds.PlaceAsync(null, "transcript", "CASE-2", null, "user:legal");
        clock.Advance(TimeSpan.FromDays(200));

        var whileHeld = await host.KeyRotation.RetireAsync("job:key-rotation");
        await host.Holds.ReleaseAsync("held", null, "CASE-1", "user:legal");
        var afterRelease = await host.KeyRotation.RetireAsync("job:key-rotation");

        Assert.Equal(0, whileHeld);
        Assert.Equal(1, afterRelease);
        Assert.Equal([2], (await host.KeyStore.GetRingAsync(held, "telemetry")).Versions.Select(v => v.Version));
        Assert.Equal([1, 2], (await host.KeyStore.GetRingAsync(heldByCategory, "content")).Versions.Select(v => v.Version));
    }
}
