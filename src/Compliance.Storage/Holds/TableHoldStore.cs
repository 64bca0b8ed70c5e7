using Azure.Data.Tables;
using Compliance.Core.Holds;
using Compliance.Storage.Resilience;
using Compliance.Storage.Tables;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.Holds;

/// <summary>Legal holds in table <c>holds</c>: PartitionKey <c>hold</c>, RowKey <c>CASE|SCOPE</c>. Holds are few, so they are read whole.</summary>
internal sealed class TableHoldStore(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : IHoldStore
{
    private const string Partition = "hold";

    private readonly TableClient _table = clients.Table(StorageLayout.Holds);
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);

    public async Task<LegalHold> PlaceAsync(LegalHold hold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hold);
        var entity = new TableEntity(Partition, RowKey(hold.CaseId, hold.Scope))
        {
            ["CaseId"] = hold.CaseId,
            ["Subject"] = hold.Subject,
            ["Category"] = hold.Category,
            ["Reason"] = hold.Reason,
            ["PlacedAt"] = hold.PlacedAt,
            ["ReleasedAt"] = null,
        };
        await _pipeline.ExecuteAsync(async ct => await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return hold;
    }

    public async Task<LegalHold?> ReleaseAsync(string caseId, string scope, DateTimeOffset releasedAt, CancellationToken cancellationToken = default)
    {
        var entity = await _table.TryGetAsync<TableEntity>(_pipeline, Partition, RowKey(caseId, scope), cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }

        entity["ReleasedAt"] = releasedAt;
        await _pipeline.ExecuteAsync(async ct => await _table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return ToHold(entity);
    }

    public async Task<IReadOnlyList<LegalHold>> ListAsync(CancellationToken cancellationToken = default)
    {
        var holds = new List<LegalHold>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(_pipeline, $"PartitionKey eq '{Partition}'", null, cancellationToken).ConfigureAwait(false))
        {
            holds.Add(ToHold(entity));
        }

        return holds;
    }

    private static string RowKey(string caseId, string scope) => caseId + "|" + scope;

    private static LegalHold ToHold(TableEntity entity) => new(
        entity.GetString("CaseId"),
        entity.GetString("Subject"),
        entity.GetString("Category"),
        entity.GetString("Reason"),
        entity.GetDateTimeOffset("PlacedAt") ?? DateTimeOffset.UnixEpoch,
        entity.GetDateTimeOffset("ReleasedAt"));
}
