using System.Text.Json;
using Azure.Data.Tables;
using Compliance.Cli;
using Compliance.Cli.Tests;
using Compliance.Storage;
using Compliance.TestSupport;

namespace Compliance.IntegrationTests.Cli;

public sealed class HoldCommandTests : IDisposable
{
    private readonly TemporaryDirectory _keys = new();
    private readonly Dictionary<string, string> _environment;

    public HoldCommandTests()
    {
        _environment = new()
        {
            ["COMPLIANCE_STORAGE"] = AzuriteStorage.ConnectionString,
            ["COMPLIANCE_NAME_SUFFIX"] = AzuriteStorage.UniqueSuffix(),
            ["COMPLIANCE_LOCAL_KEYS"] = _keys.Path,
        };
    }

    public void Dispose() => _keys.Dispose();

    [Fact]
    public async Task AddListRelease_ByEmployee_HoldLifecycleAuditedWithoutTheReason()
    {
        await CliRun.ExecuteAsync(_environment, "init");

        var add = await CliRun.ExecuteAsync(_environment, "hold", "add", "--employee", "E40404", "--case", "CASE-2026-0042", "--reason", "Litigation hold requested by counsel Jane Doe");
        var listed = await CliRun.ExecuteAsync(_environment, "hold", "list", "--employee", "E40404", "--json");
        var release = await CliRun.ExecuteAsync(_environment, "hold", "release", "--employee", "E40404", "--case", "CASE-2026-0042");
        var after = await CliRun.ExecuteAsync(_environment, "hold", "list");

        Assert.Equal(ExitCodes.Success, add.ExitCode);
        Assert.StartsWith("Hold placed: case CASE-2026-0042 on subject:sub_", add.Output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(listed.Output);
        Assert.Equal("CASE-2026-0042", Assert.Single(json.RootElement.GetProperty("holds").EnumerateArray()).GetProperty("caseId").GetString());
        Assert.Equal(ExitCodes.Success, release.ExitCode);
        Assert.Equal("No active holds.", after.Output.Trim());
        var audit = new TableServiceClient(AzuriteStorage.ConnectionString).GetTableClient(StorageLayout.NameOf(StorageLayout.AuditEvents, _environment["COMPLIANCE_NAME_SUFFIX"]));
        var holds = await audit.QueryAsync<TableEntity>(e => e.GetString("Type") == "HOLD").ToListAsync();
        Assert.Equal(2, holds.Count);
        Assert.All(holds, h => Assert.DoesNotContain("Jane", h.GetString("Body"), StringComparison.Ordinal));
        Assert.Contains(holds, h => h.GetString("Body").Contains("\"action\":\"released\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Add_ByCategory_ListedUnderThatCategory()
    {
        await CliRun.ExecuteAsync(_environment, "init");

        await CliRun.ExecuteAsync(_environment, "hold", "add", "--category", "transcript", "--case", "INV-7");
        var forCategory = await CliRun.ExecuteAsync(_environment, "hold", "list", "--category", "transcript");
        var forOther = await CliRun.ExecuteAsync(_environment, "hold", "list", "--category", "app-focus");

        Assert.Contains("category:transcript", forCategory.Output, StringComparison.Ordinal);
        Assert.Equal("No active holds.", forOther.Output.Trim());
    }

    [Theory]
    [InlineData(new[] { "hold", "add", "--case", "C1" }, "exactly one employee or one category")]
    [InlineData(new[] { "hold", "add", "--employee", "E1", "--category", "transcript", "--case", "C1" }, "exactly one employee or one category")]
    [InlineData(new[] { "hold", "add", "--category", "webcam", "--case", "C1" }, "Unknown category 'webcam'")]
    [InlineData(new[] { "hold", "add", "--category", "transcript", "--case", "case with spaces" }, "A case id is 1 to 64")]
    [InlineData(new[] { "hold", "release", "--category", "transcript", "--case", "NOPE-1" }, "no active hold of case NOPE-1")]
    public async Task Hold_BadInput_ExitsTwoSayingWhat(string[] args, string expected)
    {
        await CliRun.ExecuteAsync(_environment, "init");

        var run = await CliRun.ExecuteAsync(_environment, args);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }
}
