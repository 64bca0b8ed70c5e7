using Compliance.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var app = new CliApplication(Console.Out, Console.Error, Environment.GetEnvironmentVariable, TimeProvider.System);
return await app.RunAsync(args, cancellation.Token);
