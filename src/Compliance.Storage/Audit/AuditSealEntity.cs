using Azure;
using Azure.Data.Tables;

namespace Compliance.Storage.Audit;

/// <summary>One seal row: PartitionKey <c>seals</c>, RowKey = inverted seal number (newest first), the signed canonical body.</summary>
internal sealed class AuditSealEntity : ITableEntity
{
    public const string Partition = "seals";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string? Body { get; set; }

    public string? Signature { get; set; }

    public string? Hash { get; set; }

    public long? Number { get; set; }

    public DateTimeOffset? SealedAt { get; set; }
}
