using System.ComponentModel.DataAnnotations;

namespace Compliance.Storage;

/// <summary>Which storage account to use and how resource names are formed.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Compliance:Storage";

    /// <summary>The environment variable (and Functions app setting) the hosts read the account from.</summary>
    public const string EnvironmentVariable = "COMPLIANCE_STORAGE";

    /// <summary>The Azurite connection string, used when nothing else is configured.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>
    /// A storage connection string (anything containing '='), or a bare account name, which selects the
    /// account's public endpoints with Microsoft Entra ID (managed identity) authentication: the product's
    /// Azure deployment allows no shared keys.
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Set a storage connection string or account name (--storage or COMPLIANCE_STORAGE).")]
    public string Account { get; set; } = DevelopmentStorage;

    /// <summary>
    /// Appended to every table, queue and container name, so tests and benchmarks can share one account
    /// without sharing data. Empty in production.
    /// </summary>
    [RegularExpression("^[a-z0-9]{0,16}$", ErrorMessage = "NameSuffix may hold at most 16 lowercase letters and digits.")]
    public string NameSuffix { get; set; } = "";

    public bool UsesConnectionString => Account.Contains('=', StringComparison.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UsesConnectionString && !System.Text.RegularExpressions.Regex.IsMatch(Account, "^[a-z0-9]{3,24}$"))
        {
            yield return new ValidationResult(
                "The storage setting is neither a connection string nor a storage account name (3 to 24 lowercase letters and digits).",
                [nameof(Account)]);
        }
    }
}
