using System.CommandLine;
using Compliance.Core.Policy;

namespace Compliance.Cli.Commands;

/// <summary>
/// <c>compliance demo</c>: the product end to end on the embedded defaults. Today that is validating the
/// policy and provisioning storage; each capability, as it lands, adds its step here.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("demo", "Run the product end to end on the embedded defaults: policy, storage, audit seal and verification");
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var summary = PolicySummary.From(context.Policy);
            var setup = await InitCommand.InitializeAsync(context, cancellationToken).ConfigureAwait(false);
            var rerun = await InitCommand.InitializeAsync(context, cancellationToken).ConfigureAwait(false);
            var seal = await AuditCommands.SealAsync(context, cancellationToken).ConfigureAwait(false);
            var verification = await AuditCommands.VerifyAsync(context, null, null, cancellationToken).ConfigureAwait(false);
            if (context.Settings.Json)
            {
                context.Console.WriteJson(new
                {
                    command = "demo",
                    policy = summary,
                    setup = InitCommand.ToJson("init", context, setup),
                    rerun = new { created = rerun.CreatedCount, existing = rerun.Resources.Count - rerun.CreatedCount },
                    seal = AuditCommands.SealJson(seal),
                    verification,
                });
                return verification.Intact ? ExitCodes.Success : ExitCodes.CheckFailed;
            }

            var output = context.Console.Out;
            output.WriteLine("== 1. Policy registry: validated against its schema and cross-references");
            PolicyCommands.WriteHuman(output, summary);
            InitCommand.WriteEnvironment(context);
            output.WriteLine();
            output.WriteLine("== 2. Storage: tables, queues and containers");
            InitCommand.WriteResources(output, setup);
            output.WriteLine();
            output.WriteLine("== 3. Idempotency: every job can be rerun to the same end state");
            output.WriteLine($"Running init again changed nothing: {rerun.CreatedCount} created, {rerun.Resources.Count - rerun.CreatedCount} already present.");
            output.WriteLine();
            output.WriteLine("== 4. Audit trail: every job above left hash-chained events; seal them, then verify everything");
            AuditCommands.WriteSeal(context, seal);
            AuditCommands.WriteReport(output, verification);
            output.WriteLine();
            output.WriteLine(verification.Intact ? "Demo complete." : "Demo FAILED: the audit trail does not verify.");
            return verification.Intact ? ExitCodes.Success : ExitCodes.CheckFailed;
        }));
        return command;
    }
}
