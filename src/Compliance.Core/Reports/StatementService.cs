using Compliance.Core.Audit;
using Compliance.Core.Erasure;
using Compliance.Core.Holds;
using Compliance.Core.Lineage;
using Compliance.Core.Policy;
using Compliance.Core.SubjectKeys;
using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;

namespace Compliance.Core.Reports;

/// <summary>
/// Builds an employee's transparency statement (DESIGN section 7, docs/statements.md): the categories held about
/// them (counted from record keys, never decrypted), for which purposes and until when, who read them and why
/// (READ and EXPORT events of the latest audit seal that name them, streamed oldest first with the chain checked,
/// so memory does not grow with the trail), the training datasets and models their data reached, and their erasure
/// requests with the destruction certificates. The employee id is used only to find the subject and their erasure
/// requests; the statement names them by surrogate alone. It reads no clock: the same state and seal give the same
/// statement.
/// </summary>
public sealed class StatementService(
    SubjectRegistry registry,
    ActivePolicy policy,
    ITelemetryStore telemetry,
    IHoldStore holds,
    ISubjectKeyStore keys,
    LineageService lineage,
    ILineageStore datasets,
    ErasureService erasures,
    IAuditSealStore seals,
    IAuditEventStore events,
    IAuditSigner signer)
{
    /// <summary>The message when there is no seal yet: a statement's counts rest on one.</summary>
    public const string NoSealMessage = "There is no audit seal yet, and a statement rests on one: seal the trail first (compliance audit seal, or the hourly AuditSeal function).";

    private const string PrincipalPrefix = "principal:";

    /// <summary>The statement for <paramref name="employeeId"/>; one who was never enrolled gets a statement that nothing is held.</summary>
    /// <exception cref="ArgumentException">The employee id is blank or too long.</exception>
    /// <exception cref="InvalidOperationException">No audit seal exists yet.</exception>
    public async Task<EmployeeStatement> BuildAsync(string employeeId, CancellationToken cancellationToken = default)
    {
        // Validates the id (ArgumentException) before anything else is read.
        _ = await registry.LookupKeyAsync(employeeId, cancellationToken).ConfigureAwait(false);
        var signed = await seals.GetLatestAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException(NoSealMessage);
        var seal = signed.Seal;
        var subject = await registry.FindAsync(employeeId, cancellationToken).ConfigureAwait(false);
        var erasureList = await ErasuresAsync(employeeId, cancellationToken).ConfigureAwait(false);
        var check = new ChainCheck();
        var signatureValid = await SealSignature.IsValidAsync(signer, seal, signed.Signature, cancellationToken).ConfigureAwait(false);

        if (subject is null)
        {
            // No event can name a surrogate never issued, but the sealed trail is still read and checked, so every
            // statement says the same thing about the trail it rests on.
            await foreach (var _ in new SealedAuditReader(events).ReadAsync(seal, check, cancellationToken).ConfigureAwait(false))
            {
            }

            return new EmployeeStatement(
                Basis(seal, check.Events, signatureValid && check.Intact), null, EmployeeStatement.NotEnrolled, null, [], null, [], [],
                new StatementAccess(0, [], [], 0, [], [], 0), [], [], erasureList);
        }

        var surrogate = subject.Surrogate;
        var erased = subject.Status == SubjectStatus.Erased;
        var notices = (await registry.GetAcknowledgementsAsync(surrogate, cancellationToken).ConfigureAwait(false))
            .OrderBy(a => a.AcknowledgedAt)
            .ThenBy(a => a.NoticeVersion, StringComparer.Ordinal)
            .Select(a => new StatementNotice(a.NoticeVersion, a.AcknowledgedAt, [.. a.Categories.Order(StringComparer.Ordinal)]))
            .ToList();
        var pause = await registry.GetPauseAsync(surrogate, cancellationToken).ConfigureAwait(false) is { } p
            ? new StatementPause(p.Reason.ToString().ToLowerInvariant(), p.Since)
            : null;
        var shredded = (await keys.GetRingsAsync(surrogate, cancellationToken).ConfigureAwait(false))
            .Where(r => r.IsShredded)
            .Select(r => r.Scope)
            .ToHashSet(StringComparer.Ordinal);
        var activeHolds = (await holds.ListAsync(cancellationToken).ConfigureAwait(false)).Where(h => h.IsActive).ToList();

        var categories = new List<CategoryHolding>();
        foreach (var (name, definition) in policy.Policy.Categories.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (await HoldingAsync(surrogate, name, definition, shredded, activeHolds, erased, cancellationToken).ConfigureAwait(false) is { } holding)
            {
                categories.Add(holding);
            }
        }

        var reach = await lineage.ReachOfSubjectAsync(surrogate, cancellationToken).ConfigureAwait(false);
        var datasetList = new List<StatementDataset>();
        foreach (var id in reach.Datasets)
        {
            if (await datasets.GetDatasetAsync(id, cancellationToken).ConfigureAwait(false) is { } dataset)
            {
                datasetList.Add(new StatementDataset(dataset.Id, dataset.Category, dataset.Purpose, dataset.Principal, dataset.CreatedAt));
            }
        }

        var tally = new AccessTally(surrogate);
        await foreach (var record in new SealedAuditReader(events).ReadAsync(seal, check, cancellationToken).ConfigureAwait(false))
        {
            tally.Observe(record.Event);
        }

        var access = new StatementAccess(
            tally.Reads,
            Counts(tally.ByPurpose),
            Counts(tally.ByPrincipal),
            datasetList.Count,
            Counts(datasetList.GroupBy(d => d.Purpose, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal)),
            Counts(datasetList.GroupBy(d => d.Principal, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal)),
            tally.Denied);

        return new EmployeeStatement(
            Basis(seal, check.Events, signatureValid && check.Intact),
            surrogate,
            StatusName(subject.Status),
            subject.EnrolledAt,
            notices,
            pause,
            categories,
            [.. shredded.Order(StringComparer.Ordinal)],
            access,
            datasetList,
            reach.Models,
            erasureList);
    }

    /// <summary>The format a file name asks for, by its extension: <c>json</c> (.json) or <c>html</c> (.html, .htm); null for anything else.</summary>
    public static string? FormatFor(string path) => Path.GetExtension(path ?? "").ToUpperInvariant() switch
    {
        ".JSON" => "json",
        ".HTML" or ".HTM" => "html",
        _ => null,
    };

    /// <summary>Renders the statement as <c>json</c> (canonical) or <c>html</c> (self-contained page).</summary>
    /// <exception cref="ArgumentException">Another format.</exception>
    public static byte[] Render(EmployeeStatement statement, string format) => format switch
    {
        "json" => StatementJson.Write(statement),
        "html" => StatementHtml.Write(statement),
        _ => throw new ArgumentException($"Unknown statement format '{format}'; use json or html.", nameof(format)),
    };

    /// <summary>The status as statements and outputs name it.</summary>
    public static string StatusName(SubjectStatus status) => status switch
    {
        SubjectStatus.ErasurePending => "erasure-pending",
        _ => status.ToString().ToLowerInvariant(),
    };

    private async Task<CategoryHolding?> HoldingAsync(
        string surrogate,
        string category,
        CategoryDefinition definition,
        HashSet<string> shredded,
        List<LegalHold> activeHolds,
        bool erased,
        CancellationToken cancellationToken)
    {
        long count = 0;
        DateTimeOffset oldest = DateTimeOffset.MaxValue, newest = DateTimeOffset.MinValue;
        await foreach (var day in telemetry.ListDaysAsync(category, cancellationToken).ConfigureAwait(false))
        {
            await foreach (var location in telemetry.ListLocationsAsync(category, day, subject: surrogate, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                count++;
                oldest = location.CapturedAt < oldest ? location.CapturedAt : oldest;
                newest = location.CapturedAt > newest ? location.CapturedAt : newest;
            }
        }

        if (count == 0)
        {
            return null;
        }

        var scopeShredded = shredded.Contains(definition.KeyScope);
        var cases = activeHolds.Where(h => h.Covers(surrogate, category)).Select(h => h.CaseId).Distinct(StringComparer.Ordinal).Count();
        return new CategoryHolding(
            category,
            definition.Description,
            count,
            oldest,
            newest,
            definition.RetentionDays,
            oldest + definition.Retention,
            newest + definition.Retention,
            cases,
            [.. policy.Policy.AllowedPurposes(category).Order(StringComparer.Ordinal)],
            definition.KeyScope,
            scopeShredded,
            !scopeShredded && !erased);
    }

    private async Task<IReadOnlyList<StatementErasure>> ErasuresAsync(string employeeId, CancellationToken cancellationToken) =>
        [.. (await erasures.ListAsync(employeeId, cancellationToken).ConfigureAwait(false)).Select(r => new StatementErasure(
            r.Id,
            r.State.ToName(),
            r.Reason,
            r.ScopeLabel,
            r.RequestedAt,
            r.KeysDestroyedAt,
            r.CompletedAt,
            r.State == ErasureState.Completed ? r.CertificateName : null,
            r.State == ErasureState.Completed ? r.CertificateSha256 : null))];

    private StatementBasis Basis(AuditSeal seal, long eventsRead, bool trailIntact) => new(
        seal.Number,
        seal.Hash,
        seal.SealedAt,
        policy.Policy.PolicyId,
        policy.Version,
        signer.IsDevelopmentCustody ? ErasureCertificate.DevelopmentCustody : ErasureCertificate.KeyVaultCustody,
        eventsRead,
        trailIntact);

    private static List<StatementCount> Counts(Dictionary<string, long> counts) =>
        [.. counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new StatementCount(c.Key, c.Value))];

    /// <summary>Counts, over the trail, the reads and refusals that name one subject: one counter per purpose and per principal.</summary>
    private sealed class AccessTally(string surrogate)
    {
        public Dictionary<string, long> ByPurpose { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> ByPrincipal { get; } = new(StringComparer.Ordinal);

        public long Reads { get; private set; }

        public long Denied { get; private set; }

        public void Observe(AuditEvent e)
        {
            if (!string.Equals(e.Subject, surrogate, StringComparison.Ordinal))
            {
                return;
            }

            if (e.Type == AuditEventType.Deny)
            {
                Denied++;
                return;
            }

            if (e.Type is not (AuditEventType.Read or AuditEventType.Export))
            {
                return;
            }

            Reads++;
            var purpose = e.Purpose ?? "(none)";
            ByPurpose[purpose] = ByPurpose.GetValueOrDefault(purpose) + 1;
            var principal = e.Actor.StartsWith(PrincipalPrefix, StringComparison.Ordinal) ? e.Actor[PrincipalPrefix.Length..] : e.Actor;
            ByPrincipal[principal] = ByPrincipal.GetValueOrDefault(principal) + 1;
        }
    }
}
