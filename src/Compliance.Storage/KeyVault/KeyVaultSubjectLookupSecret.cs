using Azure;
using Azure.Security.KeyVault.Secrets;
using Compliance.Core.Subjects;

namespace Compliance.Storage.KeyVault;

/// <summary>
/// The subject-lookup HMAC secret as a Key Vault secret (<see cref="SecretName"/>, base64 of at least 32 random
/// bytes), read once per process. It is never created here: two instances racing to create it would give two
/// secrets, and employees hashed under the first could no longer be found. Provisioning creates it.
/// </summary>
public sealed class KeyVaultSubjectLookupSecret(SecretClient secrets) : ISubjectLookupSecret
{
    public const string SecretName = "subject-lookup-hmac";

    private volatile byte[]? _secret;

    /// <summary>Reads the secret on first use; concurrent first callers may both read it, which is harmless. Failures are not cached.</summary>
    public async Task<byte[]> GetAsync(CancellationToken cancellationToken = default) =>
        _secret ??= await ReadAsync(cancellationToken).ConfigureAwait(false);

    private async Task<byte[]> ReadAsync(CancellationToken cancellationToken)
    {
        KeyVaultSecret secret;
        try
        {
            secret = (await secrets.GetSecretAsync(SecretName, null, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new InvalidOperationException(
                $"Key Vault {secrets.VaultUri} has no secret '{SecretName}'. Create it once, for example: az keyvault secret set --vault-name VAULT --name {SecretName} --value \"$(openssl rand -base64 32)\"",
                ex);
        }

        byte[] value;
        try
        {
            value = Convert.FromBase64String(secret.Value);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"Key Vault secret '{SecretName}' is not base64.", ex);
        }

        return value.Length >= 32 ? value : throw new InvalidOperationException($"Key Vault secret '{SecretName}' holds {value.Length} bytes; it needs at least 32.");
    }
}
