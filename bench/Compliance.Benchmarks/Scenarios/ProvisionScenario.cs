using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Compliance.Core.Setup;
using Compliance.Storage;
using Compliance.Storage.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Benchmarks.Scenarios;

/// <summary>
/// <c>compliance init</c>'s storage work: create every table, queue and container of a fresh environment,
/// then the idempotent rerun where all exist. The raw side issues the same CreateIfNotExists calls, in
/// parallel, with the SDK's clients and nothing else.
/// </summary>
internal sealed class ProvisionScenario : IBenchmarkScenario
{
    private const int EnvironmentsPerSample = 8;
    private const int Samples = 9;

    public string Name => "provision";

    public string Description => $"create {StorageLayout.All.Count} resources x {EnvironmentsPerSample} environments, then rerun; {Samples} interleaved samples";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(string connectionString, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        string Suffix(string side, int sample, int environment) => $"b{run}{side}{sample + 1:00}{environment}";

        var products = new Dictionary<string, IStorageProvisioner>();
        var providers = new List<ServiceProvider>();
        IStorageProvisioner Product(string suffix)
        {
            if (!products.TryGetValue(suffix, out var provisioner))
            {
                var services = new ServiceCollection().AddLogging().AddComplianceStorage(o =>
                {
                    o.Account = connectionString;
                    o.NameSuffix = suffix;
                }).BuildServiceProvider();
                providers.Add(services);
                provisioner = products[suffix] = services.GetRequiredService<IStorageProvisioner>();
            }

            return provisioner;
        }

        var tables = new TableServiceClient(connectionString);
        var queues = new QueueServiceClient(connectionString);
        var blobs = new BlobServiceClient(connectionString);
        Task Raw(string suffix) => Task.WhenAll(StorageLayout.All.Select(r => r.Kind switch
        {
            StorageResourceKind.Table => (Task)tables.GetTableClient(StorageLayout.NameOf(r, suffix)).CreateIfNotExistsAsync(cancellationToken),
            StorageResourceKind.Queue => queues.GetQueueClient(StorageLayout.NameOf(r, suffix)).CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            _ => blobs.GetBlobContainerClient(StorageLayout.NameOf(r, suffix)).CreateIfNotExistsAsync(cancellationToken: cancellationToken),
        }));

        async Task ForEachEnvironment(string side, int sample, Func<string, Task> work)
        {
            for (var e = 0; e < EnvironmentsPerSample; e++)
            {
                await work(Suffix(side, sample, e)).ConfigureAwait(false);
            }
        }

        try
        {
            // Pre-build the product's service graphs so the timing covers storage work, not DI set-up.
            for (var s = -1; s < Samples; s++)
            {
                for (var e = 0; e < EnvironmentsPerSample; e++)
                {
                    Product(Suffix("p", s, e));
                }
            }

            var fresh = await Sampler.CompareAsync(
                Samples,
                s => ForEachEnvironment("p", s, suffix => Product(suffix).ProvisionAsync(cancellationToken)),
                s => ForEachEnvironment("r", s, Raw)).ConfigureAwait(false);
            var rerun = await Sampler.CompareAsync(
                Samples,
                s => ForEachEnvironment("p", s, suffix => Product(suffix).ProvisionAsync(cancellationToken)),
                s => ForEachEnvironment("r", s, Raw)).ConfigureAwait(false);

            return new Dictionary<string, double>
            {
                ["resources_per_sample"] = StorageLayout.All.Count * EnvironmentsPerSample,
                ["product_ms"] = fresh.ProductMs,
                ["raw_sdk_ms"] = fresh.RawMs,
                ["vs_raw_sdk"] = fresh.Ratio,
                ["vs_raw_sdk_spread"] = fresh.RatioSpread,
                ["rerun_product_ms"] = rerun.ProductMs,
                ["rerun_raw_sdk_ms"] = rerun.RawMs,
                ["rerun_vs_raw_sdk"] = rerun.Ratio,
                ["rerun_vs_raw_sdk_spread"] = rerun.RatioSpread,
            };
        }
        finally
        {
            foreach (var provider in providers)
            {
                await provider.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
