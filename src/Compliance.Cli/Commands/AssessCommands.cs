using System.CommandLine;
using System.Globalization;
using Compliance.Core.Assessments;
using Compliance.Core.Time;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary>
/// <c>compliance assess dpia|eval|promote|schema-change</c>: risk assessments and model evaluations recorded in the
/// audit trail (DPIA, EVAL, MODEL_PROMOTE, SCHEMA_CHANGE), which controls RSK-1 and MDL-1 of the report judge.
/// </summary>
internal static class AssessCommands
{
    public const string Actor = "operator:cli";

    /// <summary>The option each service parameter comes from, so bad input names the option.</summary>
    private static readonly Dictionary<string, string> OptionOf = new(StringComparer.Ordinal)
    {
        ["category"] = "--category",
        ["version"] = "--version",
        ["approvedAt"] = "--approved",
        ["evalId"] = "--eval",
        ["modelId"] = "--model",
        ["type"] = "--type",
        ["value"] = "--value",
        ["threshold"] = "--threshold",
        ["evalIds"] = "--evals",
    };

    public static Command Create(CommandRuntime runtime) =>
        new("assess", "Record risk assessments and model evaluations (DPIA, EVAL, MODEL_PROMOTE, SCHEMA_CHANGE) for controls RSK-1 and MDL-1")
        {
            CreateDpia(runtime), CreateEval(runtime), CreatePromote(runtime), CreateSchemaChange(runtime),
        };

    private static Command CreateDpia(CommandRuntime runtime)
    {
        var category = new Option<string>("--category") { Description = $"The category the DPIA covers, or {AssessmentService.AllCategories}", HelpName = "C", Required = true };
        var version = new Option<string>("--version") { Description = "The DPIA's version (a short token such as 2026.1)", HelpName = "V", Required = true };
        var approved = new Option<string>("--approved") { Description = "When it was approved (ISO-8601 with offset, not in the future)", HelpName = "T", Required = true };
        var command = new Command("dpia", "Record an approved DPIA for a category or all (DPIA; once per category and version)") { category, version, approved };
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var approvedAt = CliSettings.ParseInstant("--approved", parse.GetValue(approved)!);
            var (scope, dpiaVersion) = (parse.GetValue(category)!, parse.GetValue(version)!);
            var recorded = await Run(() => Service(context).RecordDpiaAsync(scope, dpiaVersion, approvedAt, Actor, cancellationToken)).ConfigureAwait(false);
            context.WriteResult(
                new { command = "assess dpia", scope, version = dpiaVersion, approvedAt = IsoInstant.Format(approvedAt), recorded },
                recorded
                    ? $"DPIA {dpiaVersion} for {scope}, approved {IsoInstant.Format(approvedAt)}: recorded (DPIA)."
                    : $"DPIA {dpiaVersion} for {scope} was already recorded; the first record stands.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateEval(CommandRuntime runtime)
    {
        var eval = new Option<string>("--eval") { Description = "Evaluation id (lowercase letters, digits, . _ -)", HelpName = "ID", Required = true };
        var model = new Option<string>("--model") { Description = "The model evaluated", HelpName = "M", Required = true };
        var type = new Option<string>("--type") { Description = $"One of {string.Join(", ", EvaluationTypes.Required)}", HelpName = "T", Required = true };
        var value = new Option<string>("--value") { Description = "The measured value (0 to 1000000, invariant decimal)", HelpName = "X", Required = true };
        var threshold = new Option<string>("--threshold") { Description = "The most the value may be for the model to pass", HelpName = "Y", Required = true };
        var command = new Command("eval", "Record a privacy evaluation of a model (EVAL; once per evaluation id)") { eval, model, type, value, threshold };
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var measured = ParseMeasure("--value", parse.GetValue(value)!);
            var limit = ParseMeasure("--threshold", parse.GetValue(threshold)!);
            var (evalId, modelId, evalType) = (parse.GetValue(eval)!, parse.GetValue(model)!, parse.GetValue(type)!);
            var recorded = await Run(() => Service(context).RecordEvaluationAsync(evalId, modelId, evalType, measured, limit, Actor, cancellationToken)).ConfigureAwait(false);
            var passed = MicroUnits.From(measured) <= MicroUnits.From(limit);
            context.WriteResult(
                new { command = "assess eval", evalId, modelId, type = evalType, value = measured, threshold = limit, passed, recorded },
                (recorded ? $"Evaluation {evalId} of {modelId} recorded (EVAL): " : $"Evaluation {evalId} was already recorded; the first record stands. This run: ")
                + $"{evalType} {Format(measured)} against threshold {Format(limit)}, {(passed ? "passed" : "over the threshold")}.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command CreatePromote(CommandRuntime runtime)
    {
        var model = new Option<string>("--model") { Description = "The model promoted", HelpName = "M", Required = true };
        var evals = new Option<string>("--evals") { Description = "The evaluation ids it rests on, comma-separated", HelpName = "ID[,ID...]", Required = true };
        var command = new Command("promote", "Record a model promotion and the evaluations it rests on (MODEL_PROMOTE); warns when MDL-1 would fail") { model, evals };
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var ids = parse.GetValue(evals)!.Split(',', StringSplitOptions.TrimEntries);
            var modelId = parse.GetValue(model)!;
            var result = await Run(() => Service(context).PromoteModelAsync(modelId, ids, Actor, cancellationToken)).ConfigureAwait(false);
            if (context.Settings.Json)
            {
                context.Console.WriteJson(new { command = "assess promote", modelId = result.ModelId, evalIds = result.EvalIds, recorded = !result.AlreadyRecorded, warnings = result.Warnings });
            }
            else
            {
                context.Console.Out.WriteLine(result.AlreadyRecorded
                    ? $"Promotion of {result.ModelId} on {string.Join(", ", result.EvalIds)} was already recorded."
                    : $"Promotion of {result.ModelId} on {string.Join(", ", result.EvalIds)} recorded (MODEL_PROMOTE).");
                foreach (var warning in result.Warnings)
                {
                    context.Console.Error.WriteLine($"warning: {warning}");
                }

                if (result.Warnings.Count > 0)
                {
                    context.Console.Error.WriteLine("warning: controls MDL-1 will count this promotion as failing until it rests on passing evaluations of every required type.");
                }
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateSchemaChange(CommandRuntime runtime)
    {
        var category = new Option<string>("--category") { Description = "The category whose record schema changed", HelpName = "C", Required = true };
        var command = new Command("schema-change", "Record that a category's schema changed, so its DPIA must be redone (SCHEMA_CHANGE)") { category };
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var changed = parse.GetValue(category)!;
            await Run(async () =>
            {
                await Service(context).RecordSchemaChangeAsync(changed, Actor, cancellationToken).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
            context.WriteResult(
                new { command = "assess schema-change", category = changed, at = IsoInstant.Format(context.Clock.GetUtcNow()) },
                $"Schema change of {changed} recorded (SCHEMA_CHANGE); its DPIA must be redone for controls RSK-1.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static AssessmentService Service(CommandContext context) => context.Services.GetRequiredService<AssessmentService>();

    /// <summary>Runs a service call; its bad-input errors become usage errors naming the option.</summary>
    private static async Task<T> Run<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ArgumentException ex) when (ex.ParamName is { } name && OptionOf.TryGetValue(name, out var option))
        {
            var message = ex.Message;
            var suffix = $" (Parameter '{name}')";
            message = message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
            message = message.StartsWith(name + ": ", StringComparison.Ordinal) ? message[(name.Length + 2)..] : message;
            throw new CliUsageException($"{option}: {message}");
        }
    }

    private static double ParseMeasure(string option, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliUsageException($"{option}: '{text}' is not a number (use a decimal point, such as 0.05)");

    private static string Format(double value) => MicroUnits.Format(MicroUnits.From(value));
}
