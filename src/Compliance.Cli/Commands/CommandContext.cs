using System.CommandLine;
using Compliance.Core.Policy;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary>What a command needs to run: its settings, the service graph (policy already validated) and the console.</summary>
internal sealed class CommandContext(CliSettings settings, ServiceProvider services, CliConsole console) : IAsyncDisposable
{
    public CliSettings Settings { get; } = settings;

    public IServiceProvider Services { get; } = services;

    public CliConsole Console { get; } = console;

    public ActivePolicy Policy => Services.GetRequiredService<ActivePolicy>();

    public TimeProvider Clock => Services.GetRequiredService<TimeProvider>();

    /// <summary>The clock as every output reports it: the instant, and whether it is simulated.</summary>
    public ClockReport ClockReport => new(Clock.GetUtcNow(), Settings.Now is not null);

    /// <summary>Writes a command's result: <paramref name="json"/> with <c>--json</c>, the <paramref name="human"/> line otherwise.</summary>
    public void WriteResult(object json, string human)
    {
        if (Settings.Json)
        {
            Console.WriteJson(json);
        }
        else
        {
            Console.Out.WriteLine(human);
        }
    }

    public ValueTask DisposeAsync() => services.DisposeAsync();
}

internal sealed record ClockReport(DateTimeOffset Now, bool Simulated);

/// <summary>Turns a parse result into a <see cref="CommandContext"/>; each command action starts here.</summary>
internal sealed class CommandRuntime(GlobalOptions options, CliConsole console, Func<string, string?> environment, TimeProvider realClock)
{
    public GlobalOptions Options { get; } = options;

    /// <summary>Runs a command; with <paramref name="simulatedClock"/> it always gets a simulated clock (from <c>--now</c> or the real time) it may advance.</summary>
    public async Task<int> RunAsync(ParseResult parse, Func<CommandContext, Task<int>> command, bool simulatedClock = false)
    {
        var settings = Options.Resolve(parse, environment);
        if (simulatedClock)
        {
            if (!settings.DevelopmentKeyCustody)
            {
                throw new CliUsageException("demo: the demo plays weeks on a simulated clock, which is refused with Key Vault key custody; run it with --keys local");
            }

            settings = settings with { Now = settings.Now ?? realClock.GetUtcNow() };
        }

        await using var context = new CommandContext(settings, CliHost.Build(settings, realClock), console);
        _ = context.Policy; // validate the policy before any command does anything
        return await command(context).ConfigureAwait(false);
    }
}
