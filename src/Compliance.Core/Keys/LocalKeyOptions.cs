using System.ComponentModel.DataAnnotations;

namespace Compliance.Core.Keys;

/// <summary>Where development key custody keeps its key files (DESIGN section 4, local development).</summary>
public sealed class LocalKeyOptions
{
    public const string SectionName = "Compliance:LocalKeys";

    /// <summary>The environment variable (and app setting) that overrides <see cref="Directory"/>.</summary>
    public const string EnvironmentVariable = "COMPLIANCE_LOCAL_KEYS";

    [Required(AllowEmptyStrings = false)]
    public string Directory { get; set; } = DefaultDirectory;

    /// <summary>RSA modulus size of local root keys, in bits.</summary>
    [Range(2048, 4096)]
    public int RootKeySize { get; set; } = 3072;

    /// <summary>How long a deleted root key stays recoverable before it may be purged automatically, as in Key Vault.</summary>
    [Range(7, 90)]
    public int RecoverableDays { get; set; } = 90;

    public static string DefaultDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "compliance", "dev-keys");
}
