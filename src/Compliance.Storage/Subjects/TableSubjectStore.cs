using Azure;
using Azure.Data.Tables;
using Compliance.Core.Subjects;
using Compliance.Storage.Resilience;
using Compliance.Storage.Tables;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.Subjects;

/// <summary>
/// The subject registry in table <c>subjects</c>. Lookup rows: PartitionKey <c>lookup-XX</c> (the first two hex
/// digits of the HMAC, spreading load over 256 partitions), RowKey the HMAC, with the surrogate and status (and,
/// while an erased employee is being enrolled again, the surrogate they will get).
/// Per-subject rows: PartitionKey the surrogate, RowKey <c>notice|VERSION</c> or <c>pause</c>.
/// </summary>
internal sealed class TableSubjectStore(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : ISubjectStore
{
    private const string PauseRow = "pause";

    /// <summary>On an erased lookup entry: the surrogate a re-enrolment under way will give the employee.</summary>
    private const string PendingSurrogate = "PendingSurrogate";

    private readonly TableClient _table = clients.Table(StorageLayout.Subjects);
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);

    public async Task<Subject?> FindAsync(string lookupKey, CancellationToken cancellationToken = default)
    {
        var entity = await GetAsync(LookupPartition(lookupKey), lookupKey, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ToSubject(entity);
    }

    public async Task<Subject> AddOrGetAsync(string lookupKey, Subject candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var entity = new TableEntity(LookupPartition(lookupKey), lookupKey)
        {
            ["Surrogate"] = candidate.Surrogate,
            ["Status"] = candidate.Status.ToString(),
            ["EnrolledAt"] = candidate.EnrolledAt,
        };
        if (await _pipeline.TryInsertAsync(ct => _table.AddEntityAsync(entity, ct), cancellationToken).ConfigureAwait(false))
        {
            return candidate;
        }

        return await FindAsync(lookupKey, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("A subject lookup entry conflicted on insert but cannot be read.");
    }

    public async Task<Subject> SetStatusAsync(string lookupKey, SubjectStatus status, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(LookupPartition(lookupKey), lookupKey) { ["Status"] = status.ToString() };
        await _pipeline.ExecuteAsync(
            async ct => await _table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return await FindAsync(lookupKey, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("A subject lookup entry was updated but cannot be read.");
    }

    public async Task<PendingReenrolment?> PrepareReenrolmentAsync(string lookupKey, string candidate, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var entity = await GetAsync(LookupPartition(lookupKey), lookupKey, cancellationToken).ConfigureAwait(false);
            if (entity is null || ToSubject(entity).Status != SubjectStatus.Erased)
            {
                return null;
            }

            if (entity.GetString(PendingSurrogate) is { Length: > 0 } pending)
            {
                return new PendingReenrolment(pending, entity.ETag.ToString());
            }

            var update = new TableEntity(entity.PartitionKey, entity.RowKey) { [PendingSurrogate] = candidate };
            try
            {
                var response = await _pipeline.ExecuteAsync(
                    async ct => await _table.UpdateEntityAsync(update, entity.ETag, TableUpdateMode.Merge, ct).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
                return new PendingReenrolment(candidate, response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("Table storage returned no ETag for an update."));
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Changed since read (another attempt, or an erasure request): read again and decide on what is there now.
            }
        }
    }

    public async Task<Subject?> CompleteReenrolmentAsync(string lookupKey, PendingReenrolment pending, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var replacement = new TableEntity(LookupPartition(lookupKey), lookupKey)
        {
            ["Surrogate"] = pending.Surrogate,
            ["Status"] = SubjectStatus.Active.ToString(),
            ["EnrolledAt"] = at,
        };
        try
        {
            // No re-read: only the version the re-enrolment was checked against may be replaced.
            await _pipeline.ExecuteAsync(
                async ct => await _table.UpdateEntityAsync(replacement, new ETag(pending.Version), TableUpdateMode.Replace, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            return ToSubject(replacement);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            // Touched since (an erasure request), or completed by an earlier attempt whose answer was lost.
            var current = await FindAsync(lookupKey, cancellationToken).ConfigureAwait(false);
            return current is { Status: not SubjectStatus.Erased } && current.Surrogate == pending.Surrogate ? current : null;
        }
    }

    public async Task TouchAsync(string lookupKey, CancellationToken cancellationToken = default)
    {
        var touch = new TableEntity(LookupPartition(lookupKey), lookupKey) { [PendingSurrogate] = "" };
        try
        {
            await _pipeline.ExecuteAsync(
                async ct => await _table.UpdateEntityAsync(touch, ETag.All, TableUpdateMode.Merge, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No entry: nothing can be re-enrolled.
        }
    }

    public Task SaveAcknowledgementAsync(NoticeAcknowledgement acknowledgement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(acknowledgement);
        var entity = new TableEntity(acknowledgement.Surrogate, "notice|" + acknowledgement.NoticeVersion)
        {
            ["Categories"] = string.Join(',', acknowledgement.Categories),
            ["AcknowledgedAt"] = acknowledgement.AcknowledgedAt,
        };
        return _pipeline.ExecuteAsync(async ct => await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct).ConfigureAwait(false), cancellationToken).AsTask();
    }

    public async Task<IReadOnlyList<NoticeAcknowledgement>> GetAcknowledgementsAsync(string surrogate, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {surrogate} and RowKey ge {"notice|"} and RowKey lt {"notice}"}");
        var acknowledgements = new List<NoticeAcknowledgement>();
        await foreach (var row in _table.QueryAsync<TableEntity>(_pipeline, filter, null, cancellationToken).ConfigureAwait(false))
        {
            acknowledgements.Add(new NoticeAcknowledgement(
                surrogate,
                row.RowKey["notice|".Length..],
                row.GetString("Categories").Split(',', StringSplitOptions.RemoveEmptyEntries),
                row.GetDateTimeOffset("AcknowledgedAt") ?? DateTimeOffset.UnixEpoch));
        }

        return acknowledgements;
    }

    public Task SavePauseAsync(string surrogate, SubjectPause? pause, CancellationToken cancellationToken = default) =>
        pause is null
            ? _pipeline.ExecuteAsync(async ct => await _table.DeleteEntityAsync(surrogate, PauseRow, ETag.All, ct).ConfigureAwait(false), cancellationToken).AsTask()
            : _pipeline.ExecuteAsync(
                async ct => await _table.UpsertEntityAsync(
                    new TableEntity(surrogate, PauseRow) { ["Reason"] = pause.Reason.ToString(), ["Since"] = pause.Since },
                    TableUpdateMode.Replace,
                    ct).ConfigureAwait(false),
                cancellationToken).AsTask();

    public async Task<SubjectPause?> GetPauseAsync(string surrogate, CancellationToken cancellationToken = default)
    {
        var entity = await GetAsync(surrogate, PauseRow, cancellationToken).ConfigureAwait(false);
        return entity is null
            ? null
            : new SubjectPause(surrogate, Enum.Parse<PauseReason>(entity.GetString("Reason")), entity.GetDateTimeOffset("Since") ?? DateTimeOffset.UnixEpoch);
    }

    private Task<TableEntity?> GetAsync(string partition, string row, CancellationToken cancellationToken) =>
        _table.TryGetAsync<TableEntity>(_pipeline, partition, row, cancellationToken);

    private static Subject ToSubject(TableEntity entity) => new(
        entity.GetString("Surrogate"),
        Enum.Parse<SubjectStatus>(entity.GetString("Status")),
        entity.GetDateTimeOffset("EnrolledAt") ?? DateTimeOffset.UnixEpoch);

    private static string LookupPartition(string lookupKey) => "lookup-" + lookupKey[..2];
}
