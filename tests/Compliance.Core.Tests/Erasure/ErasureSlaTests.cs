using Compliance.Core.Erasure;
using Compliance.Core.Policy;

namespace Compliance.Core.Tests.Erasure;

public sealed class ErasureSlaTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly SlaDefinition Slas = new() { ErasureP95Hours = 72, ErasureMaxDays = 30, PurgeLagHours = 26, PauseHours = 1 };

    [Fact]
    public void ComputeSla_TwentyCompleted_P95IsTheNineteenthFastestAndMaxTheSlowest()
    {
        var records = Enumerable.Range(1, 20).Select(h => Completed(TimeSpan.FromHours(h))).ToList();

        var sla = ErasureService.ComputeSla(records, Now, Slas);

        Assert.Equal((20, TimeSpan.FromHours(19), TimeSpan.FromHours(20)), (sla.Completed, sla.P95, sla.Max));
        Assert.True(sla.Met);
    }

    [Fact]
    public void ComputeSla_OpenRequests_PastTargetAndPastMaximumReportedButHeldOnesLeftOut()
    {
        var records = new List<ErasureRecord>
        {
            Completed(TimeSpan.FromHours(1)),
            Open(TimeSpan.FromHours(80), ErasureState.Received),
            Open(TimeSpan.FromDays(31), ErasureState.Shredding),
            Open(TimeSpan.FromDays(40), ErasureState.Held) with { HoldStartedAt = Now - TimeSpan.FromDays(39) },
            Open(TimeSpan.FromDays(40), ErasureState.Received) with { HeldBefore = TimeSpan.FromDays(39) }, // released an hour ago: 1 day counted
            Open(TimeSpan.FromHours(2), ErasureState.Received) with { LastError = "POISON_MESSAGE" },
        };

        var sla = ErasureService.ComputeSla(records, Now, Slas);

        Assert.Equal((5, 1, 1), (sla.Open, sla.Held, sla.Failed));
        Assert.Equal(2, sla.OpenPastTarget.Count);
        Assert.Equal(ErasureState.Shredding, Assert.Single(sla.OpenPastMaximum).State);
        Assert.False(sla.Met);
    }

    [Fact]
    public void ComputeSla_DeferredByALegalHold_TheHoldIsNotCounted()
    {
        var held = Completed(TimeSpan.FromDays(41)) with
        {
            HeldSince = Now - TimeSpan.FromDays(60) + TimeSpan.FromHours(1),
            HeldUntil = Now - TimeSpan.FromDays(60) + TimeSpan.FromDays(41) - TimeSpan.FromHours(2),
            HeldBefore = TimeSpan.FromDays(41) - TimeSpan.FromHours(3),
        };

        var sla = ErasureService.ComputeSla([held], Now, Slas);

        Assert.Equal(TimeSpan.FromHours(3), sla.Max);
        Assert.True(sla.Met);
    }

    [Fact]
    public void ComputeSla_NothingYet_NoFiguresAndMet()
    {
        var sla = ErasureService.ComputeSla([], Now, Slas);

        Assert.Null(sla.P95);
        Assert.Null(sla.Max);
        Assert.True(sla.Met);
    }

    [Fact]
    public void ComputeSla_SlowCompletion_NotMet()
    {
        var sla = ErasureService.ComputeSla([Completed(TimeSpan.FromHours(100))], Now, Slas);

        Assert.False(sla.Met);
    }

    internal static ErasureRecord Completed(TimeSpan took) => Open(TimeSpan.FromDays(60), ErasureState.Completed) with
    {
        KeysDestroyedAt = Now - TimeSpan.FromDays(60) + took,
        ShredHorizon = Now,
        CertifiedAt = Now - TimeSpan.FromDays(60) + took,
    };

    internal static ErasureRecord Open(TimeSpan age, ErasureState state) => new()
    {
        Id = "era-" + Guid.NewGuid().ToString("N"),
        Subject = "sub_aaaaaaaaaaaaaaaaaaaaaaaaaa",
        LookupKey = new string('b', 64),
        Reason = ErasureReasons.Offboarding,
        Source = "queue",
        RequestedAt = Now - age,
        State = state,
        PolicyVersion = new string('c', 64),
        UpdatedAt = Now,
    };
}
