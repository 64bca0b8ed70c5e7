using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compliance.Deployment.Tests.Bicep;

/// <summary>Runs the Bicep CLI restored from NuGet (Azure.Bicep.CommandLine.linux-x64): <c>bicep build</c> to an ARM
/// template and <c>bicep lint</c> to diagnostics. Each call starts one process, bounded by a timeout.</summary>
public sealed class BicepCli
{
    /// <summary>Name of the assembly metadata the project file writes with the restored CLI's path.</summary>
    public const string PathMetadataKey = "BicepCliPath";

    /// <summary>How long one call may run by default; a build takes 1–2 s.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    private static readonly Lazy<BicepCli> Restored = new(() => new BicepCli(LocateRestored()));

    private readonly TimeSpan _timeout;

    /// <param name="executablePath">Path of the <c>bicep</c> executable.</param>
    /// <param name="timeout">How long one call may run before its process is killed; <see cref="DefaultTimeout"/> when null.</param>
    public BicepCli(string executablePath, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(executablePath);
        ExecutablePath = executablePath;
        _timeout = timeout ?? DefaultTimeout;
    }

    /// <summary>The CLI that the build of this project restored (see <see cref="LocateRestored"/>).</summary>
    public static BicepCli Default => Restored.Value;

    public string ExecutablePath { get; }

    /// <summary>The path of the restored CLI: <c>$(NuGetPackageRoot)</c> as resolved by the build, written into this
    /// assembly's metadata (<see cref="PathMetadataKey"/>) by the project file, so no packages folder is assumed.</summary>
    /// <exception cref="InvalidOperationException">The metadata is missing or the file is not there.</exception>
    public static string LocateRestored()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == PathMetadataKey)?.Value;
        if (string.IsNullOrEmpty(path))
        {
            throw new InvalidOperationException($"This assembly has no {PathMetadataKey} metadata; build it with its project file, which restores the Bicep CLI.");
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The Bicep CLI is not at {path}; restore and build tests/Compliance.Deployment.Tests (dotnet build) to download it.");
        }

        return path;
    }

    /// <summary>Compiles a Bicep file (with its modules) to one ARM template.</summary>
    /// <param name="bicepFile">Path of the .bicep file.</param>
    /// <param name="configFile">A bicepconfig.json to use instead of the one Bicep would discover next to the file.</param>
    /// <param name="cancellationToken">Cancels the call and kills the process.</param>
    /// <returns>The template and the diagnostics of the build (linter warnings included).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="BicepCliException">The build failed (the message lists every diagnostic) or timed out.</exception>
    public async Task<BicepBuildResult> BuildAsync(string bicepFile, string? configFile = null, CancellationToken cancellationToken = default)
    {
        RequireFile(bicepFile);
        var run = await RunAsync(["build", bicepFile, "--stdout", "--diagnostics-format", "sarif", .. ConfigArguments(configFile)], cancellationToken);
        var diagnostics = ReadDiagnostics(run, run.StandardError);
        if (run.ExitCode != 0)
        {
            throw new BicepCliException(Describe(run, $"failed with exit code {run.ExitCode}", diagnostics));
        }

        try
        {
            return JsonNode.Parse(run.StandardOutput) is JsonObject template
                ? new BicepBuildResult(template, diagnostics)
                : throw new BicepCliException(Describe(run, "printed something other than a JSON object", diagnostics));
        }
        catch (JsonException e)
        {
            throw new BicepCliException(Describe(run, $"printed a template that is not JSON ({e.Message})", diagnostics), e);
        }
    }

    /// <summary>Lints a Bicep file. The modules it uses are linted with it: their diagnostics name their own files.</summary>
    /// <param name="bicepFile">Path of the .bicep file.</param>
    /// <param name="configFile">A bicepconfig.json to use instead of the one Bicep would discover next to the file.</param>
    /// <param name="cancellationToken">Cancels the call and kills the process.</param>
    /// <returns>Every diagnostic, errors included (a file with errors is still linted).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="BicepCliException">The CLI printed no SARIF log (the message has its standard error) or timed out.</exception>
    public Task<IReadOnlyList<BicepDiagnostic>> LintAsync(string bicepFile, string? configFile = null, CancellationToken cancellationToken = default)
    {
        RequireFile(bicepFile);
        return LintAsync([bicepFile], configFile, cancellationToken);
    }

    /// <summary>Lints every .bicep file under a directory, in one process (<c>bicep lint --pattern DIR/**/*.bicep</c>),
    /// so that files no other file uses as a module are linted too. Each file uses the bicepconfig.json nearest to it.</summary>
    /// <param name="directory">The directory to search, subdirectories included.</param>
    /// <param name="cancellationToken">Cancels the call and kills the process.</param>
    /// <returns>Every diagnostic once (a module is linted on its own and through each file using it).</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="BicepCliException">The CLI printed no SARIF log (the message has its standard error) or timed out.</exception>
    public Task<IReadOnlyList<BicepDiagnostic>> LintDirectoryAsync(string directory, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory} not found.");
        }

        return LintAsync(["--pattern", Path.Combine(Path.GetFullPath(directory), "**", "*.bicep")], configFile: null, cancellationToken);
    }

    private async Task<IReadOnlyList<BicepDiagnostic>> LintAsync(string[] target, string? configFile, CancellationToken cancellationToken)
    {
        var run = await RunAsync(["lint", .. target, "--diagnostics-format", "sarif", .. ConfigArguments(configFile)], cancellationToken);
        var diagnostics = ReadDiagnostics(run, run.StandardOutput);
        // Exit code 1 with errors in the log is a lint result; any other failure is the CLI's.
        var errorsFound = diagnostics.Any(d => d.Level == BicepDiagnosticLevel.Error);
        return run.ExitCode == 0 || (run.ExitCode == 1 && errorsFound)
            ? diagnostics
            : throw new BicepCliException(Describe(run, $"failed with exit code {run.ExitCode}", diagnostics));
    }

    private static string[] ConfigArguments(string? configFile)
    {
        if (configFile is null)
        {
            return [];
        }

        RequireFile(configFile);
        return ["--config", configFile];
    }

    private static void RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} not found.", path);
        }
    }

    private static IReadOnlyList<BicepDiagnostic> ReadDiagnostics(CliRun run, string sarif)
    {
        if (string.IsNullOrWhiteSpace(sarif))
        {
            return run.ExitCode == 0 ? [] : throw new BicepCliException(Describe(run, $"failed with exit code {run.ExitCode}", []));
        }

        try
        {
            return SarifDiagnostics.Parse(sarif);
        }
        catch (FormatException e)
        {
            throw new BicepCliException(Describe(run, $"printed diagnostics that are not SARIF ({e.Message})", []), e);
        }
    }

    private static string Describe(CliRun run, string what, IReadOnlyList<BicepDiagnostic> diagnostics)
    {
        var lines = new List<string> { $"bicep {string.Join(' ', run.Arguments)} {what}." };
        lines.AddRange(diagnostics.Select(d => d.ToString()));
        if (diagnostics.Count == 0 && !string.IsNullOrWhiteSpace(run.StandardError))
        {
            lines.Add($"stderr: {run.StandardError.Trim()}");
        }

        return string.Join(Environment.NewLine, lines);
    }

    private async Task<CliRun> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Start(start);
        var standardOutput = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var standardError = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            var partial = (await standardError).Trim();
            throw new BicepCliException($"bicep {string.Join(' ', arguments)} did not finish within {_timeout.TotalSeconds:0.###} s and was killed.{(partial.Length > 0 ? $" stderr: {partial}" : string.Empty)}");
        }

        return new CliRun(arguments, process.ExitCode, await standardOutput, await standardError);
    }

    private Process Start(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new BicepCliException($"Could not start {ExecutablePath}.");
        }
        catch (Win32Exception e)
        {
            throw new BicepCliException($"Could not start {ExecutablePath}: {e.Message}", e);
        }
    }

    private sealed record CliRun(string[] Arguments, int ExitCode, string StandardOutput, string StandardError);
}
