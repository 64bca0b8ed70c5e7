using System.ComponentModel.DataAnnotations;

namespace Compliance.Storage.Resilience;

/// <summary>
/// Retry, circuit-breaker and timeout settings for every storage call. The Azure SDK's own retries are
/// switched off so these are the only ones: one place to reason about how long a call may take.
/// </summary>
public sealed class StorageResilienceOptions
{
    public const string SectionName = "Compliance:Storage:Resilience";

    [Range(1, 20)]
    public int MaxRetryAttempts { get; set; } = 6;

    /// <summary>The median first retry delay; later delays grow exponentially with decorrelated jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>No single wait, including one asked for by a Retry-After header, exceeds this.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Each attempt is cancelled after this long and counted as a transient failure.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The circuit opens when this share of calls failed within <see cref="SamplingDuration"/>.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
