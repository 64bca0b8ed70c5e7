using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Compliance.Cli;
using Compliance.Core.Reports;
using Compliance.Core.Setup;
using Compliance.IntegrationTests.Cli;
using Compliance.Storage;
using Compliance.Storage.Hosting;
using Compliance.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.IntegrationTests.Storage;

/// <summary>
/// The product with the audit trail and evidence in a second Azurite account, as the Azure deployment has them
/// (an account where the app may only append): everything audit lands there and only there, and nothing
/// operational does.
/// </summary>
public sealed class SeparateAuditAccountTests : IDisposable
{
    private const string Acknowledged = "2026-11-23T08:00:00Z";
    private const string Collected = "2026-11-23T10:00:00Z";
    private const string Erased = "2026-11-23T11:00:00Z";
    private const string Sealed = "2026-11-23T12:00:00Z";

    private readonly CliEnvironment _cli = new();
    private readonly TemporaryDirectory _files = new();
    private readonly Account _operational = new(AzuriteStorage.ConnectionString);
    private readonly Account _audit = new(AzuriteStorage.AuditConnectionString);

    public SeparateAuditAccountTests()
    {
        _cli.Values[StorageOptions.AuditEnvironmentVariable] = AzuriteStorage.AuditConnectionString;
    }

    public void Dispose()
    {
        _cli.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task Init_SeparateAuditAccount_EachResourceInItsAccountAndSaidSo()
    {
        var run = await _cli.RunAsync("init", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var accounts = json.RootElement.GetProperty("accounts");
        Assert.Equal(("devstoreaccount1", "complianceaudit", true), (accounts.GetProperty("operational").GetString(), accounts.GetProperty("audit").GetString(), accounts.GetProperty("separate").GetBoolean()));
        var reported = json.RootElement.GetProperty("resources").EnumerateArray()
            .Select(r => (r.GetProperty("name").GetString()!, r.GetProperty("account").GetString()!));
        Assert.Equal(StorageLayout.All.Select(r => (StorageLayout.NameOf(r, _cli.Suffix), r.Account == StorageAccountRole.Audit ? "audit" : "operational")), reported);
        var human = await _cli.RunAsync("init");
        Assert.Contains("Accounts: operational devstoreaccount1, audit complianceaudit", human.Output, StringComparison.Ordinal);
        Assert.Matches($@"table +auditevents{_cli.Suffix} +audit +existing", human.Output);
        Assert.Matches($@"container +purge-manifests{_cli.Suffix} +operational +existing", human.Output);
        foreach (var resource in StorageLayout.All)
        {
            var (home, other) = resource.Account == StorageAccountRole.Audit ? (_audit, _operational) : (_operational, _audit);
            Assert.True(await home.ExistsAsync(resource, _cli.Suffix), $"{resource.BaseName} should be in the {resource.Account} account");
            Assert.False(await other.ExistsAsync(resource, _cli.Suffix), $"{resource.BaseName} should not be in the other account");
        }
    }

    [Fact]
    public async Task IngestEraseSealReport_SeparateAuditAccount_TrailAndEvidenceOnlyInTheAuditAccountAndVerified()
    {
        await _cli.RunAsync("init");
        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync("--now", Acknowledged, "subjects", "notice-ack", "--employee", "E71001", "--notice", "2026-11")).ExitCode);
        Assert.Equal(ExitCodes.Success, (await _cli.RunAsync("--now", Collected, "ingest", "--file", await EventsAsync())).ExitCode);
        var erase = await _cli.RunAsync("--now", Erased, "--json", "erase", "--employee", "E71001", "--reason", "OFFBOARDING");
        var seal = await _cli.RunAsync("--now", Sealed, "--json", "audit", "seal");
        await ArchiveReportAsync();

        var verify = await _cli.RunAsync("--now", Sealed, "--json", "audit", "verify");

        Assert.Equal((ExitCodes.Success, ExitCodes.Success, ExitCodes.Success), (erase.ExitCode, seal.ExitCode, verify.ExitCode));
        using var verified = JsonDocument.Parse(verify.Output);
        Assert.True(verified.RootElement.GetProperty("intact").GetBoolean());
        Assert.True(verified.RootElement.GetProperty("report").GetProperty("eventsChecked").GetInt32() > 0);

        // The audit account holds the trail and the evidence ...
        Assert.NotEmpty(await _audit.RowsAsync(StorageLayout.AuditEvents, _cli.Suffix));
        Assert.NotEmpty(await _audit.RowsAsync(StorageLayout.AuditSeals, _cli.Suffix));
        Assert.Equal(["seal-000000000001.json"], await _audit.BlobsAsync(StorageLayout.SealExports, _cli.Suffix));
        Assert.Single(await _audit.BlobsAsync(StorageLayout.Certificates, _cli.Suffix));
        Assert.Equal(["weekly/2026-W47.json"], await _audit.BlobsAsync(StorageLayout.Reports, _cli.Suffix));

        // ... and nothing else: only the audit tables, no telemetry, no queues.
        Assert.Equal(
            ["auditevents" + _cli.Suffix, "auditseals" + _cli.Suffix],
            (await _audit.TablesAsync(_cli.Suffix)).Order(StringComparer.Ordinal));
        Assert.Empty(await _audit.QueuesAsync(_cli.Suffix));

        // The operational account holds telemetry and state, and no trace of the trail or the evidence.
        var operationalTables = await _operational.TablesAsync(_cli.Suffix);
        Assert.Contains(operationalTables, t => t.StartsWith(Compliance.Core.Telemetry.TelemetryLayout.TablePrefix + "keystroke", StringComparison.Ordinal));
        Assert.DoesNotContain(operationalTables, t => t.StartsWith("audit", StringComparison.Ordinal));
        Assert.NotEmpty(await _operational.RowsAsync(StorageLayout.Subjects, _cli.Suffix));
        Assert.Equal(["purge-manifests" + _cli.Suffix], await _operational.ContainersAsync(_cli.Suffix));
    }

    /// <summary>Two keystroke windows for the employee, on the day of the notice.</summary>
    private async Task<string> EventsAsync()
    {
        static string Event(string id, string at) =>
            $$$"""{"eventId":"{{{id}}}","employeeId":"E71001","category":"keystroke-dynamics","capturedAt":"{{{at}}}","source":"agent/1","schemaVersion":1,"fields":{"windowSeconds":60,"keyCount":12}}""";
        var file = Path.Combine(_files.Path, "events.jsonl");
        await File.WriteAllLinesAsync(file, [Event("a", "2026-11-23T09:00:00Z"), Event("b", "2026-11-23T09:01:00Z")]);
        return file;
    }

    /// <summary>Archives a report as the ScheduledReports function does, through a host wired with both accounts.</summary>
    private async Task ArchiveReportAsync()
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddComplianceStorage(s =>
            {
                s.Account = AzuriteStorage.ConnectionString;
                s.AuditAccount = AzuriteStorage.AuditConnectionString;
                s.NameSuffix = _cli.Suffix;
            })
            .BuildServiceProvider();
        await services.GetRequiredService<IReportArchive>().SaveAsync("weekly/2026-W47.json", "{}"u8.ToArray(), "application/json");
    }

    /// <summary>One Azurite account, read with the raw SDK so nothing of the product's routing is involved.</summary>
    private sealed class Account(string connectionString)
    {
        private readonly TableServiceClient _tables = new(connectionString);
        private readonly BlobServiceClient _blobs = new(connectionString);
        private readonly QueueServiceClient _queues = new(connectionString);

        public async Task<bool> ExistsAsync(StorageResource resource, string suffix)
        {
            var name = StorageLayout.NameOf(resource, suffix);
            return resource.Kind switch
            {
                StorageResourceKind.Table => (await TablesAsync(suffix)).Contains(name),
                StorageResourceKind.Queue => (await _queues.GetQueueClient(name).ExistsAsync()).Value,
                _ => (await _blobs.GetBlobContainerClient(name).ExistsAsync()).Value,
            };
        }

        public async Task<List<string>> TablesAsync(string suffix) =>
            await _tables.QueryAsync().Select(t => t.Name).Where(n => n.EndsWith(suffix, StringComparison.Ordinal)).ToListAsync();

        public async Task<List<string>> QueuesAsync(string suffix) =>
            await _queues.GetQueuesAsync().Select(q => q.Name).Where(n => n.EndsWith(suffix, StringComparison.Ordinal)).ToListAsync();

        public async Task<List<string>> ContainersAsync(string suffix) =>
            await _blobs.GetBlobContainersAsync().Select(c => c.Name).Where(n => n.EndsWith(suffix, StringComparison.Ordinal)).ToListAsync();

        public async Task<List<TableEntity>> RowsAsync(StorageResource table, string suffix) =>
            await _tables.GetTableClient(StorageLayout.NameOf(table, suffix)).QueryAsync<TableEntity>().ToListAsync();

        public async Task<List<string>> BlobsAsync(StorageResource container, string suffix) =>
            await _blobs.GetBlobContainerClient(StorageLayout.NameOf(container, suffix)).GetBlobsAsync().Select(b => b.Name).ToListAsync();
    }
}
