using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Compliance.Core.Audit;
using Compliance.Core.Holds;
using Compliance.Core.Lineage;
using Compliance.Core.Policy;
using Compliance.Core.SubjectKeys;
using Compliance.Core.Telemetry;

namespace Compliance.Core.Retention;

/// <summary>
/// The nightly retention purge (DESIGN invariant 6; docs/retention.md). A record has expired when it was captured at
/// or before now minus its category's retention. Per category, only days that hold expired records are touched:
/// a day whose every record has expired and that holds nothing under a legal hold is dropped as a whole table
/// (one operation, however many records); the boundary day, and any day holding held records, has its expired,
/// unheld records deleted in batches. Days still retained are never read, so the cost grows with expired data
/// only. A category hold keeps the whole category; a subject hold keeps that subject's records.
/// <para>
/// A dry run returns the plan a real run at the same clock executes. A real run holds the purge lease (one run at
/// a time), records its intent (PURGE, phase <c>planned</c>), executes the plan, retires subject-key versions whose data has all expired, marks datasets holding
/// expired data as stale, stores a manifest and records a PURGE event (phase <c>completed</c>) with its SHA-256. Interrupted, the next run
/// finds only what is left and finishes it, counting only what it deleted itself.
/// </para>
/// </summary>
public sealed class PurgeService(
    ITelemetryStore store,
    IHoldStore holds,
    IPurgeManifestStore manifests,
    IPurgeLock purgeLock,
    ILineageStore lineage,
    KeyRotationService rotation,
    ActivePolicy policy,
    IAuditTrail audit,
    TimeProvider clock)
{
    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>What a purge at this instant would do, without doing it.</summary>
    public async Task<PurgePlan> PlanAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var active = (await holds.ListAsync(cancellationToken).ConfigureAwait(false)).Where(h => h.IsActive).ToList();
        var categories = new List<PurgeCategoryPlan>();
        foreach (var (name, category) in policy.Policy.Categories.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            categories.Add(await PlanCategoryAsync(name, category, now, active, cancellationToken).ConfigureAwait(false));
        }

        return new PurgePlan(now, policy.Version, categories);
    }

    /// <summary>
    /// Purges what has expired now, holding the purge lease throughout. If the lease is lost (it could not be renewed,
    /// so another run may start), the run stops at its next storage call rather than purge beside another one: what
    /// it deleted is gone and the next run plans the rest again.
    /// </summary>
    /// <exception cref="PurgeInProgressException">Another run holds the purge lease.</exception>
    /// <exception cref="PurgeLeaseLostException">The lease was lost part-way; the run stopped.</exception>
    public async Task<PurgeResult> RunAsync(string actor, CancellationToken cancellationToken = default)
    {
        var lease = await purgeLock.TryAcquireAsync(cancellationToken).ConfigureAwait(false) ?? throw new PurgeInProgressException();
        await using (lease.ConfigureAwait(false))
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            try
            {
                return await RunLeasedAsync(actor, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (lease.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new PurgeLeaseLostException(ex);
            }
        }
    }

    private async Task<PurgeResult> RunLeasedAsync(string actor, CancellationToken token)
    {
        var started = clock.GetUtcNow();
        var runId = "purge-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var plan = await PlanAsync(token).ConfigureAwait(false);

        // The intent first: a run killed part-way leaves a record of what it set out to delete.
        await audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.Purge,
                Actor = actor,
                Counts = new Dictionary<string, long> { ["recordsPlanned"] = plan.Records, ["recordsHeld"] = plan.HeldRecords },
                Attributes = new Dictionary<string, string> { ["runId"] = runId, ["phase"] = "planned" },
            },
            token).ConfigureAwait(false);
        var entries = new List<PurgeManifestEntry>();
        var deletedKeys = new List<string>();
        var dropped = 0;
        var lateHolds = new List<string>();
        foreach (var categoryPlan in plan.Categories)
        {
            foreach (var action in categoryPlan.Actions)
            {
                // A lost lease stops the run here, between actions, rather than half-way through one.
                token.ThrowIfCancellationRequested();

                // A hold placed since planning wins: look again before destroying anything.
                if (action.Targets.Count > 0 && await NewlyHeldAsync(action, token).ConfigureAwait(false) is { Count: > 0 } newCases)
                {
                    entries.Add(new PurgeManifestEntry(action.Category, action.Day, action.Kind, 0, action.HeldRecords + action.Targets.Count));
                    lateHolds.AddRange(newCases);
                    continue;
                }

                var deleted = 0;
                if (action.Kind == PurgeActionKind.DropTable)
                {
                    await store.DropDayAsync(action.Category, action.Day, token).ConfigureAwait(false);
                    deleted = action.Records;
                    dropped++;
                }
                else if (action.Targets.Count > 0)
                {
                    deleted = await store.DeleteAsync(action.Category, action.Day, action.Targets, token).ConfigureAwait(false);
                }

                var table = TelemetryLayout.TableName(action.Category, action.Day);
                deletedKeys.AddRange(action.Targets.Select(t => $"{table}\t{t.PartitionKey}\t{t.RowKey}"));
                entries.Add(new PurgeManifestEntry(action.Category, action.Day, action.Kind, deleted, action.HeldRecords));
            }
        }

        var retired = await rotation.RetireAsync(actor, token).ConfigureAwait(false);
        var stale = await MarkStaleDatasetsAsync(plan.At, token).ConfigureAwait(false);
        deletedKeys.Sort(StringComparer.Ordinal);
        var manifest = new PurgeManifest(
            runId,
            started,
            clock.GetUtcNow(),
            plan.PolicyVersion,
            entries,
            entries.Sum(e => e.RecordsDeleted),
            entries.Sum(e => e.RecordsHeld),
            dropped,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', deletedKeys)))),
            [.. plan.Categories.SelectMany(c => c.Actions).SelectMany(a => a.HoldingCases).Concat(lateHolds).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            retired,
            stale);

        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var name = $"{started.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{manifest.RunId}.json";
        await manifests.SaveAsync(name, bytes, token).ConfigureAwait(false);

        var counts = new Dictionary<string, long>
        {
            ["recordsDeleted"] = manifest.RecordsDeleted,
            ["recordsHeld"] = manifest.RecordsHeld,
            ["tablesDropped"] = dropped,
            ["keyVersionsRetired"] = retired,
            ["datasetsMarkedStale"] = stale.Count,
        };
        foreach (var category in entries.GroupBy(e => e.Category, StringComparer.Ordinal))
        {
            counts["deleted." + category.Key] = category.Sum(e => e.RecordsDeleted);
        }

        await audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.Purge,
                Actor = actor,
                Counts = counts,
                Hashes = new Dictionary<string, string> { ["manifest"] = hash, ["deletedKeys"] = manifest.DeletedKeysSha256 },
                Attributes = new Dictionary<string, string> { ["runId"] = manifest.RunId, ["phase"] = "completed", ["policyVersion"] = plan.PolicyVersion[..12] },
            },
            token).ConfigureAwait(false);
        return new PurgeResult(manifest, name, hash);
    }

    /// <summary>The case ids of active holds that now cover the action's category or one of its records' subjects.</summary>
    private async Task<List<string>> NewlyHeldAsync(PurgeAction action, CancellationToken cancellationToken)
    {
        var subjects = action.Targets.Select(t => t.PartitionKey).ToHashSet(StringComparer.Ordinal);
        return [.. (await holds.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(h => h.IsActive && (h.Category == action.Category || (h.Subject is { } s && subjects.Contains(s))))
            .Select(h => h.CaseId)];
    }

    private async Task<PurgeCategoryPlan> PlanCategoryAsync(string name, CategoryDefinition category, DateTimeOffset now, List<LegalHold> active, CancellationToken cancellationToken)
    {
        var cutoff = now - category.Retention;
        var categoryHolds = active.Where(h => h.Category == name).Select(h => h.CaseId).ToList();
        var subjectHolds = active.Where(h => h.Subject is not null)
            .GroupBy(h => h.Subject!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(h => h.CaseId).ToList(), StringComparer.Ordinal);
        var cutoffDay = DateOnly.FromDateTime(cutoff.UtcDateTime);
        var actions = new List<PurgeAction>();
        await foreach (var day in store.ListDaysAsync(name, cancellationToken).ConfigureAwait(false))
        {
            if (day > cutoffDay)
            {
                break; // retained: never read
            }

            var whole = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) <= cutoff;
            var expired = new List<RecordLocation>();
            await foreach (var location in store.ListLocationsAsync(name, day, whole ? null : cutoff, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                expired.Add(location);
            }

            if (categoryHolds.Count > 0)
            {
                if (expired.Count > 0)
                {
                    actions.Add(new PurgeAction(name, day, PurgeActionKind.DeleteRecords, 0, expired.Count, categoryHolds));
                }

                continue;
            }

            var held = expired.Where(e => subjectHolds.ContainsKey(e.PartitionKey)).ToList();
            var targets = held.Count == 0 ? expired : [.. expired.Where(e => !subjectHolds.ContainsKey(e.PartitionKey))];
            var cases = held.SelectMany(h => subjectHolds[h.PartitionKey]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (whole && held.Count == 0)
            {
                actions.Add(new PurgeAction(name, day, PurgeActionKind.DropTable, targets.Count, 0, []) { Targets = targets });
            }
            else if (targets.Count > 0 || held.Count > 0)
            {
                actions.Add(new PurgeAction(name, day, PurgeActionKind.DeleteRecords, targets.Count, held.Count, cases) { Targets = targets });
            }
        }

        return new PurgeCategoryPlan(name, category.RetentionDays, cutoff, categoryHolds.Count > 0, actions);
    }

    /// <summary>Marks each dataset whose period ends at or before its category's cutoff (so it holds expired data) as stale, once.</summary>
    private async Task<IReadOnlyList<string>> MarkStaleDatasetsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var marked = new List<string>();
        await foreach (var (dataset, staleSince) in lineage.ListDatasetsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (staleSince is null
                && policy.Policy.Categories.TryGetValue(dataset.Category, out var category)
                && dataset.From <= now - category.Retention)
            {
                await lineage.MarkStaleAsync(dataset.Id, now, cancellationToken).ConfigureAwait(false);
                marked.Add(dataset.Id);
            }
        }

        return marked;
    }
}
