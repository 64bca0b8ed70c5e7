using System.CommandLine;
using System.Security.Cryptography;
using Compliance.Core.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary>
/// <c>compliance statement --employee E --out FILE</c>: the employee's transparency statement (docs/statements.md),
/// JSON or a self-contained HTML page chosen by the extension of FILE. It rests on the latest audit seal; exit 2
/// when there is none yet or the extension is neither .json nor .html. The statement names the employee only by
/// surrogate.
/// </summary>
internal static class StatementCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var employee = new Option<string>("--employee") { Description = "The employee the statement is for", HelpName = "E", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the statement: FILE.json (canonical JSON) or FILE.html (a page to read and print)", HelpName = "FILE", Required = true };
        var command = new Command("statement", "Write an employee's transparency statement: what is held, for which purposes, until when, who read it and why, and destruction certificates") { employee, output };
        command.SetAction((parse, cancellationToken) =>
        {
            var file = parse.GetValue(output)!;
            var format = StatementService.FormatFor(file.Name)
                ?? throw new CliUsageException($"--out: '{file.Name}' must end in .json (canonical JSON) or .html (a readable page)");
            return runtime.RunAsync(parse, async context =>
            {
                EmployeeStatement statement;
                try
                {
                    statement = await context.Services.GetRequiredService<StatementService>().BuildAsync(parse.GetValue(employee)!, cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException ex)
                {
                    throw new CliUsageException(ex.Message);
                }
                catch (ArgumentException ex)
                {
                    throw new CliUsageException("--employee: " + ex.Message);
                }

                var content = StatementService.Render(statement, format);
                var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
                await File.WriteAllBytesAsync(file.FullName, content, cancellationToken).ConfigureAwait(false);
                var certificates = statement.Erasures.Count(e => e.CertificateSha256 is not null);
                context.WriteResult(
                    new
                    {
                        command = "statement",
                        file = file.FullName,
                        format,
                        sha256,
                        subject = statement.Subject,
                        status = statement.Status,
                        categories = statement.Categories.Count,
                        records = statement.RecordsHeld,
                        reads = statement.Access.Reads,
                        exports = statement.Access.Exports,
                        erasures = statement.Erasures.Count,
                        certificates,
                        sealNumber = statement.Basis.SealNumber,
                        trailIntact = statement.Basis.TrailIntact,
                    },
                    $"Statement {file.FullName} ({format}, SHA-256 {sha256}): {Describe(statement, certificates)}; based on seal {statement.Basis.SealNumber}{(statement.Basis.TrailIntact ? "" : " (the sealed trail did NOT verify: run compliance audit verify)")}.");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static string Describe(EmployeeStatement s, int certificates)
    {
        if (!s.Enrolled)
        {
            return "the employee was never enrolled, nothing is held";
        }

        var held = $"{s.Subject} ({s.Status}), {s.RecordsHeld} records in {s.Categories.Count} categories";
        if (s.Erased)
        {
            held += ", unreadable (erased)";
        }

        return $"{held}, {s.Access.Reads} reads naming them, {s.Access.Exports} datasets, {s.Erasures.Count} erasure requests, {certificates} certificates";
    }
}
