using System.CommandLine;
using Compliance.Core.Erasure;
using Compliance.Core.Holds;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance hold add|release|list [--employee E | --category C] --case ID [--reason R]</c>: legal holds, audited.</summary>
internal static class HoldCommands
{
    public static Command Create(CommandRuntime runtime)
    {
        var add = new Command("add", "Place a legal hold on one employee or one category under a case");
        var (addEmployee, addCategory, addCase) = ScopeOptions(add, caseRequired: true);
        var reason = new Option<string?>("--reason") { Description = "Why (kept with the hold, never in the audit trail)", HelpName = "R" };
        add.Options.Add(reason);
        add.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var hold = await Holds(context).PlaceAsync(parse.GetValue(addEmployee), parse.GetValue(addCategory), parse.GetValue(addCase)!, parse.GetValue(reason), SubjectCommands.Actor, cancellationToken).ConfigureAwait(false);
            context.WriteResult(new { command = "hold add", hold = Json(hold) }, $"Hold placed: case {hold.CaseId} on {hold.Scope}");
            return ExitCodes.Success;
        }));

        var release = new Command("release", "Release a legal hold");
        var (releaseEmployee, releaseCategory, releaseCase) = ScopeOptions(release, caseRequired: true);
        release.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var hold = await Holds(context).ReleaseAsync(parse.GetValue(releaseEmployee), parse.GetValue(releaseCategory), parse.GetValue(releaseCase)!, SubjectCommands.Actor, cancellationToken).ConfigureAwait(false);
            if (hold is null)
            {
                throw new CliUsageException($"--case: no active hold of case {parse.GetValue(releaseCase)} covers that employee or category");
            }

            // Erasures the hold deferred complete now (in Azure the ErasureSweep function does this within 15 minutes).
            var erasure = context.Services.GetRequiredService<ErasureService>();
            var waiting = (await erasure.ListAsync(null, cancellationToken).ConfigureAwait(false)).Where(r => r.State == ErasureState.Held && r.HoldCases.Contains(hold.CaseId)).ToList();
            var resumed = new List<ErasureRecord>();
            foreach (var request in waiting)
            {
                resumed.Add(await erasure.ProcessAsync(request.Id, ErasureCommands.Actor, cancellationToken).ConfigureAwait(false));
            }

            context.WriteResult(
                new { command = "hold release", hold = Json(hold), erasures = resumed.Select(r => new { erasureId = r.Id, state = r.State.ToName() }) },
                string.Join(Environment.NewLine, [$"Hold released: case {hold.CaseId} on {hold.Scope}", .. resumed.Select(r => $"  erasure {r.Id}, deferred by this hold: {r.State.ToName()}")]));
            return ExitCodes.Success;
        }));

        var list = new Command("list", "List active legal holds, optionally for one employee or category");
        var listEmployee = new Option<string?>("--employee") { Description = "Only holds covering this employee", HelpName = "E" };
        var listCategory = new Option<string?>("--category") { Description = "Only holds covering this category", HelpName = "C" };
        list.Options.Add(listEmployee);
        list.Options.Add(listCategory);
        list.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var holds = await Holds(context).ListActiveAsync(parse.GetValue(listEmployee), parse.GetValue(listCategory), cancellationToken).ConfigureAwait(false);
            if (context.Settings.Json)
            {
                context.Console.WriteJson(new { command = "hold list", holds = holds.Select(Json) });
            }
            else
            {
                context.Console.Out.WriteLine(holds.Count == 0 ? "No active holds." : $"{holds.Count} active hold{(holds.Count == 1 ? "" : "s")}:");
                foreach (var hold in holds)
                {
                    context.Console.Out.WriteLine($"  {hold.CaseId,-20} {hold.Scope,-40} since {hold.PlacedAt:O}");
                }
            }

            return ExitCodes.Success;
        }));

        return new Command("hold", "Legal holds by employee or category") { add, release, list };
    }

    private static (Option<string?> Employee, Option<string?> Category, Option<string> Case) ScopeOptions(Command command, bool caseRequired)
    {
        var employee = new Option<string?>("--employee") { Description = "Hold one employee's data", HelpName = "E" };
        var category = new Option<string?>("--category") { Description = "Hold a whole category", HelpName = "C" };
        var caseId = new Option<string>("--case") { Description = "Case id, for example CASE-2026-0042", HelpName = "ID", Required = caseRequired };
        command.Options.Add(employee);
        command.Options.Add(category);
        command.Options.Add(caseId);
        return (employee, category, caseId);
    }

    private static object Json(LegalHold hold) => new { caseId = hold.CaseId, subject = hold.Subject, category = hold.Category, placedAt = hold.PlacedAt, releasedAt = hold.ReleasedAt };

    private static HoldService Holds(CommandContext context) => context.Services.GetRequiredService<HoldService>();
}
