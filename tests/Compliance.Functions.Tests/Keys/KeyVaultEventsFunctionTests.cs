using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues.Models;
using Compliance.Core.Audit;
using Compliance.Core.Ingestion;
using Compliance.Core.Keys;
using Compliance.Core.SubjectKeys;
using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;
using Compliance.Functions.Keys;
using Compliance.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Functions.Tests.Keys;

public sealed class KeyVaultEventsFunctionTests
{
    private static readonly DateOnly Day = new(2026, 11, 23);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KeyVaultEvents_NearExpiryForTheCurrentSubjectKeysRoot_RotatedAndEarlierDataStillDecrypts(bool base64)
    {
        await using var host = await FunctionsTestHost.StartAsync();
        var records = await IngestAsync(host, "ana");
        var old = await host.Get<IRootKeyCustody>().GetKeyAsync(SubjectKeyService.RootKeyName);

        await Function(host).RunAsync(Message("msg-1", KeyVaultEventSamples.EventGrid(version: old.Version), base64), CancellationToken.None);

        var custody = host.Get<IRootKeyCustody>();
        var current = await custody.GetKeyAsync(SubjectKeyService.RootKeyName);
        Assert.NotEqual(old.Version, current.Version);
        Assert.False((await custody.GetKeyAsync(SubjectKeyService.RootKeyName, old.Version)).Enabled);
        var ring = await host.Get<ISubjectKeyStore>().GetRingAsync(records[0].Identity.Subject, records[0].Scope);
        Assert.All(ring.Versions, v => Assert.Equal(current.Version, v.Wrapped.KeyVersion));
        var opened = await host.Get<TelemetryProtector>().OpenAsync(records[0], useCache: false);
        Assert.Contains("\"keyCount\":140", Encoding.UTF8.GetString(opened), StringComparison.Ordinal);
        var rotation = Assert.Single(await host.AuditAsync("KEY_ROTATE")).GetString("Body");
        Assert.Contains($"\"reasonCode\":\"{KeyVaultEventReasons.KeyNearExpiry}\"", rotation, StringComparison.Ordinal);
        Assert.Contains($"\"trigger\":\"{KeyExpiryHandler.Trigger}\"", rotation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyVaultEvents_MessageRedelivered_RotatesOnce()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        await IngestAsync(host, "bo");
        var custody = host.Get<IRootKeyCustody>();
        var old = await custody.GetKeyAsync(SubjectKeyService.RootKeyName);
        var body = new JsonArray(KeyVaultEventSamples.CloudEvent(KeyVaultEventTypes.KeyNearExpiry, version: old.Version));

        await Function(host).RunAsync(Message("msg-2", body, base64: false, dequeueCount: 1), CancellationToken.None);
        var rotatedTo = (await custody.GetKeyAsync(SubjectKeyService.RootKeyName)).Version;
        await Function(host).RunAsync(Message("msg-2", body, base64: false, dequeueCount: 2), CancellationToken.None);

        Assert.NotEqual(old.Version, rotatedTo);
        Assert.Equal(rotatedTo, (await custody.GetKeyAsync(SubjectKeyService.RootKeyName)).Version);
        Assert.Single(await host.AuditAsync("KEY_ROTATE"));
    }

    [Fact]
    public async Task KeyVaultEvents_ExpiredForAStaleVersion_NothingChanges()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        await IngestAsync(host, "ana");
        var custody = host.Get<IRootKeyCustody>();
        var stale = await custody.GetKeyAsync(SubjectKeyService.RootKeyName);
        await host.Get<KeyRotationService>().RotateRootAsync("job:key-rotation");
        var current = await custody.GetKeyAsync(SubjectKeyService.RootKeyName);

        await Function(host).RunAsync(Message("msg-3", KeyVaultEventSamples.CloudEvent(KeyVaultEventTypes.KeyExpired, version: stale.Version)), CancellationToken.None);

        Assert.Equal(current.Version, (await custody.GetKeyAsync(SubjectKeyService.RootKeyName)).Version);
        Assert.Single(await host.AuditAsync("KEY_ROTATE"));
    }

    [Fact]
    public async Task KeyVaultEvents_AuditSealNearExpiry_NewSigningVersionAndOldSealsStillVerify()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        await IngestAsync(host, "ana");
        var first = await host.Get<AuditSealService>().SealAsync("job:audit-seal");
        var custody = host.Get<IRootKeyCustody>();
        var old = await custody.GetKeyAsync("audit-seal");

        await Function(host).RunAsync(Message("msg-4", KeyVaultEventSamples.EventGrid(name: "audit-seal", version: old.Version), base64: true), CancellationToken.None);
        var second = await host.Get<AuditSealService>().SealAsync("job:audit-seal");

        var current = await custody.GetKeyAsync("audit-seal");
        Assert.NotEqual(old.Version, current.Version);
        Assert.Equal(($"audit-seal/{old.Version}", $"audit-seal/{current.Version}"), (first.Seal.Seal.KeyId, second.Seal.Seal.KeyId));
        var report = await host.Get<AuditVerifier>().VerifyAsync();
        Assert.True(report.Intact, string.Join("; ", report.Problems.Select(p => p.Message)));
        Assert.Contains($"\"previousVersion\":\"{old.Version}\"", Assert.Single(await host.AuditAsync("KEY_ROTATE")).GetString("Body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyVaultEvents_EventsThisAppDoesNotActOn_IgnoredAndNothingAudited()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        await IngestAsync(host, "ana");
        var custody = host.Get<IRootKeyCustody>();
        var current = await custody.GetKeyAsync(SubjectKeyService.RootKeyName);
        var body = new JsonArray(
            KeyVaultEventSamples.EventGrid(KeyVaultEventTypes.KeyNewVersionCreated, version: current.Version),
            KeyVaultEventSamples.EventGrid("Microsoft.KeyVault.SecretNearExpiry", "subject-lookup-hmac", objectType: "Secret"),
            KeyVaultEventSamples.CloudEvent(KeyVaultEventTypes.KeyNearExpiry, "another-apps-key"));

        await Function(host).RunAsync(Message("msg-5", body), CancellationToken.None);

        Assert.Equal(current.Version, (await custody.GetKeyAsync(SubjectKeyService.RootKeyName)).Version);
        Assert.Empty(await host.AuditAsync("KEY_ROTATE"));
        Assert.Empty(await host.AuditAsync("REJECT"));
    }

    [Theory]
    [InlineData("this is not JSON")]
    [InlineData("eyJoZWxsbyI6")] // base64 of a truncated JSON object
    [InlineData("[]")]
    [InlineData("{\"eventType\":\"Microsoft.KeyVault.KeyNearExpiry\",\"id\":\"1\",\"subject\":\"subject-keys\",\"eventTime\":\"2026-11-23T10:00:00Z\"}")]
    public async Task KeyVaultEvents_MalformedBody_AuditedAsRejectOnceAndCompleted(string body)
    {
        await using var host = await FunctionsTestHost.StartAsync();
        var function = Function(host);

        await function.RunAsync(QueuesModelFactory.QueueMessage("msg-bad", "pop-1", BinaryData.FromString(body), 1), CancellationToken.None);
        await function.RunAsync(QueuesModelFactory.QueueMessage("msg-bad", "pop-2", BinaryData.FromString(body), 2), CancellationToken.None);

        var reject = Assert.Single(await host.AuditAsync("REJECT")).GetString("Body");
        Assert.Contains($"\"reasonCode\":\"{KeyVaultEventReasons.InvalidEvent}\"", reject, StringComparison.Ordinal);
        Assert.Contains($"\"bytes\":{Encoding.UTF8.GetByteCount(body)}", reject, StringComparison.Ordinal);
        Assert.DoesNotContain("msg-bad", reject, StringComparison.Ordinal);
        Assert.Empty(await host.AuditAsync("KEY_ROTATE"));
    }

    [Fact]
    public async Task KeyVaultEvents_KeyCustodyFailsDuringTheRotation_ThrowsSoTheMessageIsRetried()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        await IngestAsync(host, "ana");
        var custody = host.Get<IRootKeyCustody>();
        var current = await custody.GetKeyAsync(SubjectKeyService.RootKeyName);
        await custody.DisableVersionAsync(SubjectKeyService.RootKeyName, current.Version); // the subject keys it wraps can no longer be unwrapped to rewrap them

        await Assert.ThrowsAsync<KeyCustodyForbiddenException>(() => Function(host).RunAsync(Message("msg-6", KeyVaultEventSamples.EventGrid(version: current.Version)), CancellationToken.None));

        Assert.Empty(await host.AuditAsync("REJECT"));
        Assert.Empty(await host.AuditAsync("KEY_ROTATE"));
    }

    [Fact]
    public async Task KeyVaultEventsPoison_MessageThatFailedEveryDelivery_AuditedOnceWithoutItsContent()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        var function = new KeyVaultEventsPoisonFunction(host.Get<IAuditTrail>(), NullLogger<KeyVaultEventsPoisonFunction>.Instance);
        var body = KeyVaultEventSamples.EventGrid();

        await function.RunAsync(Message("msg-poison", body, dequeueCount: 1), CancellationToken.None);
        await function.RunAsync(Message("msg-poison", body, dequeueCount: 2), CancellationToken.None);

        var reject = Assert.Single(await host.AuditAsync("REJECT")).GetString("Body");
        Assert.Contains($"\"reasonCode\":\"{IngestReasons.PoisonMessage}\"", reject, StringComparison.Ordinal);
        Assert.Contains($"\"actor\":\"{KeyVaultEventsFunction.Actor}\"", reject, StringComparison.Ordinal);
        Assert.DoesNotContain("msg-poison", reject, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyVaultEventSamples.SampleVersion, reject, StringComparison.Ordinal);
    }

    private static KeyVaultEventsFunction Function(FunctionsTestHost host) =>
        new(host.Get<KeyExpiryHandler>(), host.Get<IAuditTrail>(), NullLogger<KeyVaultEventsFunction>.Instance);

    private static QueueMessage Message(string id, JsonNode body, bool base64 = false, long dequeueCount = 1)
    {
        var json = body.ToJsonString();
        var text = base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(json)) : json;
        return QueuesModelFactory.QueueMessage(id, "pop-" + dequeueCount, BinaryData.FromString(text), dequeueCount);
    }

    /// <summary>Stores one keystroke event of <paramref name="employee"/> (creating the subject key and the root key) and reads it back.</summary>
    private static async Task<List<TelemetryRecord>> IngestAsync(FunctionsTestHost host, string employee)
    {
        var result = await host.Get<IngestionPipeline>().IngestAsync([Encoding.UTF8.GetBytes(FunctionsTestHost.Keystroke(employee, "k-" + employee).ToJsonString())], "job:ingest-http");
        Assert.Equal(1, result.Stored);
        var subject = await host.Get<SubjectRegistry>().FindAsync(employee);
        return await host.Get<ITelemetryStore>().ReadSubjectAsync(subject!.Surrogate, "keystroke-dynamics", Day, Day).ToListAsync();
    }
}
