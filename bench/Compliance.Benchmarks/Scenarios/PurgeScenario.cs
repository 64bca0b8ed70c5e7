using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Compliance.Core.Retention;
using Compliance.Core.Telemetry;
using Compliance.TestSupport;

namespace Compliance.Benchmarks.Scenarios;

/// <summary>
/// The retention purge (docs/retention.md). Each environment holds E expired keystroke records (four whole expired
/// days and the expired morning of the boundary day) and retained records in the ten days before now:
/// <list type="bullet">
/// <item><c>retained_10x_vs_1x</c>: purging with ten times E retained records stored, against one times E.</item>
/// <item><c>vs_raw_batch_delete</c>: the purge (listing, dropping whole expired days, deleting the boundary day's
/// expired records, manifest, audit) against the raw SDK deleting the same expired entities, keys known in advance,
/// in batches of 100 per partition, eight in flight.</item>
/// </list>
/// Every sample purges fresh environments, filled outside the timing with the raw SDK (the purge never reads
/// envelopes, so random bytes of the right size stand in for them). Sizes: BENCH_PURGE_EXPIRED.
/// </summary>
internal sealed class PurgeScenario : IBenchmarkScenario
{
    private const string Category = "keystroke-dynamics";
    private const int Samples = 5;
    private const int Employees = 50;
    private const int RetainedDays = 10;
    private const int BoundaryRetained = 100;
    private static readonly int Expired = BenchSizes.Get("BENCH_PURGE_EXPIRED", 2_000);

    public string Name => "purge";

    public string Description => $"purge {Expired} expired records with {Expired} vs {Expired * 10} retained stored, and against raw batch deletes; {Samples} samples";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(string connectionString, CancellationToken cancellationToken)
    {
        using var keys = new TemporaryDirectory();
        var run = Guid.NewGuid().ToString("N")[..6];
        var small = new Dictionary<int, BenchEnvironment>();
        var large = new Dictionary<int, BenchEnvironment>();
        var versus = new Dictionary<int, BenchEnvironment>();
        var raw = new Dictionary<int, (TableServiceClient Tables, List<(string Table, TableEntity Entity)> Expired)>();
        var start = Stopwatch.GetTimestamp();
        for (var s = -1; s < Samples; s++)
        {
            small[s] = await PrepareAsync(connectionString, keys.Path, $"ps{run}{s + 2:00}", 1, cancellationToken);
            large[s] = await PrepareAsync(connectionString, keys.Path, $"pl{run}{s + 2:00}", 10, cancellationToken);
            versus[s] = await PrepareAsync(connectionString, keys.Path, $"pv{run}{s + 2:00}", 1, cancellationToken);
            var rawEnv = $"pr{run}{s + 2:00}";
            var tables = new TableServiceClient(connectionString);
            raw[s] = (tables, await FillAsync(tables, rawEnv, 1, cancellationToken));
        }

        await Console.Error.WriteLineAsync($"  prepared {4 * (Samples + 1)} environments in {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s");

        async Task PurgeAsync(BenchEnvironment env)
        {
            var result = await env.Get<PurgeService>().RunAsync("job:bench", cancellationToken);
            if (result.Manifest.RecordsDeleted != Expired)
            {
                throw new InvalidOperationException($"The purge deleted {result.Manifest.RecordsDeleted} records, expected {Expired}.");
            }
        }

        var retained = await Sampler.CompareAsync(Samples, s => PurgeAsync(large[s]), s => PurgeAsync(small[s]));
        var versusRaw = await Sampler.CompareAsync(Samples, s => PurgeAsync(versus[s]), s => RawDeleteAsync(raw[s].Tables, raw[s].Expired, cancellationToken));

        foreach (var env in small.Values.Concat(large.Values).Concat(versus.Values))
        {
            await env.DisposeAsync();
        }

        return new Dictionary<string, double>
        {
            ["expired_records"] = Expired,
            ["purge_1x_ms"] = retained.RawMs,
            ["purge_10x_ms"] = retained.ProductMs,
            ["retained_10x_vs_1x"] = retained.Ratio,
            ["retained_10x_vs_1x_spread"] = retained.RatioSpread,
            ["raw_batch_delete_ms"] = versusRaw.RawMs,
            ["vs_raw_batch_delete"] = versusRaw.Ratio,
            ["vs_raw_batch_delete_spread"] = versusRaw.RatioSpread,
        };
    }

    private static async Task<BenchEnvironment> PrepareAsync(string connectionString, string keyDirectory, string suffix, int retainedFactor, CancellationToken cancellationToken)
    {
        var env = await BenchEnvironment.StartAsync(connectionString, Path.Combine(keyDirectory, suffix), suffix, cancellationToken);
        await FillAsync(env.Clients.Tables, suffix, retainedFactor, cancellationToken);
        return env;
    }

    /// <summary>Writes the expired and retained records of one environment; returns the expired ones.</summary>
    private static async Task<List<(string Table, TableEntity Entity)>> FillAsync(TableServiceClient tables, string suffix, int retainedFactor, CancellationToken cancellationToken)
    {
        var now = BenchEnvironment.Monday;
        var cutoff = now.AddDays(-30);
        var cutoffDay = new DateTimeOffset(cutoff.UtcDateTime.Date, TimeSpan.Zero);
        var expired = new List<(string, TableEntity)>();
        var retained = new List<(string, TableEntity)>();
        var perDay = Expired / 5;
        for (var i = 0; i < Expired; i++)
        {
            // Four whole expired days, then the boundary day's expired morning.
            var day = i / perDay;
            var capturedAt = day < 4
                ? cutoffDay.AddDays(day - 4).AddHours(8).AddSeconds(i % perDay * 10)
                : cutoffDay.AddSeconds(i % perDay * 10);
            expired.Add(Entity(suffix, capturedAt, i));
        }

        for (var i = 0; i < BoundaryRetained; i++)
        {
            retained.Add(Entity(suffix, cutoff.AddHours(1).AddSeconds(i), -1 - i));
        }

        for (var i = 0; i < Expired * retainedFactor; i++)
        {
            retained.Add(Entity(suffix, now.AddDays(-1 - (i % RetainedDays)).AddSeconds(i / RetainedDays), i));
        }

        foreach (var table in expired.Concat(retained).Select(e => e.Item1).Distinct())
        {
            await tables.GetTableClient(table).CreateIfNotExistsAsync(cancellationToken);
        }

        await InsertAsync(tables, [.. expired, .. retained], cancellationToken);
        return expired;
    }

    private static (string, TableEntity) Entity(string suffix, DateTimeOffset capturedAt, int i) => (
        TelemetryLayout.TableName(Category, capturedAt) + suffix,
        new TableEntity($"sub_bench{i % Employees:D21}", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))
        {
            ["Category"] = Category,
            ["Scope"] = "telemetry",
            ["SchemaVersion"] = 1,
            ["CapturedAt"] = capturedAt,
            ["IngestedAt"] = capturedAt.AddSeconds(5),
            ["KeyVersion"] = 1,
            ["Envelope"] = RandomNumberGenerator.GetBytes(190),
        });

    private static Task InsertAsync(TableServiceClient tables, List<(string Table, TableEntity Entity)> entities, CancellationToken cancellationToken) =>
        BenchEnvironment.SubmitGroupedAsync(tables, entities, TableTransactionActionType.Add, cancellationToken);

    private static Task RawDeleteAsync(TableServiceClient tables, List<(string Table, TableEntity Entity)> entities, CancellationToken cancellationToken) =>
        BenchEnvironment.SubmitGroupedAsync(tables, entities, TableTransactionActionType.Delete, cancellationToken);
}
