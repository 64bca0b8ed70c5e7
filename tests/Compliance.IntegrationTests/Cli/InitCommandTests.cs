using System.Text.Json;
using Compliance.Cli;
using Compliance.Cli.Tests;
using Compliance.Storage;
using Compliance.TestSupport;

namespace Compliance.IntegrationTests.Cli;

public sealed class InitCommandTests
{
    [Fact]
    public async Task Init_TwiceAgainstAzurite_CreatesThenFindsEverything()
    {
        var environment = Environment(AzuriteStorage.UniqueSuffix());

        var first = await CliRun.ExecuteAsync(environment, "init", "--json");
        var second = await CliRun.ExecuteAsync(environment, "init", "--json");

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
        var run = await CliRun.ExecuteAsync(Environment(AzuriteStorage.UniqueSuffix()), "--now", "2027-03-01T02:00:00Z", "init", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var clock = json.RootElement.GetProperty("clock");
        Assert.True(clock.GetProperty("simulated").GetBoolean());
        Assert.StartsWith("2027-03-01T02:0", clock.GetProperty("now").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_AgainstAzurite_ValidatesPolicyAndProvisions()
    {
        var run = await CliRun.ExecuteAsync(Environment(AzuriteStorage.UniqueSuffix()), "demo");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Policy default-behavioural-telemetry", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{StorageLayout.All.Count} created", run.Output, StringComparison.Ordinal);
        Assert.Contains("Running init again changed nothing", run.Output, StringComparison.Ordinal);
        Assert.Contains("development key custody", run.Output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Environment(string suffix) => new()
    {
        ["COMPLIANCE_STORAGE"] = AzuriteStorage.ConnectionString,
        ["COMPLIANCE_NAME_SUFFIX"] = suffix,
    };
}
