using Compliance.Core.Audit;
using Compliance.Core.Keys;
using Compliance.TestSupport;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Tests.Audit;

public sealed class LocalHmacAuditSignerTests
{
    [Fact]
    public async Task SignAsync_FirstUse_CreatesAnOwnerOnlyKeyFileThatLaterInstancesReuse()
    {
        using var directory = new TemporaryDirectory();
        var keys = Path.Combine(directory.Path, "keys");
        var first = Signer(keys);

        var signature = await first.SignAsync("seal"u8.ToArray());
        var second = Signer(keys);

        Assert.Equal(first.KeyId, second.KeyId);
        Assert.True(await second.VerifyAsync("seal"u8.ToArray(), signature, "HS256", first.KeyId));
        Assert.False(await second.VerifyAsync("seal!"u8.ToArray(), signature, "HS256", first.KeyId));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(keys, "audit-seal-hmac.key")));
        }
    }

    [Fact]
    public async Task VerifyAsync_AnotherMachinesKey_NotValid()
    {
        using var one = new TemporaryDirectory();
        using var two = new TemporaryDirectory();
        var signer = Signer(one.Path);
        var stranger = Signer(two.Path);

        var signature = await signer.SignAsync("seal"u8.ToArray());

        Assert.NotEqual(signer.KeyId, stranger.KeyId);
        Assert.False(await stranger.VerifyAsync("seal"u8.ToArray(), signature, "HS256", signer.KeyId));
    }

    [Fact]
    public void KeyFile_ConcurrentFirstUse_AllGetTheSameKey()
    {
        using var directory = new TemporaryDirectory();

        var keyIds = Enumerable.Range(0, 8).AsParallel().Select(_ => Signer(directory.Path).KeyId).Distinct().ToList();

        Assert.Single(keyIds);
    }

    private static LocalHmacAuditSigner Signer(string directory) => new(Options.Create(new LocalKeyOptions { Directory = directory }));
}
