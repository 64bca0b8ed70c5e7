using System.Diagnostics;

namespace Compliance.Benchmarks;

/// <summary>Timings of a product run against a raw-SDK run of the same work.</summary>
internal sealed record Comparison(double ProductMs, double RawMs, double RatioSpread)
{
    public double Ratio => ProductMs / RawMs;
}

/// <summary>
/// Times two workloads interleaved (product, raw, raw, product, ...) after a warm-up, so drift in the
/// machine or the emulator hits both alike, and reports medians.
/// </summary>
internal static class Sampler
{
    public static async Task<Comparison> CompareAsync(int samples, Func<int, Task> product, Func<int, Task> raw)
    {
        await product(-1).ConfigureAwait(false);
        await raw(-1).ConfigureAwait(false);

        var productTimes = new List<double>();
        var rawTimes = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var productFirst = i % 2 == 0;
            var first = await TimeAsync(productFirst ? product : raw, i).ConfigureAwait(false);
            var second = await TimeAsync(productFirst ? raw : product, i).ConfigureAwait(false);
            productTimes.Add(productFirst ? first : second);
            rawTimes.Add(productFirst ? second : first);
        }

        var ratios = productTimes.Zip(rawTimes, (p, r) => p / r).Order().ToList();
        return new Comparison(Median(productTimes), Median(rawTimes), ratios[^1] / ratios[0]);
    }

    private static async Task<double> TimeAsync(Func<int, Task> work, int sample)
    {
        var start = Stopwatch.GetTimestamp();
        await work(sample).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
