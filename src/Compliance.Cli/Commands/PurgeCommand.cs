using System.CommandLine;
using System.Globalization;
using Compliance.Core.Retention;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary>
/// <c>compliance purge [--dry-run]</c>: the nightly retention purge on demand. <c>--dry-run</c> prints exactly what a
/// real run at the same clock would do. A run that finds another holding the purge lease exits 4 (rerun later).
/// </summary>
internal static class PurgeCommand
{
    public const string Actor = "job:retention-purge";

    public static Command Create(CommandRuntime runtime)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be deleted and what legal holds keep, without deleting" };
        var command = new Command("purge", "Delete telemetry past its category's retention; legal holds win; a manifest is stored and audited") { dryRun };
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var service = context.Services.GetRequiredService<PurgeService>();
            if (parse.GetValue(dryRun))
            {
                var plan = await service.PlanAsync(cancellationToken).ConfigureAwait(false);
                context.WriteResult(new { command = "purge", dryRun = true, plan }, Describe(plan));
                return ExitCodes.Success;
            }

            try
            {
                var result = await service.RunAsync(Actor, cancellationToken).ConfigureAwait(false);
                context.WriteResult(new { command = "purge", dryRun = false, manifestName = result.ManifestName, manifestSha256 = result.ManifestSha256, manifest = result.Manifest }, Describe(result));
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ex is PurgeInProgressException or PurgeLeaseLostException)
            {
                context.Console.WriteError(ex.Message);
                return ExitCodes.DependencyFailed;
            }
        }));
        return command;
    }

    public static string Describe(PurgePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var lines = new List<string> { string.Create(CultureInfo.InvariantCulture, $"Purge plan at {plan.At:yyyy-MM-dd'T'HH:mm:ss'Z'} (dry run): {plan.Records} records would be deleted, {plan.HeldRecords} kept for legal holds.") };
        foreach (var category in plan.Categories)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  {category.Category} (kept {category.RetentionDays} days: captured at or before {category.Cutoff:yyyy-MM-dd'T'HH:mm:ss'Z'} has expired){(category.CategoryHeld ? " HELD" : "")}"));
            lines.AddRange(category.Actions.Select(a => string.Create(
                CultureInfo.InvariantCulture,
                $"    {a.Day:yyyy-MM-dd}  {(a.Kind == PurgeActionKind.DropTable ? "drop day table" : "delete records"),-15} {a.Records,7} records{(a.HeldRecords > 0 ? $", {a.HeldRecords} held (cases {string.Join(", ", a.HoldingCases)})" : "")}")));
            if (category.Actions.Count == 0)
            {
                lines.Add("    nothing has expired");
            }
        }

        return string.Join(Environment.NewLine, lines);
    }

    public static string Describe(PurgeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var m = result.Manifest;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Purged {m.RecordsDeleted} records ({m.TablesDropped} whole day tables dropped); {m.RecordsHeld} kept for legal holds{(m.HoldsHonoured.Count > 0 ? " (" + string.Join(", ", m.HoldsHonoured) + ")" : "")}; {m.KeyVersionsRetired} key versions retired; {m.DatasetsMarkedStale.Count} datasets marked stale.{Environment.NewLine}Manifest purge-manifests/{result.ManifestName}, SHA-256 {result.ManifestSha256} (in the PURGE audit event).");
    }
}
