using Azure.Core;

namespace Compliance.Storage.KeyVault;

/// <summary>Pipeline options of the Key Vault Keys REST client: Azure.Core's retry (429 and 5xx, honouring Retry-After), diagnostics, transport.</summary>
public sealed class KeyVaultClientOptions : ClientOptions
{
    /// <summary>The newest stable api-version in the published spec (shared/reference/keyvault/keys.json).</summary>
    public const string DefaultApiVersion = "2026-04-01";

    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>RSA modulus size of root keys created in the vault.</summary>
    public int RootKeySize { get; set; } = 3072;
}
