using System.CommandLine;
using Compliance.Core.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary>
/// <c>compliance report --from T --to T [--format json|html|csv|oscal] --out FILE</c>: the controls evaluated over the period from the
/// sealed audit trail (docs/reports.md). The report's SHA-256 is recorded (REPORT) and printed; exit 1 when a
/// control fails, so a pipeline can gate on it.
/// </summary>
internal static class ReportCommand
{
    public const string Actor = "operator:report";

    public static Command Create(CommandRuntime runtime)
    {
        var from = new Option<string>("--from") { Description = "Start of the period (ISO-8601 with offset), included", HelpName = "T", Required = true };
        var to = new Option<string>("--to") { Description = "End of the period (ISO-8601 with offset), excluded", HelpName = "T", Required = true };
        var format = new Option<string>("--format") { Description = "json (canonical), html (printable, self-contained), csv (findings) or oscal (OSCAL assessment-results 1.1.2)", HelpName = "FORMAT", DefaultValueFactory = _ => "json" };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the report", HelpName = "FILE", Required = true };
        var command = new Command("report", "Evaluate the compliance controls over a period of the sealed audit trail and write the report") { from, to, format, output };
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var period = new ReportPeriod(CliSettings.ParseInstant("--from", parse.GetValue(from)!), CliSettings.ParseInstant("--to", parse.GetValue(to)!));
            if (period.To <= period.From)
            {
                throw new CliUsageException("--to: the period must end after it starts");
            }

            var service = context.Services.GetRequiredService<ReportService>();
            ComplianceReport report;
            try
            {
                report = await service.GenerateAsync(period, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex)
            {
                throw new CliUsageException(ex.Message);
            }
            catch (ArgumentException ex)
            {
                throw new CliUsageException("--to: " + ex.Message);
            }

            RenderedReport rendered;
            try
            {
                rendered = await service.RenderAsync(report, parse.GetValue(format)!, Actor, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                throw new CliUsageException("--format: " + ex.Message);
            }

            var file = parse.GetValue(output)!;
            await File.WriteAllBytesAsync(file.FullName, rendered.Content, cancellationToken).ConfigureAwait(false);
            context.WriteResult(
                new { command = "report", file = file.FullName, format = rendered.Format, sha256 = rendered.Sha256, passed = report.Passed, failed = report.Failed, notApplicable = report.NotApplicable, sealNumber = report.Basis.SealNumber, trailIntact = report.Basis.TrailIntact },
                $"Report {file.FullName} ({rendered.Format}, SHA-256 {rendered.Sha256}, recorded as REPORT): {report.Passed} controls passed, {report.Failed} failed, {report.NotApplicable} not applicable; based on seal {report.Basis.SealNumber}{(report.Basis.SealedAt < period.To ? " (the period is not fully sealed yet: later events are not included)" : "")}.");
            return report.Failed == 0 ? ExitCodes.Success : ExitCodes.CheckFailed;
        }));
        return command;
    }
}
