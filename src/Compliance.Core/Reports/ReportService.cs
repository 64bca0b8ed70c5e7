using System.Globalization;
using System.Security.Cryptography;
using Compliance.Core.Audit;
using Compliance.Core.Erasure;
using Compliance.Core.Policy;
using Compliance.Core.Time;

namespace Compliance.Core.Reports;

/// <summary>A rendered report: its bytes, their SHA-256 (recorded by a REPORT event), and the report itself.</summary>
public sealed record RenderedReport(ComplianceReport Report, string Format, byte[] Content, string Sha256);

/// <summary>
/// Compliance reports (DESIGN section 7): the controls of the catalog evaluated in one pass over the audit trail as
/// a seal pins it, oldest first, with the chain verified on the way. The seal is the first one made at or after
/// the end of the period (so a past period's report never changes), or the newest when the period is not sealed
/// yet. The report is a function of those events, the policy version and the period alone: generating it twice
/// gives the same bytes.
/// </summary>
public sealed class ReportService(
    IAuditSealStore seals,
    IAuditEventStore events,
    IAuditSigner signer,
    AuditEventGuard guard,
    ActivePolicy policy,
    IAuditTrail audit)
{
    /// <summary>The longest period a report covers (ten years): its trends hold a point per day.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(3_660);

    /// <summary>The formats <see cref="RenderAsync"/> writes.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["json", "html", "csv", "oscal"];

    /// <exception cref="ArgumentException">The period is empty or inverted.</exception>
    /// <exception cref="InvalidOperationException">No seal exists yet.</exception>
    public async Task<ComplianceReport> GenerateAsync(ReportPeriod period, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        if (period.To <= period.From)
        {
            throw new ArgumentException($"The period must end after it starts ({IsoInstant.Format(period.From)} to {IsoInstant.Format(period.To)}).", nameof(period));
        }

        if (period.To - period.From > MaxPeriod)
        {
            throw new ArgumentException($"A report covers at most {MaxPeriod.TotalDays:0} days; split {IsoInstant.Format(period.From)} to {IsoInstant.Format(period.To)} into shorter periods.", nameof(period));
        }

        var (seal, signature) = await ChooseSealAsync(period, cancellationToken).ConfigureAwait(false);
        var signatureValid = await SealSignature.IsValidAsync(signer, seal, signature, cancellationToken).ConfigureAwait(false);
        var check = new ChainCheck();
        var evaluation = await ControlSuite.EvaluateAsync(
            new SealedAuditReader(events).ReadAsync(seal, check, cancellationToken),
            period,
            policy,
            ControlSuite.Create(check, signatureValid, seal.Hash, guard),
            cancellationToken).ConfigureAwait(false);
        var basis = new ReportBasis(
            seal.Number, seal.Hash, seal.SealedAt, policy.Policy.PolicyId, policy.Version,
            signer.IsDevelopmentCustody ? ErasureCertificate.DevelopmentCustody : ErasureCertificate.KeyVaultCustody,
            evaluation.EventsRead, evaluation.EventsInPeriod, check.Intact && signatureValid);
        return new ComplianceReport(period, basis, evaluation.Controls, evaluation.Trends);
    }

    /// <summary>Renders the report and records its hash (REPORT), once per distinct report and format.</summary>
    public async Task<RenderedReport> RenderAsync(ComplianceReport report, string format, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var content = format switch
        {
            "json" => ReportJson.Write(report),
            "oscal" => OscalReportWriter.Write(report),
            "html" => HtmlReportWriter.Write(report),
            "csv" => CsvReportWriter.Write(report),
            _ => throw new ArgumentException($"Unknown report format '{format}'; use one of {string.Join(", ", Formats)}.", nameof(format)),
        };
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        await audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.Report,
                Actor = actor,
                Counts = new Dictionary<string, long> { ["controls"] = report.Controls.Count, ["passed"] = report.Passed, ["failed"] = report.Failed, ["seal"] = report.Basis.SealNumber },
                Attributes = new Dictionary<string, string>
                {
                    ["format"] = format,
                    ["from"] = IsoInstant.Format(report.Period.From),
                    ["to"] = IsoInstant.Format(report.Period.To),
                    ["policyVersion"] = report.Basis.PolicyVersion[..12],
                },
                Hashes = new Dictionary<string, string> { ["report"] = sha256, ["seal"] = report.Basis.SealHash },
                IdempotencyKey = "report:" + sha256,
            },
            cancellationToken).ConfigureAwait(false);
        return new RenderedReport(report, format, content, sha256);
    }

    private async Task<(AuditSeal Seal, string Signature)> ChooseSealAsync(ReportPeriod period, CancellationToken cancellationToken)
    {
        (AuditSeal Seal, string Signature)? chosen = null;
        await foreach (var row in seals.ReadNewestFirstAsync(cancellationToken).ConfigureAwait(false))
        {
            AuditSeal seal;
            try
            {
                seal = AuditSeal.Parse(row.Body ?? "");
            }
            catch (FormatException)
            {
                continue; // an unreadable seal cannot be a report's basis; audit verify reports it
            }

            if (chosen is not null && seal.SealedAt < period.To)
            {
                break;
            }

            chosen = (seal, row.Signature ?? "");
        }

        return chosen ?? throw new InvalidOperationException("There is no audit seal yet, and a report rests on one: seal the trail first (compliance audit seal, or the hourly AuditSeal function).");
    }
}

/// <summary>What one pass of the controls over the trail gives.</summary>
public sealed record ControlEvaluation(IReadOnlyList<ControlResult> Controls, IReadOnlyList<TrendSeries> Trends, long EventsRead, long EventsInPeriod);

/// <summary>The controls the product evaluates, and the one pass that evaluates them over events oldest first.</summary>
public static class ControlSuite
{
    public static IReadOnlyList<ControlEvaluator> Create(ChainCheck check, bool sealSignatureValid, string sealHash, AuditEventGuard guard) =>
    [
        new Controls.ProcessingInventory(), new Controls.FieldAllowList(), new Controls.NoContentInBehaviouralData(), new Controls.PurposeLimitation(),
        new Controls.NoEmploymentDecisions(), new Controls.LeastPrivilege(), new Controls.NoticeBeforeCapture(), new Controls.PausesHonoured(),
        new Controls.ErasureFulfilled(), new Controls.TrailIntact(check, sealSignatureValid, sealHash), new Controls.TrailMinimised(guard),
        new Controls.RetentionEnforced(), new Controls.RetentionSchedulePublished(), new Controls.ErasureReachesDerivedData(), new Controls.KeysRotated(),
        new Controls.PseudonymisedTraining(), new Controls.EncryptedUnderSubjectKeys(),
        new Controls.CurrentRiskAssessment(), new Controls.PrivacyTestedPromotion(),
    ];

    /// <summary>Streams <paramref name="records"/> (oldest first) through the controls; events from the end of the period on are read but not judged.</summary>
    public static async Task<ControlEvaluation> EvaluateAsync(
        IAsyncEnumerable<AuditRecord> records,
        ReportPeriod period,
        ActivePolicy policy,
        IReadOnlyList<ControlEvaluator> evaluators,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(evaluators);
        ArgumentNullException.ThrowIfNull(policy);
        var context = new ReportContext(period, policy.Policy, policy.Version);
        var trends = new TrendBuilder(period);
        long read = 0, inPeriod = 0;
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            // Read on to the sealed heads anyway: the chain check ends at the heads the seal signed (stopping here
            // would skip it), and writers stamp events with their own clocks, so a later stream position can carry
            // an earlier time.
            if (record.OccurredAt >= period.To)
            {
                continue;
            }

            read++;
            context.Apply(record);
            foreach (var evaluator in evaluators)
            {
                evaluator.Observe(record, context);
            }

            if (period.Contains(record.OccurredAt))
            {
                inPeriod++;
                trends.Add(record);
            }
        }

        var order = ControlCatalog.Default.Controls.Select((c, i) => (c.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);

        // Summaries format numbers: in the invariant culture, so a report has the same bytes on any host.
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return new ControlEvaluation([.. evaluators.Select(e => e.Finish(context)).OrderBy(r => order[r.Id])], trends.Build(), read, inPeriod);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}

/// <summary>Events per day and type in the period, for the report's charts.</summary>
internal sealed class TrendBuilder(ReportPeriod period)
{
    private static readonly (string Name, AuditEventType Type, string Description)[] Series =
    [
        ("ingested", AuditEventType.Ingest, "INGEST events per day"),
        ("rejected", AuditEventType.Reject, "REJECT events per day"),
        ("reads", AuditEventType.Read, "READ events per day"),
        ("denied", AuditEventType.Deny, "DENY events per day"),
        ("erasures", AuditEventType.ErasureDone, "erasures completed per day"),
    ];

    private readonly Dictionary<(AuditEventType, DateOnly), long> _counts = [];

    public void Add(AuditRecord record)
    {
        var key = (record.Event.Type, DateOnly.FromDateTime(record.OccurredAt.UtcDateTime));
        _counts[key] = _counts.GetValueOrDefault(key) + 1;
    }

    public IReadOnlyList<TrendSeries> Build()
    {
        var first = DateOnly.FromDateTime(period.From.UtcDateTime);
        var last = DateOnly.FromDateTime(period.To.UtcDateTime.AddTicks(-1));
        var days = Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays).ToList();
        return [.. Series.Select(s => new TrendSeries(s.Name, s.Description, [.. days.Select(d => new TrendPoint(d, _counts.GetValueOrDefault((s.Type, d))))]))];
    }
}
