using System.CommandLine;
using System.Text.Json;
using Compliance.Core.Access;
using Compliance.Core.Lineage;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary>
/// <c>compliance read</c>, <c>compliance export</c> and <c>compliance lineage</c>: purpose-bound reads and training
/// exports through the access broker (every read audited before data leaves; denials audited and exit 3), and
/// the lineage from datasets to models.
/// </summary>
internal static class AccessCommands
{
    public static Command CreateRead(CommandRuntime runtime)
    {
        var options = new RequestOptions();
        var employee = new Option<string?>("--employee") { Description = "Read one employee's records (never echoed: results name the surrogate)", HelpName = "E" };
        var limit = new Option<int>("--limit") { Description = $"At most this many records (1 to {AccessBroker.MaxLimit})", HelpName = "N", DefaultValueFactory = _ => 10_000 };
        var command = new Command("read", "Read decrypted telemetry for a declared purpose (audited before any record is shown)") { employee, limit };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var request = options.Read(parse) with { EmployeeId = parse.GetValue(employee), Limit = parse.GetValue(limit) };
            var result = await context.Services.GetRequiredService<AccessBroker>().ReadAsync(request, cancellationToken).ConfigureAwait(false);
            if (context.Settings.Json)
            {
                context.Console.WriteJson(new
                {
                    command = "read",
                    records = result.Records,
                    count = result.Records.Count,
                    subjects = result.Subjects,
                    truncated = result.Truncated,
                    unreadable = result.Unreadable,
                    audit = new { stream = result.AuditStream, sequence = result.AuditSequence },
                });
            }
            else
            {
                foreach (var record in result.Records)
                {
                    context.Console.Out.WriteLine($"{record.CapturedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}  {record.Subject}  {JsonSerializer.Serialize(record.Fields)}");
                }

                context.Console.Out.WriteLine(
                    $"{result.Records.Count} record(s) of {result.Subjects} subject(s)"
                    + (result.Truncated ? $", truncated at --limit {request.Limit}" : "")
                    + (result.Unreadable > 0 ? $"; {result.Unreadable} unreadable (shredded) record(s) left out" : "")
                    + $". Audited as READ ({result.AuditStream}#{result.AuditSequence}).");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command CreateExport(CommandRuntime runtime)
    {
        var options = new RequestOptions(periodRequired: true);
        var output = new Option<FileInfo>("--out") { Description = "Where to write the dataset (one JSON object per line)", HelpName = "FILE", Required = true };
        var command = new Command("export", "Export a pseudonymous training dataset for a period, with lineage (purpose must be tagged training)") { output };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var request = options.Read(parse);
            var target = parse.GetValue(output)!;
            var directory = target.Directory ?? throw new CliUsageException($"--out {target.FullName}: not a file path");
            if (!directory.Exists)
            {
                throw new CliUsageException($"--out {target.FullName}: the directory {directory.FullName} does not exist");
            }

            // Written next to the target and renamed at the end, so a failed export leaves no partial dataset behind.
            var temporary = Path.Combine(directory.FullName, $".{target.Name}.{Guid.NewGuid():N}.partial");
            ExportResult result;
            try
            {
                await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    result = await context.Services.GetRequiredService<TrainingExporter>().ExportAsync(request, stream, cancellationToken).ConfigureAwait(false);
                }

                File.Move(temporary, target.FullName, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }

            context.WriteResult(
                new { command = "export", file = target.FullName, dataset = result },
                $"Dataset {result.DatasetId}: {result.Records} records of {result.Subjects} subjects written to {target.FullName}"
                + (result.ExcludedSubjects > 0 ? $"; {result.ExcludedSubjects} subject(s) left out because they objected to AI training" : "")
                + $". Lineage recorded; content SHA-256 {result.ContentHash}.");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command CreateLineage(CommandRuntime runtime)
    {
        var model = new Option<string>("--model") { Description = "Model id", HelpName = "M", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "Dataset id from 'compliance export'", HelpName = "D", Required = true };
        var link = new Command("link", "Record that a model was trained on a dataset (MODEL_TRAIN)") { model, dataset };
        link.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            await context.Services.GetRequiredService<LineageService>().LinkModelAsync(parse.GetValue(model)!, parse.GetValue(dataset)!, "operator:cli", cancellationToken).ConfigureAwait(false);
            context.WriteResult(new { command = "lineage link", model = parse.GetValue(model), dataset = parse.GetValue(dataset) }, $"Model {parse.GetValue(model)} linked to dataset {parse.GetValue(dataset)}.");
            return ExitCodes.Success;
        }));

        var employee = new Option<string>("--employee") { Description = "Employee id", HelpName = "E", Required = true };
        var show = new Command("show", "List the datasets holding an employee's data and the models trained on them") { employee };
        show.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var reach = await context.Services.GetRequiredService<LineageService>().ReachAsync(parse.GetValue(employee)!, cancellationToken).ConfigureAwait(false);
            context.WriteResult(
                new { command = "lineage show", subject = reach.Subject, datasets = reach.Datasets, models = reach.Models },
                reach.Subject is null
                    ? "The employee was never enrolled: no data, no datasets."
                    : $"Subject {reach.Subject}: datasets {(reach.Datasets.Count == 0 ? "(none)" : string.Join(", ", reach.Datasets))}; models {(reach.Models.Count == 0 ? "(none)" : string.Join(", ", reach.Models))}");
            return ExitCodes.Success;
        }));

        return new Command("lineage", "Which datasets hold whose data, and which models were trained on them") { link, show };
    }

    /// <summary>The options every broker request has: principal, purpose, category and a period.</summary>
    private sealed class RequestOptions(bool periodRequired = false)
    {
        private readonly Option<string> _principal = new("--principal") { Description = "The policy principal asking (in Azure: from App Service authentication)", HelpName = "P", Required = true };
        private readonly Option<string> _purpose = new("--purpose") { Description = "The declared purpose (a purpose of the policy)", HelpName = "X", Required = true };
        private readonly Option<string> _category = new("--category") { Description = "The telemetry category", HelpName = "C", Required = true };
        private readonly Option<string?> _from = new("--from") { Description = "Start of the period, inclusive (ISO-8601 with offset)", HelpName = "T", Required = periodRequired };
        private readonly Option<string?> _to = new("--to") { Description = "End of the period, exclusive (ISO-8601 with offset)", HelpName = "T", Required = periodRequired };

        public void AddTo(Command command)
        {
            foreach (var option in (Option[])[_principal, _purpose, _category, _from, _to])
            {
                command.Options.Add(option);
            }
        }

        public AccessRequest Read(ParseResult parse)
        {
            var from = parse.GetValue(_from) is { } f ? CliSettings.ParseInstant("--from", f) : (DateTimeOffset?)null;
            var to = parse.GetValue(_to) is { } t ? CliSettings.ParseInstant("--to", t) : (DateTimeOffset?)null;
            if (from >= to)
            {
                throw new CliUsageException($"--to: the period ends ({to:O}) at or before it starts ({from:O})");
            }

            return new AccessRequest(parse.GetValue(_principal)!, parse.GetValue(_purpose)!, parse.GetValue(_category)!, null, from, to) { Destination = "cli" };
        }
    }
}
