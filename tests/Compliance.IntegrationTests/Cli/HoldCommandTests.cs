using System.Text.Json;
using Azure.Data.Tables;
using Compliance.Cli;
using Compliance.Storage;
using Compliance.TestSupport;

namespace Compliance.IntegrationTests.Cli;

public sealed class HoldCommandTests : IDisposable
{
    private readonly CliEnvironment _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task AddListRelease_ByEmployee_HoldLifecycleAuditedWithoutTheReason()
    {
        await _cli.RunAsync("init");

        var add = await _cli.RunAsync("hold", "add", "--employee", "E40404", "--case", "CASE-2026-0042", "--reason", "Litigation hold requested by counsel Jane Doe");
        var listed = await _cli.RunAsync("hold", "list", "--employee", "E40404", "--json");
        var release = await _cli.RunAsync("hold", "release", "--employee", "E40404", "--case", "CASE-2026-0042");
        var after = await _cli.RunAsync("hold", "list");

        Assert.Equal(ExitCodes.Success, add.ExitCode);
        Assert.StartsWith("Hold placed: case CASE-2026-0042 on subject:sub_", add.Output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(listed.Output);
        Assert.Equal("CASE-2026-0042", Assert.Single(json.RootElement.GetProperty("holds").EnumerateArray()).GetProperty("caseId").GetString());
        Assert.Equal(ExitCodes.Success, release.ExitCode);
        Assert.Equal("No active holds.", after.Output.Trim());
        var audit = new TableServiceClient(AzuriteStorage.ConnectionString).GetTableClient(StorageLayout.NameOf(StorageLayout.AuditEvents, _cli.Suffix));
        var holds = await audit.QueryAsync<TableEntity>(e => e.GetString("Type") == "HOLD").ToListAsync();
        Assert.Equal(2, holds.Count);
        Assert.All(holds, h => Assert.DoesNotContain("Jane", h.GetString("Body"), StringComparison.Ordinal));
        Assert.Contains(holds, h => h.GetString("Body").Contains("\"action\":\"released\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Add_ByCategory_ListedUnderThatCategory()
    {
        await _cli.RunAsync("init");

        await _cli.RunAsync("hold", "add", "--category", "transcript", "--case", "INV-7");
        var forCategory = await _cli.RunAsync("hold", "list", "--category", "transcript");
        var forOther = await _cli.RunAsync("hold", "list", "--category", "app-focus");

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
        await _cli.RunAsync("init");

        var run = await _cli.RunAsync(args);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }
}
