using Azure.Data.Tables;
using Compliance.Core.Crypto;
using Compliance.Core.Keys;
using Compliance.Core.Subjects;
using Compliance.Core.SubjectKeys;

namespace Compliance.IntegrationTests.SubjectKeys;

public sealed class SubjectKeyServiceTests
{
    private static readonly RecordIdentity Record = new("tkeystroke202611", "p01", "evt-1", "sub_aaaaaaaaaaaaaaaaaaaaaaaaaa", "keystroke-dynamics", 1);

    [Fact]
    public async Task GetCurrentAsync_ConcurrentFirstUseOnTwoInstances_OneKey()
    {
        await using var first = await IntegrationHost.StartAsync();
        await using var second = first.Peer(streamCount: 1);
        var subject = SubjectSurrogate.New();

        var keys = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second).SubjectKeys.GetCurrentAsync(subject, "telemetry")));

        Assert.All(keys, k => Assert.Equal(1, k.Version));
        Assert.Single(keys.Select(k => Convert.ToHexString(k.Key.Span)).Distinct());
        Assert.Single(await first.SubjectKeysTable.QueryAsync<TableEntity>(e => e.PartitionKey == subject).ToListAsync());
        var created = await first.AuditEventsAsync("KEY_CREATE");
        Assert.Contains(subject, Assert.Single(created).GetString("Body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateAsync_OldDataStaysReadableNewWritesUseTheNewVersion()
    {
        await using var host = await IntegrationHost.StartAsync();
        var subject = SubjectSurrogate.New();
        var v1 = await host.SubjectKeys.GetCurrentAsync(subject, "telemetry");
        var old = EnvelopeCipher.Encrypt(v1.Key.Span, (uint)v1.Version, Record, "{\"keyCount\":1}"u8);

        var v2 = await host.SubjectKeys.RotateAsync(subject, "telemetry");
        var current = await host.SubjectKeys.GetCurrentAsync(subject, "telemetry");
        var oldKey = await host.SubjectKeys.GetAsync(subject, "telemetry", (int)EnvelopeCipher.ReadKeyVersion(old));

        Assert.Equal(2, v2.Version);
        Assert.Equal(2, current.Version);
        Assert.NotEqual(v1.Key.ToArray(), v2.Key.ToArray());
        Assert.Equal("{\"keyCount\":1}"u8.ToArray(), EnvelopeCipher.Decrypt(oldKey.Key.Span, Record, old));
    }

    [Fact]
    public async Task RotateRootAsync_CopyOfTheKeyTableFromBefore_CanNoLongerBeUnwrapped()
    {
        await using var host = await IntegrationHost.StartAsync();
        var subjects = Enumerable.Range(0, 5).Select(_ => SubjectSurrogate.New()).ToList();
        var before = new Dictionary<string, byte[]>();
        foreach (var subject in subjects)
        {
            before[subject] = (await host.SubjectKeys.GetCurrentAsync(subject, "telemetry")).Key.ToArray();
        }

        var staleCopy = await host.SubjectKeysTable.QueryAsync<TableEntity>().ToListAsync();

        var result = await host.SubjectKeys.RotateRootAsync();

        Assert.Equal(5, result.Rewrapped);
        Assert.Single(result.DisabledVersions);
        foreach (var row in staleCopy)
        {
            var wrapped = new WrappedKey(row.GetString("RootKeyName"), row.GetString("RootKeyVersion"), row.GetBinary("WrappedValue"));
            await Assert.ThrowsAsync<KeyCustodyForbiddenException>(() => host.RootKeys.UnwrapKeyAsync(wrapped));
        }

        await using var fresh = host.Peer(streamCount: 1);
        foreach (var subject in subjects)
        {
            Assert.Equal(before[subject], (await fresh.SubjectKeys.GetCurrentAsync(subject, "telemetry")).Key.ToArray());
        }
    }

    [Fact]
    public async Task GetAsync_VersionNeverCreated_NotFound()
    {
        await using var host = await IntegrationHost.StartAsync();
        var subject = SubjectSurrogate.New();
        await host.SubjectKeys.GetCurrentAsync(subject, "telemetry");

        await Assert.ThrowsAsync<SubjectKeyNotFoundException>(() => host.SubjectKeys.GetAsync(subject, "telemetry", 2));
        await Assert.ThrowsAsync<SubjectKeyNotFoundException>(() => host.SubjectKeys.GetAsync(subject, "content", 1));
    }

    [Fact]
    public async Task GetCurrentAsync_EmployeeIdInsteadOfSurrogate_Refused()
    {
        await using var host = await IntegrationHost.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => host.SubjectKeys.GetCurrentAsync("E12345", "telemetry"));
    }
}
