using System.Globalization;
using Azure;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Compliance.Storage.Resilience;

/// <summary>
/// The resilience pipeline around every storage call: retry with exponential backoff and jitter on
/// 408, 429, 5xx and timeouts (honouring Retry-After), a circuit breaker, and a per-attempt timeout.
/// </summary>
public static class StorageResilience
{
    /// <summary>The key of the storage pipeline in Polly's registry.</summary>
    public const string PipelineKey = "compliance-storage";

    /// <summary>Adds the storage strategies to <paramref name="builder"/>, outermost first.</summary>
    public static ResiliencePipelineBuilder AddStorageStrategies(this ResiliencePipelineBuilder builder, StorageResilienceOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);

        return builder
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception)),
                DelayGenerator = args =>
                {
                    var delay = RetryAfter(args.Outcome.Exception, timeProvider);
                    return ValueTask.FromResult(delay is { } d ? TimeSpan.FromTicks(Math.Min(d.Ticks, options.MaxDelay.Ticks)) : (TimeSpan?)null);
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception)),
            })
            .AddTimeout(options.AttemptTimeout);
    }

    /// <summary>True for failures worth retrying: throttling, timeouts, server errors and lost connections.</summary>
    public static bool IsTransient(Exception? exception) => exception switch
    {
        RequestFailedException { Status: 0 } => true,
        RequestFailedException { Status: 408 or 429 or 500 or 502 or 503 or 504 } => true,
        TimeoutRejectedException => true,
        HttpRequestException => true,
        _ => false,
    };

    /// <summary>
    /// The wait a throttled response asked for: <c>x-ms-retry-after-ms</c> or <c>retry-after-ms</c> in
    /// milliseconds, else <c>Retry-After</c> in seconds or as an HTTP date. Null when none was given.
    /// </summary>
    public static TimeSpan? RetryAfter(Exception? exception, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (exception is not RequestFailedException failure || failure.GetRawResponse() is not { } response)
        {
            return null;
        }

        foreach (var header in (string[])["x-ms-retry-after-ms", "retry-after-ms"])
        {
            if (response.Headers.TryGetValue(header, out var ms)
                && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds)
                && milliseconds >= 0)
            {
                return TimeSpan.FromMilliseconds(milliseconds);
            }
        }

        if (!response.Headers.TryGetValue("Retry-After", out var value))
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
