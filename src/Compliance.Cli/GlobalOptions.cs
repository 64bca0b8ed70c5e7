using System.CommandLine;

namespace Compliance.Cli;

/// <summary>The options every command accepts (DESIGN section 10).</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Storage { get; } = new("--storage")
    {
        Description = "Storage connection string or account name (environment COMPLIANCE_STORAGE; default UseDevelopmentStorage=true)",
        HelpName = "CONN",
        Recursive = true,
    };

    public Option<string?> AuditStorage { get; } = new("--audit-storage")
    {
        Description = "Storage account for the audit trail, seals, reports and certificates: connection string or account name (environment COMPLIANCE_AUDIT_STORAGE; default: the --storage account)",
        HelpName = "CONN",
        Recursive = true,
    };

    public Option<string?> Keys { get; } = new("--keys")
    {
        Description = "Key custody: 'local' (development key store) or https://VAULT (environment COMPLIANCE_KEYS; default local)",
        HelpName = "local|https://VAULT",
        Recursive = true,
    };

    public Option<string?> Policy { get; } = new("--policy")
    {
        Description = "Policy file (environment COMPLIANCE_POLICY; default: the built-in policy)",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<string?> Now { get; } = new("--now")
    {
        Description = "Simulated clock for demos and tests, ISO-8601 with offset; only with --keys local",
        HelpName = "ISO-8601",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write a machine-readable result to stdout",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Storage, AuditStorage, Keys, Policy, Now, Json];

    public CliSettings Resolve(ParseResult parse, Func<string, string?> environment) =>
        CliSettings.Resolve(
            parse.GetValue(Storage),
            parse.GetValue(AuditStorage),
            parse.GetValue(Keys),
            parse.GetValue(Policy),
            parse.GetValue(Now),
            parse.GetValue(Json),
            environment);
}
