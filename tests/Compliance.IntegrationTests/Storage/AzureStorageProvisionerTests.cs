using Compliance.Core.Setup;
using Compliance.Storage;
using Compliance.Storage.Hosting;
using Compliance.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.IntegrationTests.Storage;

public sealed class AzureStorageProvisionerTests
{
    [Fact]
    public async Task ProvisionAsync_FreshAccount_CreatesEveryResourceThenFindsThemAll()
    {
        var suffix = AzuriteStorage.UniqueSuffix();
        await using var services = BuildServices(suffix);
        var provisioner = services.GetRequiredService<IStorageProvisioner>();

        var first = await provisioner.ProvisionAsync();
        var second = await provisioner.ProvisionAsync();

        Assert.Equal(StorageLayout.All.Count, first.Count);
        Assert.All(first, r => Assert.True(r.Created, $"{r.Name} should have been created"));
        Assert.All(second, r => Assert.False(r.Created, $"{r.Name} should already exist"));
        Assert.All(first, r => Assert.EndsWith(suffix, r.Name, StringComparison.Ordinal));
        Assert.Equal(first.Select(r => r.Name), second.Select(r => r.Name));
    }

    [Fact]
    public async Task ProvisionAsync_Resources_ExistInTheAccountWithAuditTablesPrefixed()
    {
        var suffix = AzuriteStorage.UniqueSuffix();
        await using var services = BuildServices(suffix);
        await services.GetRequiredService<IStorageProvisioner>().ProvisionAsync();
        var clients = services.GetRequiredService<StorageClients>();

        var tables = new List<string>();
        await foreach (var table in clients.Tables.QueryAsync(filter: $"TableName ge 'a' and TableName lt '{{'"))
        {
            if (table.Name.EndsWith(suffix, StringComparison.Ordinal))
            {
                tables.Add(table.Name);
            }
        }

        var queues = new List<string>();
        await foreach (var queue in clients.Queues.GetQueuesAsync())
        {
            if (queue.Name.EndsWith(suffix, StringComparison.Ordinal))
            {
                queues.Add(queue.Name);
            }
        }

        var containers = new List<string>();
        await foreach (var container in clients.Blobs.GetBlobContainersAsync())
        {
            if (container.Name.EndsWith(suffix, StringComparison.Ordinal))
            {
                containers.Add(container.Name);
            }
        }

        Assert.Equal(7, tables.Count);
        Assert.Equal(["auditevents" + suffix, "auditseals" + suffix], tables.Where(t => t.StartsWith("audit", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(3, queues.Count);
        Assert.Equal(4, containers.Count);
    }

    [Fact]
    public async Task ProvisionAsync_ConcurrentCalls_AllSucceedAndEachResourceIsCreatedOnce()
    {
        await using var services = BuildServices(AzuriteStorage.UniqueSuffix());
        var provisioner = services.GetRequiredService<IStorageProvisioner>();

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => provisioner.ProvisionAsync()));

        foreach (var name in runs[0].Select(r => r.Name))
        {
            Assert.Equal(1, runs.Count(run => run.Single(r => r.Name == name).Created));
        }
    }

    private static ServiceProvider BuildServices(string suffix)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddComplianceStorage(storage =>
        {
            storage.Account = AzuriteStorage.ConnectionString;
            storage.NameSuffix = suffix;
        });
        return services.BuildServiceProvider();
    }
}
