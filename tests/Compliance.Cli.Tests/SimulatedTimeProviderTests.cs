using Microsoft.Extensions.Time.Testing;

namespace Compliance.Cli.Tests;

public sealed class SimulatedTimeProviderTests
{
    [Fact]
    public void GetUtcNow_StartsAtRequestedInstantAndFollowsRealElapsedTime()
    {
        var real = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        var simulatedStart = new DateTimeOffset(2027, 6, 1, 2, 0, 0, TimeSpan.Zero);
        var clock = new SimulatedTimeProvider(simulatedStart, real);

        Assert.Equal(simulatedStart, clock.GetUtcNow());
        real.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(simulatedStart.AddMinutes(5), clock.GetUtcNow());
    }
}
