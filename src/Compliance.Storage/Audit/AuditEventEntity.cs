using Azure;
using Azure.Data.Tables;

namespace Compliance.Storage.Audit;

/// <summary>
/// One audit table row. Event rows: PartitionKey = stream, RowKey = inverted sequence number (19 digits, so the
/// newest event sorts first and the head is a one-row query). Idempotency marker rows: RowKey = <c>k:</c> and the
/// key's SHA-256. <see cref="Body"/> is the canonical JSON the hash covers; the other columns mirror it for queries.
/// </summary>
internal sealed class AuditEventEntity : ITableEntity
{
    public const string MarkerPrefix = "k:";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string? Body { get; set; }

    public string? Hash { get; set; }

    public string? Type { get; set; }

    public DateTimeOffset? OccurredAt { get; set; }

    public long? Seq { get; set; }

    public static string SequenceKey(long sequence) => (long.MaxValue - sequence).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The sequence number a row key stands for, or null when it is not a sequence key.</summary>
    public static long? SequenceOf(string rowKey) =>
        rowKey.Length == 19 && rowKey.All(char.IsAsciiDigit) && long.TryParse(rowKey, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var inverted)
            ? long.MaxValue - inverted
            : null;
}
