using Compliance.Core.Keys;
using Compliance.Core.SubjectKeys;
using Compliance.Core.Subjects;
using Compliance.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace Compliance.IntegrationTests.SubjectKeys;

public sealed class KeyExpiryHandlerTests
{
    private const string Actor = "job:keyvault-events";

    [Theory]
    [InlineData(KeyVaultEventTypes.KeyNearExpiry, KeyVaultEventReasons.KeyNearExpiry)]
    [InlineData(KeyVaultEventTypes.KeyExpired, KeyVaultEventReasons.KeyExpired)]
    public async Task HandleAsync_CurrentSubjectKeysRootVersion_RotatedRewrappedOldVersionDisabledAudited(string type, string reason)
    {
        await using var host = await IntegrationHost.StartAsync();
        var subject = SubjectSurrogate.New();
        var before = (await host.SubjectKeys.GetCurrentAsync(subject, "telemetry")).Key.ToArray();
        var old = await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName);

        var outcome = await Handler(host).HandleAsync(KeyVaultEventSamples.Parse(KeyVaultEventSamples.EventGrid(type, version: old.Version)), Actor);

        Assert.Equal(KeyExpiryStatus.Rotated, outcome.Status);
        var current = await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName);
        Assert.NotEqual(old.Version, current.Version);
        Assert.False((await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName, old.Version)).Enabled);
        var stored = Assert.Single((await host.KeyStore.GetRingAsync(subject, "telemetry")).Versions);
        Assert.Equal(current.Version, stored.Wrapped.KeyVersion);
        await using var fresh = host.Peer(streamCount: 1);
        Assert.Equal(before, (await fresh.SubjectKeys.GetAsync(subject, "telemetry", 1, useCache: false)).Key.ToArray());
        var body = Assert.Single(await host.AuditEventsAsync("KEY_ROTATE")).GetString("Body");
        Assert.Contains($"\"reasonCode\":\"{reason}\"", body, StringComparison.Ordinal);
        Assert.Contains($"\"trigger\":\"{KeyExpiryHandler.Trigger}\"", body, StringComparison.Ordinal);
        Assert.Contains($"\"version\":\"{current.Version}\"", body, StringComparison.Ordinal);
        Assert.Contains("\"rewrapped\":1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_SameEventTwice_RotatesOnce()
    {
        await using var host = await IntegrationHost.StartAsync();
        await host.SubjectKeys.GetCurrentAsync(SubjectSurrogate.New(), "telemetry");
        var old = await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName);
        var keyVaultEvent = KeyVaultEventSamples.Parse(KeyVaultEventSamples.CloudEvent(KeyVaultEventTypes.KeyNearExpiry, version: old.Version));

        var first = await Handler(host).HandleAsync(keyVaultEvent, Actor);
        var rotatedTo = (await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName)).Version;
        var second = await Handler(host).HandleAsync(keyVaultEvent, Actor);

        Assert.Equal((KeyExpiryStatus.Rotated, KeyExpiryStatus.AlreadyRotated), (first.Status, second.Status));
        Assert.Equal(rotatedTo, (await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName)).Version);
        Assert.Single(await host.AuditEventsAsync("KEY_ROTATE"));
    }

    [Fact]
    public async Task HandleAsync_RotationDoneButItsEventLost_RecordedOnceByTheRedelivery()
    {
        await using var host = await IntegrationHost.StartAsync();
        await host.SubjectKeys.GetCurrentAsync(SubjectSurrogate.New(), "telemetry");
        var old = await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName);
        await host.SubjectKeys.RotateRootAsync(); // the rotation ran, and the run died before its KEY_ROTATE
        var keyVaultEvent = KeyVaultEventSamples.Parse(KeyVaultEventSamples.EventGrid(KeyVaultEventTypes.KeyNearExpiry, version: old.Version));

        var first = await Handler(host).HandleAsync(keyVaultEvent, Actor);
        var second = await Handler(host).HandleAsync(keyVaultEvent, Actor);

        Assert.Equal((KeyExpiryStatus.AlreadyRotated, KeyExpiryStatus.AlreadyRotated), (first.Status, second.Status));
        var body = Assert.Single(await host.AuditEventsAsync("KEY_ROTATE")).GetString("Body");
        Assert.Contains($"\"previousVersion\":\"{old.Version}\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_RotationThatStoppedBeforeDisablingTheOldVersion_Finished()
    {
        await using var host = await IntegrationHost.StartAsync();
        var subject = SubjectSurrogate.New();
        var before = (await host.SubjectKeys.GetCurrentAsync(subject, "telemetry")).Key.ToArray();
        var old = await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName);
        var interrupted = await host.RootKeys.RotateKeyAsync(SubjectKeyService.RootKeyName); // a rotation that died right after creating its version

        var outcome = await Handler(host).HandleAsync(KeyVaultEventSamples.Parse(KeyVaultEventSamples.EventGrid(version: old.Version)), Actor);

        Assert.Equal(KeyExpiryStatus.Rotated, outcome.Status);
        Assert.False((await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName, old.Version)).Enabled);
        Assert.False((await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName, interrupted.Version)).Enabled);
        var current = await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName);
        Assert.Equal(current.Version, Assert.Single((await host.KeyStore.GetRingAsync(subject, "telemetry")).Versions).Wrapped.KeyVersion);
        await using var fresh = host.Peer(streamCount: 1);
        Assert.Equal(before, (await fresh.SubjectKeys.GetAsync(subject, "telemetry", 1, useCache: false)).Key.ToArray());
    }

    [Fact]
    public async Task HandleAsync_ExpiredForAVersionAlreadyRotatedAway_NothingChanges()
    {
        await using var host = await IntegrationHost.StartAsync();
        await host.SubjectKeys.GetCurrentAsync(SubjectSurrogate.New(), "telemetry");
        var stale = await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName);
        await host.KeyRotation.RotateRootAsync("job:key-rotation");
        var current = await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName);

        var outcome = await Handler(host).HandleAsync(KeyVaultEventSamples.Parse(KeyVaultEventSamples.EventGrid(KeyVaultEventTypes.KeyExpired, version: stale.Version)), Actor);

        Assert.Equal(KeyExpiryStatus.AlreadyRotated, outcome.Status);
        Assert.Equal(current.Version, (await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName)).Version);
        Assert.Single(await host.AuditEventsAsync("KEY_ROTATE"));
    }

    [Fact]
    public async Task HandleAsync_VaultRefusesToShowTheDisabledStaleVersion_AlreadyRotated()
    {
        await using var host = await IntegrationHost.StartAsync();
        await host.SubjectKeys.GetCurrentAsync(SubjectSurrogate.New(), "telemetry");
        var stale = await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName);
        await host.KeyRotation.RotateRootAsync("job:key-rotation");
        var current = await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName);
        var vault = new Mock<IRootKeyCustody>(MockBehavior.Strict);
        vault.Setup(c => c.GetKeyAsync(SubjectKeyService.RootKeyName, null, It.IsAny<CancellationToken>())).ReturnsAsync(current);
        vault.Setup(c => c.GetKeyAsync(SubjectKeyService.RootKeyName, stale.Version, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new KeyCustodyForbiddenException("Operation get is not allowed on a disabled key."));
        var handler = new KeyExpiryHandler(host.KeyRotation, vault.Object);

        var outcome = await handler.HandleAsync(KeyVaultEventSamples.Parse(KeyVaultEventSamples.EventGrid(version: stale.Version)), Actor);

        Assert.Equal(KeyExpiryStatus.AlreadyRotated, outcome.Status);
        Assert.Single(await host.AuditEventsAsync("KEY_ROTATE"));
    }

    [Fact]
    public async Task HandleAsync_AuditSealKeyNearExpiry_NewVersionAndEarlierSealsStillVerify()
    {
        await using var host = await IntegrationHost.StartAsync();
        await host.Trail.AppendAsync(AuditEvents.Ingest());
        var first = await host.Sealer.SealAsync("job:audit-seal");
        var old = await host.RootKeys.GetKeyAsync("audit-seal");
        var keyVaultEvent = KeyVaultEventSamples.Parse(KeyVaultEventSamples.EventGrid(name: "audit-seal", version: old.Version));

        var outcome = await Handler(host).HandleAsync(keyVaultEvent, Actor);
        var again = await Handler(host).HandleAsync(keyVaultEvent, Actor);
        var second = await host.Sealer.SealAsync("job:audit-seal");

        Assert.Equal((KeyExpiryStatus.Rotated, KeyExpiryStatus.AlreadyRotated), (outcome.Status, again.Status));
        var current = await host.RootKeys.GetKeyAsync("audit-seal");
        Assert.NotEqual(old.Version, current.Version);
        Assert.True((await host.RootKeys.GetKeyAsync("audit-seal", old.Version)).Enabled);
        Assert.Equal($"audit-seal/{old.Version}", first.Seal.Seal.KeyId);
        Assert.Equal($"audit-seal/{current.Version}", second.Seal.Seal.KeyId);
        Assert.True((await host.Verifier.VerifyAsync()).Intact);
        var body = Assert.Single(await host.AuditEventsAsync("KEY_ROTATE")).GetString("Body");
        Assert.Contains($"\"previousVersion\":\"{old.Version}\"", body, StringComparison.Ordinal);
        Assert.Contains($"\"reasonCode\":\"{KeyVaultEventReasons.KeyNearExpiry}\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KeyVaultEventTypes.KeyNewVersionCreated, "subject-keys", "Key")]
    [InlineData("Microsoft.KeyVault.SecretNearExpiry", "subject-lookup-hmac", "Secret")]
    [InlineData("Microsoft.KeyVault.CertificateExpired", "subject-keys", "Certificate")]
    [InlineData(KeyVaultEventTypes.KeyNearExpiry, "some-other-key", "Key")]
    [InlineData("Microsoft.Storage.BlobCreated", "subject-keys", "Key")]
    public async Task HandleAsync_EventThisAppDoesNotActOn_IgnoredAndNothingChanges(string type, string name, string objectType)
    {
        await using var host = await IntegrationHost.StartAsync();
        await host.SubjectKeys.GetCurrentAsync(SubjectSurrogate.New(), "telemetry");
        var current = await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName);

        var outcome = await Handler(host).HandleAsync(KeyVaultEventSamples.Parse(KeyVaultEventSamples.EventGrid(type, name, current.Version, objectType)), Actor);

        Assert.Equal(KeyExpiryStatus.Ignored, outcome.Status);
        Assert.Equal(current.Version, (await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName)).Version);
        Assert.Empty(await host.AuditEventsAsync("KEY_ROTATE"));
    }

    [Fact]
    public async Task HandleAsync_VersionThisCustodyNeverHad_IgnoredAsAnotherVaults()
    {
        await using var host = await IntegrationHost.StartAsync();
        await host.SubjectKeys.GetCurrentAsync(SubjectSurrogate.New(), "telemetry");
        var current = await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName);

        var outcome = await Handler(host).HandleAsync(KeyVaultEventSamples.Parse(KeyVaultEventSamples.EventGrid(version: KeyVaultEventSamples.SampleVersion)), Actor);

        Assert.Equal(KeyExpiryStatus.Ignored, outcome.Status);
        Assert.Contains("another vault", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(current.Version, (await host.RootKeys.GetKeyAsync(SubjectKeyService.RootKeyName)).Version);
    }

    [Fact]
    public async Task HandleAsync_KeyCustodyHasNoSuchKey_Ignored()
    {
        await using var host = await IntegrationHost.StartAsync();

        var outcome = await Handler(host).HandleAsync(KeyVaultEventSamples.Parse(KeyVaultEventSamples.EventGrid(name: "audit-seal")), Actor);

        Assert.Equal(KeyExpiryStatus.Ignored, outcome.Status);
        await Assert.ThrowsAsync<RootKeyNotFoundException>(() => host.RootKeys.GetKeyAsync("audit-seal"));
    }

    private static KeyExpiryHandler Handler(IntegrationHost host) => host.Services.GetRequiredService<KeyExpiryHandler>();
}
