using System.Text.RegularExpressions;
using Compliance.Core.Audit;
using Compliance.Core.Subjects;

namespace Compliance.Core.Lineage;

/// <summary>What an employee's data reached: the datasets that hold it and the models trained on those.</summary>
public sealed record LineageReach(string? Subject, IReadOnlyList<string> Datasets, IReadOnlyList<string> Models);

/// <summary>Links models to the datasets that trained them (MODEL_TRAIN, audited) and answers what a subject's data reached.</summary>
public sealed partial class LineageService(ILineageStore store, SubjectRegistry registry, IAuditTrail audit, TimeProvider clock)
{
    /// <summary>Records that <paramref name="modelId"/> was trained on <paramref name="datasetId"/>.</summary>
    /// <exception cref="ArgumentException">A malformed model id, or no such dataset.</exception>
    public async Task LinkModelAsync(string modelId, string datasetId, string actor, CancellationToken cancellationToken = default)
    {
        if (!ModelId().IsMatch(modelId ?? ""))
        {
            throw new ArgumentException("A model id is 1 to 64 lowercase letters, digits and . _ - (for example assistant-v3.2).", nameof(modelId));
        }

        _ = await store.GetDatasetAsync(datasetId, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"No dataset '{datasetId}' was exported.", nameof(datasetId));
        await audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.ModelTrain,
                Actor = actor,
                Attributes = new Dictionary<string, string> { ["modelId"] = modelId!, ["datasetId"] = datasetId },
                IdempotencyKey = $"model-train:{modelId}:{datasetId}",
            },
            cancellationToken).ConfigureAwait(false);
        await store.LinkModelAsync(modelId!, datasetId, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The datasets holding the employee's data and the models trained on them (empty for an employee never enrolled).</summary>
    public async Task<LineageReach> ReachAsync(string employeeId, CancellationToken cancellationToken = default)
    {
        var subject = await registry.FindAsync(employeeId, cancellationToken).ConfigureAwait(false);
        return subject is null ? new LineageReach(null, [], []) : await ReachOfSubjectAsync(subject.Surrogate, cancellationToken).ConfigureAwait(false);
    }

    public async Task<LineageReach> ReachOfSubjectAsync(string surrogate, CancellationToken cancellationToken = default)
    {
        var datasets = await store.DatasetsContainingAsync(surrogate, cancellationToken).ConfigureAwait(false);
        var models = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var dataset in datasets)
        {
            models.UnionWith(await store.ModelsTrainedOnAsync(dataset, cancellationToken).ConfigureAwait(false));
        }

        return new LineageReach(surrogate, [.. datasets.Order(StringComparer.Ordinal)], [.. models]);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ModelId();
}
