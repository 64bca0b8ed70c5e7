namespace Compliance.Benchmarks;

/// <summary>Scenario sizes, each overridable by an environment variable (BENCH_…) with a positive integer.</summary>
internal static class BenchSizes
{
    public static int Get(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var value) && value > 0 ? value : fallback;
}
