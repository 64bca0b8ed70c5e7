using System.Text.Json;
using Azure.Data.Tables;
using Compliance.Cli;
using Compliance.Storage;
using Compliance.TestSupport;

namespace Compliance.IntegrationTests.Cli;

/// <summary><c>assess dpia|eval|promote|schema-change</c> against Azurite: each event written once, bad input exits 2 naming the option.</summary>
public sealed class AssessCommandTests : IDisposable
{
    private const string Now = "2026-11-30T09:00:00Z";

    private readonly CliEnvironment _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Dpia_RunTwice_RecordedOnce()
    {
        await _cli.RunAsync("init");

        var first = await _cli.RunAsync("--now", Now, "--json", "assess", "dpia", "--category", "all", "--version", "2026.1", "--approved", "2026-11-20T00:00:00Z");
        var second = await _cli.RunAsync("--now", Now, "assess", "dpia", "--category", "all", "--version", "2026.1", "--approved", "2026-11-20T00:00:00Z");

        Assert.True(first.ExitCode == ExitCodes.Success, first.Error);
        using var json = JsonDocument.Parse(first.Output);
        Assert.True(json.RootElement.GetProperty("recorded").GetBoolean());
        Assert.Equal(ExitCodes.Success, second.ExitCode);
        Assert.Contains("already recorded", second.Output, StringComparison.Ordinal);
        var dpia = Assert.Single(await EventsAsync("DPIA"));
        Assert.Contains("\"approvedAt\":\"2026-11-20T00:00:00Z\"", dpia, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvalThenPromote_PassingEvalsPromoteWithoutWarnings_EachEventOnce()
    {
        await _cli.RunAsync("init");
        string[][] evals =
        [
            ["--eval", "mi-1", "--type", "membership-inference", "--value", "0.51", "--threshold", "0.55"],
            ["--eval", "ce-1", "--type", "canary-extraction", "--value", "0", "--threshold", "0"],
            ["--eval", "pii-1", "--type", "pii-output-scan", "--value", "0.0005", "--threshold", "0.001"],
        ];
        foreach (var eval in evals)
        {
            var run = await _cli.RunAsync(["--now", Now, "assess", "eval", "--model", "assistant-v1", .. eval]);
            Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        }

        await _cli.RunAsync(["--now", Now, "assess", "eval", "--model", "assistant-v1", .. evals[0]]);
        var promote = await _cli.RunAsync("--now", Now, "--json", "assess", "promote", "--model", "assistant-v1", "--evals", "pii-1,mi-1,ce-1");
        var again = await _cli.RunAsync("--now", Now, "assess", "promote", "--model", "assistant-v1", "--evals", "ce-1,mi-1,pii-1");

        Assert.True(promote.ExitCode == ExitCodes.Success, promote.Error);
        using var json = JsonDocument.Parse(promote.Output);
        Assert.Empty(json.RootElement.GetProperty("warnings").EnumerateArray());
        Assert.Equal(["ce-1", "mi-1", "pii-1"], json.RootElement.GetProperty("evalIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("already recorded", again.Output, StringComparison.Ordinal);
        Assert.Equal(3, (await EventsAsync("EVAL")).Count);
        var recorded = Assert.Single(await EventsAsync("MODEL_PROMOTE"));
        Assert.Contains("\"eval.1\":\"ce-1\"", recorded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_EvalOverThresholdAndTypesMissing_RecordedWithWarnings()
    {
        await _cli.RunAsync("init");
        await _cli.RunAsync("--now", Now, "assess", "eval", "--eval", "mi-1", "--model", "assistant-v1", "--type", "membership-inference", "--value", "0.7", "--threshold", "0.55");

        var promote = await _cli.RunAsync("--now", Now, "assess", "promote", "--model", "assistant-v1", "--evals", "mi-1");

        Assert.Equal(ExitCodes.Success, promote.ExitCode);
        Assert.Contains("recorded (MODEL_PROMOTE)", promote.Output, StringComparison.Ordinal);
        Assert.Contains("warning: evaluation mi-1 (membership-inference): 0.7 is over its threshold 0.55", promote.Error, StringComparison.Ordinal);
        Assert.Contains("warning: no canary-extraction evaluation of assistant-v1", promote.Error, StringComparison.Ordinal);
        Assert.Single(await EventsAsync("MODEL_PROMOTE"));
    }

    [Fact]
    public async Task SchemaChange_KnownCategory_Recorded()
    {
        await _cli.RunAsync("init");

        var run = await _cli.RunAsync("--now", Now, "assess", "schema-change", "--category", "keystroke-dynamics");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Contains("\"category\":\"keystroke-dynamics\"", Assert.Single(await EventsAsync("SCHEMA_CHANGE")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "assess", "dpia", "--category", "webcam", "--version", "1", "--approved", "2026-11-20T00:00:00Z" }, "--category: unknown category 'webcam'")]
    [InlineData(new[] { "assess", "dpia", "--category", "all", "--version", "v 1", "--approved", "2026-11-20T00:00:00Z" }, "--version:")]
    [InlineData(new[] { "assess", "dpia", "--category", "all", "--version", "1", "--approved", "2026-12-20T00:00:00Z" }, "--approved: the approval (2026-12-20T00:00:00Z) is in the future")]
    [InlineData(new[] { "assess", "dpia", "--category", "all", "--version", "1", "--approved", "last week" }, "--approved:")]
    [InlineData(new[] { "assess", "eval", "--eval", "e1", "--model", "m1", "--type", "accuracy", "--value", "0", "--threshold", "1" }, "--type: unknown evaluation type 'accuracy'")]
    [InlineData(new[] { "assess", "eval", "--eval", "e1", "--model", "m1", "--type", "canary-extraction", "--value", "0,5", "--threshold", "1" }, "--value: '0,5' is not a number")]
    [InlineData(new[] { "assess", "eval", "--eval", "e1", "--model", "m1", "--type", "canary-extraction", "--value", "0", "--threshold", "2000000" }, "--threshold: a measure is a number from 0 to 1000000")]
    [InlineData(new[] { "assess", "eval", "--eval", "E 1", "--model", "m1", "--type", "canary-extraction", "--value", "0", "--threshold", "1" }, "--eval:")]
    [InlineData(new[] { "assess", "promote", "--model", "Model X", "--evals", "e1" }, "--model:")]
    [InlineData(new[] { "assess", "promote", "--model", "m1", "--evals", "e1,,e2" }, "--evals:")]
    [InlineData(new[] { "assess", "schema-change", "--category", "all" }, "--category: unknown category 'all'")]
    public async Task Assess_BadInput_ExitsTwoNamingTheOptionAndRecordsNothing(string[] args, string expected)
    {
        await _cli.RunAsync("init");

        var run = await _cli.RunAsync(["--now", Now, .. args]);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        foreach (var type in new[] { "DPIA", "EVAL", "MODEL_PROMOTE", "SCHEMA_CHANGE" })
        {
            Assert.Empty(await EventsAsync(type));
        }
    }

    private async Task<List<string>> EventsAsync(string type)
    {
        var audit = new TableServiceClient(AzuriteStorage.ConnectionString).GetTableClient(StorageLayout.NameOf(StorageLayout.AuditEvents, _cli.Suffix));
        return [.. (await audit.QueryAsync<TableEntity>(e => e.GetString("Type") == type).ToListAsync()).Select(e => e.GetString("Body"))];
    }
}
