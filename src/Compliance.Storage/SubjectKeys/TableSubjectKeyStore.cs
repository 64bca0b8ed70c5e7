using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Compliance.Core.Keys;
using Compliance.Core.SubjectKeys;
using Compliance.Storage.Resilience;
using Compliance.Storage.Tables;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.SubjectKeys;

/// <summary>
/// Wrapped subject keys in table <c>subjectkeys</c>: PartitionKey = subject surrogate (every scope of a subject in
/// one partition, so shredding a subject is one partition), RowKey = <c>SCOPE|VERSION</c> (ten digits).
/// Keys are added with conditional inserts and rewrapped only with ETag checks.
/// </summary>
internal sealed class TableSubjectKeyStore(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : ISubjectKeyStore
{
    private readonly TableClient _table = clients.Table(StorageLayout.SubjectKeys);
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);

    public async Task<IReadOnlyList<StoredSubjectKey>> GetVersionsAsync(string subject, string scope, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {subject} and RowKey ge {scope + "|"} and RowKey lt {scope + "}"}");
        var versions = new List<StoredSubjectKey>();
        await foreach (var entity in _table.QueryAsync<SubjectKeyEntity>(_pipeline, filter, null, cancellationToken).ConfigureAwait(false))
        {
            versions.Add(entity.ToKey());
        }

        return versions;
    }

    public Task<bool> TryAddAsync(StoredSubjectKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _pipeline.TryInsertAsync(ct => _table.AddEntityAsync(SubjectKeyEntity.From(key), ct), cancellationToken);
    }

    public async Task<bool> TryRewrapAsync(StoredSubjectKey key, WrappedKey rewrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var entity = SubjectKeyEntity.From(key with { Wrapped = rewrapped });
        try
        {
            await _pipeline.ExecuteAsync(
                async ct => await _table.UpdateEntityAsync(entity, new ETag(key.ETag!), TableUpdateMode.Replace, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    public IAsyncEnumerable<StoredSubjectKey> ListAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("", cancellationToken);

    public IAsyncEnumerable<StoredSubjectKey> ListWrappedByOtherThanAsync(string rootKeyVersion, CancellationToken cancellationToken = default) =>
        QueryAsync(TableClient.CreateQueryFilter($"RootKeyVersion ne {rootKeyVersion}"), cancellationToken);

    private async IAsyncEnumerable<StoredSubjectKey> QueryAsync(string filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in _table.QueryAsync<SubjectKeyEntity>(_pipeline, filter, null, cancellationToken).ConfigureAwait(false))
        {
            yield return entity.ToKey();
        }
    }

    private sealed class SubjectKeyEntity : ITableEntity
    {
        public string PartitionKey { get; set; } = "";

        public string RowKey { get; set; } = "";

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        public byte[] WrappedValue { get; set; } = [];

        public string RootKeyName { get; set; } = "";

        public string RootKeyVersion { get; set; } = "";

        public DateTimeOffset Created { get; set; }

        public static SubjectKeyEntity From(StoredSubjectKey key) => new()
        {
            PartitionKey = key.Subject,
            RowKey = $"{key.Scope}|{key.Version:D10}",
            WrappedValue = key.Wrapped.Value,
            RootKeyName = key.Wrapped.KeyName,
            RootKeyVersion = key.Wrapped.KeyVersion,
            Created = key.Created,
        };

        public StoredSubjectKey ToKey()
        {
            var bar = RowKey.LastIndexOf('|');
            return new StoredSubjectKey(
                PartitionKey,
                RowKey[..bar],
                int.Parse(RowKey[(bar + 1)..], System.Globalization.CultureInfo.InvariantCulture),
                new WrappedKey(RootKeyName, RootKeyVersion, WrappedValue),
                Created,
                ETag.ToString());
        }
    }
}
