namespace Compliance.Cli;

/// <summary>
/// The clock behind <c>--now</c> and the demo: starts at the requested instant and then runs at the speed of the
/// real clock, so durations inside one command stay real while the calendar date is simulated. The demo moves it
/// forward (<see cref="Advance"/>) to play weeks of a telemetry programme in a minute; it never goes back.
/// </summary>
internal sealed class SimulatedTimeProvider(DateTimeOffset start, TimeProvider realClock) : TimeProvider
{
    private TimeSpan _offset = start - realClock.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => realClock.GetUtcNow() + _offset;

    /// <summary>Moves the simulated calendar forward.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        _offset += by;
    }

    public override long GetTimestamp() => realClock.GetTimestamp();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
