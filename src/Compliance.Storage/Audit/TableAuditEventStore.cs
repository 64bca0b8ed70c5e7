using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Compliance.Core.Audit;
using Compliance.Storage.Resilience;
using Compliance.Storage.Tables;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.Audit;

/// <summary>The audit streams in Table Storage: one partition per stream, inserts only (entity group transactions).</summary>
internal sealed class TableAuditEventStore(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : IAuditEventStore
{
    private static readonly string[] HeadColumns = ["RowKey", "Hash"];

    private readonly TableClient _table = clients.Table(StorageLayout.AuditEvents);
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);

    public async Task<AuditChainHead?> GetHeadAsync(string stream, CancellationToken cancellationToken = default)
    {
        var filter = $"PartitionKey eq '{stream}' and RowKey lt '{AuditEventEntity.MarkerPrefix}'";
        await foreach (var row in _table.QueryAsync<AuditEventEntity>(_pipeline, filter, HeadColumns, cancellationToken).ConfigureAwait(false))
        {
            if (AuditEventEntity.SequenceOf(row.RowKey) is { } sequence)
            {
                return new AuditChainHead(sequence, row.Hash ?? "");
            }
        }

        return null;
    }

    public async Task<bool> TryAppendAsync(string stream, IReadOnlyList<AuditAppendRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var actions = new List<TableTransactionAction>(rows.Count * 2);
        foreach (var row in rows)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new AuditEventEntity
            {
                PartitionKey = stream,
                RowKey = AuditEventEntity.SequenceKey(row.Sequence),
                Body = row.Body,
                Hash = row.Hash,
                Type = row.Type.ToName(),
                OccurredAt = row.OccurredAt,
                Seq = row.Sequence,
            }));
            if (row.IdempotencyKeyHash is not null)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new AuditEventEntity
                {
                    PartitionKey = stream,
                    RowKey = AuditEventEntity.MarkerPrefix + row.IdempotencyKeyHash,
                    Hash = row.Hash,
                    Seq = row.Sequence,
                }));
            }
        }

        if (await _pipeline.TryInsertAsync(ct => _table.SubmitTransactionAsync(actions, ct), cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        // A retried transaction whose first attempt did commit conflicts with itself: that is success.
        var first = await GetAsync(stream, rows[0].Sequence, cancellationToken).ConfigureAwait(false);
        return first?.Hash == rows[0].Hash;
    }

    public async Task<AuditChainHead?> FindByIdempotencyKeyAsync(string stream, string idempotencyKeyHash, CancellationToken cancellationToken = default)
    {
        var marker = await GetEntityAsync(stream, AuditEventEntity.MarkerPrefix + idempotencyKeyHash, cancellationToken).ConfigureAwait(false);
        return marker?.Seq is { } sequence ? new AuditChainHead(sequence, marker.Hash ?? "") : null;
    }

    public async Task<StoredAuditRow?> GetAsync(string stream, long sequence, CancellationToken cancellationToken = default)
    {
        var entity = await GetEntityAsync(stream, AuditEventEntity.SequenceKey(sequence), cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ToRow(entity);
    }

    public async IAsyncEnumerable<StoredAuditRow> ReadNewestFirstAsync(string stream, long afterSequence, long? upToSequence, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The whole partition when unbounded, so rows with forged keys are seen; marker rows are skipped.
        var filter = afterSequence == 0 && upToSequence is null
            ? $"PartitionKey eq '{stream}'"
            : $"PartitionKey eq '{stream}' and RowKey ge '{AuditEventEntity.SequenceKey(upToSequence ?? long.MaxValue)}' and RowKey lt '{AuditEventEntity.SequenceKey(afterSequence)}'";
        await foreach (var entity in _table.QueryAsync<AuditEventEntity>(_pipeline, filter, null, cancellationToken).ConfigureAwait(false))
        {
            if (!entity.RowKey.StartsWith(AuditEventEntity.MarkerPrefix, StringComparison.Ordinal))
            {
                yield return ToRow(entity);
            }
        }
    }

    private Task<AuditEventEntity?> GetEntityAsync(string stream, string rowKey, CancellationToken cancellationToken) =>
        _table.TryGetAsync<AuditEventEntity>(_pipeline, stream, rowKey, cancellationToken);

    private static StoredAuditRow ToRow(AuditEventEntity e) =>
        new(e.PartitionKey, e.RowKey, AuditEventEntity.SequenceOf(e.RowKey), e.Body, e.Hash, e.Type, e.OccurredAt, e.Seq);
}
