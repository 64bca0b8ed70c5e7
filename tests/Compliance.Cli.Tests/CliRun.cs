namespace Compliance.Cli.Tests;

// Compiled into Compliance.IntegrationTests too (linked), so both run the CLI the same way.

/// <summary>Runs the <c>compliance</c> command in-process with captured output and a controlled environment.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> ExecuteAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = environment ?? new Dictionary<string, string>();
        var app = new CliApplication(output, error, name => env.TryGetValue(name, out var value) ? value : null, TimeProvider.System);

        var exitCode = await app.RunAsync(args);

        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public static Task<CliRun> ExecuteAsync(params string[] args) => ExecuteAsync(null, args);
}
