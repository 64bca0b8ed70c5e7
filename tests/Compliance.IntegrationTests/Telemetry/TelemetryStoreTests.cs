using Compliance.Core.Telemetry;
using Compliance.IntegrationTests.SubjectKeys;

namespace Compliance.IntegrationTests.Telemetry;

public sealed class TelemetryStoreTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task InsertAsync_RecordsOverSeveralDays_OneTablePerDayAndEveryRecordReadsBack()
    {
        await using var host = await IntegrationHost.StartAsync();

        // 250 records seven minutes apart span two UTC days and need three batches on the first day.
        var (subject, records) = await TelemetrySeed.StoreAsync(host, "ana@example.com", "keystroke-dynamics", 250, Monday);

        var days = await host.Telemetry.ListDaysAsync("keystroke-dynamics").ToListAsync();
        var read = await TelemetrySeed.ReadAllAsync(host, subject.Surrogate, "keystroke-dynamics", days[0], days[^1]);
        Assert.Equal([new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 24)], days);
        Assert.Equal(250, read.Count);
        Assert.Equal(records.Select(r => r.Identity.RowKey).Order(), read.Select(r => r.Identity.RowKey).Order());
        foreach (var record in read)
        {
            var original = records.Single(r => r.Identity == record.Identity);
            Assert.Equal(await host.Protector.OpenAsync(original), await host.Protector.OpenAsync(record));
        }
    }

    [Fact]
    public async Task InsertAsync_RedeliveredEvents_ReportedAsDuplicatesAndStoredOnce()
    {
        await using var host = await IntegrationHost.StartAsync();
        var (subject, records) = await TelemetrySeed.StoreAsync(host, "bo", "app-focus", 3, Monday);
        var fresh = await host.Protector.SealAsync(new TelemetryPlaintext(subject.Surrogate, "app-focus", "bo/app-focus/new", Monday, 1, "{}"u8.ToArray()), Monday);

        // A redelivered batch: the same events sealed again (new nonces, same rows) plus one new event.
        var again = new List<TelemetryRecord>();
        for (var i = 0; i < records.Count; i++)
        {
            again.Add(await host.Protector.SealAsync(new TelemetryPlaintext(subject.Surrogate, "app-focus", $"bo/app-focus/{i}", records[i].CapturedAt, 1, "{}"u8.ToArray()), Monday));
        }

        var outcomes = await host.Telemetry.InsertAsync([.. again, fresh]);

        Assert.Equal([InsertOutcome.Duplicate, InsertOutcome.Duplicate, InsertOutcome.Duplicate, InsertOutcome.Stored], outcomes);
        var stored = await TelemetrySeed.ReadAllAsync(host, subject.Surrogate, "app-focus", DateOnly.FromDateTime(Monday.UtcDateTime), DateOnly.FromDateTime(Monday.UtcDateTime));
        Assert.Equal(4, stored.Count);
        Assert.Equal(records[0].Envelope, stored.Single(r => r.Identity.RowKey == records[0].Identity.RowKey).Envelope);
    }

    [Fact]
    public async Task OpenAsync_CiphertextMovedToAnotherSubjectOrRow_Tampered()
    {
        await using var host = await IntegrationHost.StartAsync();
        var (_, own) = await TelemetrySeed.StoreAsync(host, "cy", "transcript", 2, Monday);
        var (other, _) = await TelemetrySeed.StoreAsync(host, "di", "transcript", 1, Monday);

        var movedToOtherRow = own[0] with { Identity = own[1].Identity, Envelope = own[0].Envelope };
        var movedToOtherSubject = own[0] with { Identity = own[0].Identity with { PartitionKey = other.Surrogate, Subject = other.Surrogate } };

        Assert.Equal(UnreadableReason.Tampered, (await Assert.ThrowsAsync<RecordUnreadableException>(() => host.Protector.OpenAsync(movedToOtherRow))).Reason);
        var moved = await Assert.ThrowsAsync<RecordUnreadableException>(() => host.Protector.OpenAsync(movedToOtherSubject));
        Assert.Equal(UnreadableReason.Tampered, moved.Reason);
    }

    [Fact]
    public async Task RowKeys_NeverContainTheEventIdAndAreStableAcrossInstances()
    {
        await using var host = await IntegrationHost.StartAsync();
        await using var peer = host.Peer(streamCount: 1);
        const string eventId = "ana.lopez@example.com/2026-11-23T09:00:00Z#1";

        var key = await host.Protector.RowKeyAsync(eventId);

        Assert.Matches("^[0-9a-f]{32}$", key);
        Assert.Equal(key, await peer.Protector.RowKeyAsync(eventId));
        Assert.NotEqual(key, await host.Protector.RowKeyAsync(eventId + "2"));
    }
}
