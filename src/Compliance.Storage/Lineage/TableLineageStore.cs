using Azure.Data.Tables;
using Compliance.Core.Lineage;
using Compliance.Storage.Resilience;
using Compliance.Storage.Tables;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.Lineage;

/// <summary>
/// Lineage in table <c>lineage</c>. A dataset's partition <c>dataset|ID</c> holds its <c>meta</c> row, a
/// <c>member|SURROGATE|SCOPE</c> row per subject and key scope (with the key versions), and a <c>model|MODEL</c>
/// row per model trained on it. The reverse index <c>subject|SURROGATE</c> holds a row per dataset, so what a
/// subject's data reached is one partition query. Every write is an upsert: saving again changes nothing.
/// </summary>
internal sealed class TableLineageStore(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : ILineageStore
{
    private const string Meta = "meta";
    private readonly TableClient _table = clients.Table(StorageLayout.Lineage);
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);

    public async Task SaveDatasetAsync(DatasetRecord dataset, IReadOnlyList<DatasetMember> members, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(members);
        var partition = DatasetPartition(dataset.Id);
        foreach (var chunk in members.Chunk(99))
        {
            var actions = chunk.Select(m => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, $"member|{m.Subject}|{m.Scope}")
            {
                ["KeyVersions"] = string.Join(',', m.KeyVersions),
            })).ToList();
            await _pipeline.ExecuteAsync(async ct => await _table.SubmitTransactionAsync(actions, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        await Parallel.ForEachAsync(
            members.Select(m => m.Subject).Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (subject, ct) => await _pipeline.ExecuteAsync(
                async c => await _table.UpsertEntityAsync(new TableEntity("subject|" + subject, dataset.Id), TableUpdateMode.Replace, c).ConfigureAwait(false),
                ct).ConfigureAwait(false)).ConfigureAwait(false);

        // The meta row last: a dataset is listed only once its members are.
        var meta = new TableEntity(partition, Meta)
        {
            ["Category"] = dataset.Category,
            ["Purpose"] = dataset.Purpose,
            ["Principal"] = dataset.Principal,
            ["From"] = dataset.From,
            ["To"] = dataset.To,
            ["CreatedAt"] = dataset.CreatedAt,
            ["Records"] = dataset.Records,
            ["Subjects"] = dataset.Subjects,
            ["MembershipHash"] = dataset.MembershipHash,
            ["ContentHash"] = dataset.ContentHash,
        };
        await _pipeline.ExecuteAsync(async ct => await _table.UpsertEntityAsync(meta, TableUpdateMode.Replace, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    public async Task<DatasetRecord?> GetDatasetAsync(string datasetId, CancellationToken cancellationToken = default)
    {
        var row = await _table.TryGetAsync<TableEntity>(_pipeline, DatasetPartition(datasetId), Meta, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToDataset(datasetId, row);
    }

    private static DatasetRecord ToDataset(string datasetId, TableEntity row) => new(
        datasetId,
        row.GetString("Category"),
        row.GetString("Purpose"),
        row.GetString("Principal"),
        row.GetDateTimeOffset("From") ?? default,
        row.GetDateTimeOffset("To") ?? default,
        row.GetDateTimeOffset("CreatedAt") ?? default,
        row.GetInt32("Records") ?? 0,
        row.GetInt32("Subjects") ?? 0,
        row.GetString("MembershipHash"),
        row.GetString("ContentHash"));

    public async Task<IReadOnlyList<DatasetMember>> GetMembersAsync(string datasetId, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {DatasetPartition(datasetId)} and RowKey ge {"member|"} and RowKey lt {"member}"}");
        var members = new List<DatasetMember>();
        await foreach (var row in _table.QueryAsync<TableEntity>(_pipeline, filter, null, cancellationToken).ConfigureAwait(false))
        {
            var parts = row.RowKey.Split('|');
            members.Add(new DatasetMember(parts[1], parts[2], [.. row.GetString("KeyVersions").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture))]));
        }

        return members;
    }

    public async Task<IReadOnlyList<string>> DatasetsContainingAsync(string subject, CancellationToken cancellationToken = default) =>
        await RowKeysAsync(TableClient.CreateQueryFilter($"PartitionKey eq {"subject|" + subject}"), "", cancellationToken).ConfigureAwait(false);

    public Task LinkModelAsync(string modelId, string datasetId, DateTimeOffset linkedAt, CancellationToken cancellationToken = default) =>
        _pipeline.ExecuteAsync(
            async ct => await _table.UpsertEntityAsync(new TableEntity(DatasetPartition(datasetId), "model|" + modelId) { ["LinkedAt"] = linkedAt }, TableUpdateMode.Replace, ct).ConfigureAwait(false),
            cancellationToken).AsTask();

    public async Task<IReadOnlyList<string>> ModelsTrainedOnAsync(string datasetId, CancellationToken cancellationToken = default) =>
        await RowKeysAsync(TableClient.CreateQueryFilter($"PartitionKey eq {DatasetPartition(datasetId)} and RowKey ge {"model|"} and RowKey lt {"model}"}"), "model|", cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<(DatasetRecord Dataset, DateTimeOffset? StaleSince)> ListDatasetsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {Meta}");
        await foreach (var row in _table.QueryAsync<TableEntity>(_pipeline, filter, null, cancellationToken).ConfigureAwait(false))
        {
            yield return (ToDataset(row.PartitionKey["dataset|".Length..], row), row.GetDateTimeOffset("StaleSince"));
        }
    }

    public Task MarkStaleAsync(string datasetId, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        _pipeline.ExecuteAsync(
            async ct => await _table.UpdateEntityAsync(new TableEntity(DatasetPartition(datasetId), Meta) { ["StaleSince"] = since }, Azure.ETag.All, TableUpdateMode.Merge, ct).ConfigureAwait(false),
            cancellationToken).AsTask();

    private async Task<IReadOnlyList<string>> RowKeysAsync(string filter, string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(_pipeline, filter, ["RowKey"], cancellationToken).ConfigureAwait(false))
        {
            keys.Add(row.RowKey[prefix.Length..]);
        }

        return keys;
    }

    private static string DatasetPartition(string datasetId) => "dataset|" + datasetId;
}
