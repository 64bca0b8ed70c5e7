using Compliance.Core.Audit;
using Compliance.Core.Reports;
using Compliance.Core.Tests.Audit;

namespace Compliance.Core.Tests.Reports;

public sealed class ScheduledReportServiceTests
{
    [Theory]
    [InlineData("2026-11-30T03:30:00Z", "weekly/2026-W48", "2026-11-23", "2026-11-30", "monthly/2026-10")]
    [InlineData("2026-12-01T03:30:00Z", "weekly/2026-W48", "2026-11-23", "2026-11-30", "monthly/2026-11")]
    [InlineData("2027-01-04T03:30:00Z", "weekly/2026-W53", "2026-12-28", "2027-01-04", "monthly/2026-12")]
    public void DuePeriods_LastCompleteIsoWeekAndMonth(string now, string week, string weekFrom, string weekTo, string month)
    {
        var due = ScheduledReportService.DuePeriods(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(week, due[0].Name);
        Assert.Equal((DateTimeOffset.Parse(weekFrom + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(weekTo + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)), (due[0].Period.From, due[0].Period.To));
        Assert.Equal(month, due[1].Name);
    }

    [Fact]
    public async Task RunAsync_SealedPeriods_EveryFormatWrittenOnceAndNeverAgain()
    {
        using var host = new AuditTestHost();
        host.Clock.AdjustTime(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        await host.Trail.AppendAsync(new AuditEvent { Type = AuditEventType.Hold, Actor = "user:legal", Attributes = new Dictionary<string, string> { ["caseId"] = "CASE-1", ["action"] = "placed" } });
        host.Clock.AdjustTime(new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.Zero));
        await host.Sealer.SealAsync("job:audit-seal"); // after the end of week 48 and of November
        host.Clock.AdjustTime(new DateTimeOffset(2026, 12, 1, 3, 30, 0, TimeSpan.Zero));
        var archive = new MemoryArchive();
        var service = new ScheduledReportService(Reports(host), archive, host.Clock);

        var first = await service.RunAsync("job:scheduled-reports");
        var second = await service.RunAsync("job:scheduled-reports");

        Assert.Equal(8, first.Written.Count);
        Assert.Contains("weekly/2026-W48.html", first.Written);
        Assert.Contains("monthly/2026-11.oscal.json", first.Written);
        Assert.Empty(second.Written);
        Assert.Equal(8, second.AlreadyThere.Count);
        Assert.Equal("text/csv; charset=utf-8", archive.ContentTypes["monthly/2026-11.csv"]);
    }

    [Fact]
    public async Task RunAsync_PeriodNotSealedYet_LeftForALaterRun()
    {
        using var host = new AuditTestHost();
        host.Clock.AdjustTime(new DateTimeOffset(2026, 11, 29, 23, 0, 0, TimeSpan.Zero));
        await host.Sealer.SealAsync("job:audit-seal"); // before the end of week 48
        host.Clock.AdjustTime(new DateTimeOffset(2026, 11, 30, 3, 30, 0, TimeSpan.Zero));
        var archive = new MemoryArchive();

        var result = await new ScheduledReportService(Reports(host), archive, host.Clock).RunAsync("job:scheduled-reports");

        Assert.Equal(["weekly/2026-W48"], result.NotSealedYet);
        Assert.DoesNotContain(result.Written, w => w.StartsWith("weekly/", StringComparison.Ordinal));
        Assert.Equal(4, result.Written.Count); // October was sealed by then
    }

    private static ReportService Reports(AuditTestHost host) =>
        new(host.Seals, host.Events, host.Signer, new AuditEventGuard(AuditTestHost.Policy), AuditTestHost.Policy, host.Trail);

    private sealed class MemoryArchive : IReportArchive
    {
        private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

        public Dictionary<string, string> ContentTypes { get; } = new(StringComparer.Ordinal);

        public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult(_files.ContainsKey(name));

        public Task SaveAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
        {
            Assert.True(_files.TryAdd(name, content.ToArray()), $"{name} written twice");
            ContentTypes[name] = contentType;
            return Task.CompletedTask;
        }
    }
}
