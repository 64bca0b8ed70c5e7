using System.Diagnostics;
using System.Globalization;
using System.Text;
using Compliance.Core.Erasure;
using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;
using Compliance.TestSupport;

namespace Compliance.Benchmarks.Scenarios;

/// <summary>
/// Erasure destroys keys, so it costs the same however much data the employee has (DESIGN invariant 3):
/// <c>records_10000_vs_10</c> is the time to erase (the whole erasure service: request audited, holds checked, keys
/// destroyed, tombstones, decrypt probe, lineage, certificate, ERASURE_DONE) an employee with 10,000 records
/// against one with 10, both spread over the same days and categories of one environment. Each sample erases a
/// fresh pair. Sizes: BENCH_ERASE_RECORDS (the large employee's records), BENCH_ERASE_DAYS.
/// </summary>
internal sealed class EraseScenario : IBenchmarkScenario
{
    private static readonly int Large = BenchSizes.Get("BENCH_ERASE_RECORDS", 10_000);
    private static readonly int Days = BenchSizes.Get("BENCH_ERASE_DAYS", 5);
    private static readonly string[] Categories = ["keystroke-dynamics", "transcript"];
    private const int Small = 10;
    private const int Samples = 9;

    public string Name => "erase";

    public string Description => $"erase an employee with {Large} records against one with {Small}, {Samples} samples";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(string connectionString, CancellationToken cancellationToken)
    {
        using var keys = new TemporaryDirectory();
        var run = Guid.NewGuid().ToString("N")[..6];
        await using var env = await BenchEnvironment.StartAsync(connectionString, keys.Path, $"er{run}", cancellationToken, new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero));
        var start = Stopwatch.GetTimestamp();
        for (var i = -1; i < Samples; i++)
        {
            await SeedAsync(env, Employee("large", i), Large, cancellationToken);
            await SeedAsync(env, Employee("small", i), Small, cancellationToken);
        }

        await Console.Error.WriteLineAsync($"  stored {(Samples + 1) * (Large + Small)} records for {2 * (Samples + 1)} employees in {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s");

        var erasure = env.Get<ErasureService>();
        var comparison = await Sampler.CompareAsync(
            Samples,
            i => EraseAsync(erasure, Employee("large", i), cancellationToken),
            i => EraseAsync(erasure, Employee("small", i), cancellationToken));

        return new Dictionary<string, double>
        {
            ["records_large"] = Large,
            ["records_small"] = Small,
            ["erase_10000_ms"] = comparison.ProductMs,
            ["erase_10_ms"] = comparison.RawMs,
            ["records_10000_vs_10"] = comparison.Ratio,
            ["records_10000_vs_10_spread"] = comparison.RatioSpread,
        };
    }

    private static string Employee(string size, int sample) => string.Create(CultureInfo.InvariantCulture, $"bench-{size}-{sample + 1}");

    private static async Task EraseAsync(ErasureService erasure, string employee, CancellationToken cancellationToken)
    {
        var done = await erasure.EraseAsync(new ErasureSubmission("bench-" + employee, employee, ErasureReasons.Offboarding, null, false, "bench"), "job:bench", cancellationToken);
        if (done.State != ErasureState.Completed || done.ProbeSampled == 0 || done.ProbeDecrypted != 0)
        {
            throw new InvalidOperationException($"Erasure of {employee} ended {done.State} with probe {done.ProbeDecrypted}/{done.ProbeSampled}.");
        }
    }

    /// <summary>The employee's records, spread evenly over every category and day, so both sizes live in the same tables.</summary>
    private static async Task SeedAsync(BenchEnvironment env, string employee, int records, CancellationToken cancellationToken)
    {
        var protector = env.Get<TelemetryProtector>();
        var subject = (await env.Get<SubjectRegistry>().EnrolAsync(employee, cancellationToken)).Surrogate;
        var payload = Encoding.UTF8.GetBytes("{\"windowSeconds\":60,\"keyCount\":120,\"dwellMsMean\":92.5}");
        var now = env.Clock.GetUtcNow();
        var batch = new List<TelemetryRecord>(records);
        for (var i = 0; i < records; i++)
        {
            var slot = i % (Days * Categories.Length);
            var capturedAt = now - TimeSpan.FromDays(slot / Categories.Length) - TimeSpan.FromSeconds(i + 1);
            batch.Add(await protector.SealAsync(new TelemetryPlaintext(subject, Categories[slot % Categories.Length], $"{employee}/{i}", capturedAt, 1, payload), now, cancellationToken));
        }

        foreach (var chunk in batch.Chunk(2_000))
        {
            await env.Get<ITelemetryStore>().InsertAsync(chunk, cancellationToken);
        }
    }
}
