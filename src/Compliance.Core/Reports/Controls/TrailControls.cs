using Compliance.Core.Audit;

namespace Compliance.Core.Reports.Controls;

/// <summary>
/// LOG-1: the audit trail is tamper-evident and complete. The chain check is done while the trail is read (every
/// body against its hash, every link, every gap up to the sealed heads); the seal's own signature is checked once.
/// </summary>
public sealed class TrailIntact(ChainCheck check, bool sealSignatureValid, string sealHash) : ControlEvaluator
{
    public override string Id => "LOG-1";

    public override void Observe(AuditRecord record, ReportContext context)
    {
    }

    public override ControlResult Finish(ReportContext context)
    {
        var findings = new List<ControlFinding>();
        if (check.Mismatches + check.Unreadable > 0)
        {
            findings.Add(new ControlFinding("HASH_MISMATCH", "events modified, inserted, reordered or unreadable", check.Mismatches + check.Unreadable, [.. check.Samples]));
        }

        if (check.Gaps > 0)
        {
            findings.Add(new ControlFinding("SEQUENCE_GAP", "sequence numbers missing: events deleted or the trail truncated", check.Gaps, [.. check.Samples]));
        }

        if (!sealSignatureValid)
        {
            findings.Add(new ControlFinding("SEAL_SIGNATURE_INVALID", "the seal the report rests on does not verify with its signing key", 1, []));
        }

        return new ControlResult(
            Id,
            ControlCatalog.Default.Get(Id).Title,
            findings.Count == 0 ? ControlStatus.Pass : ControlStatus.Fail,
            findings.Count == 0 ? $"{check.Events} events read and their chains verified up to the sealed heads; head of the seal chain {sealHash}." : "The audit trail does not verify.",
            [
                new("eventsVerified", check.Events, null, "events read, hashed and linked"),
                new("hashMismatches", check.Mismatches + check.Unreadable, 0, "prev-hash or body-hash mismatches and unreadable rows"),
                new("sequenceGaps", check.Gaps, 0, "missing sequence numbers"),
                new("sealSignatureValid", sealSignatureValid ? 1 : 0, 1, "the seal's signature verifies"),
            ],
            findings);
    }
}

/// <summary>LOG-2: audit events hold pseudonyms, field names and counts only: every event is checked again with the minimisation guard.</summary>
public sealed class TrailMinimised(AuditEventGuard guard) : ControlEvaluator
{
    private readonly Tally _leaks = new("AUDIT_NOT_MINIMISED", "audit events holding a value that looks like content or a direct identifier");
    private readonly Tally _unchecked = new("NOT_CHECKED", "audit events the identifier patterns could not check within their time limit");
    private long _checked;

    public override string Id => "LOG-2";

    public override void Observe(AuditRecord record, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Period.Contains(record.OccurredAt))
        {
            return;
        }

        _checked++;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                guard.Check(record.Event);
                return;
            }
            catch (AuditMinimisationException)
            {
                _leaks.Add(record);
                return;
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException) when (attempt < 3)
            {
                // The policy's identifier patterns run under a time limit; a starved machine can hit it on a short value.
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                _unchecked.Add(record);
                return;
            }
        }
    }

    public override ControlResult Finish(ReportContext context) => Result(
        $"{_checked - _unchecked.Count} of {_checked} events in the period checked against the content and identifier deny-list{(_unchecked.Count > 0 ? $"; {_unchecked.Count} could not be checked in time (the identifier patterns' time limit) and are not counted as leaks" : "")}.",
        [new("eventsChecked", _checked, null, "events in the period"), new("notMinimised", _leaks.Count, 0, "events matching the deny-list"), new("notChecked", _unchecked.Count, null, "events the patterns' time limit stopped, three tries each (informational)")],
        _leaks);
}
