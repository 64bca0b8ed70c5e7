using System.Text;
using Compliance.Core.Audit;
using Compliance.TestSupport;

namespace Compliance.Core.Tests.Audit;

public sealed class AuditSealServiceTests
{
    [Fact]
    public async Task SealAsync_TwoSeals_ChainSignAndRecordThemselves()
    {
        using var host = new AuditTestHost();
        await host.Trail.AppendBatchAsync([.. Enumerable.Range(0, 10).Select(i => AuditEvents.Ingest(i))]);

        var first = await host.Sealer.SealAsync("job:audit-seal");
        host.Clock.Advance(TimeSpan.FromHours(1));
        var second = await host.Sealer.SealAsync("job:audit-seal");

        Assert.Equal(1, first.Seal.Seal.Number);
        Assert.Equal(AuditHashing.Genesis, first.Seal.Seal.PreviousSealHash);
        Assert.Equal(first.Seal.Seal.Hash, second.Seal.Seal.PreviousSealHash);
        Assert.Equal(MerkleTree.Root(second.Seal.Seal.Heads), second.Seal.Seal.MerkleRoot);
        Assert.True(await host.Signer.VerifyAsync(Encoding.UTF8.GetBytes(second.Seal.Seal.Body), Convert.FromBase64String(second.Seal.Signature), "RS256", second.Seal.Seal.KeyId));
        Assert.StartsWith("audit-seal/", second.Seal.Seal.KeyId, StringComparison.Ordinal);
        Assert.Equal(AuditEventType.Seal, AuditCanonicalForm.Parse((await host.Events.GetAsync(second.SealEvent.Stream, second.SealEvent.Sequence))!.Body!).Event.Type);
        Assert.Equal(12, second.Seal.Seal.EventCount); // ten events, the POLICY event and seal 1's SEAL event
        Assert.True(first.DevelopmentCustody);
    }

    [Fact]
    public async Task SealAsync_PolicyCannotBeRecorded_NoSealIsWritten()
    {
        using var host = new AuditTestHost();
        host.Events.BeforeAppend = _ => throw new IOException("audit table unavailable");

        await Assert.ThrowsAsync<IOException>(() => host.Sealer.SealAsync("job:audit-seal"));

        Assert.Empty(host.Seals.Seals);
    }

    [Fact]
    public async Task SealAsync_ConcurrentSealers_NeverForkTheSealChain()
    {
        using var host = new AuditTestHost();
        await host.Trail.AppendAsync(AuditEvents.Ingest());

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => host.Sealer.SealAsync("job:audit-seal"))));

        Assert.Equal([1L, 2L, 3L, 4L], results.Select(r => r.Seal.Seal.Number).Order());
        Assert.True((await host.Verifier.VerifyAsync()).Intact);
    }
}
