using System.CommandLine;
using Compliance.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance audit seal|verify</c>: seal the audit streams, and recompute every chain and seal.</summary>
internal static class AuditCommands
{
    public const string SealActor = "job:audit-seal";

    public static Command Create(CommandRuntime runtime)
    {
        var seal = new Command("seal", "Seal every audit stream: heads, Merkle root, chained to the previous seal, signed");
        seal.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var result = await SealAsync(context, cancellationToken).ConfigureAwait(false);
            if (context.Settings.Json)
            {
                context.Console.WriteJson(new { command = "audit seal", seal = SealJson(result) });
            }
            else
            {
                WriteSeal(context, result);
            }

            return ExitCodes.Success;
        }));

        var from = new Option<string?>("--from") { Description = "Start of the period to verify (ISO-8601 with offset)", HelpName = "T" };
        var to = new Option<string?>("--to") { Description = "End of the period to verify, exclusive (ISO-8601 with offset)", HelpName = "T" };
        var verify = new Command("verify", "Recompute every hash chain and seal; exit 1 naming the first bad event if anything was altered") { from, to };
        verify.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var fromValue = parse.GetValue(from) is { } f ? CliSettings.ParseInstant("--from", f) : (DateTimeOffset?)null;
            var toValue = parse.GetValue(to) is { } t ? CliSettings.ParseInstant("--to", t) : (DateTimeOffset?)null;
            if (fromValue > toValue)
            {
                throw new CliUsageException($"--to: the period ends ({toValue:O}) before it starts ({fromValue:O})");
            }

            var report = await VerifyAsync(context, fromValue, toValue, cancellationToken).ConfigureAwait(false);
            if (context.Settings.Json)
            {
                context.Console.WriteJson(new { command = "audit verify", intact = report.Intact, report });
            }
            else
            {
                WriteReport(context.Console.Out, report);
            }

            return report.Intact ? ExitCodes.Success : ExitCodes.CheckFailed;
        }));

        return new Command("audit", "Seal and verify the tamper-evident audit trail") { seal, verify };
    }

    public static Task<AuditSealResult> SealAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.Services.GetRequiredService<AuditSealService>().SealAsync(SealActor, cancellationToken);

    public static Task<AuditVerificationReport> VerifyAsync(CommandContext context, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken) =>
        context.Services.GetRequiredService<AuditVerifier>().VerifyAsync(from, to, cancellationToken);

    public static object SealJson(AuditSealResult result) => new
    {
        number = result.Seal.Seal.Number,
        sealedAt = result.Seal.Seal.SealedAt,
        hash = result.Seal.Seal.Hash,
        merkleRoot = result.Seal.Seal.MerkleRoot,
        streams = result.Seal.Seal.Heads.Count,
        events = result.Seal.Seal.EventCount,
        algorithm = result.Seal.Seal.Algorithm,
        keyId = result.Seal.Seal.KeyId,
        keyCustody = result.DevelopmentCustody ? "development" : "azure-key-vault",
        exportedTo = result.ExportedTo,
    };

    public static void WriteSeal(CommandContext context, AuditSealResult result)
    {
        var seal = result.Seal.Seal;
        var output = context.Console.Out;
        output.WriteLine($"Sealed the audit trail: seal {seal.Number} over {seal.EventCount} events in {seal.Heads.Count} streams");
        output.WriteLine($"  merkle root  {seal.MerkleRoot}");
        output.WriteLine($"  seal hash    {seal.Hash}");
        output.WriteLine($"  signed       {seal.Algorithm} with {seal.KeyId}{(result.DevelopmentCustody ? " (development key custody)" : "")}");
        if (result.ExportedTo is not null)
        {
            output.WriteLine($"  exported to  {result.ExportedTo}");
        }
    }

    public static void WriteReport(TextWriter output, AuditVerificationReport report)
    {
        var period = report.From is null && report.To is null ? "" : $" for {report.From?.ToString("O") ?? "the start"} to {report.To?.ToString("O") ?? "now"}";
        if (report.Intact)
        {
            output.WriteLine($"Audit trail intact{period}: {report.EventsChecked} events in {report.StreamsChecked} streams and {report.SealsChecked} seals verified"
                + (report.LatestSeal is { } latest ? $" (latest seal {latest}; {report.UnsealedEvents} events since)." : " (no seal yet)."));
            return;
        }

        output.WriteLine($"AUDIT TRAIL ALTERED{period}: {report.ProblemCount} problem{(report.ProblemCount == 1 ? "" : "s")} found in {report.EventsChecked} events and {report.SealsChecked} seals.");
        output.WriteLine($"First bad: {report.FirstProblem!.Message}");
        foreach (var problem in report.Problems)
        {
            output.WriteLine($"  - [{problem.Kind}] {problem.Message}");
        }

        if (report.ProblemCount > report.Problems.Count)
        {
            output.WriteLine($"  ... and {report.ProblemCount - report.Problems.Count} more");
        }
    }
}
