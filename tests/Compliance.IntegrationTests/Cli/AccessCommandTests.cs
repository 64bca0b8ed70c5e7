using System.Text.Json;
using Compliance.Cli;
using Compliance.TestSupport;

namespace Compliance.IntegrationTests.Cli;

/// <summary><c>ingest</c>, <c>read</c>, <c>export</c> and <c>lineage</c> from the command line, on a simulated Monday.</summary>
public sealed class AccessCommandTests : IDisposable
{
    private const string Acknowledged = "2026-11-23T08:00:00Z";
    private const string Later = "2026-11-23T10:00:00Z";

    private readonly CliEnvironment _cli = new();
    private readonly TemporaryDirectory _files = new();

    public void Dispose()
    {
        _cli.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task Ingest_FileWithGoodBlankAndBadLines_ReportsEachRejectionWithItsLine()
    {
        var file = await SeedAsync();

        var run = await _cli.RunAsync("--now", Later, "--json", "ingest", "--file", file);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal((3, 2, 1), (json.RootElement.GetProperty("events").GetInt32(), json.RootElement.GetProperty("stored").GetInt32(), json.RootElement.GetProperty("rejected").GetInt32()));
        var rejection = Assert.Single(json.RootElement.GetProperty("rejections").EnumerateArray());
        Assert.Equal(4, rejection.GetProperty("line").GetInt32());
        Assert.Equal("MALFORMED_JSON", rejection.GetProperty("reason").GetString());
        Assert.DoesNotContain("E90210", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_NoSuchFile_BadInputNamingIt()
    {
        var run = await _cli.RunAsync("ingest", "--file", Path.Combine(_files.Path, "missing.jsonl"));

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("missing.jsonl: no such file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Permitted_RecordsWithSurrogates_Denied_ExitThreeWithTheReason()
    {
        await _cli.RunAsync("--now", Later, "ingest", "--file", await SeedAsync());

        var permitted = await _cli.RunAsync("--now", Later, "--json", "read", "--principal", "privacy-office", "--purpose", "employee-access-request", "--category", "keystroke-dynamics", "--employee", "E90210");
        var denied = await _cli.RunAsync("--now", Later, "read", "--principal", "hr-analytics", "--purpose", "hr-performance", "--category", "keystroke-dynamics", "--employee", "E90210");

        Assert.Equal(ExitCodes.Success, permitted.ExitCode);
        using var json = JsonDocument.Parse(permitted.Output);
        Assert.Equal(2, json.RootElement.GetProperty("count").GetInt32());
        Assert.DoesNotContain("E90210", permitted.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.AccessDenied, denied.ExitCode);
        Assert.Contains("PURPOSE_NOT_ALLOWED", denied.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportThenLineage_DatasetWrittenLinkedAndListedForTheEmployee()
    {
        await _cli.RunAsync("--now", Later, "ingest", "--file", await SeedAsync());
        var target = Path.Combine(_files.Path, "dataset.jsonl");

        var export = await _cli.RunAsync("--now", Later, "--json", "export", "--principal", "ml-platform", "--purpose", "model-training", "--category", "keystroke-dynamics", "--from", Acknowledged, "--to", Later, "--out", target);
        using var json = JsonDocument.Parse(export.Output);
        var dataset = json.RootElement.GetProperty("dataset").GetProperty("datasetId").GetString()!;
        var link = await _cli.RunAsync("lineage", "link", "--model", "assistant-v1", "--dataset", dataset);
        var show = await _cli.RunAsync("--json", "lineage", "show", "--employee", "E90210");

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (export.ExitCode, link.ExitCode));
        Assert.Equal(2, File.ReadAllLines(target).Length);
        Assert.Empty(Directory.GetFiles(_files.Path, "*.partial"));
        using var reach = JsonDocument.Parse(show.Output);
        Assert.Equal(dataset, Assert.Single(reach.RootElement.GetProperty("datasets").EnumerateArray()).GetString());
        Assert.Equal("assistant-v1", Assert.Single(reach.RootElement.GetProperty("models").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Export_PurposeNotForTraining_DeniedAndNoFileLeft()
    {
        await _cli.RunAsync("--now", Later, "ingest", "--file", await SeedAsync());
        var target = Path.Combine(_files.Path, "dataset.jsonl");

        var run = await _cli.RunAsync("--now", Later, "export", "--principal", "privacy-office", "--purpose", "employee-access-request", "--category", "keystroke-dynamics", "--from", Acknowledged, "--to", Later, "--out", target);

        Assert.Equal(ExitCodes.AccessDenied, run.ExitCode);
        Assert.Contains("EXPORT_REQUIRES_TRAINING_PURPOSE", run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_files.Path, "*dataset*"));
    }

    [Fact]
    public async Task Purge_DryRunThenRun_PlanMatchesWhatIsDeletedAndASecondRunFindsNothing()
    {
        await _cli.RunAsync("--now", Later, "ingest", "--file", await SeedAsync());
        const string MonthLater = "2026-12-25T03:00:00Z";

        var dryRun = await _cli.RunAsync("--now", MonthLater, "--json", "purge", "--dry-run");
        var run = await _cli.RunAsync("--now", MonthLater, "--json", "purge");
        var again = await _cli.RunAsync("--now", MonthLater, "purge");

        Assert.Equal((ExitCodes.Success, ExitCodes.Success, ExitCodes.Success), (dryRun.ExitCode, run.ExitCode, again.ExitCode));
        using var plan = JsonDocument.Parse(dryRun.Output);
        using var manifest = JsonDocument.Parse(run.Output);
        Assert.Equal(2, plan.RootElement.GetProperty("plan").GetProperty("records").GetInt32());
        Assert.Equal(2, manifest.RootElement.GetProperty("manifest").GetProperty("recordsDeleted").GetInt32());
        Assert.Equal(1, manifest.RootElement.GetProperty("manifest").GetProperty("tablesDropped").GetInt32());
        Assert.Contains("Purged 0 records", again.Output, StringComparison.Ordinal);
    }

    /// <summary>E90210 acknowledges every category at 08:00; the file holds two keystroke windows, a blank line and a broken line.</summary>
    private async Task<string> SeedAsync()
    {
        await _cli.RunAsync("init");
        var ack = await _cli.RunAsync("--now", Acknowledged, "subjects", "notice-ack", "--employee", "E90210", "--notice", "2026-11");
        Assert.Equal(ExitCodes.Success, ack.ExitCode);
        string Event(string id, string at) =>
            $$$"""{"eventId":"{{{id}}}","employeeId":"E90210","category":"keystroke-dynamics","capturedAt":"{{{at}}}","source":"agent/1","schemaVersion":1,"fields":{"windowSeconds":60,"keyCount":12}}""";
        var file = Path.Combine(_files.Path, "events.jsonl");
        await File.WriteAllLinesAsync(file, [Event("a", "2026-11-23T09:00:00Z"), Event("b", "2026-11-23T09:01:00Z"), "", "{\"eventId\":"]);
        return file;
    }
}
