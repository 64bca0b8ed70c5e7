using Compliance.Core.Keys;
using Compliance.Core.Time;
using Compliance.Storage;

namespace Compliance.Cli;

/// <summary>The global options after defaults and environment variables are applied, and checked.</summary>
internal sealed record CliSettings(string Storage, string? AuditStorage, string Keys, string? PolicyPath, DateTimeOffset? Now, bool Json)
{
    /// <summary>Appended to every resource name, so several environments (or test runs) can share one account.</summary>
    public const string NameSuffixVariable = "COMPLIANCE_NAME_SUFFIX";

    public string NameSuffix { get; init; } = "";

    /// <summary>Where development key custody keeps its key files; null for the default under the user's profile.</summary>
    public string? LocalKeysDirectory { get; init; }

    public const string KeysVariable = "COMPLIANCE_KEYS";
    public const string PolicyVariable = "COMPLIANCE_POLICY";
    public const string LocalKeys = "local";

    public bool DevelopmentKeyCustody => Keys == LocalKeys;

    /// <summary>What custody the keys are in, as every output states it.</summary>
    public string KeyCustodyLabel => DevelopmentKeyCustody ? "development key custody (local key store)" : $"Azure Key Vault {Keys}";

    /// <summary>Applies environment variables and defaults, then checks; a null <see cref="AuditStorage"/> keeps the audit trail in the storage account.</summary>
    public static CliSettings Resolve(string? storage, string? auditStorage, string? keys, string? policy, string? now, bool json, Func<string, string?> environment)
    {
        storage = FirstSet(storage, environment(StorageOptions.EnvironmentVariable)) ?? StorageOptions.DevelopmentStorage;
        auditStorage = FirstSet(auditStorage, environment(StorageOptions.AuditEnvironmentVariable));
        keys = FirstSet(keys, environment(KeysVariable)) ?? LocalKeys;
        policy = FirstSet(policy, environment(PolicyVariable));

        if (keys != LocalKeys
            && !(Uri.TryCreate(keys, UriKind.Absolute, out var vault) && vault.Scheme == Uri.UriSchemeHttps && vault.AbsolutePath is "/" or ""))
        {
            throw new CliUsageException($"--keys: '{keys}' is neither 'local' nor a Key Vault URL such as https://my-vault.vault.azure.net");
        }

        DateTimeOffset? simulated = null;
        if (now is not null)
        {
            if (keys != LocalKeys)
            {
                throw new CliUsageException("--now: a simulated clock is refused with Key Vault key custody; it is for demos and tests with --keys local");
            }

            simulated = ParseInstant("--now", now);
        }

        return new CliSettings(storage, auditStorage, keys, policy, simulated, json)
        {
            NameSuffix = environment(NameSuffixVariable) ?? "",
            LocalKeysDirectory = FirstSet(environment(LocalKeyOptions.EnvironmentVariable)),
        };
    }

    /// <summary>Parses an ISO-8601 instant that states its offset; anything else is bad input naming <paramref name="option"/>.</summary>
    public static DateTimeOffset ParseInstant(string option, string value)
    {
        return IsoInstant.TryParse(value, out var instant)
            ? instant
            : throw new CliUsageException($"{option}: '{value}' is not an ISO-8601 instant with an offset, such as {IsoInstant.Example}");
    }

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
