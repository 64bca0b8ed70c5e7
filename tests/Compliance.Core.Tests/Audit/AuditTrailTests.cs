using Compliance.Core.Audit;
using Compliance.TestSupport;

namespace Compliance.Core.Tests.Audit;

public sealed class AuditTrailTests
{
    [Fact]
    public async Task AppendAsync_FirstEvents_ChainFromGenesisWithConsecutiveSequenceNumbers()
    {
        using var host = new AuditTestHost(streamCount: 1);

        var receipts = new List<AuditReceipt>();
        for (var i = 0; i < 3; i++)
        {
            receipts.Add(await host.Trail.AppendAsync(AuditEvents.Ingest(i)));
        }

        var rows = host.Events.Rows("s00");
        Assert.Equal([1L, 2L, 3L], receipts.Select(r => r.Sequence));
        Assert.Equal(AuditHashing.Genesis, AuditCanonicalForm.Parse(rows[0].Body!).PreviousHash);
        Assert.Equal(rows[0].Hash, AuditCanonicalForm.Parse(rows[1].Body!).PreviousHash);
        Assert.Equal(rows[1].Hash, AuditCanonicalForm.Parse(rows[2].Body!).PreviousHash);
        Assert.All(rows, r => Assert.Equal(AuditHashing.Sha256Hex(r.Body!), r.Hash));
    }

    [Fact]
    public async Task AppendAsync_Time_ComesFromTheInjectedClock()
    {
        using var host = new AuditTestHost(streamCount: 1);
        host.Clock.Advance(TimeSpan.FromDays(40));

        await host.Trail.AppendAsync(AuditEvents.Ingest());

        Assert.Equal(new DateTimeOffset(2027, 1, 9, 9, 0, 0, TimeSpan.Zero), host.Events.Rows("s00")[0].OccurredAt);
    }

    [Fact]
    public async Task AppendAsync_SameIdempotencyKeyFromTwoWriters_RecordedOnce()
    {
        using var host = new AuditTestHost();
        var other = host.NewWriter();

        var first = await host.Trail.AppendAsync(AuditEvents.Ingest(1, idempotencyKey: "msg-42"));
        var again = await other.AppendAsync(AuditEvents.Ingest(2, idempotencyKey: "msg-42"));

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal((first.Stream, first.Sequence, first.Hash), (again.Stream, again.Sequence, again.Hash));
        Assert.Equal(1, host.Events.Count);
    }

    [Fact]
    public async Task AppendBatchAsync_RepeatedKeyInOneBatch_RecordedOnce()
    {
        using var host = new AuditTestHost();

        var receipts = await host.Trail.AppendBatchAsync([AuditEvents.Ingest(1, "k1"), AuditEvents.Ingest(2, "k1"), AuditEvents.Ingest(3)]);

        Assert.Equal([false, true, false], receipts.Select(r => r.Duplicate));
        Assert.Equal(receipts[0].Sequence, receipts[1].Sequence);
        Assert.Equal(2, host.Events.Count);
    }

    [Fact]
    public async Task AppendBatchAsync_EventsOfOneIdempotencyGroup_OneStreamAndRecordedOnceOnRetry()
    {
        using var host = new AuditTestHost(streamCount: 16);
        List<AuditEvent> Batch() => [.. Enumerable.Range(0, 40).Select(i => AuditEvents.Ingest(i, $"ingest:batch-7:{i}") with { IdempotencyGroup = "ingest:batch-7" })];

        var first = await host.Trail.AppendBatchAsync(Batch());
        var retry = await host.NewWriter().AppendBatchAsync(Batch());

        Assert.Single(first.Select(r => r.Stream).Distinct());
        Assert.All(retry, r => Assert.True(r.Duplicate));
        Assert.Equal(40, host.Events.Count);
    }

    [Fact]
    public async Task AppendBatchAsync_KeyedEventsWithoutGroup_SpreadOverStreamsConcurrently()
    {
        using var host = new AuditTestHost(streamCount: 16);

        var receipts = await host.Trail.AppendBatchAsync([.. Enumerable.Range(0, 64).Select(i => AuditEvents.Ingest(i, $"key-{i}"))]);

        Assert.True(receipts.Select(r => r.Stream).Distinct().Count() > 8);
        Assert.True((await host.Verifier.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task AppendAsync_LosesTheRaceForASequenceNumber_RechainsAfterTheWinner()
    {
        using var host = new AuditTestHost(streamCount: 1);
        var rival = host.NewWriter();
        await host.Trail.AppendAsync(AuditEvents.Ingest(0));
        var raced = false;
        host.Events.BeforeAppend = async _ =>
        {
            if (!raced)
            {
                raced = true;
                await rival.AppendAsync(AuditEvents.Ingest(99));
            }
        };

        var receipt = await host.Trail.AppendAsync(AuditEvents.Ingest(1));

        Assert.Equal(3, receipt.Sequence);
        Assert.True((await host.Verifier.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task AppendBatchAsync_250KeyedEvents_SplitIntoAtomicBatchesOfAtMost100Rows()
    {
        using var host = new AuditTestHost(streamCount: 1);
        var events = Enumerable.Range(0, 250).Select(i => AuditEvents.Ingest(i, idempotencyKey: "key-" + i)).ToList();

        var receipts = await host.Trail.AppendBatchAsync(events);

        Assert.Equal(Enumerable.Range(1, 250).Select(i => (long)i), receipts.Select(r => r.Sequence));
        Assert.Equal(5, host.Events.AppendCalls);
        Assert.True((await host.Verifier.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task AppendBatchAsync_OneEventRefused_NothingIsWritten()
    {
        using var host = new AuditTestHost();
        var bad = AuditEvents.Ingest() with { Attributes = new Dictionary<string, string> { ["note"] = "alice@example.com" } };

        await Assert.ThrowsAsync<AuditMinimisationException>(() => host.Trail.AppendBatchAsync([AuditEvents.Ingest(1), bad]));

        Assert.Equal(0, host.Events.Count);
        Assert.Equal(0, host.Events.AppendCalls);
    }

    [Fact]
    public async Task AppendAsync_AlwaysLosingTheRace_GivesUpWithoutWriting()
    {
        using var host = new AuditTestHost(streamCount: 1);
        var rival = host.NewWriter();
        var inRival = false;
        host.Events.BeforeAppend = async _ =>
        {
            if (!inRival)
            {
                inRival = true;
                await rival.AppendAsync(AuditEvents.Ingest(99));
                inRival = false;
            }
        };

        await Assert.ThrowsAsync<AuditAppendException>(() => host.Trail.AppendAsync(AuditEvents.Ingest(1)));

        Assert.DoesNotContain(host.Events.Rows("s00"), r => AuditCanonicalForm.Parse(r.Body!).Event.Attributes["batch"] == "b1");
    }

    [Fact]
    public async Task RecordThenAsync_AuditWriteFails_ActionNeverRuns()
    {
        using var host = new AuditTestHost();
        host.Events.BeforeAppend = _ => throw new IOException("audit table unavailable");
        var ran = false;

        await Assert.ThrowsAsync<IOException>(() => host.Trail.RecordThenAsync(
            AuditEvents.Ingest() with { Type = AuditEventType.Read, Purpose = "model-training" },
            _ =>
            {
                ran = true;
                return Task.FromResult("telemetry");
            }));

        Assert.False(ran);
    }

    [Fact]
    public async Task RecordThenAsync_AuditWritten_ActionRunsAfterTheRecordExists()
    {
        using var host = new AuditTestHost();
        var countWhenActionRan = -1;

        var result = await host.Trail.RecordThenAsync(AuditEvents.Ingest(), _ =>
        {
            countWhenActionRan = host.Events.Count;
            return Task.FromResult(7);
        });

        Assert.Equal(7, result);
        Assert.Equal(1, countWhenActionRan);
    }
}
