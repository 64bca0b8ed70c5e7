namespace Compliance.Core.Audit;

/// <summary>The one audit writer every job uses. It only appends; a failed append throws, and the caller must not proceed.</summary>
public interface IAuditTrail
{
    Task<AuditReceipt> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends many events in atomic batches of up to 100 rows per stream, and returns a receipt per event, in
    /// order. A failure throws; batches already stored stay stored, so a retried job should give its events
    /// idempotency keys to record each exactly once.
    /// </summary>
    Task<IReadOnlyList<AuditReceipt>> AppendBatchAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken = default);
}

public static class AuditTrailExtensions
{
    /// <summary>
    /// Fail closed (DESIGN invariant 4): records <paramref name="auditEvent"/> first and runs
    /// <paramref name="action"/> only when the record is safely stored. If the audit write fails, the action
    /// never runs and the failure propagates.
    /// </summary>
    public static async Task<T> RecordThenAsync<T>(this IAuditTrail trail, AuditEvent auditEvent, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trail);
        ArgumentNullException.ThrowIfNull(action);
        await trail.AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);
        return await action(cancellationToken).ConfigureAwait(false);
    }
}
