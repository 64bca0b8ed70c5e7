using System.Text;
using Compliance.Core.Audit;
using Compliance.Core.Keys;
using Compliance.TestSupport;

namespace Compliance.Core.Tests.Audit;

public sealed class RootKeyAuditSignerTests
{
    [Fact]
    public async Task SignAsync_FirstUse_CreatesTheSealKeyAndSignaturesVerify()
    {
        using var host = new AuditTestHost();

        var key = await host.Signer.GetSigningKeyAsync();
        var signature = await host.Signer.SignAsync(key, "seal body"u8.ToArray());

        Assert.Equal("RS256", key.Algorithm);
        Assert.Equal($"audit-seal/{(await host.RootKeys.GetKeyAsync("audit-seal")).Version}", key.KeyId);
        Assert.True(await host.Signer.VerifyAsync("seal body"u8.ToArray(), signature, key.Algorithm, key.KeyId));
        Assert.False(await host.Signer.VerifyAsync("seal body!"u8.ToArray(), signature, key.Algorithm, key.KeyId));
        Assert.True(host.Signer.IsDevelopmentCustody);
    }

    [Fact]
    public async Task VerifyAsync_AfterRootKeyRotation_OldSealsStillVerifyNewOnesUseTheNewVersion()
    {
        using var host = new AuditTestHost();
        await host.Trail.AppendAsync(AuditEvents.Ingest());
        var before = await host.Sealer.SealAsync("job:audit-seal");

        await host.RootKeys.RotateKeyAsync("audit-seal");
        var after = await host.Sealer.SealAsync("job:audit-seal");

        Assert.NotEqual(before.Seal.Seal.KeyId, after.Seal.Seal.KeyId);
        Assert.True((await host.Verifier.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task VerifyAsync_SealKeyPurged_SealsNoLongerVerify()
    {
        using var host = new AuditTestHost();
        await host.Sealer.SealAsync("job:audit-seal");

        await host.RootKeys.DeleteKeyAsync("audit-seal");
        await host.RootKeys.PurgeDeletedKeyAsync("audit-seal");

        Assert.Equal(AuditProblemKind.SealSignature, (await host.Verifier.VerifyAsync()).FirstProblem!.Kind);
    }

    [Theory]
    [InlineData("ES256", "audit-seal/abc")]
    [InlineData("RS256", "other-key/abc")]
    [InlineData("RS256", "audit-seal")]
    [InlineData("RS256", "audit-seal/")]
    public async Task VerifyAsync_KeyThisSignerDoesNotUse_False(string algorithm, string keyId)
    {
        using var host = new AuditTestHost();

        Assert.False(await host.Signer.VerifyAsync("x"u8.ToArray(), new byte[256], algorithm, keyId));
    }

    [Fact]
    public void KeyFile_ConcurrentFirstUse_AllGetTheSameKey()
    {
        using var directory = new TemporaryDirectory();

        // Several rounds: the race window is narrow.
        for (var round = 0; round < 20; round++)
        {
            var keys = Enumerable.Range(0, 8).AsParallel()
                .Select(_ => Convert.ToHexString(LocalKeyFile.LoadOrCreate(directory.Path, $"race-{round}.key")))
                .Distinct()
                .ToList();

            Assert.Single(keys);
            Assert.Equal(64, keys[0].Length);
        }
    }

    [Fact]
    public async Task SignAsync_SealBody_IsTheExactBytesVerified()
    {
        using var host = new AuditTestHost();
        var result = await host.Sealer.SealAsync("job:audit-seal");

        Assert.True(await host.Signer.VerifyAsync(
            Encoding.UTF8.GetBytes(result.Seal.Seal.Body),
            Convert.FromBase64String(result.Seal.Signature),
            result.Seal.Seal.Algorithm,
            result.Seal.Seal.KeyId));
    }
}
