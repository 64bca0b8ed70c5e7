using System.Text.Json;
using Compliance.Cli;
using Compliance.TestSupport;

namespace Compliance.IntegrationTests.Cli;

/// <summary><c>compliance statement</c> on a simulated Monday: JSON and HTML by extension, and its refusals.</summary>
public sealed class StatementCommandTests : IDisposable
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
    public async Task Statement_JsonAndHtml_WrittenByExtensionWithoutTheEmployeeId()
    {
        await SeedAsync();
        var read = await _cli.RunAsync("--now", Later, "read", "--principal", "privacy-office", "--purpose", "employee-access-request", "--category", "keystroke-dynamics", "--employee", "E90310");
        Assert.Equal(ExitCodes.Success, read.ExitCode);
        await _cli.RunAsync("--now", Later, "audit", "seal");
        var jsonFile = Path.Combine(_files.Path, "statement.json");
        var htmlFile = Path.Combine(_files.Path, "statement.html");

        var json = await _cli.RunAsync("--now", Later, "--json", "statement", "--employee", "E90310", "--out", jsonFile);
        var html = await _cli.RunAsync("--now", Later, "statement", "--employee", "E90310", "--out", htmlFile);

        Assert.True(json.ExitCode == ExitCodes.Success, json.Error + json.Output);
        Assert.True(html.ExitCode == ExitCodes.Success, html.Error + html.Output);
        using var result = JsonDocument.Parse(json.Output);
        Assert.Equal(("json", 2L, 1L, 1L), (result.RootElement.GetProperty("format").GetString(), result.RootElement.GetProperty("records").GetInt64(), result.RootElement.GetProperty("reads").GetInt64(), result.RootElement.GetProperty("sealNumber").GetInt64()));
        using var statement = JsonDocument.Parse(await File.ReadAllBytesAsync(jsonFile));
        var category = Assert.Single(statement.RootElement.GetProperty("categories").EnumerateArray());
        Assert.Equal("keystroke-dynamics", category.GetProperty("category").GetString());
        Assert.Equal("2026-12-23T09:00:00Z", category.GetProperty("heldUntil").GetString());
        Assert.Equal(result.RootElement.GetProperty("subject").GetString(), statement.RootElement.GetProperty("employee").GetProperty("subject").GetString());
        var page = await File.ReadAllTextAsync(htmlFile);
        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.Ordinal);
        Assert.Contains("data-category=\"keystroke-dynamics\"", page, StringComparison.Ordinal);
        Assert.Contains("Statement " + htmlFile + " (html, SHA-256 ", html.Output, StringComparison.Ordinal);
        Assert.Contains("1 reads naming them", html.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("E90310", json.Output + html.Output + page + await File.ReadAllTextAsync(jsonFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statement_NeverEnrolled_NothingHeld()
    {
        await _cli.RunAsync("init");
        await _cli.RunAsync("audit", "seal");
        var file = Path.Combine(_files.Path, "nobody.json");

        var run = await _cli.RunAsync("statement", "--employee", "E90399", "--out", file);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error + run.Output);
        Assert.Contains("never enrolled, nothing is held", run.Output, StringComparison.Ordinal);
        using var statement = JsonDocument.Parse(await File.ReadAllBytesAsync(file));
        Assert.Equal("not-enrolled", statement.RootElement.GetProperty("employee").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Statement_NoSealYet_ExitsTwoSayingToSeal()
    {
        await _cli.RunAsync("init");

        var run = await _cli.RunAsync("statement", "--employee", "E90311", "--out", Path.Combine(_files.Path, "s.json"));

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("compliance audit seal", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_files.Path, "s.json")));
    }

    [Theory]
    [InlineData("statement.pdf")]
    [InlineData("statement")]
    public async Task Statement_BadExtension_ExitsTwoNamingOut(string name)
    {
        var run = await _cli.RunAsync("statement", "--employee", "E90312", "--out", Path.Combine(_files.Path, name));

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("--out:", run.Error, StringComparison.Ordinal);
        Assert.Contains(".json", run.Error, StringComparison.Ordinal);
    }

    private async Task SeedAsync()
    {
        await _cli.RunAsync("init");
        var ack = await _cli.RunAsync("--now", Acknowledged, "subjects", "notice-ack", "--employee", "E90310", "--notice", "2026-11");
        Assert.Equal(ExitCodes.Success, ack.ExitCode);
        string Event(string id, string at) =>
            $$$"""{"eventId":"{{{id}}}","employeeId":"E90310","category":"keystroke-dynamics","capturedAt":"{{{at}}}","source":"agent/1","schemaVersion":1,"fields":{"windowSeconds":60,"keyCount":12}}""";
        var file = Path.Combine(_files.Path, "events.jsonl");
        await File.WriteAllLinesAsync(file, [Event("a", "2026-11-23T09:00:00Z"), Event("b", "2026-11-23T09:01:00Z")]);
        var ingest = await _cli.RunAsync("--now", Later, "ingest", "--file", file);
        Assert.Equal(ExitCodes.Success, ingest.ExitCode);
    }
}
