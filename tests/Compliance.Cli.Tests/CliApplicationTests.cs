using System.Text.Json;
using Compliance.Core.Policy;
using Compliance.TestSupport;

namespace Compliance.Cli.Tests;

public sealed class CliApplicationTests
{
    [Fact]
    public async Task RunAsync_Help_ListsCommandsAndGlobalOptions()
    {
        var run = await CliRun.ExecuteAsync("--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        foreach (var word in (string[])["init", "demo", "policy", "--storage", "--audit-storage", "--keys", "--policy", "--now", "--json"])
        {
            Assert.Contains(word, run.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_UnknownOption_BadInputNamingTheOption()
    {
        var run = await CliRun.ExecuteAsync("init", "--frobnicate");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("--frobnicate", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData("2026-12-01", "--now: '2026-12-01' is not an ISO-8601 instant with an offset")]
    [InlineData("yesterday", "--now: 'yesterday' is not an ISO-8601 instant with an offset")]
    public async Task RunAsync_NowWithoutOffset_BadInput(string now, string expected)
    {
        var run = await CliRun.ExecuteAsync("--now", now, "policy", "show");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NowWithKeyVault_Refused()
    {
        var run = await CliRun.ExecuteAsync("--keys", "https://contoso.vault.azure.net", "--now", "2026-12-01T00:00:00Z", "policy", "show");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("--now: a simulated clock is refused with Key Vault key custody", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vault")]
    [InlineData("http://contoso.vault.azure.net")]
    [InlineData("https://contoso.vault.azure.net/keys/root")]
    public async Task RunAsync_KeysNeitherLocalNorVaultUrl_BadInput(string keys)
    {
        var run = await CliRun.ExecuteAsync("--keys", keys, "policy", "show");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"--keys: '{keys}' is neither 'local' nor a Key Vault URL", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BrokenPolicyFile_BadInputNamingFileAndPath()
    {
        using var directory = new TemporaryDirectory();
        var fixture = new PolicyFixture();
        fixture.Category("transcript").Remove("retentionDays");
        var path = fixture.WriteTo(directory.Path);

        var run = await CliRun.ExecuteAsync("--policy", path, "init");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{path}: $.categories.transcript: Required properties", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task RunAsync_PolicyFromEnvironment_UsedWhenNoOption()
    {
        using var directory = new TemporaryDirectory();
        var fixture = new PolicyFixture();
        fixture.Root["policyId"] = "from-environment";
        var path = fixture.WriteTo(directory.Path);

        var run = await CliRun.ExecuteAsync(new Dictionary<string, string> { ["COMPLIANCE_POLICY"] = path }, "policy", "show");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Policy from-environment", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PolicyShowJson_StableDocument()
    {
        var run = await CliRun.ExecuteAsync("policy", "show", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var policy = json.RootElement.GetProperty("policy");
        Assert.Equal("policy show", json.RootElement.GetProperty("command").GetString());
        Assert.Equal(PolicyDocument.LoadDefault().Version, policy.GetProperty("version").GetString());
        var transcript = policy.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "transcript");
        Assert.Equal(30, transcript.GetProperty("retentionDays").GetInt32());
        Assert.True(transcript.GetProperty("containsContent").GetBoolean());
    }

    [Fact]
    public async Task RunAsync_PolicySchema_PrintsTheSchemaPoliciesAreCheckedAgainst()
    {
        var run = await CliRun.ExecuteAsync("policy", "schema");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var schema = JsonDocument.Parse(run.Output);
        Assert.Equal("Compliance policy registry", schema.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task RunAsync_InvalidStorageSetting_BadInputBeforeAnyStorageCall()
    {
        var run = await CliRun.ExecuteAsync("--storage", "Not An Account", "init");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("neither a connection string nor a storage account name", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InvalidAuditStorageSetting_BadInputNamingTheSetting()
    {
        var run = await CliRun.ExecuteAsync("--audit-storage", "Not An Account", "init");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("The audit storage setting (--audit-storage or COMPLIANCE_AUDIT_STORAGE) is neither a connection string nor a storage account name", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }
}
