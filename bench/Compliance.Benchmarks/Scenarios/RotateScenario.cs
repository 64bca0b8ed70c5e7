using System.Diagnostics;
using System.Text;
using Compliance.Core.SubjectKeys;
using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;
using Compliance.TestSupport;

namespace Compliance.Benchmarks.Scenarios;

/// <summary>
/// Key rotation never touches records (DESIGN section 4): <c>records_10x_vs_1x</c> is the time to rotate every
/// subject key and the root key (new subject-key versions, rewrap of every version, old root version disabled)
/// in an environment holding ten times as many telemetry records as another with the same subjects. Samples
/// alternate between the two environments, each advanced past the rotation period first, so both hold the
/// same number of key versions at every sample. Sizes: BENCH_ROTATE_SUBJECTS, BENCH_ROTATE_RECORDS (the 1x count).
/// </summary>
internal sealed class RotateScenario : IBenchmarkScenario
{
    private static readonly int Subjects = BenchSizes.Get("BENCH_ROTATE_SUBJECTS", 100);
    private static readonly int Records = BenchSizes.Get("BENCH_ROTATE_RECORDS", 2_000);
    private static readonly string[] Categories = ["keystroke-dynamics", "transcript"];
    private const int Samples = 5;

    public string Name => "rotate";

    public string Description => $"rotate {Subjects * Categories.Length} subject keys and the root key with {Records} vs {Records * 10} records stored, {Samples} samples";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(string connectionString, CancellationToken cancellationToken)
    {
        using var keys = new TemporaryDirectory();
        var run = Guid.NewGuid().ToString("N")[..6];
        await using var small = await Environment.StartAsync(connectionString, Path.Combine(keys.Path, "1x"), $"rs{run}", cancellationToken);
        await using var large = await Environment.StartAsync(connectionString, Path.Combine(keys.Path, "10x"), $"rl{run}", cancellationToken);
        await small.SeedAsync(Records, cancellationToken);
        await large.SeedAsync(Records * 10, cancellationToken);

        var comparison = await Sampler.CompareAsync(
            Samples,
            _ => large.RotateEverythingAsync(cancellationToken),
            _ => small.RotateEverythingAsync(cancellationToken));

        return new Dictionary<string, double>
        {
            ["subject_keys"] = Subjects * Categories.Length,
            ["records_1x"] = Records,
            ["records_10x"] = Records * 10,
            ["rotate_1x_ms"] = comparison.RawMs,
            ["rotate_10x_ms"] = comparison.ProductMs,
            ["records_10x_vs_1x"] = comparison.Ratio,
            ["records_10x_vs_1x_spread"] = comparison.RatioSpread,
        };
    }

    /// <summary>An environment of the product with the same subjects as the other, and helpers to fill and rotate it.</summary>
    private sealed class Environment(BenchEnvironment env) : IAsyncDisposable
    {
        public static async Task<Environment> StartAsync(string connectionString, string keyDirectory, string suffix, CancellationToken cancellationToken) =>
            new(await BenchEnvironment.StartAsync(connectionString, keyDirectory, suffix, cancellationToken, new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero)));

        /// <summary>The same subjects in both environments, with <paramref name="records"/> records spread over them and over the last days.</summary>
        public async Task SeedAsync(int records, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            var protector = env.Get<TelemetryProtector>();
            var store = env.Get<ITelemetryStore>();
            var registry = env.Get<SubjectRegistry>();
            var surrogates = new List<string>();
            for (var s = 0; s < Subjects; s++)
            {
                surrogates.Add((await registry.EnrolAsync($"bench-employee-{s}", cancellationToken)).Surrogate);
            }

            var payload = Encoding.UTF8.GetBytes("{\"windowSeconds\":60,\"keyCount\":120,\"dwellMsMean\":92.5}");
            var now = env.Clock.GetUtcNow();
            var batch = new List<TelemetryRecord>();
            for (var i = 0; i < records; i++)
            {
                var subject = surrogates[i % Subjects];
                var category = Categories[i / Subjects % Categories.Length];
                var capturedAt = now - TimeSpan.FromMinutes(17 * (i / (Subjects * Categories.Length)) + 1);
                batch.Add(await protector.SealAsync(new TelemetryPlaintext(subject, category, $"event-{i}", capturedAt, 1, payload), now, cancellationToken));
                if (batch.Count == 2_000 || i == records - 1)
                {
                    await store.InsertAsync(batch, cancellationToken);
                    batch.Clear();
                }
            }

            await Console.Error.WriteLineAsync($"  stored {records} records for {Subjects} subjects in {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s");
        }

        /// <summary>Past the subject-key period, then the scheduled rotation with the root key: every subject key gets a new version and every version is rewrapped.</summary>
        public async Task RotateEverythingAsync(CancellationToken cancellationToken)
        {
            env.Clock.Advance(TimeSpan.FromDays(91));
            var result = await env.Get<KeyRotationService>().RotateAsync(root: true, "job:bench", cancellationToken);
            if (result.SubjectKeysRotated != Subjects * Categories.Length)
            {
                throw new InvalidOperationException($"Rotated {result.SubjectKeysRotated} subject keys, expected {Subjects * Categories.Length}.");
            }
        }

        public ValueTask DisposeAsync() => env.DisposeAsync();
    }
}
