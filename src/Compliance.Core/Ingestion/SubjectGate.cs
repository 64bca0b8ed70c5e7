using Compliance.Core.Subjects;
using Microsoft.Extensions.Caching.Memory;

namespace Compliance.Core.Ingestion;

/// <summary>What ingestion needs to know about an employee: their subject, notice acknowledgements and pause.</summary>
internal sealed record SubjectState(Subject Subject, IReadOnlyList<NoticeAcknowledgement> Acknowledgements, SubjectPause? Pause);

/// <summary>
/// Resolves employees for ingestion, keeping an active, unpaused employee's state for <see cref="Lifetime"/> so
/// a batch does not read the registry once per event. Anything else (unknown, paused, erased, no notice) is
/// read again every time, so a new acknowledgement or a resume counts at once. A pause or an erasure recorded
/// elsewhere takes effect here within <see cref="Lifetime"/>, well inside the policy's pause SLA; erased
/// subjects are refused regardless by their key tombstones.
/// </summary>
internal sealed class SubjectGate(SubjectRegistry registry, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000, Clock = new Time.TimeProviderCacheClock(clock) });

    public async Task<SubjectState?> GetAsync(string employeeId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(employeeId, out SubjectState? cached) && cached is not null)
        {
            return cached;
        }

        var subject = await registry.FindAsync(employeeId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return null;
        }

        if (subject.Status != SubjectStatus.Active)
        {
            return new SubjectState(subject, [], null);
        }

        var acknowledgements = await registry.GetAcknowledgementsAsync(subject.Surrogate, cancellationToken).ConfigureAwait(false);
        var pause = await registry.GetPauseAsync(subject.Surrogate, cancellationToken).ConfigureAwait(false);
        var state = new SubjectState(subject, acknowledgements, pause);
        if (pause is null && acknowledgements.Count > 0)
        {
            using var entry = _cache.CreateEntry(employeeId);
            entry.Value = state;
            entry.Size = 1;
            entry.AbsoluteExpirationRelativeToNow = Lifetime;
        }

        return state;
    }

    /// <summary>Drops what is kept about the employee, so the next lookup reads the registry.</summary>
    public void Forget(string employeeId) => _cache.Remove(employeeId);

    public void Dispose() => _cache.Dispose();
}
