using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Compliance.Core.Audit;
using Compliance.Storage.Resilience;
using Compliance.Storage.Tables;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.Audit;

/// <summary>Seals in Table Storage, inserted conditionally under their number so concurrent sealers never fork the chain.</summary>
internal sealed class TableAuditSealStore(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : IAuditSealStore
{
    private readonly TableClient _table = clients.Table(StorageLayout.AuditSeals);
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);

    public async Task<SignedAuditSeal?> GetLatestAsync(CancellationToken cancellationToken = default)
    {
        await foreach (var row in ReadNewestFirstAsync(cancellationToken).ConfigureAwait(false))
        {
            if (row.Number is not null && row.Body is not null && row.Signature is not null)
            {
                return new SignedAuditSeal(AuditSeal.Parse(row.Body), row.Signature);
            }
        }

        return null;
    }

    public async Task<bool> TryInsertAsync(SignedAuditSeal seal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seal);
        var entity = new AuditSealEntity
        {
            RowKey = AuditEventEntity.SequenceKey(seal.Seal.Number),
            Body = seal.Seal.Body,
            Signature = seal.Signature,
            Hash = seal.Seal.Hash,
            Number = seal.Seal.Number,
            SealedAt = seal.Seal.SealedAt,
        };
        if (await _pipeline.TryInsertAsync(ct => _table.AddEntityAsync(entity, ct), cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        // A retried insert whose first attempt did commit conflicts with itself: that is success.
        var stored = await _table.TryGetAsync<AuditSealEntity>(_pipeline, AuditSealEntity.Partition, entity.RowKey, cancellationToken).ConfigureAwait(false);
        return stored?.Body == entity.Body;
    }

    public async IAsyncEnumerable<StoredAuditSeal> ReadNewestFirstAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in _table.QueryAsync<AuditSealEntity>(_pipeline, $"PartitionKey eq '{AuditSealEntity.Partition}'", null, cancellationToken).ConfigureAwait(false))
        {
            yield return new StoredAuditSeal(row.RowKey, AuditEventEntity.SequenceOf(row.RowKey), row.Body, row.Signature);
        }
    }
}
