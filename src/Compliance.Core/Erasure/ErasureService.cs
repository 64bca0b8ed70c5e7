using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Compliance.Core.Access;
using Compliance.Core.Audit;
using Compliance.Core.Keys;
using Compliance.Core.Lineage;
using Compliance.Core.Policy;
using Compliance.Core.SubjectKeys;
using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;
using Compliance.Core.Time;

namespace Compliance.Core.Erasure;

/// <summary>What one pass over the open requests did.</summary>
public sealed record ErasureSweepResult(int Completed, int Held, int Failed, IReadOnlyList<ErasureRecord> Requests);

/// <summary>
/// The erasure service (DESIGN invariants 3, 6 and 9): records a request (ERASURE_REQ, before anything changes),
/// defers it while a legal hold covers it (ERASURE_HELD) and finishes it once the hold is released, crypto-shreds
/// the subject's keys in the requested scope and checks that a sample of their records no longer decrypts,
/// optionally deletes the now-unreadable rows (an audited PURGE), lists the datasets and models built on the
/// subject's data as needing disposition, and issues a destruction certificate whose SHA-256 the closing
/// ERASURE_DONE records. Every step is stored before the next begins, so a redelivered or resumed request ends in
/// the same state with the same certificate, and nothing is done twice.
/// </summary>
public sealed partial class ErasureService(
    SubjectRegistry registry,
    CryptoShredder shredder,
    ISubjectKeyStore keyStore,
    Holds.IHoldStore holds,
    ITelemetryStore telemetry,
    ILineageStore lineage,
    IErasureStore store,
    IErasureCertificateStore certificates,
    ISubjectLookupSecret secret,
    IRootKeyCustody custody,
    ActivePolicy policy,
    IAuditTrail audit,
    TimeProvider clock)
{
    public const int MaxRequestIdLength = 128;

    /// <summary>The reason code of the PURGE event that records a clean-up.</summary>
    public const string CleanUpReason = "ERASURE_CLEANUP";

    /// <summary>The reason code of ERASURE_HELD.</summary>
    public const string HeldReason = "LEGAL_HOLD";

    /// <summary>The id of the request with the caller's <paramref name="requestId"/>: a keyed hash, so the caller's id is not kept and cannot be guessed from ours.</summary>
    public async Task<string> ErasureIdAsync(string requestId, CancellationToken cancellationToken = default)
    {
        ValidateRequestId(requestId);
        var key = await secret.GetAsync(cancellationToken).ConfigureAwait(false);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("erasure-request\n" + requestId));
        return "era-" + Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }

    /// <summary>
    /// Records a request, once: submitting the same request id again returns the stored request (the same
    /// employee, scope and reason), whatever state it is in. ERASURE_REQ is audited, then the request stored, and
    /// only then does a full erasure stop ingestion for the employee, so a failed or conflicting submission never
    /// blocks anyone.
    /// </summary>
    /// <exception cref="InvalidErasureRequestException">A field is invalid; the exception names it.</exception>
    /// <exception cref="ErasureConflictException">The request id was used for a different request.</exception>
    public async Task<ErasureRecord> SubmitAsync(ErasureSubmission submission, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var scope = Validate(submission);
        string lookup;
        try
        {
            lookup = await registry.LookupKeyAsync(submission.EmployeeId, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidErasureRequestException("$.employeeId", ex.Message, ex);
        }

        var id = await ErasureIdAsync(submission.RequestId, cancellationToken).ConfigureAwait(false);
        if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return await PendingAsync(SameRequest(existing, lookup, scope, submission.Reason), cancellationToken).ConfigureAwait(false);
        }

        // Enrolling someone never seen before changes nothing they could notice; their status changes only below.
        var subject = await registry.FindByLookupKeyAsync(lookup, cancellationToken).ConfigureAwait(false)
            ?? await registry.EnrolByLookupKeyAsync(lookup, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var requestedAt = submission.SubmittedAt is { } submitted && submitted < now ? submitted : now;
        await audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.ErasureReq,
                Actor = actor,
                Subject = subject.Surrogate,
                ReasonCode = submission.Reason,
                Attributes = new Dictionary<string, string>
                {
                    ["erasureId"] = id,
                    ["scope"] = scope ?? "all",
                    ["source"] = submission.Source,
                    ["cleanUp"] = submission.CleanUp ? "true" : "false",
                    ["requestedAt"] = IsoInstant.Format(requestedAt),
                },
                IdempotencyKey = "erasure-req:" + id,
            },
            cancellationToken).ConfigureAwait(false);

        var stored = SameRequest(
            await store.AddOrGetAsync(
                new ErasureRecord
                {
                    Id = id,
                    Subject = subject.Surrogate,
                    LookupKey = lookup,
                    Scope = scope,
                    Reason = submission.Reason,
                    Source = submission.Source,
                    CleanUp = submission.CleanUp,
                    RequestedAt = requestedAt,
                    State = ErasureState.Received,
                    PolicyVersion = policy.Version,
                    UpdatedAt = now,
                },
                cancellationToken).ConfigureAwait(false),
            lookup,
            scope,
            submission.Reason);
        return await PendingAsync(stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A full erasure just received stops ingestion for the employee (again, if a submission stopped right before).</summary>
    private async Task<ErasureRecord> PendingAsync(ErasureRecord record, CancellationToken cancellationToken)
    {
        if (record.Scope is null && record.State == ErasureState.Received)
        {
            await SetSubjectStatusAsync(record, SubjectStatus.ErasurePending, cancellationToken).ConfigureAwait(false);
        }

        return record;
    }

    /// <summary>
    /// Takes the request as far as it can go: to <c>completed</c>, or to <c>held</c> while a legal hold covers it.
    /// Safe to call again at any time and from several places at once (each step is a conditional update).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No request has this id.</exception>
    /// <exception cref="ErasureVerificationException">The decrypt probe still read a record; the request stays open.</exception>
    public async Task<ErasureRecord> ProcessAsync(string erasureId, string actor, CancellationToken cancellationToken = default)
    {
        var record = await GetRequiredAsync(erasureId, cancellationToken).ConfigureAwait(false);
        for (var conflicts = 0; record.State != ErasureState.Completed;)
        {
            var next = await StepAsync(record, actor, cancellationToken).ConfigureAwait(false);
            if (next is null)
            {
                return record; // held, and nothing changed
            }

            var written = await store.TryUpdateAsync(next with { UpdatedAt = clock.GetUtcNow(), LastError = null, FailedAt = null }, cancellationToken).ConfigureAwait(false);
            if (written is null)
            {
                // Another run moved the request on: carry on from where it is now.
                if (++conflicts > 20)
                {
                    throw new InvalidOperationException($"Erasure {erasureId} keeps changing under this run; giving up for now (the next attempt resumes).");
                }

                record = await GetRequiredAsync(erasureId, cancellationToken).ConfigureAwait(false);
                continue;
            }

            record = written;
            if (record.State == ErasureState.Held)
            {
                return record;
            }
        }

        return record;
    }

    /// <summary>Submits and processes in one go: what the queue, the HTTP function and the CLI do.</summary>
    public async Task<ErasureRecord> EraseAsync(ErasureSubmission submission, string actor, CancellationToken cancellationToken = default)
    {
        var submitted = await SubmitAsync(submission, actor, cancellationToken).ConfigureAwait(false);
        return await ProcessAsync(submitted.Id, actor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every open request, taken as far as it can go: held ones complete once their hold is released, stopped ones
    /// resume. One request failing does not stop the others; its error is recorded on it.
    /// </summary>
    public async Task<ErasureSweepResult> ProcessOpenAsync(string actor, CancellationToken cancellationToken = default)
    {
        var open = new List<ErasureRecord>();
        await foreach (var record in store.ListAsync(null, openOnly: true, cancellationToken).ConfigureAwait(false))
        {
            open.Add(record);
        }

        int completed = 0, held = 0, failed = 0;
        var results = new List<ErasureRecord>(open.Count);
        foreach (var record in open.OrderBy(r => r.RequestedAt))
        {
            try
            {
                var result = await ProcessAsync(record.Id, actor, cancellationToken).ConfigureAwait(false);
                completed += result.State == ErasureState.Completed ? 1 : 0;
                held += result.State == ErasureState.Held ? 1 : 0;
                results.Add(result);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed++;
                results.Add(await RecordFailureAsync(record.Id, ErrorCode(ex), cancellationToken).ConfigureAwait(false) ?? record);
            }
        }

        return new ErasureSweepResult(completed, held, failed, results);
    }

    /// <summary>
    /// Records that processing the request failed (for example a queue message that failed every delivery), so it is
    /// visible in its status; the next sweep retries it. Null when there is no such request.
    /// </summary>
    public async Task<ErasureRecord?> RecordFailureAsync(string erasureId, string errorCode, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await store.GetAsync(erasureId, cancellationToken).ConfigureAwait(false) is not { } record)
            {
                return null;
            }

            // A decrypt probe that still read a record outranks whatever failed after it: that error stays shown.
            var code = record.LastError == ErasureVerificationException.Code ? record.LastError : errorCode;
            var now = clock.GetUtcNow();
            if (await store.TryUpdateAsync(record with { LastError = code, FailedAt = now, UpdatedAt = now }, cancellationToken).ConfigureAwait(false) is { } written)
            {
                return written;
            }
        }

        return await store.GetAsync(erasureId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The request with this id, or null (also for anything that is not an erasure id).</summary>
    public async Task<ErasureRecord?> GetAsync(string erasureId, CancellationToken cancellationToken = default) =>
        ErasureIdPattern().IsMatch(erasureId ?? "") ? await store.GetAsync(erasureId!, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>Every request, or the employee's only (found by their lookup key, whatever surrogate they had), oldest first.</summary>
    public async Task<IReadOnlyList<ErasureRecord>> ListAsync(string? employeeId = null, CancellationToken cancellationToken = default)
    {
        var lookup = employeeId is null ? null : await registry.LookupKeyAsync(employeeId, cancellationToken).ConfigureAwait(false);
        var records = new List<ErasureRecord>();
        await foreach (var record in store.ListAsync(lookup, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            records.Add(record);
        }

        return [.. records.OrderBy(r => r.RequestedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];
    }

    /// <summary>The stored certificate of a completed request, or null.</summary>
    public async Task<byte[]?> GetCertificateAsync(string erasureId, CancellationToken cancellationToken = default) =>
        await GetAsync(erasureId, cancellationToken).ConfigureAwait(false) is { CertificateName: { } name }
            ? await certificates.GetAsync(name, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>The SLA figures (controls ERA-1) over every request, measured now.</summary>
    public async Task<ErasureSla> GetSlaAsync(CancellationToken cancellationToken = default) =>
        ComputeSla(await ListAsync(null, cancellationToken).ConfigureAwait(false), clock.GetUtcNow(), policy.Policy.Slas);

    /// <summary>
    /// p95 (nearest rank) and maximum time from request to keys destroyed over the requests whose keys are destroyed;
    /// open requests past the target or the maximum, leaving out those a legal hold keeps open. Time under a legal
    /// hold counts nowhere (<see cref="ErasureRecord.TimeToKeysDestroyed"/>).
    /// </summary>
    public static ErasureSla ComputeSla(IReadOnlyList<ErasureRecord> records, DateTimeOffset now, SlaDefinition slas)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(slas);
        var target = TimeSpan.FromHours(slas.ErasureP95Hours);
        var maximum = TimeSpan.FromDays(slas.ErasureMaxDays);
        var latencies = records.Select(r => r.TimeToKeysDestroyed).OfType<TimeSpan>().Order().ToList();
        TimeSpan? p95 = latencies.Count == 0 ? null : latencies[(int)Math.Ceiling(0.95 * latencies.Count) - 1];
        TimeSpan? max = latencies.Count == 0 ? null : latencies[^1];
        var waiting = records.Where(r => r.KeysDestroyedAt is null && r.State != ErasureState.Held).ToList();
        return new ErasureSla(
            records.Count(r => r.State == ErasureState.Completed),
            p95,
            max,
            records.Count(r => r.State.IsOpen()),
            records.Count(r => r.State == ErasureState.Held),
            records.Count(r => r.State.IsOpen() && r.LastError is not null),
            [.. waiting.Where(r => now - r.RequestedAt - r.TimeHeld(now) > target)],
            [.. waiting.Where(r => now - r.RequestedAt - r.TimeHeld(now) > maximum)],
            target,
            maximum);
    }

    /// <summary>One step of the state machine: the request as it should be stored next, or null when it stays as it is.</summary>
    private async Task<ErasureRecord?> StepAsync(ErasureRecord record, string actor, CancellationToken cancellationToken) => record.State switch
    {
        ErasureState.Received or ErasureState.Held => await CheckHoldsAsync(record, actor, cancellationToken).ConfigureAwait(false),
        ErasureState.Shredding => await ShredAsync(record, actor, cancellationToken).ConfigureAwait(false),
        ErasureState.CleaningUp => await CleanUpAsync(record, actor, cancellationToken).ConfigureAwait(false),
        ErasureState.Certifying => await CertifyAsync(record, actor, cancellationToken).ConfigureAwait(false),
        _ => throw new InvalidOperationException($"Erasure {record.Id} is {record.State.ToName()}: nothing to do."),
    };

    /// <summary>Held while a legal hold covers the subject or a category of the scope; otherwise the keys about to be destroyed are recorded.</summary>
    private async Task<ErasureRecord?> CheckHoldsAsync(ErasureRecord record, string actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var cases = await shredder.CoveringHoldsAsync(record.Subject, record.Scope, cancellationToken).ConfigureAwait(false);
        if (cases.Count > 0)
        {
            var held = record.State == ErasureState.Held;
            if (held && cases.All(record.HoldCases.Contains))
            {
                return null;
            }

            // One ERASURE_HELD per deferral, and again when another case joins while held.
            var deferral = held ? record.Deferrals : record.Deferrals + 1;
            var attributes = new Dictionary<string, string>
            {
                ["erasureId"] = record.Id,
                ["scope"] = record.ScopeLabel,
                ["deferral"] = deferral.ToString(CultureInfo.InvariantCulture),
            };
            for (var i = 0; i < cases.Count; i++)
            {
                attributes["case." + i.ToString(CultureInfo.InvariantCulture)] = cases[i];
            }

            await audit.AppendAsync(
                new AuditEvent
                {
                    Type = AuditEventType.ErasureHeld,
                    Actor = actor,
                    Subject = record.Subject,
                    ReasonCode = HeldReason,
                    Attributes = attributes,
                    IdempotencyKey = $"erasure-held:{record.Id}:{deferral}:{string.Join('\n', cases)}",
                },
                cancellationToken).ConfigureAwait(false);
            if (record.Scope is null)
            {
                await SetSubjectStatusAsync(record, SubjectStatus.Held, cancellationToken).ConfigureAwait(false);
            }

            return record with
            {
                State = ErasureState.Held,
                HeldSince = record.HeldSince ?? now,
                HoldStartedAt = held ? record.HoldStartedAt : now,
                Deferrals = deferral,
                HoldCases = [.. record.HoldCases.Union(cases, StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            };
        }

        var released = record.State == ErasureState.Held
            ? record with { HeldBefore = record.TimeHeld(now), HoldStartedAt = null, HeldUntil = now }
            : record;

        // The key versions about to go, recorded first: a run resumed after the shred finds none left to list.
        var keyIds = (await keyStore.GetRingsAsync(record.Subject, cancellationToken).ConfigureAwait(false))
            .Where(ring => record.Scope is null || ring.Scope == record.Scope)
            .SelectMany(ring => ring.Versions.Select(v => KeyId(ring.Scope, v.Version)))
            .Order(StringComparer.Ordinal)
            .ToList();
        return released with
        {
            State = ErasureState.Shredding,
            KeyIds = keyIds,
            PolicyVersion = policy.Version,
            Attempts = record.Attempts + 1,
        };
    }

    private async Task<ErasureRecord?> ShredAsync(ErasureRecord record, string actor, CancellationToken cancellationToken)
    {
        ShredResult result;
        try
        {
            result = await shredder.ShredByLookupKeyAsync(record.LookupKey, record.Scope, record.Reason, actor, cancellationToken).ConfigureAwait(false);
        }
        catch (SubjectUnderLegalHoldException)
        {
            return record with { State = ErasureState.Received }; // a hold arrived since: back to the hold check
        }

        if (!result.Probe.Holds)
        {
            await RecordFailureAsync(record.Id, ErasureVerificationException.Code, cancellationToken).ConfigureAwait(false);
            throw new ErasureVerificationException(
                $"Erasure {record.Id}: {result.Probe.Decrypted} of {result.Probe.Sampled} sampled records still decrypted after the keys were destroyed; no certificate was issued.");
        }

        var shredded = record with
        {
            // A version created between the listing and the shred (a rotation) was destroyed too: list it.
            KeyIds = [.. record.KeyIds.Union(result.DestroyedKeyIds, StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            KeysDestroyedAt = record.KeysDestroyedAt ?? result.DestroyedAt,
            Scopes = result.Scopes,
            ShredHorizon = result.ShredHorizon,
            RootRotationOverdue = result.RootRotationOverdue,
            ProbeSampled = result.Probe.Sampled,
            ProbeDecrypted = result.Probe.Decrypted,
        };
        return record.CleanUp
            ? shredded with { State = ErasureState.CleaningUp }
            : await ToCertifyingAsync(shredded, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the subject's rows in the scope's categories: they are unreadable now, but their keys and times still
    /// say when the subject was active. The rows found are counted and audited (PURGE, ERASURE_CLEANUP) before the
    /// first is deleted; a rerun deletes what is left. Legal holds win here too: holds are read again before each
    /// category, and rows a hold placed since covers are kept and counted (the retention purge takes them after the
    /// release).
    /// </summary>
    private async Task<ErasureRecord?> CleanUpAsync(ErasureRecord record, string actor, CancellationToken cancellationToken)
    {
        if (record.CleanUpRows is null)
        {
            var rows = 0;
            foreach (var category in shredder.CategoriesOf(record.Scope))
            {
                await foreach (var (_, locations) in SubjectRowsAsync(record, category, cancellationToken).ConfigureAwait(false))
                {
                    rows += locations.Count;
                }
            }

            await audit.AppendAsync(
                new AuditEvent
                {
                    Type = AuditEventType.Purge,
                    Actor = actor,
                    Subject = record.Subject,
                    ReasonCode = CleanUpReason,
                    Counts = new Dictionary<string, long> { ["records"] = rows },
                    Attributes = new Dictionary<string, string> { ["erasureId"] = record.Id, ["scope"] = record.ScopeLabel },
                    IdempotencyKey = "erasure-cleanup:" + record.Id,
                },
                cancellationToken).ConfigureAwait(false);
            return record with { CleanUpRows = rows };
        }

        var kept = 0;
        foreach (var category in shredder.CategoriesOf(record.Scope))
        {
            var held = (await holds.ListAsync(cancellationToken).ConfigureAwait(false)).Any(h => h.Covers(record.Subject, category));
            await foreach (var (day, locations) in SubjectRowsAsync(record, category, cancellationToken).ConfigureAwait(false))
            {
                if (held)
                {
                    kept += locations.Count;
                }
                else
                {
                    await telemetry.DeleteAsync(category, day, locations, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return await ToCertifyingAsync(record with { CleanedUpAt = clock.GetUtcNow(), CleanUpHeldRows = kept }, cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<(DateOnly Day, IReadOnlyList<RecordLocation> Locations)> SubjectRowsAsync(
        ErasureRecord record,
        string category,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var days = new List<DateOnly>();
        await foreach (var day in telemetry.ListDaysAsync(category, cancellationToken).ConfigureAwait(false))
        {
            days.Add(day);
        }

        foreach (var day in days)
        {
            var locations = new List<RecordLocation>();
            await foreach (var location in telemetry.ListLocationsAsync(category, day, subject: record.Subject, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                locations.Add(location);
            }

            if (locations.Count > 0)
            {
                yield return (day, locations);
            }
        }
    }

    /// <summary>
    /// Lists what the subject's data reached (export lineage): datasets with their records in the shredded scope
    /// (every dataset for a full erasure or a training objection), and the models trained on them. Fixes what the
    /// certificate says about the policy and the custody, so rebuilding it later gives the same bytes.
    /// </summary>
    private async Task<ErasureRecord> ToCertifyingAsync(ErasureRecord record, CancellationToken cancellationToken)
    {
        var datasets = new SortedSet<string>(StringComparer.Ordinal);
        var models = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var datasetId in await lineage.DatasetsContainingAsync(record.Subject, cancellationToken).ConfigureAwait(false))
        {
            if (record.Scope is not (null or TrainingExporter.TrainingScope)
                && (await lineage.GetDatasetAsync(datasetId, cancellationToken).ConfigureAwait(false) is not { } dataset
                    || !policy.Policy.Categories.TryGetValue(dataset.Category, out var category)
                    || category.KeyScope != record.Scope))
            {
                continue;
            }

            datasets.Add(datasetId);
            models.UnionWith(await lineage.ModelsTrainedOnAsync(datasetId, cancellationToken).ConfigureAwait(false));
        }

        return record with
        {
            State = ErasureState.Certifying,
            Datasets = [.. datasets],
            Models = [.. models],
            CertifiedAt = clock.GetUtcNow(),
            KeyCustody = custody.IsDevelopmentCustody ? ErasureCertificate.DevelopmentCustody : ErasureCertificate.KeyVaultCustody,
            SlaTargetHours = policy.Policy.Slas.ErasureP95Hours,
            SlaMaximumDays = policy.Policy.Slas.ErasureMaxDays,
        };
    }

    private async Task<ErasureRecord?> CertifyAsync(ErasureRecord record, string actor, CancellationToken cancellationToken)
    {
        var certificate = ErasureCertificate.Build(record);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(certificate));
        var name = ErasureCertificate.NameOf(record.Id);
        await certificates.SaveAsync(name, certificate, cancellationToken).ConfigureAwait(false);
        var destroyed = record.KeysDestroyedAt!.Value;
        await audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.ErasureDone,
                Actor = actor,
                Subject = record.Subject,
                ReasonCode = record.Reason,
                Counts = new Dictionary<string, long>
                {
                    ["versionsDestroyed"] = record.KeyIds.Count,
                    ["probeSampled"] = record.ProbeSampled,
                    ["probeDecrypted"] = record.ProbeDecrypted,
                    ["rowsDeleted"] = (record.CleanUpRows ?? 0) - record.CleanUpHeldRows,
                    ["rowsKeptForHolds"] = record.CleanUpHeldRows,
                    ["datasets"] = record.Datasets.Count,
                    ["models"] = record.Models.Count,
                    ["secondsToKeysDestroyed"] = ErasureCertificate.Seconds(destroyed - record.RequestedAt),
                    ["secondsHeld"] = ErasureCertificate.Seconds(record.TimeHeld(destroyed)),
                },
                Attributes = new Dictionary<string, string>
                {
                    ["erasureId"] = record.Id,
                    ["scope"] = record.ScopeLabel,
                    ["requestedAt"] = IsoInstant.Format(record.RequestedAt),
                    ["keysDestroyedAt"] = IsoInstant.Format(destroyed),
                    ["shredHorizon"] = IsoInstant.Format(record.ShredHorizon!.Value),
                },
                Hashes = new Dictionary<string, string>
                {
                    ["certificate"] = sha256,
                    ["keyIds"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', record.KeyIds)))),
                },
                IdempotencyKey = "erasure-done:" + record.Id,
            },
            cancellationToken).ConfigureAwait(false);
        return record with { State = ErasureState.Completed, CertificateName = name, CertificateSha256 = sha256, CompletedAt = clock.GetUtcNow() };
    }

    private static string KeyId(string scope, int version) => scope + "/" + version.ToString(CultureInfo.InvariantCulture);

    private async Task SetSubjectStatusAsync(ErasureRecord record, SubjectStatus status, CancellationToken cancellationToken)
    {
        try
        {
            await registry.SetStatusByLookupKeyAsync(record.LookupKey, status, cancellationToken).ConfigureAwait(false);
        }
        catch (SubjectErasedException)
        {
            // Erased by an earlier request: that is final, and nothing is left to stop. A re-enrolment of the employee
            // under way must not complete past this request, so the lookup entry is marked changed.
            await registry.TouchByLookupKeyAsync(record.LookupKey, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ErasureRecord> GetRequiredAsync(string erasureId, CancellationToken cancellationToken) =>
        await store.GetAsync(erasureId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"No erasure request has the id '{erasureId}'.");

    /// <summary>The scope to erase (null for all of the employee's data), once every field is checked.</summary>
    private string? Validate(ErasureSubmission submission)
    {
        ValidateRequestId(submission.RequestId);
        if (!ErasureReasons.All.Contains(submission.Reason, StringComparer.Ordinal))
        {
            throw new InvalidErasureRequestException("$.reason", $"'{submission.Reason}' is not an erasure reason; use one of {string.Join(", ", ErasureReasons.All)}.");
        }

        if (!SourcePattern().IsMatch(submission.Source ?? ""))
        {
            throw new ArgumentException("source: a short lowercase name such as queue, http or cli.", nameof(submission));
        }

        if (submission.Scope is null or "all")
        {
            return null;
        }

        return policy.Policy.KeyScopes.ContainsKey(submission.Scope)
            ? submission.Scope
            : throw new InvalidErasureRequestException(
                "$.scope",
                $"'{submission.Scope}' is not a key scope; use all or one of {string.Join(", ", policy.Policy.KeyScopes.Keys.Order(StringComparer.Ordinal))}.");
    }

    private static void ValidateRequestId(string requestId)
    {
        if (!RequestIdPattern().IsMatch(requestId ?? ""))
        {
            throw new InvalidErasureRequestException(
                "$.requestId",
                $"1 to {MaxRequestIdLength} letters, digits and . _ : - (for example hr-offboarding-2026-0042); never an employee id, which belongs in employeeId.");
        }
    }

    private static ErasureRecord SameRequest(ErasureRecord stored, string lookup, string? scope, string reason) =>
        stored.LookupKey == lookup && stored.Scope == scope && stored.Reason == reason
            ? stored
            : throw new ErasureConflictException($"The request id was already used for a different erasure request ({stored.Id}); use a new request id for a new request.");

    private static string ErrorCode(Exception exception) => exception switch
    {
        ErasureVerificationException => ErasureVerificationException.Code,
        TimeoutException => "TIMEOUT",
        _ => "PROCESSING_FAILED",
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex RequestIdPattern();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex SourcePattern();

    [GeneratedRegex("^era-[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex ErasureIdPattern();
}
