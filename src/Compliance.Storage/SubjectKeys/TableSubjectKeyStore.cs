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
/// one partition, so shredding a subject is one partition), RowKey = <c>SCOPE|VERSION</c> (ten digits), and
/// <c>SCOPE|shredded</c> for a shredded scope's tombstone. Keys are added with conditional inserts and
/// rewrapped only with ETag checks.
/// </summary>
internal sealed class TableSubjectKeyStore(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : ISubjectKeyStore
{
    private const string TombstoneSuffix = "|shredded";

    private readonly TableClient _table = clients.Table(StorageLayout.SubjectKeys);
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);

    public async Task<SubjectKeyRing> GetRingAsync(string subject, string scope, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {subject} and RowKey ge {scope + "|"} and RowKey lt {scope + "}"}");
        var rings = await ReadRingsAsync(subject, filter, cancellationToken).ConfigureAwait(false);
        return rings.FirstOrDefault(r => r.Scope == scope) ?? new SubjectKeyRing(subject, scope, [], null);
    }

    public async Task<IReadOnlyList<SubjectKeyRing>> GetRingsAsync(string subject, CancellationToken cancellationToken = default) =>
        await ReadRingsAsync(subject, TableClient.CreateQueryFilter($"PartitionKey eq {subject}"), cancellationToken).ConfigureAwait(false);

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
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    public async Task<bool> TryDeleteAsync(StoredSubjectKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        // The SDK answers a missing entity with a 404 response rather than an exception.
        var response = await _pipeline.ExecuteAsync(
            async ct => await _table.DeleteEntityAsync(key.Subject, SubjectKeyEntity.RowKeyOf(key.Scope, key.Version), ETag.All, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    public Task<bool> TryAddTombstoneAsync(string subject, string scope, DateTimeOffset shreddedAt, CancellationToken cancellationToken = default)
    {
        var tombstone = new TableEntity(subject, scope + TombstoneSuffix) { ["ShreddedAt"] = shreddedAt };
        return _pipeline.TryInsertAsync(ct => _table.AddEntityAsync(tombstone, ct), cancellationToken);
    }

    public IAsyncEnumerable<StoredSubjectKey> ListAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("", cancellationToken);

    public IAsyncEnumerable<StoredSubjectKey> ListWrappedByOtherThanAsync(string rootKeyVersion, CancellationToken cancellationToken = default) =>
        QueryAsync(TableClient.CreateQueryFilter($"RootKeyVersion ne {rootKeyVersion}"), cancellationToken);

    private async IAsyncEnumerable<StoredSubjectKey> QueryAsync(string filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in _table.QueryAsync<TableEntity>(_pipeline, filter, null, cancellationToken).ConfigureAwait(false))
        {
            if (!IsTombstone(entity))
            {
                yield return SubjectKeyEntity.ToKey(entity);
            }
        }
    }

    private async Task<IReadOnlyList<SubjectKeyRing>> ReadRingsAsync(string subject, string filter, CancellationToken cancellationToken)
    {
        var versions = new SortedDictionary<string, List<StoredSubjectKey>>(StringComparer.Ordinal);
        var tombstones = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var entity in _table.QueryAsync<TableEntity>(_pipeline, filter, null, cancellationToken).ConfigureAwait(false))
        {
            if (IsTombstone(entity))
            {
                var scope = entity.RowKey[..^TombstoneSuffix.Length];
                tombstones[scope] = entity.GetDateTimeOffset("ShreddedAt") ?? DateTimeOffset.UnixEpoch;
                versions.TryAdd(scope, []);
            }
            else
            {
                var key = SubjectKeyEntity.ToKey(entity);
                if (!versions.TryGetValue(key.Scope, out var list))
                {
                    versions[key.Scope] = list = [];
                }

                list.Add(key);
            }
        }

        return [.. versions.Select(v => new SubjectKeyRing(subject, v.Key, [.. v.Value.OrderBy(k => k.Version)], tombstones.TryGetValue(v.Key, out var at) ? at : null))];
    }

    private static bool IsTombstone(TableEntity entity) => entity.RowKey.EndsWith(TombstoneSuffix, StringComparison.Ordinal);

    /// <summary>The row layout of a key version; tombstones are rows <c>SCOPE|shredded</c> with only <c>ShreddedAt</c>.</summary>
    private static class SubjectKeyEntity
    {
        public static string RowKeyOf(string scope, int version) => $"{scope}|{version:D10}";

        public static TableEntity From(StoredSubjectKey key) => new(key.Subject, RowKeyOf(key.Scope, key.Version))
        {
            ["WrappedValue"] = key.Wrapped.Value,
            ["RootKeyName"] = key.Wrapped.KeyName,
            ["RootKeyVersion"] = key.Wrapped.KeyVersion,
            ["Created"] = key.Created,
        };

        public static StoredSubjectKey ToKey(TableEntity entity)
        {
            var bar = entity.RowKey.LastIndexOf('|');
            return new StoredSubjectKey(
                entity.PartitionKey,
                entity.RowKey[..bar],
                int.Parse(entity.RowKey[(bar + 1)..], System.Globalization.CultureInfo.InvariantCulture),
                new WrappedKey(entity.GetString("RootKeyName"), entity.GetString("RootKeyVersion"), entity.GetBinary("WrappedValue")),
                entity.GetDateTimeOffset("Created") ?? DateTimeOffset.UnixEpoch,
                entity.ETag.ToString());
        }
    }
}
