using Azure;
using Azure.Data.Tables;
using Compliance.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.IntegrationTests.Audit;

/// <summary>Verifying a period reads only the events between the seals that enclose it, through Table Storage row-key ranges.</summary>
public sealed class AuditPeriodVerificationTests
{
    [Fact]
    public async Task Verify_PeriodBetweenSeals_ChecksThatSliceAndIgnoresDamageOutsideIt()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        await using var host = await IntegrationHost.StartAsync(streamCount: 1, clock);
        await host.Trail.AppendBatchAsync([.. Enumerable.Range(0, 10).Select(i => AuditEvents.Ingest(i))]);
        await host.Sealer.SealAsync("job:audit-seal");                       // seals s00 up to 11 (10 events + POLICY)
        clock.Advance(TimeSpan.FromMinutes(10));
        var periodStart = clock.GetUtcNow();
        await host.Trail.AppendBatchAsync([.. Enumerable.Range(0, 5).Select(i => AuditEvents.Ingest(i))]);
        clock.Advance(TimeSpan.FromMinutes(10));
        var periodEnd = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(10));
        await host.Sealer.SealAsync("job:audit-seal");                       // seals up to 17 (SEAL 1 + 5 events)
        var early = (await host.EventsTable.GetEntityAsync<TableEntity>("s00", Key(3))).Value;
        early["Body"] = ((string)early["Body"]).Replace("\"stored\":1", "\"stored\":9", StringComparison.Ordinal);
        await host.EventsTable.UpdateEntityAsync(early, ETag.All, TableUpdateMode.Replace);

        var period = await host.Verifier.VerifyAsync(periodStart, periodEnd);
        var whole = await host.Verifier.VerifyAsync();

        Assert.True(period.Intact, period.FirstProblem?.Message);
        Assert.Equal(6, period.EventsChecked);
        Assert.Equal(5, period.EventsInPeriod);
        Assert.False(whole.Intact);
        Assert.Equal(3, whole.FirstProblem!.Sequence);
    }

    [Fact]
    public async Task Verify_PeriodWithAlteredEvent_NamesIt()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        await using var host = await IntegrationHost.StartAsync(streamCount: 1, clock);
        await host.Sealer.SealAsync("job:audit-seal");
        clock.Advance(TimeSpan.FromMinutes(10));
        var periodStart = clock.GetUtcNow();
        await host.Trail.AppendBatchAsync([.. Enumerable.Range(0, 5).Select(i => AuditEvents.Ingest(i))]);
        clock.Advance(TimeSpan.FromMinutes(10));
        await host.Sealer.SealAsync("job:audit-seal");
        await host.EventsTable.DeleteEntityAsync("s00", Key(4));

        var period = await host.Verifier.VerifyAsync(periodStart, null);

        Assert.False(period.Intact);
        Assert.Equal(4, period.FirstProblem!.Sequence);
    }

    private static string Key(long sequence) => (long.MaxValue - sequence).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
}
