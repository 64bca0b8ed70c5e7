using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Compliance.Core.Crypto;
using Compliance.Core.Telemetry;
using Compliance.Storage.Resilience;
using Compliance.Storage.Tables;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.Telemetry;

/// <summary>
/// Telemetry records in day tables (<see cref="TelemetryLayout"/>), created on first write. PartitionKey = subject
/// surrogate, RowKey = keyed digest of the event id. Records of one table and partition are inserted in entity
/// group transactions of at most 100 (all or nothing); when a batch meets a row that already exists (a
/// redelivery), its records are inserted one by one so each gets its own outcome and nothing is written twice.
/// </summary>
internal sealed class TableTelemetryStore(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : ITelemetryStore
{
    private const int MaxEnvelopeBytes = TelemetryRecord.MaxEnvelopeBytes;
    private const int MaxBatch = 100;
    private static readonly string[] LocationColumns = ["PartitionKey", "RowKey", "CapturedAt"];

    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);
    private readonly ConcurrentDictionary<string, Lazy<Task>> _created = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<InsertOutcome>> InsertAsync(IReadOnlyList<TelemetryRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            if (record.Envelope.Length > MaxEnvelopeBytes)
            {
                throw new ArgumentException($"An encrypted record is at most {MaxEnvelopeBytes} bytes; one has {record.Envelope.Length}.", nameof(records));
            }
        }

        var outcomes = new InsertOutcome[records.Count];
        var groups = records
            .Select((record, index) => (record, index))
            .GroupBy(r => (r.record.Identity.Table, r.record.Identity.PartitionKey))
            .SelectMany(g => g.Chunk(MaxBatch).Select(chunk => (g.Key.Table, Chunk: chunk)));
        await Parallel.ForEachAsync(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (group, ct) =>
            {
                var table = await TableAsync(group.Table, ct).ConfigureAwait(false);
                if (await TryInsertBatchAsync(table, group.Chunk.Select(r => r.record), ct).ConfigureAwait(false))
                {
                    foreach (var (_, index) in group.Chunk)
                    {
                        outcomes[index] = InsertOutcome.Stored;
                    }

                    return;
                }

                foreach (var (record, index) in group.Chunk)
                {
                    var entity = ToEntity(record);
                    outcomes[index] = await _pipeline.TryInsertAsync(c => table.AddEntityAsync(entity, c), ct).ConfigureAwait(false)
                        ? InsertOutcome.Stored
                        : InsertOutcome.Duplicate;
                }
            }).ConfigureAwait(false);
        return outcomes;
    }

    public async IAsyncEnumerable<TelemetryRecord> ReadSubjectAsync(
        string subject,
        string category,
        DateOnly firstDay,
        DateOnly lastDay,
        int max = int.MaxValue,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {subject}");
        var left = max;
        for (var day = lastDay; day >= firstDay && left > 0; day = day.AddDays(-1))
        {
            var baseName = TelemetryLayout.TableName(category, day);
            var table = clients.Tables.GetTableClient(baseName + clients.NameSuffix);
            var rows = new List<TelemetryRecord>();
            try
            {
                await foreach (var entity in table.QueryAsync<TableEntity>(_pipeline, filter, null, left, cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(ToRecord(baseName, entity));
                    if (rows.Count == left)
                    {
                        break;
                    }
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                continue; // no table: nothing was captured that day (or it was purged)
            }

            left -= rows.Count;
            foreach (var row in rows)
            {
                yield return row;
            }
        }
    }

    public async IAsyncEnumerable<TelemetryRecord> ReadRangeAsync(
        string category,
        DateOnly firstDay,
        DateOnly lastDay,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var existing = new HashSet<DateOnly>();
        await foreach (var day in ListDaysAsync(category, cancellationToken).ConfigureAwait(false))
        {
            existing.Add(day);
        }

        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            if (!existing.Contains(day))
            {
                continue;
            }

            var baseName = TelemetryLayout.TableName(category, day);
            var table = clients.Tables.GetTableClient(baseName + clients.NameSuffix);
            await foreach (var entity in table.QueryAsync<TableEntity>(_pipeline, "", null, cancellationToken).ConfigureAwait(false))
            {
                yield return ToRecord(baseName, entity);
            }
        }
    }

    public async IAsyncEnumerable<RecordLocation> ListLocationsAsync(
        string category,
        DateOnly day,
        DateTimeOffset? capturedAtOrBefore = null,
        string? subject = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = clients.Tables.GetTableClient(TelemetryLayout.TableName(category, day) + clients.NameSuffix);
        var conditions = new List<string>(2);
        if (subject is not null)
        {
            conditions.Add(TableClient.CreateQueryFilter($"PartitionKey eq {subject}"));
        }

        if (capturedAtOrBefore is { } cutoff)
        {
            conditions.Add(TableClient.CreateQueryFilter($"CapturedAt le {cutoff}"));
        }

        var filter = string.Join(" and ", conditions);
        var locations = new List<RecordLocation>();
        try
        {
            await foreach (var entity in table.QueryAsync<TableEntity>(_pipeline, filter, LocationColumns, cancellationToken).ConfigureAwait(false))
            {
                locations.Add(new RecordLocation(entity.PartitionKey, entity.RowKey, entity.GetDateTimeOffset("CapturedAt") ?? DateTimeOffset.UnixEpoch));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            yield break;
        }

        foreach (var location in locations)
        {
            yield return location;
        }
    }

    public async Task<bool> DropDayAsync(string category, DateOnly day, CancellationToken cancellationToken = default)
    {
        var name = TelemetryLayout.TableName(category, day);
        _created.TryRemove(name, out _);
        var response = await _pipeline.ExecuteAsync(
            async ct => await clients.Tables.DeleteTableAsync(name + clients.NameSuffix, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    public async Task<int> DeleteAsync(string category, DateOnly day, IReadOnlyList<RecordLocation> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var table = clients.Tables.GetTableClient(TelemetryLayout.TableName(category, day) + clients.NameSuffix);
        var deleted = 0;
        var batches = records.GroupBy(r => r.PartitionKey, StringComparer.Ordinal).SelectMany(g => g.Chunk(MaxBatch));
        await Parallel.ForEachAsync(
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (batch, ct) =>
            {
                var actions = batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(r.PartitionKey, r.RowKey), ETag.All)).ToList();
                try
                {
                    await _pipeline.ExecuteAsync(async c => await table.SubmitTransactionAsync(actions, c).ConfigureAwait(false), ct).ConfigureAwait(false);
                    Interlocked.Add(ref deleted, batch.Length);
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    // Some row of the batch is already gone (an earlier, interrupted run): delete one by one, counting only ours.
                    foreach (var record in batch)
                    {
                        var response = await _pipeline.ExecuteAsync(
                            async c => await table.DeleteEntityAsync(record.PartitionKey, record.RowKey, ETag.All, c).ConfigureAwait(false),
                            ct).ConfigureAwait(false);
                        if (response.Status != 404)
                        {
                            Interlocked.Increment(ref deleted);
                        }
                    }
                }
            }).ConfigureAwait(false);
        return deleted;
    }

    public async IAsyncEnumerable<DateOnly> ListDaysAsync(string category, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prefix = TelemetryLayout.TablePrefix + TelemetryLayout.CategoryPart(category);
        var filter = TableClient.CreateQueryFilter($"TableName ge {prefix} and TableName lt {prefix + "~"}");
        var names = await _pipeline.ExecuteAsync(
            async ct =>
            {
                var found = new List<string>();
                await foreach (var item in clients.Tables.QueryAsync(filter, cancellationToken: ct).ConfigureAwait(false))
                {
                    found.Add(item.Name);
                }

                return found;
            },
            cancellationToken).ConfigureAwait(false);
        var days = names
            .Where(n => n.EndsWith(clients.NameSuffix, StringComparison.Ordinal))
            .Select(n => TelemetryLayout.DayOf(category, n[..^clients.NameSuffix.Length]))
            .OfType<DateOnly>()
            .Order();
        foreach (var day in days)
        {
            yield return day;
        }
    }

    private async Task<TableClient> TableAsync(string baseName, CancellationToken cancellationToken)
    {
        var table = clients.Tables.GetTableClient(baseName + clients.NameSuffix);
        var creation = _created.GetOrAdd(
            baseName,
            _ => new Lazy<Task>(() => _pipeline.ExecuteAsync(async ct => await table.CreateIfNotExistsAsync(ct).ConfigureAwait(false), CancellationToken.None).AsTask()));
        try
        {
            await creation.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _created.TryRemove(baseName, out _); // let the next write try again
            throw;
        }

        return table;
    }

    /// <summary>True when the whole batch was inserted; false when a row already existed (then nothing was).</summary>
    private async Task<bool> TryInsertBatchAsync(TableClient table, IEnumerable<TelemetryRecord> records, CancellationToken cancellationToken)
    {
        var actions = records.Select(r => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(r))).ToList();
        try
        {
            await _pipeline.ExecuteAsync(async ct => await table.SubmitTransactionAsync(actions, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (TableOperations.IsConflict(ex))
        {
            return false;
        }
    }

    private static TableEntity ToEntity(TelemetryRecord record) => new(record.Identity.PartitionKey, record.Identity.RowKey)
    {
        ["Category"] = record.Identity.Category,
        ["Scope"] = record.Scope,
        ["SchemaVersion"] = record.Identity.SchemaVersion,
        ["CapturedAt"] = record.CapturedAt,
        ["IngestedAt"] = record.IngestedAt,
        ["KeyVersion"] = record.KeyVersion,
        ["Envelope"] = record.Envelope,
    };

    private static TelemetryRecord ToRecord(string baseName, TableEntity entity) => new(
        new RecordIdentity(
            baseName,
            entity.PartitionKey,
            entity.RowKey,
            entity.PartitionKey,
            entity.GetString("Category"),
            entity.GetInt32("SchemaVersion") ?? 0),
        entity.GetString("Scope"),
        entity.GetDateTimeOffset("CapturedAt") ?? DateTimeOffset.UnixEpoch,
        entity.GetDateTimeOffset("IngestedAt") ?? DateTimeOffset.UnixEpoch,
        entity.GetBinary("Envelope"));
}
