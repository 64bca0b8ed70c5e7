using Compliance.Core.Audit;
using Compliance.TestSupport;

namespace Compliance.IntegrationTests.Audit;

public sealed class AuditConcurrencyTests
{
    [Fact]
    public async Task AppendBatchAsync_EightWritersTenThousandEvents_IntactChainsWithoutGaps()
    {
        await using var first = await IntegrationHost.StartAsync(streamCount: 4);
        var writers = new List<IntegrationHost> { first };
        for (var i = 1; i < 8; i++)
        {
            writers.Add(first.Peer(streamCount: 4));
        }

        try
        {
            var receipts = await Task.WhenAll(writers.Select(w => Task.Run(async () =>
            {
                var mine = new List<AuditReceipt>();
                for (var batch = 0; batch < 50; batch++)
                {
                    mine.AddRange(await w.Trail.AppendBatchAsync([.. Enumerable.Range(0, 25).Select(i => AuditEvents.Ingest(i))]));
                }

                return mine;
            })));

            var all = receipts.SelectMany(r => r).ToList();
            var report = await first.Verifier.VerifyAsync();

            Assert.Equal(10_000, all.Count);
            Assert.Equal(10_000, all.Select(r => (r.Stream, r.Sequence)).Distinct().Count());
            foreach (var stream in all.GroupBy(r => r.Stream))
            {
                Assert.Equal(Enumerable.Range(1, stream.Count()).Select(i => (long)i), stream.Select(r => r.Sequence).Order());
            }

            Assert.True(report.Intact, report.FirstProblem?.Message);
            Assert.Equal(10_000, report.EventsChecked);
        }
        finally
        {
            foreach (var peer in writers.Skip(1))
            {
                await peer.DisposeAsync();
            }
        }
    }
}
