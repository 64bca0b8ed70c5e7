using System.Globalization;
using System.Text.RegularExpressions;
using Compliance.Core.Audit;
using Compliance.Core.Policy;
using Compliance.Core.Time;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Assessments;

/// <summary>The privacy evaluations a model must pass before promotion (controls MDL-1), as <c>EVAL</c> events name them.</summary>
public static class EvaluationTypes
{
    public const string MembershipInference = "membership-inference";
    public const string CanaryExtraction = "canary-extraction";
    public const string PiiOutputScan = "pii-output-scan";

    /// <summary>Every required type, in the order reports list them.</summary>
    public static IReadOnlyList<string> Required { get; } = [MembershipInference, CanaryExtraction, PiiOutputScan];
}

/// <summary>
/// Measures in audit events: counts must be whole numbers, so a measure is stored as micro-units (the value times
/// 1,000,000, rounded half away from zero) in a count, and as the same micro-units written as an invariant decimal
/// (at most six decimals, no exponent) in an attribute. Reports compare the counts, exactly.
/// </summary>
public static class MicroUnits
{
    public const long PerUnit = 1_000_000;

    /// <summary>The largest measure recorded: its decimal form stays short and never looks like a phone number.</summary>
    public const double MaxValue = 1_000_000;

    public static long From(double value) => (long)Math.Round(value * PerUnit, MidpointRounding.AwayFromZero);

    public static string Format(long micros) => (micros / (decimal)PerUnit).ToString("0.######", CultureInfo.InvariantCulture);
}

/// <summary>What promoting a model recorded, and what the record does not yet show (the report judges; this only warns).</summary>
/// <param name="ModelId">The model promoted.</param>
/// <param name="EvalIds">The evaluations the promotion rests on, sorted.</param>
/// <param name="AlreadyRecorded">True when the same promotion (model and evaluations) was recorded before.</param>
/// <param name="Warnings">Missing, unknown, mismatched or failing evaluations; empty when MDL-1 would pass.</param>
public sealed record PromotionResult(string ModelId, IReadOnlyList<string> EvalIds, bool AlreadyRecorded, IReadOnlyList<string> Warnings);

/// <summary>
/// Records risk assessments and model evaluations in the audit trail (controls RSK-1, MDL-1): approved DPIAs,
/// schema changes, privacy evaluations of models, and model promotions. Each is one audited event with an
/// idempotency key, so a retried command records it once. Nothing else is stored: the report reads the trail.
/// </summary>
public sealed partial class AssessmentService(ActivePolicy policy, IAuditTrail audit, IAuditEventStore events, PolicyRecorder policyRecorder, IOptions<AuditOptions> auditOptions, TimeProvider clock)
{
    /// <summary>The DPIA scope that covers every category.</summary>
    public const string AllCategories = "all";

    /// <summary>The most evaluations one promotion may name.</summary>
    public const int MaxEvalsPerPromotion = 20;

    /// <summary>
    /// Records an approved DPIA (<c>DPIA</c>) covering <paramref name="category"/> (or <c>all</c>), under the policy
    /// version in force. Once per scope and version: <c>dpia:{scope}:{version}</c>.
    /// </summary>
    /// <returns>True when recorded now, false when this scope and version were recorded before (the first record stands).</returns>
    /// <exception cref="ArgumentException">An unknown category, a malformed version, or an approval in the future.</exception>
    public async Task<bool> RecordDpiaAsync(string category, string version, DateTimeOffset approvedAt, string actor, CancellationToken cancellationToken = default)
    {
        if (category != AllCategories)
        {
            RequireCategory(category);
        }

        if (!Token().IsMatch(version ?? ""))
        {
            throw new ArgumentException("version: a DPIA version is 1 to 64 letters, digits and . _ - (for example 2026.1).", nameof(version));
        }

        if (approvedAt > clock.GetUtcNow())
        {
            throw new ArgumentException($"approvedAt: the approval ({IsoInstant.Format(approvedAt)}) is in the future; record a DPIA once it is approved.", nameof(approvedAt));
        }

        await policyRecorder.EnsureRecordedAsync(actor, cancellationToken).ConfigureAwait(false);
        var receipt = await audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.Dpia,
                Actor = actor,
                Attributes = new Dictionary<string, string> { ["scope"] = category, ["version"] = version!, ["approvedAt"] = IsoInstant.Format(approvedAt) },
                Hashes = new Dictionary<string, string> { ["policy"] = policy.Version },
                IdempotencyKey = $"dpia:{category}:{version}",
            },
            cancellationToken).ConfigureAwait(false);
        return !receipt.Duplicate;
    }

    /// <summary>
    /// Records a privacy evaluation of a model (<c>EVAL</c>): its type, the measured value and the threshold it must
    /// not exceed, both as micro-units (see <see cref="MicroUnits"/>). Once per evaluation id: <c>eval:{evalId}</c>.
    /// </summary>
    /// <returns>True when recorded now, false when the evaluation id was recorded before (the first record stands).</returns>
    /// <exception cref="ArgumentException">A malformed id, an unknown type, or a value or threshold outside 0 to 1,000,000.</exception>
    public async Task<bool> RecordEvaluationAsync(string evalId, string modelId, string type, double value, double threshold, string actor, CancellationToken cancellationToken = default)
    {
        RequireId(evalId, nameof(evalId), "an evaluation id");
        RequireId(modelId, nameof(modelId), "a model id");
        if (!EvaluationTypes.Required.Contains(type))
        {
            throw new ArgumentException($"type: unknown evaluation type '{type}'; use {string.Join(", ", EvaluationTypes.Required)}.", nameof(type));
        }

        RequireMeasure(value, nameof(value));
        RequireMeasure(threshold, nameof(threshold));
        await policyRecorder.EnsureRecordedAsync(actor, cancellationToken).ConfigureAwait(false);
        long valueMicros = MicroUnits.From(value), thresholdMicros = MicroUnits.From(threshold);
        var receipt = await audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.Eval,
                Actor = actor,
                Counts = new Dictionary<string, long> { ["valueMicros"] = valueMicros, ["thresholdMicros"] = thresholdMicros },
                Attributes = new Dictionary<string, string>
                {
                    ["evalId"] = evalId,
                    ["modelId"] = modelId,
                    ["type"] = type,
                    ["value"] = MicroUnits.Format(valueMicros),
                    ["threshold"] = MicroUnits.Format(thresholdMicros),
                },
                IdempotencyKey = EvalKey(evalId),
            },
            cancellationToken).ConfigureAwait(false);
        return !receipt.Duplicate;
    }

    /// <summary>
    /// Records that <paramref name="modelId"/> was promoted on the strength of <paramref name="evalIds"/>
    /// (<c>MODEL_PROMOTE</c>; attributes <c>eval.1</c> … in sorted order). It is recorded as asked even when
    /// evaluations are missing or failing: the report (MDL-1) judges it, and the result warns now. Once per model
    /// and set of evaluations: <c>promote:{modelId}:{sorted eval ids}</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A malformed model or evaluation id, or more than <see cref="MaxEvalsPerPromotion"/> evaluations.</exception>
    public async Task<PromotionResult> PromoteModelAsync(string modelId, IReadOnlyList<string> evalIds, string actor, CancellationToken cancellationToken = default)
    {
        RequireId(modelId, nameof(modelId), "a model id");
        ArgumentNullException.ThrowIfNull(evalIds);
        foreach (var id in evalIds)
        {
            RequireId(id, nameof(evalIds), "an evaluation id");
        }

        var sorted = evalIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (sorted.Count > MaxEvalsPerPromotion)
        {
            throw new ArgumentException($"evalIds: at most {MaxEvalsPerPromotion} evaluations per promotion.", nameof(evalIds));
        }

        var warnings = await CheckEvaluationsAsync(modelId, sorted, cancellationToken).ConfigureAwait(false);
        await policyRecorder.EnsureRecordedAsync(actor, cancellationToken).ConfigureAwait(false);
        var attributes = new Dictionary<string, string> { ["modelId"] = modelId };
        for (var i = 0; i < sorted.Count; i++)
        {
            attributes[string.Create(CultureInfo.InvariantCulture, $"eval.{i + 1}")] = sorted[i];
        }

        var receipt = await audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.ModelPromote,
                Actor = actor,
                Counts = new Dictionary<string, long> { ["evals"] = sorted.Count },
                Attributes = attributes,
                IdempotencyKey = $"promote:{modelId}:{string.Join(',', sorted)}",
            },
            cancellationToken).ConfigureAwait(false);
        return new PromotionResult(modelId, sorted, receipt.Duplicate, warnings);
    }

    /// <summary>
    /// Records that the schema of <paramref name="category"/> changed (<c>SCHEMA_CHANGE</c>), so its DPIA must be
    /// redone. Keyed by category and the second it was recorded (<c>schema-change:{category}:{instant}</c>), so a
    /// retry of the same write records it once while later changes are recorded again.
    /// </summary>
    /// <exception cref="ArgumentException">Not a category of the policy.</exception>
    public async Task RecordSchemaChangeAsync(string category, string actor, CancellationToken cancellationToken = default)
    {
        RequireCategory(category);
        await policyRecorder.EnsureRecordedAsync(actor, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.SchemaChange,
                Actor = actor,
                Category = category,
                IdempotencyKey = $"schema-change:{category}:{IsoInstant.Format(clock.GetUtcNow())}",
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What MDL-1 would find wrong with promoting <paramref name="modelId"/> on these evaluations, read back from the trail by their keys.</summary>
    private async Task<IReadOnlyList<string>> CheckEvaluationsAsync(string modelId, IReadOnlyList<string> evalIds, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var passed = new HashSet<string>(StringComparer.Ordinal);
        var failing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in evalIds)
        {
            var recorded = await FindEvaluationAsync(id, cancellationToken).ConfigureAwait(false);
            if (recorded is null)
            {
                warnings.Add($"evaluation {id} is not recorded");
                continue;
            }

            var attributes = recorded.Attributes;
            var type = attributes.GetValueOrDefault("type") ?? "";
            if (attributes.GetValueOrDefault("modelId") != modelId)
            {
                warnings.Add($"evaluation {id} is of model {attributes.GetValueOrDefault("modelId")}, not {modelId}");
                continue;
            }

            long value = recorded.Counts.GetValueOrDefault("valueMicros"), threshold = recorded.Counts.GetValueOrDefault("thresholdMicros");
            if (value <= threshold)
            {
                passed.Add(type);
            }
            else
            {
                failing.Add(type);
                warnings.Add($"evaluation {id} ({type}): {MicroUnits.Format(value)} is over its threshold {MicroUnits.Format(threshold)}");
            }
        }

        warnings.AddRange(EvaluationTypes.Required.Where(t => !passed.Contains(t) && !failing.Contains(t)).Select(t => $"no {t} evaluation of {modelId}"));
        return warnings;
    }

    private async Task<AuditEvent?> FindEvaluationAsync(string evalId, CancellationToken cancellationToken)
    {
        var keyHash = AuditHashing.Sha256Hex(EvalKey(evalId));
        var stream = AuditTrail.StreamForKey(keyHash, auditOptions.Value.StreamCount);
        if (await events.FindByIdempotencyKeyAsync(stream, keyHash, cancellationToken).ConfigureAwait(false) is not { } head
            || await events.GetAsync(stream, head.Sequence, cancellationToken).ConfigureAwait(false) is not { Body: { } body })
        {
            return null;
        }

        try
        {
            var record = AuditCanonicalForm.Parse(body);
            return record.Event.Type == AuditEventType.Eval ? record.Event : null;
        }
        catch (FormatException)
        {
            return null; // an unreadable row is not evidence; audit verify reports it
        }
    }

    private static string EvalKey(string evalId) => "eval:" + evalId;

    private void RequireCategory(string category)
    {
        if (!policy.Policy.Categories.ContainsKey(category ?? ""))
        {
            throw new ArgumentException($"category: unknown category '{category}'; use one of the policy's categories ({string.Join(", ", policy.Policy.Categories.Keys.Order(StringComparer.Ordinal))}) or {AllCategories} for a DPIA.", nameof(category));
        }
    }

    private static void RequireId(string? id, string parameter, string what)
    {
        if (!Id().IsMatch(id ?? ""))
        {
            throw new ArgumentException($"{parameter}: {what} is 1 to 64 lowercase letters, digits and . _ - (for example assistant-v3.2).", parameter);
        }
    }

    private static void RequireMeasure(double value, string parameter)
    {
        if (!double.IsFinite(value) || value < 0 || value > MicroUnits.MaxValue)
        {
            throw new ArgumentException($"{parameter}: a measure is a number from 0 to {MicroUnits.MaxValue.ToString(CultureInfo.InvariantCulture)}.", parameter);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Id();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Token();
}
