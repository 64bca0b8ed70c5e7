using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Compliance.Core.Ingestion;
using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;
using Compliance.TestSupport;

namespace Compliance.Benchmarks.Scenarios;

/// <summary>
/// <c>pipeline_vs_raw_insert</c>: ingesting N keystroke events from S employees in batches of 1,000 through the
/// whole pipeline (parse, schema validation, notice and window checks, minimisation, HMAC row keys, AES-GCM,
/// audit events, conditional batch inserts) against the raw SDK inserting the same number of entities of the
/// same size and layout (same tables, partitions and batch sizes, same parallelism). Every sample writes into
/// fresh environments, prepared (employees enrolled, notices acknowledged, keys created) outside the timing.
/// Sizes: BENCH_INGEST_EVENTS, BENCH_INGEST_EMPLOYEES.
/// </summary>
internal sealed class IngestScenario : IBenchmarkScenario
{
    private static readonly int Events = BenchSizes.Get("BENCH_INGEST_EVENTS", 10_000);
    private static readonly int Employees = BenchSizes.Get("BENCH_INGEST_EMPLOYEES", 100);
    private const int Samples = 9;
    private const int Batch = 1_000;

    public string Name => "ingest";

    public string Description => $"ingest {Events} events of {Employees} employees in batches of {Batch}, {Samples} samples, against raw batched inserts";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(string connectionString, CancellationToken cancellationToken)
    {
        using var keys = new TemporaryDirectory();
        var run = Guid.NewGuid().ToString("N")[..6];
        var product = new Dictionary<int, (BenchEnvironment Env, List<ReadOnlyMemory<byte>> Events)>();
        var raw = new Dictionary<int, (TableServiceClient Tables, List<(string Table, TableEntity Entity)> Entities)>();
        var start = Stopwatch.GetTimestamp();
        for (var s = -1; s < Samples; s++)
        {
            product[s] = await PrepareProductAsync(connectionString, keys.Path, $"ip{run}{s + 2:00}", cancellationToken);
            raw[s] = await PrepareRawAsync(connectionString, $"ir{run}{s + 2:00}", product[s].Env, cancellationToken);
        }

        await Console.Error.WriteLineAsync($"  prepared {Samples + 1} environments of each kind in {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s");

        var comparison = await Sampler.CompareAsync(
            Samples,
            async s =>
            {
                var (env, events) = product[s];
                var pipeline = env.Get<IngestionPipeline>();
                var stored = 0;
                for (var i = 0; i < events.Count; i += Batch)
                {
                    stored += (await pipeline.IngestAsync(events.GetRange(i, Math.Min(Batch, events.Count - i)), "job:bench", cancellationToken: cancellationToken)).Stored;
                }

                if (stored != events.Count)
                {
                    throw new InvalidOperationException($"The pipeline stored {stored} of {events.Count} events.");
                }
            },
            async s => await RawInsertAsync(raw[s].Tables, raw[s].Entities, cancellationToken));

        foreach (var (env, _) in product.Values)
        {
            await env.DisposeAsync();
        }

        return new Dictionary<string, double>
        {
            ["events"] = Events,
            ["employees"] = Employees,
            ["pipeline_ms"] = comparison.ProductMs,
            ["raw_insert_ms"] = comparison.RawMs,
            ["pipeline_vs_raw_insert"] = comparison.Ratio,
            ["pipeline_vs_raw_insert_spread"] = comparison.RatioSpread,
            ["pipeline_events_per_second"] = Events / (comparison.ProductMs / 1000),
        };
    }

    /// <summary>A fresh environment whose employees acknowledged the notice and already have keys (one warm-up event each, at 08:30), and the events to time.</summary>
    private static async Task<(BenchEnvironment, List<ReadOnlyMemory<byte>>)> PrepareProductAsync(string connectionString, string keyDirectory, string suffix, CancellationToken cancellationToken)
    {
        var env = await BenchEnvironment.StartAsync(connectionString, Path.Combine(keyDirectory, suffix), suffix, cancellationToken);
        var registry = env.Get<SubjectRegistry>();
        for (var e = 0; e < Employees; e++)
        {
            await registry.AcknowledgeNoticeAsync($"E{10000 + e}", "2026-11", "operator:bench", cancellationToken);
        }

        env.Clock.Advance(TimeSpan.FromHours(10)); // 18:00: every event below was captured between 08:30 and 17:59
        var warmUp = Enumerable.Range(0, Employees).Select(e => (ReadOnlyMemory<byte>)BenchEnvironment.KeystrokeEvent($"E{10000 + e}", $"warm-{e}", BenchEnvironment.Monday.AddMinutes(30), 1)).ToList();
        await env.Get<IngestionPipeline>().IngestAsync(warmUp, "job:bench", cancellationToken: cancellationToken);

        var events = Enumerable.Range(0, Events)
            .Select(i => (ReadOnlyMemory<byte>)BenchEnvironment.KeystrokeEvent($"E{10000 + (i % Employees)}", $"event-{i}", BenchEnvironment.Monday.AddMinutes(31 + (i / Employees % 500)), 100 + (i % 50)))
            .ToList();
        return (env, events);
    }

    /// <summary>
    /// The same storage work without the pipeline: for each event, an entity with the same partition (the
    /// employee's surrogate), a 32-hex row key, the same columns and an envelope of the same size, in the same
    /// day table.
    /// </summary>
    private static async Task<(TableServiceClient, List<(string, TableEntity)>)> PrepareRawAsync(string connectionString, string suffix, BenchEnvironment reference, CancellationToken cancellationToken)
    {
        var tables = new TableServiceClient(connectionString);
        var table = TelemetryLayout.TableName("keystroke-dynamics", BenchEnvironment.Monday) + suffix;
        await tables.GetTableClient(table).CreateIfNotExistsAsync(cancellationToken);
        var registry = reference.Get<SubjectRegistry>();
        var surrogates = new List<string>();
        for (var e = 0; e < Employees; e++)
        {
            surrogates.Add((await registry.FindAsync($"E{10000 + e}", cancellationToken))!.Surrogate);
        }

        var envelopeSize = (await reference.Get<TelemetryProtector>().SealAsync(
            new TelemetryPlaintext(surrogates[0], "keystroke-dynamics", "size", BenchEnvironment.Monday, 1, System.Text.Encoding.UTF8.GetBytes("{\"backspaceRate\":0.05,\"dwellMsMean\":97.25,\"dwellMsStdDev\":21.5,\"flightMsMean\":143.0,\"flightMsStdDev\":40.25,\"inputFieldType\":\"text\",\"keyCount\":120,\"pauseCount\":3,\"windowSeconds\":60}")),
            BenchEnvironment.Monday,
            cancellationToken)).Envelope.Length;
        var entities = Enumerable.Range(0, Events).Select(i => (table, new TableEntity(surrogates[i % Employees], Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))
        {
            ["Category"] = "keystroke-dynamics",
            ["Scope"] = "telemetry",
            ["SchemaVersion"] = 1,
            ["CapturedAt"] = BenchEnvironment.Monday.AddMinutes(31 + (i / Employees % 500)),
            ["IngestedAt"] = BenchEnvironment.Monday.AddHours(10),
            ["KeyVersion"] = 1,
            ["Envelope"] = RandomNumberGenerator.GetBytes(envelopeSize),
        })).ToList();
        return (tables, entities);
    }

    /// <summary>Batches of 1,000 events, as the pipeline gets them; within each, one transaction per partition (at most 100 rows), eight at a time.</summary>
    private static async Task RawInsertAsync(TableServiceClient tables, List<(string Table, TableEntity Entity)> entities, CancellationToken cancellationToken)
    {
        for (var i = 0; i < entities.Count; i += Batch)
        {
            await BenchEnvironment.SubmitGroupedAsync(tables, entities.GetRange(i, Math.Min(Batch, entities.Count - i)), TableTransactionActionType.Add, cancellationToken);
        }
    }
}
