using System.Text.Json;
using Compliance.Core.Audit;
using Compliance.Core.Reports;
using Compliance.Core.Tests.Audit;

namespace Compliance.Core.Tests.Reports;

public sealed class ReportServiceTests
{
    private const string Actor = "job:report";
    private const string Ana = "sub_aaaaaaaaaaaaaaaaaaaaaaaaaa";

    [Fact]
    public async Task GenerateAsync_Twice_SameBytesAndOneReportEvent()
    {
        using var host = await SealedTrailAsync();
        var service = Service(host);

        var first = await service.RenderAsync(await service.GenerateAsync(Period(host)), "json", Actor);
        var second = await service.RenderAsync(await service.GenerateAsync(Period(host)), "json", Actor);

        Assert.Equal(first.Content, second.Content);
        Assert.Equal(first.Sha256, second.Sha256);
        using var json = JsonDocument.Parse(first.Content);
        Assert.True(json.RootElement.GetProperty("basis").GetProperty("trailIntact").GetBoolean());
        Assert.Equal(host.Seals.Seals[^1].Seal.Hash, json.RootElement.GetProperty("basis").GetProperty("sealHash").GetString());
        Assert.Equal(AuditTestHost.Policy.Version, json.RootElement.GetProperty("basis").GetProperty("policyVersion").GetString());
        Assert.Equal([], json.RootElement.GetProperty("controls").EnumerateArray().Where(c => c.GetProperty("status").GetString() == "fail").Select(c => c.GetProperty("id").GetString()));
        Assert.Single(host.Events.Streams.SelectMany(host.Events.Rows), r => r.Type == "REPORT");
    }

    [Fact]
    public async Task GenerateAsync_PastPeriod_UnchangedByEventsAndSealsAfterIt()
    {
        using var host = await SealedTrailAsync();
        var service = Service(host);
        var period = Period(host);
        var before = ReportJson.Write(await service.GenerateAsync(period));

        host.Clock.Advance(TimeSpan.FromDays(2));
        await host.Trail.AppendAsync(new AuditEvent { Type = AuditEventType.Ingest, Actor = "job:test", Subject = Ana, Category = "webcam" });
        await host.Sealer.SealAsync("job:audit-seal");

        Assert.Equal(before, ReportJson.Write(await service.GenerateAsync(period)));
    }

    [Fact]
    public async Task GenerateAsync_TamperedEvent_Log1FailsNamingIt()
    {
        using var host = await SealedTrailAsync();
        var stream = host.Events.Streams.First(s => host.Events.Rows(s).Count > 1);
        host.Events.Tamper(stream, 1, row => row with { Body = row.Body!.Replace("\"actor\":\"", "\"actor\":\"x", StringComparison.Ordinal) }); // any change to any event

        var report = await Service(host).GenerateAsync(Period(host));

        var log1 = report.Controls.Single(c => c.Id == "LOG-1");
        Assert.Equal(ControlStatus.Fail, log1.Status);
        Assert.Contains($"{stream}/1", log1.Findings.Single().SampleEvents.Single(), StringComparison.Ordinal);
        Assert.False(report.Basis.TrailIntact);
    }

    [Fact]
    public async Task GenerateAsync_EventAfterThePeriodButBeforeTheSealTampered_Log1StillFails()
    {
        using var host = await SealedTrailAsync();
        var period = new ReportPeriod(host.Clock.GetUtcNow().AddDays(-4), host.Clock.GetUtcNow());
        var late = await host.Trail.AppendAsync(new AuditEvent { Type = AuditEventType.Read, Actor = "principal:privacy-office", Purpose = "employee-access-request", Category = "keystroke-dynamics" });
        host.Clock.Advance(TimeSpan.FromMinutes(5));
        await host.Sealer.SealAsync("job:audit-seal");
        host.Events.Tamper(late.Stream, late.Sequence, row => row with { Body = row.Body!.Replace("\"actor\":\"", "\"actor\":\"x", StringComparison.Ordinal) });

        var report = await Service(host).GenerateAsync(period);

        Assert.Equal(ControlStatus.Fail, report.Controls.Single(c => c.Id == "LOG-1").Status); // the chain is checked up to the sealed heads
    }

    [Fact]
    public async Task GenerateAsync_AnyHostCulture_SameBytes()
    {
        using var host = await SealedTrailAsync();
        var service = Service(host);
        var invariant = ReportJson.Write(await service.GenerateAsync(Period(host)));
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        byte[] german;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            german = ReportJson.Write(await service.GenerateAsync(Period(host)));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }

        Assert.Equal(invariant, german);
    }

    [Fact]
    public async Task GenerateAsync_DeletedEvent_Log1FailsWithAGap()
    {
        using var host = await SealedTrailAsync();
        var stream = host.Events.Streams.First(s => host.Events.Rows(s).Count > 1);
        host.Events.Tamper(stream, 1, _ => null);

        var log1 = (await Service(host).GenerateAsync(Period(host))).Controls.Single(c => c.Id == "LOG-1");

        Assert.Contains(log1.Findings, f => f.Code == "SEQUENCE_GAP");
    }

    [Fact]
    public async Task GenerateAsync_NoSealYet_SaysWhatToDo()
    {
        using var host = new AuditTestHost();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Service(host).GenerateAsync(new ReportPeriod(host.Clock.GetUtcNow().AddDays(-1), host.Clock.GetUtcNow())));

        Assert.Contains("compliance audit seal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_InvertedPeriod_Refused()
    {
        using var host = await SealedTrailAsync();
        var now = host.Clock.GetUtcNow();

        await Assert.ThrowsAsync<ArgumentException>(() => Service(host).GenerateAsync(new ReportPeriod(now, now.AddDays(-1))));
    }

    [Fact]
    public async Task RenderAsync_UnknownFormat_NamesIt()
    {
        using var host = await SealedTrailAsync();
        var service = Service(host);

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await service.RenderAsync(await service.GenerateAsync(Period(host)), "pdf", Actor));

        Assert.Contains("'pdf'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The days of the trail, ending before its seal.</summary>
    private static ReportPeriod Period(AuditTestHost host) => new(host.Clock.GetUtcNow().AddDays(-4), host.Clock.GetUtcNow().AddHours(-3));

    private static ReportService Service(AuditTestHost host) =>
        new(host.Seals, host.Events, host.Signer, new AuditEventGuard(AuditTestHost.Policy), AuditTestHost.Policy, host.Trail);

    /// <summary>A day of ordinary events in several streams, then a seal an hour later: the report's period ends before the seal.</summary>
    private static async Task<AuditTestHost> SealedTrailAsync()
    {
        var host = new AuditTestHost();
        await host.PolicyRecorder.EnsureRecordedAsync("operator:init"); // as compliance init does
        await host.Trail.AppendAsync(new AuditEvent { Type = AuditEventType.KeyCreate, Actor = "job:keys", Subject = Ana, Attributes = new Dictionary<string, string> { ["scope"] = "telemetry", ["version"] = "1" } });
        await host.Trail.AppendAsync(new AuditEvent { Type = AuditEventType.NoticeAck, Actor = "operator:test", Subject = Ana, Attributes = new Dictionary<string, string> { ["noticeVersion"] = "2026-11" } });
        await host.Trail.AppendAsync(new AuditEvent { Type = AuditEventType.Dpia, Actor = "operator:test", Attributes = new Dictionary<string, string> { ["scope"] = "all", ["version"] = "2026.1", ["approvedAt"] = "2026-11-01T00:00:00Z" } }); // RSK-1
        for (var i = 0; i < 12; i++)
        {
            host.Clock.Advance(TimeSpan.FromMinutes(30));
            await host.Trail.AppendAsync(new AuditEvent
            {
                Type = AuditEventType.Ingest,
                Actor = "job:test",
                Subject = Ana,
                Category = "keystroke-dynamics",
                Fields = ["keyCount", "windowSeconds"],
                Attributes = new Dictionary<string, string> { ["keyScope"] = "telemetry", ["keyVersion"] = "1" },
            });
            await host.Trail.AppendAsync(new AuditEvent { Type = AuditEventType.Read, Actor = "principal:privacy-office", Purpose = "employee-access-request", Category = "keystroke-dynamics", Subject = Ana });
        }

        host.Clock.Advance(TimeSpan.FromDays(2));
        await host.Sealer.SealAsync("job:audit-seal");
        host.Clock.Advance(TimeSpan.FromHours(2));
        return host;
    }
}
