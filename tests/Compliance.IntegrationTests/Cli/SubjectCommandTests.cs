using System.Text.Json;
using Compliance.Cli;

namespace Compliance.IntegrationTests.Cli;

public sealed class SubjectCommandTests : IDisposable
{
    private readonly CliEnvironment _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task NoticeAck_KnownVersion_NamesTheSurrogateNotTheEmployee()
    {
        await _cli.RunAsync("init");

        var run = await _cli.RunAsync("subjects", "notice-ack", "--employee", "E90210", "--notice", "2026-11", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        Assert.StartsWith("sub_", json.RootElement.GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, json.RootElement.GetProperty("categories").GetArrayLength());
        Assert.DoesNotContain("E90210", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoticeAck_UnknownVersion_BadInput()
    {
        await _cli.RunAsync("init");

        var run = await _cli.RunAsync("subjects", "notice-ack", "--employee", "E1", "--notice", "1999-01");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("Notice version '1999-01' is not in the policy", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PauseThenResume_ReportsEachChange()
    {
        await _cli.RunAsync("init");

        var pause = await _cli.RunAsync("subjects", "pause", "--employee", "E31337", "--reason", "leave");
        var resume = await _cli.RunAsync("subjects", "resume", "--employee", "E31337");
        var again = await _cli.RunAsync("subjects", "resume", "--employee", "E31337");

        Assert.Equal(ExitCodes.Success, pause.ExitCode);
        Assert.Contains("(leave)", pause.Output, StringComparison.Ordinal);
        Assert.Equal("Collection resumed.", resume.Output.Trim());
        Assert.Equal("The employee was not paused; nothing changed.", again.Output.Trim());
    }

    [Fact]
    public async Task ReEnrol_ErasedEmployee_NewSurrogateOnceThenRefusedWithItsCode()
    {
        await _cli.RunAsync("init");
        var before = await _cli.RunAsync("subjects", "notice-ack", "--employee", "E77001", "--notice", "2026-11", "--json");
        await _cli.RunAsync("erase", "--employee", "E77001", "--reason", "OFFBOARDING");

        var run = await _cli.RunAsync("subjects", "re-enrol", "--employee", "E77001", "--reason", "rehire", "--reference", "HR-88", "--json");
        var again = await _cli.RunAsync("subjects", "re-enrol", "--employee", "E77001", "--reason", "rehire");
        var named = await _cli.RunAsync("subjects", "re-enrol", "--employee", "E77002", "--reason", "other", "--reference", "Jane Doe");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        using var old = JsonDocument.Parse(before.Output);
        Assert.StartsWith("sub_", json.RootElement.GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(old.RootElement.GetProperty("subject").GetString(), json.RootElement.GetProperty("subject").GetString());
        Assert.DoesNotContain("E77001", run.Output + run.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, again.ExitCode);
        Assert.StartsWith("error: NOT_ERASED:", again.Error.Trim(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, named.ExitCode);
        Assert.StartsWith("error: INVALID_REFERENCE:", named.Error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysStatusAndRotate_ReportCustodyRotationAndShredHorizon()
    {
        await _cli.RunAsync("init");

        var status = await _cli.RunAsync("--now", "2026-12-01T00:00:00Z", "keys", "status");
        var rotate = await _cli.RunAsync("keys", "rotate", "--root", "--json");

        Assert.Equal(ExitCodes.Success, status.ExitCode);
        Assert.Contains("development key custody", status.Output, StringComparison.Ordinal);
        Assert.Contains("Shred horizon: a copy of the key table taken now is unreadable after 2026-12-31", status.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, rotate.ExitCode);
        using var json = JsonDocument.Parse(rotate.Output);
        Assert.Equal(0, json.RootElement.GetProperty("result").GetProperty("subjectKeysRotated").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("result").GetProperty("root").GetProperty("rewrapped").GetInt32());
    }

    [Fact]
    public async Task Pause_UnknownReason_BadInputBeforeAnythingRuns()
    {
        var run = await _cli.RunAsync("subjects", "pause", "--employee", "E1", "--reason", "vacation");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("vacation", run.Error, StringComparison.Ordinal);
    }
}
