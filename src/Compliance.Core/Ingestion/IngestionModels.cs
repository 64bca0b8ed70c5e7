using System.ComponentModel.DataAnnotations;

namespace Compliance.Core.Ingestion;

public enum IngestStatus
{
    /// <summary>Minimised, encrypted and stored.</summary>
    Stored,

    /// <summary>Already stored by an earlier delivery; nothing was written twice.</summary>
    Duplicate,

    /// <summary>Not stored; <see cref="IngestOutcome.Reason"/> says why.</summary>
    Rejected,
}

/// <summary>
/// What happened to one event of a batch, by its position. <see cref="Detail"/> explains a rejection (which
/// property, which bound) for the sender; it never holds the employee id and is never logged or audited.
/// </summary>
public sealed record IngestOutcome(int Index, string? EventId, IngestStatus Status, string? Reason = null, string? Detail = null)
{
    /// <summary>Fields dropped by minimisation (off the allow-list), by name.</summary>
    public IReadOnlyList<string> DroppedFields { get; init; } = [];

    /// <summary>How many PII matches redaction replaced in the event's text.</summary>
    public int Redactions { get; init; }
}

/// <summary>The outcome of a batch: one entry per event, in order, and the totals.</summary>
public sealed record IngestBatchResult(IReadOnlyList<IngestOutcome> Outcomes)
{
    public int Stored => Outcomes.Count(o => o.Status == IngestStatus.Stored);

    public int Duplicates => Outcomes.Count(o => o.Status == IngestStatus.Duplicate);

    public int Rejected => Outcomes.Count(o => o.Status == IngestStatus.Rejected);

    /// <summary>Rejections by reason code.</summary>
    public IReadOnlyDictionary<string, int> RejectedByReason =>
        Outcomes.Where(o => o.Reason is not null).GroupBy(o => o.Reason!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>Fields dropped by minimisation, by name, over the batch.</summary>
    public IReadOnlyDictionary<string, int> DroppedFields =>
        Outcomes.SelectMany(o => o.DroppedFields).GroupBy(f => f, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public int Redactions => Outcomes.Sum(o => o.Redactions);
}

/// <summary>Ingestion limits.</summary>
public sealed class IngestionOptions
{
    /// <summary>The largest event accepted, in bytes of JSON (queue messages hold 64 KiB, base64-encoded: 48 KiB of payload).</summary>
    [Range(1024, 48 * 1024)]
    public int MaxEventBytes { get; set; } = 32 * 1024;

    /// <summary>The most events in one batch (HTTP request or CLI chunk).</summary>
    [Range(1, 10_000)]
    public int MaxBatchEvents { get; set; } = 1_000;

    /// <summary>How far in the future a capture time may be (device clocks drift).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}
