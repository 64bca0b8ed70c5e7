using System.Text;
using Compliance.Core.Hosting;
using Compliance.Core.Setup;
using Compliance.Storage;
using Compliance.Storage.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Benchmarks;

/// <summary>
/// One provisioned environment of the product (resource names with a suffix of their own) on a fake clock,
/// with development key custody in a directory of its own. Root keys are 2048-bit: the ratios do
/// not depend on it, and 3072-bit unwraps only make runs longer.
/// </summary>
internal sealed class BenchEnvironment(ServiceProvider services, FakeTimeProvider clock, string suffix) : IAsyncDisposable
{
    /// <summary>Monday 2026-11-23, 08:00 UTC: inside the default policy's working-hours window.</summary>
    public static readonly DateTimeOffset Monday = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    public ServiceProvider Services { get; } = services;

    public FakeTimeProvider Clock { get; } = clock;

    public string Suffix { get; } = suffix;

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public StorageClients Clients => Get<StorageClients>();

    public static async Task<BenchEnvironment> StartAsync(string connectionString, string keyDirectory, string suffix, CancellationToken cancellationToken, DateTimeOffset? start = null)
    {
        var clock = new FakeTimeProvider(start ?? Monday);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(clock)
            .AddComplianceCore(configureLocalKeys: k =>
            {
                k.Directory = keyDirectory;
                k.RootKeySize = 2048;
            })
            .AddComplianceStorage(s =>
            {
                s.Account = connectionString;
                s.NameSuffix = suffix;
            })
            .BuildServiceProvider();
        await services.GetRequiredService<IStorageProvisioner>().ProvisionAsync(cancellationToken);
        return new BenchEnvironment(services, clock, suffix);
    }

    /// <summary>A keystroke-window event as collectors send it.</summary>
    public static byte[] KeystrokeEvent(string employee, string eventId, DateTimeOffset capturedAt, int keyCount) => Encoding.UTF8.GetBytes(
        $$$"""{"eventId":"{{{eventId}}}","employeeId":"{{{employee}}}","category":"keystroke-dynamics","capturedAt":"{{{capturedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}}}","source":"agent-win/4.2","schemaVersion":1,"fields":{"windowSeconds":60,"keyCount":{{{keyCount}}},"dwellMsMean":97.25,"dwellMsStdDev":21.5,"flightMsMean":143.0,"flightMsStdDev":40.25,"backspaceRate":0.05,"pauseCount":3,"inputFieldType":"text"}}""");

    /// <summary>
    /// The raw SDK doing storage work the way the product batches it: one entity-group transaction per table and
    /// partition (at most 100 entities), eight in flight.
    /// </summary>
    public static Task SubmitGroupedAsync(Azure.Data.Tables.TableServiceClient tables, IEnumerable<(string Table, Azure.Data.Tables.TableEntity Entity)> entities, Azure.Data.Tables.TableTransactionActionType action, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            entities.GroupBy(e => (e.Table, e.Entity.PartitionKey)).SelectMany(g => g.Chunk(100).Select(c => (g.Key.Table, Chunk: c))),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (group, ct) => await tables.GetTableClient(group.Table).SubmitTransactionAsync(
                group.Chunk.Select(e => new Azure.Data.Tables.TableTransactionAction(action, e.Entity, Azure.ETag.All)).ToList(),
                ct));

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
