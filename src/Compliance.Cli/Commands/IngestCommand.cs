using System.CommandLine;
using System.Text;
using Compliance.Core.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary>
/// <c>compliance ingest --file EVENTS.jsonl</c>: one JSON event per line through the ingestion pipeline, in
/// batches, with an outcome per line. Rejections are outcomes, not failures: the command exits 0 once every
/// line was processed and reports what was refused and why.
/// </summary>
internal static class IngestCommand
{
    public const string Actor = "operator:cli";

    public static Command Create(CommandRuntime runtime)
    {
        var file = new Option<FileInfo>("--file") { Description = "Events, one JSON object per line (UTF-8)", HelpName = "EVENTS.jsonl", Required = true };
        var command = new Command("ingest", "Ingest telemetry events from a file: validate, minimise, redact, encrypt, store, audit") { file };
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new CliUsageException($"ingest: --file {path.FullName}: no such file");
            }

            var summary = await IngestFileAsync(context, path, cancellationToken).ConfigureAwait(false);
            context.WriteResult(summary.ToJson(path.FullName), summary.ToHuman(path.Name));
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Streams the file through the pipeline in batches; blank lines are skipped.</summary>
    public static async Task<IngestSummary> IngestFileAsync(CommandContext context, FileInfo path, CancellationToken cancellationToken)
    {
        var pipeline = context.Services.GetRequiredService<IngestionPipeline>();
        var summary = new IngestSummary();
        var batch = new List<ReadOnlyMemory<byte>>();
        var lines = new List<int>();
        using var reader = new StreamReader(path.FullName, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            batch.Add(Encoding.UTF8.GetBytes(line));
            lines.Add(number);
            if (batch.Count == pipeline.Options.MaxBatchEvents)
            {
                summary.Add(await pipeline.IngestAsync(batch, Actor, cancellationToken: cancellationToken).ConfigureAwait(false), lines);
                context.Console.Progress($"ingest: {summary.Events} events ({summary.Stored} stored, {summary.Rejected} rejected)");
                batch.Clear();
                lines.Clear();
            }
        }

        if (batch.Count > 0)
        {
            summary.Add(await pipeline.IngestAsync(batch, Actor, cancellationToken: cancellationToken).ConfigureAwait(false), lines);
        }

        context.Console.EndProgress();
        return summary;
    }
}

/// <summary>The totals of an ingestion run and every rejection with its line.</summary>
internal sealed class IngestSummary
{
    /// <summary>How many rejections the human output lists one by one (the JSON lists them all).</summary>
    private const int ListedRejections = 20;

    private readonly SortedDictionary<string, int> _byReason = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _dropped = new(StringComparer.Ordinal);

    public int Events { get; private set; }

    public int Stored { get; private set; }

    public int Duplicates { get; private set; }

    public int Rejected { get; private set; }

    public int Redactions { get; private set; }

    public List<IngestRejection> Rejections { get; } = [];

    public IReadOnlyDictionary<string, int> RejectedByReason => _byReason;

    public IReadOnlyDictionary<string, int> DroppedFields => _dropped;

    public void Add(IngestBatchResult result, IReadOnlyList<int> lines)
    {
        ArgumentNullException.ThrowIfNull(result);
        Events += result.Outcomes.Count;
        Stored += result.Stored;
        Duplicates += result.Duplicates;
        Rejected += result.Rejected;
        Redactions += result.Redactions;
        foreach (var (reason, count) in result.RejectedByReason)
        {
            _byReason[reason] = _byReason.GetValueOrDefault(reason) + count;
        }

        foreach (var (field, count) in result.DroppedFields)
        {
            _dropped[field] = _dropped.GetValueOrDefault(field) + count;
        }

        Rejections.AddRange(result.Outcomes.Where(o => o.Status == IngestStatus.Rejected).Select(o => new IngestRejection(lines[o.Index], o.EventId, o.Reason!, o.Detail)));
    }

    public object ToJson(string file) => new
    {
        command = "ingest",
        file,
        events = Events,
        stored = Stored,
        duplicates = Duplicates,
        rejected = Rejected,
        rejectedByReason = RejectedByReason,
        droppedFields = DroppedFields,
        redactions = Redactions,
        rejections = Rejections,
    };

    /// <summary>The totals for people; with <paramref name="listRejections"/>, the first rejections line by line.</summary>
    public string ToHuman(string file, bool listRejections = true)
    {
        var text = new StringBuilder();
        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Ingested {Events} events from {file}: {Stored} stored, {Duplicates} duplicates (already stored), {Rejected} rejected.");
        if (RejectedByReason.Count > 0)
        {
            text.AppendLine("Rejected, by reason:");
            foreach (var (reason, count) in RejectedByReason)
            {
                text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  {reason,-28} {count,8}");
            }
        }

        if (DroppedFields.Count > 0)
        {
            text.AppendLine("Fields dropped (not on the category's allow-list), by name:");
            foreach (var (field, count) in DroppedFields)
            {
                text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  {field,-28} {count,8}");
            }
        }

        if (Redactions > 0)
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"PII redacted in transcripts: {Redactions} matches.");
        }

        foreach (var rejection in listRejections ? Rejections.Take(ListedRejections) : [])
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  line {rejection.Line}: {rejection.Reason}: {rejection.Detail}");
        }

        if (listRejections && Rejections.Count > ListedRejections)
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  … and {Rejections.Count - ListedRejections} more (--json lists them all)");
        }

        return text.ToString().TrimEnd();
    }
}

/// <summary>One rejected line: where, which event, the stable reason code and what is wrong.</summary>
internal sealed record IngestRejection(int Line, string? EventId, string Reason, string? Detail);
