namespace Compliance.IntegrationTests.Subjects;

public sealed class HoldServiceTests
{
    [Fact]
    public async Task IsHeldAsync_SubjectOrCategoryHold_CoversExactlyWhatItNames()
    {
        await using var host = await IntegrationHost.StartAsync();
        var held = await host.Subjects.EnrolAsync("E60606");
        var free = await host.Subjects.EnrolAsync("E70707");

        await host.Holds.PlaceAsync("E60606", null, "CASE-1", null, "operator:cli");
        await host.Holds.PlaceAsync(null, "transcript", "CASE-2", null, "operator:cli");

        Assert.True(await host.Holds.IsHeldAsync(held.Surrogate, "app-focus"));
        Assert.True(await host.Holds.IsHeldAsync(free.Surrogate, "transcript"));
        Assert.False(await host.Holds.IsHeldAsync(free.Surrogate, "app-focus"));
    }

    [Fact]
    public async Task ReleaseAsync_ReleasedHold_NoLongerCovers()
    {
        await using var host = await IntegrationHost.StartAsync();
        var subject = await host.Subjects.EnrolAsync("E80808");
        await host.Holds.PlaceAsync("E80808", null, "CASE-9", "reason", "operator:cli");

        var released = await host.Holds.ReleaseAsync("E80808", null, "CASE-9", "operator:cli");
        var again = await host.Holds.ReleaseAsync("E80808", null, "CASE-9", "operator:cli");

        Assert.NotNull(released!.ReleasedAt);
        Assert.Null(again);
        Assert.False(await host.Holds.IsHeldAsync(subject.Surrogate, "app-focus"));
    }
}
