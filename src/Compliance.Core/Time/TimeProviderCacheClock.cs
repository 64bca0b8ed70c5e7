namespace Compliance.Core.Time;

/// <summary>The injected clock as <see cref="Microsoft.Extensions.Caching.Memory.MemoryCache"/> reads time, so cache expiry follows a fake clock in tests.</summary>
internal sealed class TimeProviderCacheClock(TimeProvider clock) : Microsoft.Extensions.Internal.ISystemClock
{
    public DateTimeOffset UtcNow => clock.GetUtcNow();
}
