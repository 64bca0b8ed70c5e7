using Azure;
using Azure.Security.KeyVault.Secrets;
using Compliance.Core.Subjects;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Storage.KeyVault;

/// <summary>
/// The subject-lookup HMAC secret as a Key Vault secret (<see cref="SecretName"/>, base64 of at least 32 random
/// bytes), read once per process. The deployment creates it from ARM, and since ARM cannot create a secret only
/// if it is absent, every later provisioning adds a new version with a new random value. The lookup HMAC must
/// never change, or every enrolled employee becomes unfindable, so this reads the <em>oldest enabled</em> version
/// (by creation time, then version id) and ignores the rest, with a warning when there are several. It is never
/// created or changed here.
/// </summary>
public sealed partial class KeyVaultSubjectLookupSecret(SecretClient secrets, ILogger<KeyVaultSubjectLookupSecret>? logger = null) : ISubjectLookupSecret
{
    public const string SecretName = "subject-lookup-hmac";

    private readonly ILogger _logger = logger ?? NullLogger<KeyVaultSubjectLookupSecret>.Instance;

    private volatile byte[]? _secret;

    /// <summary>Reads the secret on first use; concurrent first callers may both read it, which is harmless. Failures are not cached.</summary>
    public async Task<byte[]> GetAsync(CancellationToken cancellationToken = default) =>
        _secret ??= await ReadAsync(cancellationToken).ConfigureAwait(false);

    private async Task<byte[]> ReadAsync(CancellationToken cancellationToken)
    {
        var original = await OldestEnabledVersionAsync(cancellationToken).ConfigureAwait(false);
        KeyVaultSecret secret;
        try
        {
            secret = (await secrets.GetSecretAsync(SecretName, original.Version, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw Missing(ex);
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

    /// <summary>The version every employee was enrolled under: the oldest enabled one.</summary>
    private async Task<SecretProperties> OldestEnabledVersionAsync(CancellationToken cancellationToken)
    {
        var versions = 0;
        var enabled = new List<SecretProperties>();
        try
        {
            await foreach (var version in secrets.GetPropertiesOfSecretVersionsAsync(SecretName, cancellationToken).ConfigureAwait(false))
            {
                versions++;
                if (version.Enabled == true)
                {
                    enabled.Add(version);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw Missing(ex);
        }

        if (versions == 0)
        {
            throw Missing(null);
        }

        if (enabled.Count == 0)
        {
            throw new InvalidOperationException(
                $"Key Vault {secrets.VaultUri} secret '{SecretName}' has {versions} versions and none is enabled. Enable the oldest one: employees are looked up under the value they were enrolled with.");
        }

        // A version without a creation time (never seen from the service) sorts last rather than win by accident.
        var oldest = enabled
            .OrderBy(v => v.CreatedOn ?? DateTimeOffset.MaxValue)
            .ThenBy(v => v.Version, StringComparer.Ordinal)
            .First();
        if (enabled.Count > 1)
        {
            LogSeveralEnabledVersions(_logger, enabled.Count, oldest.CreatedOn, oldest.Version);
        }

        return oldest;
    }

    private InvalidOperationException Missing(Exception? inner) => new(
        $"Key Vault {secrets.VaultUri} has no secret '{SecretName}'. Create it once, for example: az keyvault secret set --vault-name VAULT --name {SecretName} --value \"$(openssl rand -base64 32)\"",
        inner);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Key Vault secret subject-lookup-hmac has {EnabledVersions} enabled versions; the oldest (created {CreatedOn:O}, version {Version}) is used and the newer ones are ignored, since the lookup HMAC must never change (each re-provisioning adds a version)")]
    private static partial void LogSeveralEnabledVersions(ILogger logger, int enabledVersions, DateTimeOffset? createdOn, string version);
}
