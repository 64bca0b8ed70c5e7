namespace Compliance.Benchmarks;

/// <summary>The largest managed heap seen while some work runs, sampled every 2 ms after a full, compacting collection.</summary>
internal static class PeakHeap
{
    public static async Task<long> MeasureAsync(Func<Task> work)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        long peak = GC.GetTotalMemory(false);
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(2, CancellationToken.None);
            }
        });
        await work();
        await done.CancelAsync();
        await sampler;
        return peak;
    }
}
