using Azure;
using Compliance.Storage.Resilience;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Compliance.Storage.Tests.Resilience;

public sealed class StorageResilienceTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 2, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0)]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void IsTransient_ThrottlingTimeoutsAndServerErrors_True(int status)
    {
        Assert.True(StorageResilience.IsTransient(FakeResponse.Failure(status)));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(412)]
    [InlineData(501)]
    public void IsTransient_ClientErrorsAndConflicts_False(int status)
    {
        Assert.False(StorageResilience.IsTransient(FakeResponse.Failure(status)));
    }

    [Fact]
    public void IsTransient_TimeoutsAndLostConnections_TrueButBrokenCircuitFalse()
    {
        Assert.True(StorageResilience.IsTransient(new TimeoutRejectedException()));
        Assert.True(StorageResilience.IsTransient(new HttpRequestException("reset")));
        Assert.False(StorageResilience.IsTransient(new BrokenCircuitException()));
        Assert.False(StorageResilience.IsTransient(new InvalidOperationException()));
    }

    [Theory]
    [InlineData("Retry-After", "7", 7000)]
    [InlineData("x-ms-retry-after-ms", "1500", 1500)]
    [InlineData("retry-after-ms", "250", 250)]
    public void RetryAfter_HeaderGiven_ReturnsRequestedWait(string header, string value, int expectedMs)
    {
        var wait = StorageResilience.RetryAfter(FakeResponse.Failure(503, (header, value)), new FakeTimeProvider(Start));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), wait);
    }

    [Fact]
    public void RetryAfter_HttpDate_IsMeasuredFromTheInjectedClock()
    {
        var clock = new FakeTimeProvider(Start);
        var failure = FakeResponse.Failure(429, ("Retry-After", Start.AddSeconds(12).ToString("r", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(TimeSpan.FromSeconds(12), StorageResilience.RetryAfter(failure, clock));
    }

    [Fact]
    public void RetryAfter_NoOrUnreadableHeader_Null()
    {
        var clock = new FakeTimeProvider(Start);

        Assert.Null(StorageResilience.RetryAfter(FakeResponse.Failure(503), clock));
        Assert.Null(StorageResilience.RetryAfter(FakeResponse.Failure(503, ("Retry-After", "soon")), clock));
        Assert.Null(StorageResilience.RetryAfter(new InvalidOperationException(), clock));
    }

    [Fact]
    public async Task Pipeline_TransientFailures_RetriedUntilSuccess()
    {
        var clock = new FakeTimeProvider(Start);
        var pipeline = Build(clock, new StorageResilienceOptions { MaxRetryAttempts = 3 });
        var attempts = 0;

        var run = pipeline.ExecuteAsync(_ =>
        {
            attempts++;
            return attempts < 3 ? throw FakeResponse.Failure(503) : ValueTask.FromResult("done");
        }).AsTask();
        await AdvanceUntilCompleted(clock, run);

        Assert.Equal("done", await run);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task Pipeline_NonTransientFailure_NotRetried()
    {
        var pipeline = Build(new FakeTimeProvider(Start), new StorageResilienceOptions());
        var attempts = 0;

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => pipeline.ExecuteAsync<string>(_ =>
        {
            attempts++;
            throw FakeResponse.Failure(409);
        }).AsTask());

        Assert.Equal(409, ex.Status);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Pipeline_RetryAfter_WaitsExactlyWhatTheServiceAsked()
    {
        var clock = new FakeTimeProvider(Start);
        var pipeline = Build(clock, new StorageResilienceOptions { MaxRetryAttempts = 1 });
        var attemptTimes = new List<DateTimeOffset>();

        var run = pipeline.ExecuteAsync(_ =>
        {
            attemptTimes.Add(clock.GetUtcNow());
            return attemptTimes.Count == 1 ? throw FakeResponse.Failure(429, ("Retry-After", "9")) : ValueTask.FromResult(0);
        }).AsTask();
        clock.Advance(TimeSpan.FromSeconds(8.9));
        Assert.Single(attemptTimes);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        await run;

        Assert.Equal([Start, Start.AddSeconds(9)], attemptTimes);
    }

    [Fact]
    public async Task Pipeline_RetryAfterBeyondMaxDelay_IsCapped()
    {
        var clock = new FakeTimeProvider(Start);
        var pipeline = Build(clock, new StorageResilienceOptions { MaxRetryAttempts = 1, MaxDelay = TimeSpan.FromSeconds(5) });
        var attemptTimes = new List<DateTimeOffset>();

        var run = pipeline.ExecuteAsync(_ =>
        {
            attemptTimes.Add(clock.GetUtcNow());
            return attemptTimes.Count == 1 ? throw FakeResponse.Failure(503, ("Retry-After", "3600")) : ValueTask.FromResult(0);
        }).AsTask();
        clock.Advance(TimeSpan.FromSeconds(5));
        await run;

        Assert.Equal(Start.AddSeconds(5), attemptTimes[1]);
    }

    [Fact]
    public async Task Pipeline_RetriesExhausted_ThrowsLastFailure()
    {
        var clock = new FakeTimeProvider(Start);
        var pipeline = Build(clock, new StorageResilienceOptions { MaxRetryAttempts = 2 });
        var attempts = 0;

        var run = pipeline.ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw FakeResponse.Failure(500);
        }).AsTask();
        await AdvanceUntilCompleted(clock, run);

        Assert.Equal(500, (await Assert.ThrowsAsync<RequestFailedException>(() => run)).Status);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task Pipeline_ManyFailures_OpenTheCircuitAndFailFast()
    {
        var clock = new FakeTimeProvider(Start);
        var options = new StorageResilienceOptions { MaxRetryAttempts = 1, MinimumThroughput = 4, FailureRatio = 0.5 };
        var pipeline = Build(clock, options);
        var calls = 0;
        ValueTask<int> Failing(CancellationToken _)
        {
            calls++;
            throw FakeResponse.Failure(503);
        }

        for (var i = 0; i < 2; i++)
        {
            var failed = pipeline.ExecuteAsync(Failing).AsTask();
            await AdvanceUntilCompleted(clock, failed);
            await Assert.ThrowsAsync<RequestFailedException>(() => failed);
        }

        await Assert.ThrowsAsync<BrokenCircuitException>(() => pipeline.ExecuteAsync(Failing).AsTask());
        Assert.Equal(4, calls);
    }

    [Fact]
    public async Task Pipeline_SlowAttempt_TimesOutAndIsRetried()
    {
        var clock = new FakeTimeProvider(Start);
        var pipeline = Build(clock, new StorageResilienceOptions { MaxRetryAttempts = 1, AttemptTimeout = TimeSpan.FromSeconds(2) });
        var attempts = 0;

        var run = pipeline.ExecuteAsync(async ct =>
        {
            attempts++;
            if (attempts == 1)
            {
                var hang = new TaskCompletionSource();
                await using var registration = ct.Register(() => hang.TrySetCanceled(ct));
                await hang.Task;
            }

            return attempts;
        }).AsTask();
        await AdvanceUntilCompleted(clock, run);

        Assert.Equal(2, await run);
    }

    private static ResiliencePipeline Build(TimeProvider clock, StorageResilienceOptions options) =>
        new ResiliencePipelineBuilder { TimeProvider = clock }.AddStorageStrategies(options, clock).Build();

    /// <summary>
    /// Steps the fake clock until the operation finishes, so backoff delays elapse without real waiting.
    /// After each step it gives the continuations the step released a moment to run (returning at once
    /// when the operation completes), because timer callbacks finish on the thread pool.
    /// </summary>
    private static async Task AdvanceUntilCompleted(FakeTimeProvider clock, Task run)
    {
        var completed = ((IAsyncResult)run).AsyncWaitHandle;
        for (var step = 0; step < 10_000 && !run.IsCompleted; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
            completed.WaitOne(TimeSpan.FromMilliseconds(5));
        }

        Assert.True(run.IsCompleted, "The operation did not finish within 1,000 simulated seconds.");
    }
}
