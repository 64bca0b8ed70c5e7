using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Compliance.Core.Setup;

namespace Compliance.Storage;

/// <summary>Which storage accounts to use and how resource names are formed.</summary>
public sealed partial class StorageOptions : IValidatableObject
{
    public const string SectionName = "Compliance:Storage";

    /// <summary>The environment variable (and Functions app setting) the hosts read the account from.</summary>
    public const string EnvironmentVariable = "COMPLIANCE_STORAGE";

    /// <summary>The environment variable (and Functions app setting) the hosts read the audit account from.</summary>
    public const string AuditEnvironmentVariable = "COMPLIANCE_AUDIT_STORAGE";

    /// <summary>The Azurite connection string, used when nothing else is configured.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>
    /// A storage connection string (anything containing '='), or a bare account name, which selects the
    /// account's public endpoints with Microsoft Entra ID (managed identity) authentication: the product's
    /// Azure deployment allows no shared keys. This is the operational account: telemetry, subjects, keys,
    /// holds, erasures, lineage, the queues and purge manifests.
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Set a storage connection string or account name (--storage or COMPLIANCE_STORAGE).")]
    public string Account { get; set; } = DevelopmentStorage;

    /// <summary>
    /// The audit account (<see cref="StorageAccountRole.Audit"/>: the audit trail, seals, seal exports, reports
    /// and destruction certificates), in the same form as <see cref="Account"/>. Empty or null: the same account
    /// as <see cref="Account"/>. In Azure it is a second account on which the app holds append-only rights, so
    /// its rights on the operational account cannot reach the trail.
    /// </summary>
    public string? AuditAccount { get; set; }

    /// <summary>
    /// Appended to every table, queue and container name, so tests and benchmarks can share one account
    /// without sharing data. Empty in production.
    /// </summary>
    [RegularExpression("^[a-z0-9]{0,16}$", ErrorMessage = "NameSuffix may hold at most 16 lowercase letters and digits.")]
    public string NameSuffix { get; set; } = "";

    public bool UsesConnectionString => IsConnectionString(Account);

    /// <summary>True when <see cref="AuditAccount"/> names an account other than <see cref="Account"/>.</summary>
    public bool UsesSeparateAuditAccount => !string.IsNullOrWhiteSpace(AuditAccount) && AuditAccount != Account;

    /// <summary>The setting for the account that holds resources of <paramref name="role"/>.</summary>
    public string AccountFor(StorageAccountRole role) => role == StorageAccountRole.Audit && UsesSeparateAuditAccount ? AuditAccount! : Account;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsAccountSetting(Account))
        {
            yield return new ValidationResult(
                "The storage setting is neither a connection string nor a storage account name (3 to 24 lowercase letters and digits).",
                [nameof(Account)]);
        }

        if (!string.IsNullOrWhiteSpace(AuditAccount) && !IsAccountSetting(AuditAccount))
        {
            yield return new ValidationResult(
                $"The audit storage setting (--audit-storage or {AuditEnvironmentVariable}) is neither a connection string nor a storage account name (3 to 24 lowercase letters and digits).",
                [nameof(AuditAccount)]);
        }
    }

    internal static bool IsConnectionString(string setting) => setting.Contains('=', StringComparison.Ordinal);

    private static bool IsAccountSetting(string setting) => IsConnectionString(setting) || AccountName().IsMatch(setting);

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex AccountName();
}
