using System.CommandLine;
using Azure;
using Azure.Identity;
using Compliance.Cli.Commands;
using Compliance.Core.Access;
using Compliance.Core.Policy;
using Compliance.Core.Subjects;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Compliance.Cli;

/// <summary>The <c>compliance</c> command line: parses, runs one command, and maps every failure to a stable exit code.</summary>
internal sealed class CliApplication(TextWriter output, TextWriter error, Func<string, string?> environment, TimeProvider clock)
{
    private readonly CliConsole _console = new(output, error, interactive: ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected);

    public RootCommand BuildRootCommand()
    {
        var options = new GlobalOptions();
        var runtime = new CommandRuntime(options, _console, environment, clock);
        var root = new RootCommand("Governance of employee behavioural telemetry: retention, crypto-shredding, audit and compliance reports.");
        foreach (var option in options.All)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(InitCommand.Create(runtime));
        root.Subcommands.Add(DemoCommand.Create(runtime));
        root.Subcommands.Add(PolicyCommands.Create(runtime));
        root.Subcommands.Add(AuditCommands.Create(runtime));
        root.Subcommands.Add(SubjectCommands.Create(runtime));
        root.Subcommands.Add(HoldCommands.Create(runtime));
        root.Subcommands.Add(KeyCommands.Create(runtime));
        root.Subcommands.Add(IngestCommand.Create(runtime));
        root.Subcommands.Add(AccessCommands.CreateRead(runtime));
        root.Subcommands.Add(AccessCommands.CreateExport(runtime));
        root.Subcommands.Add(AccessCommands.CreateLineage(runtime));
        root.Subcommands.Add(AssessCommands.Create(runtime));
        root.Subcommands.Add(PurgeCommand.Create(runtime));
        root.Subcommands.Add(ErasureCommands.CreateErase(runtime));
        root.Subcommands.Add(ErasureCommands.CreateErasure(runtime));
        root.Subcommands.Add(ReportCommand.Create(runtime));
        root.Subcommands.Add(StatementCommand.Create(runtime));
        return root;
    }

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var parse = BuildRootCommand().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                _console.WriteError(parseError.Message);
            }

            error.WriteLine("Run 'compliance --help' for usage.");
            return ExitCodes.BadInput;
        }

        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ExitCodeFor(ex, cancellationToken) is { } exitCode)
        {
            _console.WriteError(Describe(ex));
            return exitCode;
        }
    }

    private static int? ExitCodeFor(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        AccessDeniedException => ExitCodes.AccessDenied,
        CliUsageException or PolicyValidationException or OptionsValidationException or ArgumentException or SubjectErasedException or Core.Erasure.InvalidErasureRequestException or ReenrolmentRefusedException => ExitCodes.BadInput,
        OperationCanceledException when cancellationToken.IsCancellationRequested => ExitCodes.Cancelled,
        RequestFailedException { Status: 401 or 403 } or AuthenticationFailedException => ExitCodes.AccessDenied,
        RequestFailedException or BrokenCircuitException or TimeoutRejectedException => ExitCodes.DependencyFailed,
        _ => null,
    };

    private static string Describe(Exception exception) => exception switch
    {
        OptionsValidationException options => "configuration: " + string.Join("; ", options.Failures),
        OperationCanceledException => "cancelled; nothing was left half-done, run the command again to finish",
        RequestFailedException { Status: 401 or 403 } denied => $"storage refused access ({denied.Status} {denied.ErrorCode})",
        AuthenticationFailedException auth => "could not authenticate to Azure: " + FirstLine(auth.Message),
        RequestFailedException failed => $"storage failed after retries ({(failed.Status == 0 ? "unreachable" : failed.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))}): {FirstLine(failed.Message)}; check --storage or COMPLIANCE_STORAGE and run again",
        BrokenCircuitException => "storage is failing repeatedly, so calls were stopped (circuit open); check --storage or COMPLIANCE_STORAGE and run again",
        TimeoutRejectedException => "storage did not answer in time after retries; run again",
        ReenrolmentRefusedException refused => $"{refused.Code}: {refused.Message}",
        _ => exception.Message,
    };

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
