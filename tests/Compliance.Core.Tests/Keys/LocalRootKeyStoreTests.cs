using Compliance.Core.Keys;
using Compliance.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Core.Tests.Keys;

/// <summary>The root-key contract against development key custody, plus what only the local store does.</summary>
public sealed class LocalRootKeyStoreTests : RootKeyCustodyContract, IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly LocalRootKeyStore _store;

    public LocalRootKeyStoreTests()
    {
        _store = NewStore();
    }

    protected override IRootKeyCustody Custody => _store;

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task CreateKeyAsync_KeyFiles_AreOwnerOnlyAndHoldNoPlainPrivateKey()
    {
        var name = NewName();
        await _store.CreateKeyAsync(name);

        var keyFile = Path.Combine(_directory.Path, "root-keys", name + ".json");
        var content = await File.ReadAllTextAsync(keyFile);

        Assert.True(_store.IsDevelopmentCustody);
        Assert.DoesNotContain("PRIVATE KEY", content, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory.Path, "root-master.key")));
        }
    }

    [Fact]
    public async Task DeleteKeyAsync_ScheduledPurge_AfterTheRecoverableDaysOnTheInjectedClock()
    {
        var name = NewName();
        await _store.CreateKeyAsync(name);

        var deleted = await _store.DeleteKeyAsync(name);

        Assert.Equal(_clock.GetUtcNow(), deleted.DeletedOn);
        Assert.Equal(_clock.GetUtcNow().AddDays(90), deleted.ScheduledPurge);
    }

    [Fact]
    public async Task Keys_AnotherStoreOverTheSameDirectory_SeesThem()
    {
        var name = NewName();
        var wrapped = await _store.WrapKeyAsync((await _store.CreateKeyAsync(name)).Name, new byte[32]);
        using var reopened = NewStore();

        Assert.Equal(new byte[32], await reopened.UnwrapKeyAsync(wrapped));
    }

    [Fact]
    public async Task CreateKeyAsync_TwoStoresOverOneDirectoryAtOnce_NoVersionIsLost()
    {
        var name = NewName();
        using var other = NewStore();

        var created = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => (i % 2 == 0 ? _store : other).CreateKeyAsync(name))));

        foreach (var version in created)
        {
            Assert.Equal(version.Version, (await _store.GetKeyAsync(name, version.Version)).Version);
        }
    }

    [Fact]
    public async Task CreateKeyAsync_NameKeyVaultWouldRefuse_Refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.CreateKeyAsync("../escape"));
    }

    private LocalRootKeyStore NewStore() => new(
        Options.Create(new LocalKeyOptions { Directory = _directory.Path, RootKeySize = 2048 }),
        _clock,
        NullLogger<LocalRootKeyStore>.Instance);
}
