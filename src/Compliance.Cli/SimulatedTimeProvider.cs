namespace Compliance.Cli;

/// <summary>
/// The clock behind <c>--now</c>: starts at the requested instant and then runs at the speed of the real
/// clock, so durations inside one command stay real while the calendar date is simulated.
/// </summary>
internal sealed class SimulatedTimeProvider(DateTimeOffset start, TimeProvider realClock) : TimeProvider
{
    private readonly TimeSpan _offset = start - realClock.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => realClock.GetUtcNow() + _offset;

    public override long GetTimestamp() => realClock.GetTimestamp();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
