using System.CommandLine;
using Compliance.Core.Audit;
using Compliance.Core.Setup;
using Compliance.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance init</c>: validate the policy and provision every table, queue and container. Idempotent.</summary>
internal static class InitCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("init", "Provision tables, queues and containers (safe to run again)");
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var result = await InitializeAsync(context, cancellationToken).ConfigureAwait(false);
            if (context.Settings.Json)
            {
                context.Console.WriteJson(ToJson("init", context, result));
            }
            else
            {
                WriteHuman(context, result);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    public const string Actor = "job:init";

    /// <summary>Provisions storage, then records the policy version in the audit trail (once per version).</summary>
    public static async Task<SetupResult> InitializeAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var result = await context.Services.GetRequiredService<SetupService>().InitializeAsync(cancellationToken).ConfigureAwait(false);
        await context.Services.GetRequiredService<PolicyRecorder>().EnsureRecordedAsync(Actor, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public static object ToJson(string commandName, CommandContext context, SetupResult result) => new
    {
        command = commandName,
        policy = new { id = result.Policy.Policy.PolicyId, version = result.Policy.Version, source = result.Policy.Source },
        keyCustody = context.Settings.DevelopmentKeyCustody ? "development" : "azure-key-vault",
        clock = context.ClockReport,
        accounts = Accounts(context),
        resources = result.Resources.Select(r => new { kind = r.Kind, name = r.Name, purpose = r.Purpose, status = r.Created ? "created" : "existing", account = r.Account }),
        created = result.CreatedCount,
        existing = result.Resources.Count - result.CreatedCount,
    };

    public static void WriteHuman(CommandContext context, SetupResult result)
    {
        var output = context.Console.Out;
        output.WriteLine($"Policy {result.Policy.Policy.PolicyId} version {result.Policy.Version} is valid ({result.Policy.Source})");
        WriteEnvironment(context);
        WriteResources(context, result);
    }

    /// <summary>Key custody and clock: every command's human output states both.</summary>
    public static void WriteEnvironment(CommandContext context)
    {
        var output = context.Console.Out;
        output.WriteLine($"Key custody: {context.Settings.KeyCustodyLabel}");
        if (context.Settings.Now is not null)
        {
            output.WriteLine($"Clock: simulated, {context.ClockReport.Now:O}");
        }
    }

    public static void WriteResources(CommandContext context, SetupResult result)
    {
        var output = context.Console.Out;
        var accounts = Accounts(context);
        output.WriteLine($"Storage: {result.Resources.Count} resources, {result.CreatedCount} created, {result.Resources.Count - result.CreatedCount} already present");
        output.WriteLine(accounts.Separate
            ? $"Accounts: operational {accounts.Operational}, audit {accounts.Audit} (audit trail and evidence)"
            : $"Account: {accounts.Operational} (operational and audit)");
        foreach (var resource in result.Resources)
        {
            var kind = resource.Kind switch
            {
                StorageResourceKind.Table => "table",
                StorageResourceKind.Queue => "queue",
                _ => "container",
            };
            var account = resource.Account == StorageAccountRole.Audit ? "audit" : "operational";
            output.WriteLine($"  {kind,-9} {resource.Name,-28} {account,-11} {(resource.Created ? "created" : "existing"),-8} {resource.Purpose}");
        }
    }

    /// <summary>The account names (never keys) behind each role, as init reports them.</summary>
    private static StorageAccounts Accounts(CommandContext context)
    {
        var clients = context.Services.GetRequiredService<StorageClients>();
        return new StorageAccounts(
            clients.AccountName(StorageAccountRole.Operational),
            clients.AccountName(StorageAccountRole.Audit),
            clients.SeparateAuditAccount);
    }

    private sealed record StorageAccounts(string Operational, string Audit, bool Separate);
}
