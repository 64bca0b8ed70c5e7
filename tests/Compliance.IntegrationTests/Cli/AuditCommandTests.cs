using System.Text.Json;
using Azure.Data.Tables;
using Compliance.Cli;
using Compliance.Storage;
using Compliance.TestSupport;

namespace Compliance.IntegrationTests.Cli;

public sealed class AuditCommandTests : IDisposable
{
    private readonly CliEnvironment _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task SealThenVerify_FreshEnvironment_IntactAndExported()
    {
        await _cli.RunAsync("init");

        var seal = await _cli.RunAsync("audit", "seal", "--json");
        var verify = await _cli.RunAsync("audit", "verify", "--json");

        Assert.Equal(ExitCodes.Success, seal.ExitCode);
        using var sealJson = JsonDocument.Parse(seal.Output);
        Assert.Equal(1, sealJson.RootElement.GetProperty("seal").GetProperty("number").GetInt64());
        Assert.Equal("development", sealJson.RootElement.GetProperty("seal").GetProperty("keyCustody").GetString());
        Assert.Equal($"audit-seals{_cli.Suffix}/seal-000000000001.json", sealJson.RootElement.GetProperty("seal").GetProperty("exportedTo").GetString());
        Assert.Equal(ExitCodes.Success, verify.ExitCode);
        using var verifyJson = JsonDocument.Parse(verify.Output);
        Assert.True(verifyJson.RootElement.GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task Verify_Tampered_ExitsOneNamingTheFirstBadEvent()
    {
        await _cli.RunAsync("init");
        await _cli.RunAsync("audit", "seal");
        var table = new TableServiceClient(AzuriteStorage.ConnectionString).GetTableClient(StorageLayout.NameOf(StorageLayout.AuditEvents, _cli.Suffix));
        var policyEvent = await table.QueryAsync<TableEntity>(e => e.RowKey != "k").FirstAsync(e => ((string?)e["Type"]) == "POLICY");
        policyEvent["Body"] = ((string)policyEvent["Body"]).Replace("\"grants\":4", "\"grants\":40", StringComparison.Ordinal);
        await table.UpdateEntityAsync(policyEvent, Azure.ETag.All, TableUpdateMode.Replace);

        var verify = await _cli.RunAsync("audit", "verify");

        Assert.Equal(ExitCodes.CheckFailed, verify.ExitCode);
        Assert.Contains($"First bad: event {policyEvent.PartitionKey}#1 was modified", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seal_AuditTableGone_FailsClosedWithoutWritingASeal()
    {
        await _cli.RunAsync("init");
        var service = new TableServiceClient(AzuriteStorage.ConnectionString);
        await service.DeleteTableAsync(StorageLayout.NameOf(StorageLayout.AuditEvents, _cli.Suffix));

        var seal = await _cli.RunAsync("audit", "seal");

        Assert.NotEqual(ExitCodes.Success, seal.ExitCode);
        var seals = service.GetTableClient(StorageLayout.NameOf(StorageLayout.AuditSeals, _cli.Suffix));
        Assert.Empty(await seals.QueryAsync<TableEntity>().ToListAsync());
    }

    [Fact]
    public async Task Verify_PeriodEndsBeforeItStarts_BadInput()
    {
        var verify = await _cli.RunAsync("audit", "verify", "--from", "2026-12-01T00:00:00Z", "--to", "2026-11-01T00:00:00Z");

        Assert.Equal(ExitCodes.BadInput, verify.ExitCode);
        Assert.Contains("--to: the period ends", verify.Error, StringComparison.Ordinal);
    }
}
