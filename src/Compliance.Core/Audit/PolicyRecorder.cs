using Compliance.Core.Policy;

namespace Compliance.Core.Audit;

/// <summary>
/// Records the policy version in force as a POLICY event, once per version (idempotency key), before a job
/// does anything: if that write fails the job stops (fail closed), and every later event of the job is
/// attributable to a recorded policy.
/// </summary>
public sealed class PolicyRecorder(ActivePolicy policy, IAuditTrail trail)
{
    private volatile bool _recorded;

    public async Task EnsureRecordedAsync(string actor, CancellationToken cancellationToken = default)
    {
        if (_recorded)
        {
            return;
        }

        var p = policy.Policy;
        await trail.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.Policy,
                Actor = actor,
                Hashes = new Dictionary<string, string> { ["policy"] = policy.Version },
                Counts = new Dictionary<string, long>
                {
                    ["categories"] = p.Categories.Count,
                    ["purposes"] = p.Purposes.Count,
                    ["grants"] = p.Grants.Count,
                },
                Attributes = new Dictionary<string, string> { ["policyId"] = p.PolicyId },
                IdempotencyKey = "policy:" + policy.Version,
            },
            cancellationToken).ConfigureAwait(false);
        _recorded = true;
    }
}
