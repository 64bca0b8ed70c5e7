using System.Diagnostics;
using Azure.Data.Tables;
using Compliance.Core.Access;
using Compliance.Core.Ingestion;
using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;
using Compliance.TestSupport;

namespace Compliance.Benchmarks.Scenarios;

/// <summary>
/// <c>broker_vs_raw_scan</c>: a purpose-bound read of a period through the access broker (policy checks, reading
/// the day tables, AES-GCM decryption of every record under its subject's key, JSON parsing, the READ event)
/// against the raw SDK scanning the same tables. One environment with N keystroke records of S employees.
/// Sizes: BENCH_READ_RECORDS, BENCH_READ_EMPLOYEES.
/// </summary>
internal sealed class ReadScenario : IBenchmarkScenario
{
    private static readonly int Records = BenchSizes.Get("BENCH_READ_RECORDS", 10_000);
    private static readonly int Employees = BenchSizes.Get("BENCH_READ_EMPLOYEES", 100);
    private const int Samples = 5;

    public string Name => "read";

    public string Description => $"read {Records} records of {Employees} employees through the broker, {Samples} samples, against a raw scan";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(string connectionString, CancellationToken cancellationToken)
    {
        using var keys = new TemporaryDirectory();
        var suffix = "rd" + Guid.NewGuid().ToString("N")[..6];
        await using var env = await BenchEnvironment.StartAsync(connectionString, keys.Path, suffix, cancellationToken);
        var start = Stopwatch.GetTimestamp();
        var registry = env.Get<SubjectRegistry>();
        for (var e = 0; e < Employees; e++)
        {
            await registry.AcknowledgeNoticeAsync($"E{20000 + e}", "2026-11", "operator:bench", cancellationToken);
        }

        env.Clock.Advance(TimeSpan.FromHours(10));
        var pipeline = env.Get<IngestionPipeline>();
        for (var i = 0; i < Records; i += 1_000)
        {
            var batch = Enumerable.Range(i, Math.Min(1_000, Records - i))
                .Select(n => (ReadOnlyMemory<byte>)BenchEnvironment.KeystrokeEvent($"E{20000 + (n % Employees)}", $"event-{n}", BenchEnvironment.Monday.AddMinutes(31 + (n / Employees % 500)), 100 + (n % 50)))
                .ToList();
            if ((await pipeline.IngestAsync(batch, "job:bench", cancellationToken: cancellationToken)).Stored != batch.Count)
            {
                throw new InvalidOperationException("The benchmark's events were not all stored.");
            }
        }

        await Console.Error.WriteLineAsync($"  stored {Records} records in {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s");

        var broker = env.Get<AccessBroker>();
        var request = new AccessRequest("ml-platform", "model-training", "keystroke-dynamics", From: BenchEnvironment.Monday, To: BenchEnvironment.Monday.AddHours(10)) { Limit = AccessBroker.MaxLimit };
        var table = env.Clients.Tables.GetTableClient(TelemetryLayout.TableName("keystroke-dynamics", BenchEnvironment.Monday) + suffix);
        var comparison = await Sampler.CompareAsync(
            Samples,
            async _ =>
            {
                var result = await broker.ReadAsync(request, cancellationToken);
                if (result.Records.Count != Records)
                {
                    throw new InvalidOperationException($"The broker returned {result.Records.Count} records, expected {Records}.");
                }
            },
            async sample =>
            {
                var count = 0;
                await foreach (var entity in table.QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: cancellationToken))
                {
                    _ = entity.GetBinary("Envelope");
                    count++;
                }

                if (count != Records)
                {
                    throw new InvalidOperationException($"The raw scan saw {count} records, expected {Records}.");
                }
            });

        return new Dictionary<string, double>
        {
            ["records"] = Records,
            ["employees"] = Employees,
            ["broker_ms"] = comparison.ProductMs,
            ["raw_scan_ms"] = comparison.RawMs,
            ["broker_vs_raw_scan"] = comparison.Ratio,
            ["broker_vs_raw_scan_spread"] = comparison.RatioSpread,
        };
    }

    private static int Size(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var value) && value > 0 ? value : fallback;
}
