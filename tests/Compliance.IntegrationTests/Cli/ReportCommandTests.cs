using System.Globalization;
using System.Text.Json;
using Compliance.Cli;
using Compliance.TestSupport;

namespace Compliance.IntegrationTests.Cli;

public sealed class ReportCommandTests : IDisposable
{
    private readonly CliEnvironment _cli = new();
    private readonly TemporaryDirectory _out = new();

    public void Dispose()
    {
        _cli.Dispose();
        _out.Dispose();
    }

    [Fact]
    public async Task Report_SealedTrail_JsonWrittenRecordedAndIdenticalTheSecondTime()
    {
        await _cli.RunAsync("init");
        await _cli.RunAsync("subjects", "notice-ack", "--employee", "E40601", "--notice", "2026-11");
        await _cli.RunAsync("audit", "seal");
        var (from, to) = Period();
        var first = Path.Combine(_out.Path, "first.json");
        var second = Path.Combine(_out.Path, "second.json");

        var run = await _cli.RunAsync("report", "--from", from, "--to", to, "--format", "json", "--out", first, "--json");
        await _cli.RunAsync("report", "--from", from, "--to", to, "--out", second);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error + run.Output);
        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(second));
        using var report = JsonDocument.Parse(await File.ReadAllBytesAsync(first));
        Assert.True(report.RootElement.GetProperty("basis").GetProperty("trailIntact").GetBoolean());
        Assert.Contains(report.RootElement.GetProperty("controls").EnumerateArray(), c => c.GetProperty("id").GetString() == "TRN-1" && c.GetProperty("status").GetString() == "pass");
        using var result = JsonDocument.Parse(run.Output);
        Assert.Equal(64, result.RootElement.GetProperty("sha256").GetString()!.Length);
    }

    [Fact]
    public async Task Report_OscalFormat_AssessmentResultsOfEveryControl()
    {
        await _cli.RunAsync("init");
        await _cli.RunAsync("audit", "seal");
        var (from, to) = Period();
        var file = Path.Combine(_out.Path, "report.oscal.json");

        var run = await _cli.RunAsync("report", "--from", from, "--to", to, "--format", "oscal", "--out", file);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error + run.Output);
        using var oscal = JsonDocument.Parse(await File.ReadAllBytesAsync(file));
        var results = oscal.RootElement.GetProperty("assessment-results");
        Assert.Equal("1.1.2", results.GetProperty("metadata").GetProperty("oscal-version").GetString());
        Assert.Contains(results.GetProperty("results")[0].GetProperty("findings").EnumerateArray(), f => f.GetProperty("target").GetProperty("target-id").GetString() == "log-1_obj");
    }

    [Fact]
    public async Task Report_NoSealYet_ExitsTwoSayingSo()
    {
        await _cli.RunAsync("init");
        var (from, to) = Period();

        var run = await _cli.RunAsync("report", "--from", from, "--to", to, "--out", Path.Combine(_out.Path, "r.json"));

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("compliance audit seal", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-30T00:00:00Z", "2026-11-29T00:00:00Z", "--to: the period must end after it starts")]
    [InlineData("yesterday", "2026-11-29T00:00:00Z", "--from")]
    public async Task Report_BadPeriod_ExitsTwoNamingTheOption(string from, string to, string expected)
    {
        await _cli.RunAsync("init");

        var run = await _cli.RunAsync("report", "--from", from, "--to", to, "--out", Path.Combine(_out.Path, "r.json"));

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    private static (string From, string To) Period()
    {
        var now = DateTimeOffset.UtcNow;
        return (now.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), now.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}
