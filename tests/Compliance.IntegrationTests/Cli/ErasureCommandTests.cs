using System.Text.Json;
using Compliance.Cli;

namespace Compliance.IntegrationTests.Cli;

public sealed class ErasureCommandTests : IDisposable
{
    private readonly CliEnvironment _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Erase_Rerun_SameRequestResumedAndItsCertificateShown()
    {
        await _cli.RunAsync("init");
        await _cli.RunAsync("subjects", "notice-ack", "--employee", "E40501", "--notice", "2026-11");

        var first = await _cli.RunAsync("erase", "--employee", "E40501", "--reason", "OFFBOARDING", "--json");
        var again = await _cli.RunAsync("erase", "--employee", "E40501", "--reason", "OFFBOARDING", "--json");
        var status = await _cli.RunAsync("erasure", "status", "--employee", "E40501");

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (first.ExitCode, again.ExitCode));
        using var json = JsonDocument.Parse(first.Output);
        using var json2 = JsonDocument.Parse(again.Output);
        var id = json.RootElement.GetProperty("erasure").GetProperty("erasureId").GetString()!;
        Assert.Equal(id, json2.RootElement.GetProperty("erasure").GetProperty("erasureId").GetString());
        Assert.Equal("completed", json.RootElement.GetProperty("erasure").GetProperty("state").GetString());
        Assert.Equal(id, json.RootElement.GetProperty("certificate").GetProperty("erasureId").GetString());
        Assert.Contains($"Erasure {id} (OFFBOARDING, scope all): completed", status.Output, StringComparison.Ordinal);
        Assert.Contains("SLA: 1 completed", status.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("E40501", first.Output + status.Output, StringComparison.Ordinal);

        var certificate = await _cli.RunAsync("erasure", "certificate", "--id", id);
        using var certificateJson = JsonDocument.Parse(certificate.Output);
        Assert.Equal(ExitCodes.Success, certificate.ExitCode);
        Assert.Equal(id, certificateJson.RootElement.GetProperty("erasureId").GetString());
        Assert.Equal("no-records", certificateJson.RootElement.GetProperty("probe").GetProperty("result").GetString()); // enrolled, nothing collected yet
    }

    [Fact]
    public async Task Erase_HeldEmployee_HeldUntilTheHoldReleaseCompletesIt()
    {
        await _cli.RunAsync("init");
        await _cli.RunAsync("hold", "add", "--employee", "E40502", "--case", "CASE-77");

        var held = await _cli.RunAsync("erase", "--employee", "E40502", "--reason", "EMPLOYEE_REQUEST", "--request-id", "portal-123");
        var release = await _cli.RunAsync("hold", "release", "--employee", "E40502", "--case", "CASE-77");
        var status = await _cli.RunAsync("erasure", "status", "--employee", "E40502", "--json", "--check");

        Assert.Equal(ExitCodes.Success, held.ExitCode);
        Assert.Contains(": held", held.Output, StringComparison.Ordinal);
        Assert.Contains("held by legal hold CASE-77", held.Output, StringComparison.Ordinal);
        Assert.Contains("deferred by this hold: completed", release.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, status.ExitCode);
        using var json = JsonDocument.Parse(status.Output);
        Assert.Equal("completed", Assert.Single(json.RootElement.GetProperty("requests").EnumerateArray()).GetProperty("state").GetString());
    }

    [Theory]
    [InlineData(new[] { "erase", "--employee", "E1", "--reason", "LEFT" }, "reason: 'LEFT' is not an erasure reason")]
    [InlineData(new[] { "erase", "--employee", "E1", "--reason", "OBJECTION", "--scope", "trainig" }, "scope: 'trainig' is not a key scope")]
    [InlineData(new[] { "erase", "--employee", "E1", "--reason", "OBJECTION", "--request-id", "has spaces" }, "requestId: 1 to 128")]
    [InlineData(new[] { "erasure", "status", "--id", "era-nope" }, "--id: no erasure request has the id 'era-nope'")]
    [InlineData(new[] { "erasure", "certificate", "--id", "era-nope" }, "--id: no completed erasure request")]
    public async Task Erasure_BadInput_ExitsTwoSayingWhat(string[] args, string expected)
    {
        await _cli.RunAsync("init");

        var run = await _cli.RunAsync(args);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erase_RequestIdReusedForAnotherEmployee_ExitsTwo()
    {
        await _cli.RunAsync("init");
        await _cli.RunAsync("erase", "--employee", "E40503", "--reason", "OFFBOARDING", "--request-id", "hr-1");

        var reused = await _cli.RunAsync("erase", "--employee", "E40504", "--reason", "OFFBOARDING", "--request-id", "hr-1");

        Assert.Equal(ExitCodes.BadInput, reused.ExitCode);
        Assert.Contains("--request-id: The request id was already used", reused.Error, StringComparison.Ordinal);
    }
}
