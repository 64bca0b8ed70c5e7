using Compliance.Core.Audit;
using Compliance.TestSupport;

namespace Compliance.Core.Tests.Audit;

/// <summary>Verifier logic over the in-memory store; Compliance.IntegrationTests repeats the tampering against Azurite.</summary>
public sealed class AuditVerifierTests
{
    [Fact]
    public async Task VerifyAsync_UntouchedTrail_IntactWithCounts()
    {
        using var host = await SealedHostAsync();
        await host.Trail.AppendAsync(AuditEvents.Ingest(100));

        var report = await host.Verifier.VerifyAsync();

        Assert.True(report.Intact);
        Assert.Equal(23, report.EventsChecked);
        Assert.Equal(1, report.SealsChecked);
        Assert.Equal(2, report.UnsealedEvents);
        Assert.Null(report.FirstProblem);
    }

    [Fact]
    public async Task VerifyAsync_BodyEdited_NamesThatEvent()
    {
        using var host = await SealedHostAsync();
        host.Events.Tamper("s00", 5, r => r with { Body = r.Body!.Replace("\"stored\":1", "\"stored\":0", StringComparison.Ordinal) });

        var report = await host.Verifier.VerifyAsync();

        Assert.False(report.Intact);
        Assert.Equal((AuditProblemKind.Modified, "s00", 5L), (report.FirstProblem!.Kind, report.FirstProblem.Stream, report.FirstProblem.Sequence));
    }

    [Fact]
    public async Task VerifyAsync_SignedWithAnotherKey_SealSignatureProblem()
    {
        using var host = await SealedHostAsync();
        using var stranger = new AuditTestHost();
        var verifier = new AuditVerifier(host.Events, host.Seals, stranger.Signer, host.Options);

        var report = await verifier.VerifyAsync();

        Assert.Equal(AuditProblemKind.SealSignature, report.FirstProblem!.Kind);
        Assert.Equal(1, report.FirstProblem.Seal);
    }

    [Fact]
    public async Task VerifyAsync_Period_ChecksOnlyEventsBetweenTheEnclosingSeals()
    {
        using var host = await SealedHostAsync();
        host.Clock.Advance(TimeSpan.FromHours(2));
        var periodStart = host.Clock.GetUtcNow();
        await host.Trail.AppendBatchAsync([.. Enumerable.Range(0, 5).Select(i => AuditEvents.Ingest(i))]);
        host.Clock.Advance(TimeSpan.FromHours(1));
        await host.Sealer.SealAsync("job:audit-seal");
        host.Events.Tamper("s00", 3, r => r with { Body = r.Body + " " });

        var period = await host.Verifier.VerifyAsync(periodStart, host.Clock.GetUtcNow().AddMinutes(-1));
        var whole = await host.Verifier.VerifyAsync();

        Assert.True(period.Intact);
        Assert.Equal(6, period.EventsChecked);
        Assert.Equal(5, period.EventsInPeriod);
        Assert.False(whole.Intact);
    }

    [Fact]
    public async Task VerifyAsync_PeriodEndsBeforeItStarts_Refused()
    {
        using var host = new AuditTestHost();

        await Assert.ThrowsAsync<ArgumentException>(() => host.Verifier.VerifyAsync(host.Clock.GetUtcNow(), host.Clock.GetUtcNow().AddDays(-1)));
    }

    private static async Task<AuditTestHost> SealedHostAsync()
    {
        var host = new AuditTestHost(streamCount: 1);
        await host.Trail.AppendBatchAsync([.. Enumerable.Range(0, 20).Select(i => AuditEvents.Ingest(i))]);
        await host.Sealer.SealAsync("job:audit-seal");
        return host;
    }
}
