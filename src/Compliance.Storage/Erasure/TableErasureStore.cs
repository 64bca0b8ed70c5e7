using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Compliance.Core.Erasure;
using Compliance.Storage.Resilience;
using Compliance.Storage.Tables;
using Polly;
using Polly.Registry;

namespace Compliance.Storage.Erasure;

/// <summary>
/// Erasure requests in table <c>erasures</c>: PartitionKey the erasure id, RowKey <c>request</c>, one row per
/// request with its state and everything its certificate needs (lists as JSON arrays). Requests are few (one per
/// leaver or objection), so listing filters the table; processing reads one row by key.
/// </summary>
internal sealed class TableErasureStore(StorageClients clients, ResiliencePipelineProvider<string> pipelines) : IErasureStore
{
    private const string Row = "request";

    private readonly TableClient _table = clients.Table(StorageLayout.Erasures);
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(StorageResilience.PipelineKey);

    public async Task<ErasureRecord?> GetAsync(string erasureId, CancellationToken cancellationToken = default) =>
        await _table.TryGetAsync<TableEntity>(_pipeline, erasureId, Row, cancellationToken).ConfigureAwait(false) is { } entity ? ToRecord(entity) : null;

    public async Task<ErasureRecord> AddOrGetAsync(ErasureRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entity = ToEntity(record);
        await _pipeline.TryInsertAsync(ct => _table.AddEntityAsync(entity, ct), cancellationToken).ConfigureAwait(false);
        return await GetAsync(record.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Erasure {record.Id} vanished right after it was stored.");
    }

    public async Task<ErasureRecord?> TryUpdateAsync(ErasureRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entity = ToEntity(record);
        try
        {
            var response = await _pipeline.ExecuteAsync(
                async ct => await _table.UpdateEntityAsync(entity, new ETag(record.ETag ?? throw new ArgumentException($"Erasure {record.Id} was not read from the store (no ETag); updates are conditional.", nameof(record))), TableUpdateMode.Replace, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            return record with { ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<ErasureRecord> ListAsync(string? lookupKey = null, bool openOnly = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {Row}");
        if (lookupKey is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"LookupKey eq {lookupKey}");
        }

        if (openOnly)
        {
            filter += " and " + TableClient.CreateQueryFilter($"State ne {ErasureState.Completed.ToName()}");
        }

        await foreach (var entity in _table.QueryAsync<TableEntity>(_pipeline, filter, null, cancellationToken).ConfigureAwait(false))
        {
            yield return ToRecord(entity);
        }
    }

    private static TableEntity ToEntity(ErasureRecord r) => new(r.Id, Row)
    {
        ["Subject"] = r.Subject,
        ["LookupKey"] = r.LookupKey,
        ["Scope"] = r.Scope,
        ["Reason"] = r.Reason,
        ["Source"] = r.Source,
        ["CleanUp"] = r.CleanUp,
        ["RequestedAt"] = r.RequestedAt,
        ["State"] = r.State.ToName(),
        ["PolicyVersion"] = r.PolicyVersion,
        ["HeldSince"] = r.HeldSince,
        ["HeldUntil"] = r.HeldUntil,
        ["HoldStartedAt"] = r.HoldStartedAt,
        ["HeldBeforeSeconds"] = r.HeldBefore.TotalSeconds,
        ["Deferrals"] = r.Deferrals,
        ["HoldCases"] = Json(r.HoldCases),
        ["KeyIds"] = Json(r.KeyIds),
        ["Scopes"] = Json(r.Scopes),
        ["KeysDestroyedAt"] = r.KeysDestroyedAt,
        ["ShredHorizon"] = r.ShredHorizon,
        ["RootRotationOverdue"] = r.RootRotationOverdue,
        ["ProbeSampled"] = r.ProbeSampled,
        ["ProbeDecrypted"] = r.ProbeDecrypted,
        ["CleanUpRows"] = r.CleanUpRows,
        ["CleanUpHeldRows"] = r.CleanUpHeldRows,
        ["CleanedUpAt"] = r.CleanedUpAt,
        ["Datasets"] = Json(r.Datasets),
        ["Models"] = Json(r.Models),
        ["CertifiedAt"] = r.CertifiedAt,
        ["KeyCustody"] = r.KeyCustody,
        ["SlaTargetHours"] = r.SlaTargetHours,
        ["SlaMaximumDays"] = r.SlaMaximumDays,
        ["CertificateName"] = r.CertificateName,
        ["CertificateSha256"] = r.CertificateSha256,
        ["CompletedAt"] = r.CompletedAt,
        ["Attempts"] = r.Attempts,
        ["LastError"] = r.LastError,
        ["FailedAt"] = r.FailedAt,
        ["UpdatedAt"] = r.UpdatedAt,
    };

    private static ErasureRecord ToRecord(TableEntity e) => new()
    {
        Id = e.PartitionKey,
        Subject = e.GetString("Subject"),
        LookupKey = e.GetString("LookupKey"),
        Scope = e.GetString("Scope"),
        Reason = e.GetString("Reason"),
        Source = e.GetString("Source"),
        CleanUp = e.GetBoolean("CleanUp") ?? false,
        RequestedAt = e.GetDateTimeOffset("RequestedAt") ?? DateTimeOffset.UnixEpoch,
        State = ErasureStateNames.TryParse(e.GetString("State"), out var state)
            ? state
            : throw new InvalidDataException($"Erasure {e.PartitionKey} has an unknown state '{e.GetString("State")}'."),
        PolicyVersion = e.GetString("PolicyVersion"),
        HeldSince = e.GetDateTimeOffset("HeldSince"),
        HeldUntil = e.GetDateTimeOffset("HeldUntil"),
        HoldStartedAt = e.GetDateTimeOffset("HoldStartedAt"),
        HeldBefore = TimeSpan.FromSeconds(e.GetDouble("HeldBeforeSeconds") ?? 0),
        Deferrals = e.GetInt32("Deferrals") ?? 0,
        HoldCases = List(e, "HoldCases"),
        KeyIds = List(e, "KeyIds"),
        Scopes = List(e, "Scopes"),
        KeysDestroyedAt = e.GetDateTimeOffset("KeysDestroyedAt"),
        ShredHorizon = e.GetDateTimeOffset("ShredHorizon"),
        RootRotationOverdue = e.GetBoolean("RootRotationOverdue") ?? false,
        ProbeSampled = e.GetInt32("ProbeSampled") ?? 0,
        ProbeDecrypted = e.GetInt32("ProbeDecrypted") ?? 0,
        CleanUpRows = e.GetInt32("CleanUpRows"),
        CleanUpHeldRows = e.GetInt32("CleanUpHeldRows") ?? 0,
        CleanedUpAt = e.GetDateTimeOffset("CleanedUpAt"),
        Datasets = List(e, "Datasets"),
        Models = List(e, "Models"),
        CertifiedAt = e.GetDateTimeOffset("CertifiedAt"),
        KeyCustody = e.GetString("KeyCustody"),
        SlaTargetHours = e.GetInt32("SlaTargetHours") ?? 0,
        SlaMaximumDays = e.GetInt32("SlaMaximumDays") ?? 0,
        CertificateName = e.GetString("CertificateName"),
        CertificateSha256 = e.GetString("CertificateSha256"),
        CompletedAt = e.GetDateTimeOffset("CompletedAt"),
        Attempts = e.GetInt32("Attempts") ?? 0,
        LastError = e.GetString("LastError"),
        FailedAt = e.GetDateTimeOffset("FailedAt"),
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.UnixEpoch,
        ETag = e.ETag.ToString(),
    };

    private static string Json(IReadOnlyList<string> values) => JsonSerializer.Serialize(values);

    private static string[] List(TableEntity entity, string name) =>
        entity.GetString(name) is { Length: > 0 } json ? JsonSerializer.Deserialize<string[]>(json) ?? [] : [];
}
