using System.Text.Json;
using Compliance.Cli;
using Compliance.Storage;

namespace Compliance.IntegrationTests.Cli;

public sealed class InitCommandTests
{
    [Fact]
    public async Task Init_TwiceAgainstAzurite_CreatesThenFindsEverything()
    {
        using var cli = new CliEnvironment();

        var first = await cli.RunAsync("init", "--json");
        var second = await cli.RunAsync("init", "--json");

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Equal(ExitCodes.Success, second.ExitCode);
        using var firstJson = JsonDocument.Parse(first.Output);
        using var secondJson = JsonDocument.Parse(second.Output);
        Assert.Equal(StorageLayout.All.Count, firstJson.RootElement.GetProperty("created").GetInt32());
        Assert.Equal(0, secondJson.RootElement.GetProperty("created").GetInt32());
        Assert.Equal(StorageLayout.All.Count, secondJson.RootElement.GetProperty("existing").GetInt32());
        Assert.Equal("development", firstJson.RootElement.GetProperty("keyCustody").GetString());
        Assert.All(secondJson.RootElement.GetProperty("resources").EnumerateArray(), r => Assert.Equal("existing", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Init_SimulatedClock_ReportedAsSimulated()
    {
        using var cli = new CliEnvironment();

        var run = await cli.RunAsync("--now", "2027-03-01T02:00:00Z", "init", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var clock = json.RootElement.GetProperty("clock");
        Assert.True(clock.GetProperty("simulated").GetBoolean());
        Assert.StartsWith("2027-03-01T02:0", clock.GetProperty("now").GetString(), StringComparison.Ordinal);
    }

}
