using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Compliance.Core.Crypto;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Keys;

/// <summary>
/// Development key custody: RSA root keys with Key Vault's semantics (versions, disable, soft delete, recover,
/// purge, rotation policy), kept in <c>root-keys/NAME.json</c> under <see cref="LocalKeyOptions.Directory"/>.
/// Private keys are stored encrypted (AES-256-GCM) under <c>root-master.key</c>, a key file created on first use
/// with owner-only permissions. Everything it does is logged as development key custody.
/// </summary>
public sealed partial class LocalRootKeyStore : IRootKeyCustody, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly LocalKeyOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<LocalRootKeyStore> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lazy<byte[]> _masterKey;
    private bool _announced;

    public LocalRootKeyStore(IOptions<LocalKeyOptions> options, TimeProvider clock, ILogger<LocalRootKeyStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _masterKey = new Lazy<byte[]>(() => LocalKeyFile.LoadOrCreate(_options.Directory, "root-master.key"));
    }

    public bool IsDevelopmentCustody => true;

    public void Dispose() => _gate.Dispose();

    private string KeysDirectory => Path.Combine(_options.Directory, "root-keys");

    public Task<RootKeyVersion> CreateKeyAsync(string name, CancellationToken cancellationToken = default) =>
        WithKeyAsync(name, allowMissing: true, (stored, _) =>
        {
            if (stored.DeletedOn is not null)
            {
                throw new KeyDeletedButRecoverableException($"Key {name} is deleted but recoverable; recover or purge it first.");
            }

            return AddVersion(stored);
        }, cancellationToken, includeDeleted: true);

    public Task<RootKeyVersion> GetKeyAsync(string name, string? version = null, CancellationToken cancellationToken = default) =>
        ReadAsync(name, stored => Describe(stored, FindVersion(stored, version)), cancellationToken);

    public Task<RootKeyVersion> RotateKeyAsync(string name, CancellationToken cancellationToken = default) =>
        WithKeyAsync(name, allowMissing: false, (stored, _) => AddVersion(stored), cancellationToken);

    public Task<RootKeyVersion> DisableVersionAsync(string name, string version, CancellationToken cancellationToken = default) =>
        WithKeyAsync(name, allowMissing: false, (stored, _) =>
        {
            var found = FindVersion(stored, version);
            found.Enabled = false;
            return Describe(stored, found);
        }, cancellationToken);

    public Task<WrappedKey> WrapKeyAsync(string name, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) =>
        ReadAsync(name, stored =>
        {
            var version = Usable(stored, FindVersion(stored, null), "wrapKey");
            using var rsa = Load(stored, version);
            return new WrappedKey(name, version.Version, rsa.Encrypt(key.Span, RSAEncryptionPadding.OaepSHA256));
        }, cancellationToken);

    public Task<byte[]> UnwrapKeyAsync(WrappedKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        return ReadAsync(wrapped.KeyName, stored =>
        {
            var version = Usable(stored, FindVersion(stored, wrapped.KeyVersion), "unwrapKey");
            using var rsa = Load(stored, version);
            try
            {
                return rsa.Decrypt(wrapped.Value, RSAEncryptionPadding.OaepSHA256);
            }
            catch (CryptographicException ex)
            {
                throw new KeyCustodyException("BadParameter", $"The wrapped key cannot be unwrapped with {wrapped.KeyName}/{wrapped.KeyVersion}.", ex);
            }
        }, cancellationToken);
    }

    public Task<byte[]> SignAsync(string name, string version, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default) =>
        ReadAsync(name, stored =>
        {
            using var rsa = Load(stored, Usable(stored, FindVersion(stored, version), "sign"));
            return rsa.SignHash(digest.Span, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }, cancellationToken);

    public Task<bool> VerifyAsync(string name, string version, ReadOnlyMemory<byte> digest, ReadOnlyMemory<byte> signature, CancellationToken cancellationToken = default) =>
        ReadAsync(name, stored =>
        {
            using var rsa = Load(stored, FindVersion(stored, version));
            return rsa.VerifyHash(digest.Span, signature.Span, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }, cancellationToken);

    public Task<DeletedRootKey> DeleteKeyAsync(string name, CancellationToken cancellationToken = default) =>
        WithKeyAsync(name, allowMissing: false, (stored, now) =>
        {
            stored.DeletedOn = now;
            return Deleted(stored);
        }, cancellationToken);

    public Task<DeletedRootKey> GetDeletedKeyAsync(string name, CancellationToken cancellationToken = default) =>
        ReadAsync(name, stored => stored.DeletedOn is null ? throw NotFound($"Deleted key not found: {name}") : Deleted(stored), cancellationToken, includeDeleted: true);

    public async Task PurgeDeletedKeyAsync(string name, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var fileLock = await LockAsync(cancellationToken).ConfigureAwait(false);
            var stored = ReadStored(name);
            if (stored?.DeletedOn is null)
            {
                throw NotFound($"Deleted key not found: {name}");
            }

            File.Delete(PathOf(name));
            LogPurged(_logger, name);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<RootKeyVersion> RecoverDeletedKeyAsync(string name, CancellationToken cancellationToken = default) =>
        WithKeyAsync(name, allowMissing: false, (stored, _) =>
        {
            if (stored.DeletedOn is null)
            {
                throw NotFound($"Deleted key not found: {name}");
            }

            stored.DeletedOn = null;
            return Describe(stored, FindVersion(stored, null));
        }, cancellationToken, includeDeleted: true);

    public Task<RootKeyRotationPolicy> GetRotationPolicyAsync(string name, CancellationToken cancellationToken = default) =>
        ReadAsync(name, stored => stored.RotationPolicy ?? new RootKeyRotationPolicy(null, null, null), cancellationToken);

    public Task<RootKeyRotationPolicy> SetRotationPolicyAsync(string name, RootKeyRotationPolicy policy, CancellationToken cancellationToken = default) =>
        WithKeyAsync(name, allowMissing: false, (stored, _) =>
        {
            stored.RotationPolicy = policy;
            return policy;
        }, cancellationToken);

    private async Task<T> ReadAsync<T>(string name, Func<StoredKey, T> read, CancellationToken cancellationToken, bool includeDeleted = false)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = ReadStored(name) ?? throw NotFound($"A key with name {name} was not found.");
            if (!includeDeleted && stored.DeletedOn is not null)
            {
                throw NotFound($"A key with name {name} was not found (it is deleted).");
            }

            return read(stored);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<T> WithKeyAsync<T>(string name, bool allowMissing, Func<StoredKey, DateTimeOffset, T> change, CancellationToken cancellationToken, bool includeDeleted = false)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var fileLock = await LockAsync(cancellationToken).ConfigureAwait(false);
            var stored = ReadStored(name);
            if (stored is null && !allowMissing)
            {
                throw NotFound($"A key with name {name} was not found.");
            }

            stored ??= new StoredKey { Name = name };
            if (!includeDeleted && stored.DeletedOn is not null)
            {
                throw NotFound($"A key with name {name} was not found (it is deleted).");
            }

            var result = change(stored, _clock.GetUtcNow());
            Write(stored);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Every change is a read-modify-write of a key file; an exclusive lock file serialises them across store
    /// instances and processes (the CLI and a local functions host may share the directory), so no version is lost.
    /// </summary>
    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(KeysDirectory);
        var path = Path.Combine(KeysDirectory, ".lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 3000)
            {
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private RootKeyVersion AddVersion(StoredKey stored)
    {
        using var rsa = RSA.Create(_options.RootKeySize);
        var version = new StoredVersion
        {
            Version = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            Enabled = true,
            Created = _clock.GetUtcNow(),
        };
        version.PrivateKey = Convert.ToBase64String(EnvelopeCipher.Encrypt(_masterKey.Value, 1, Identity(stored.Name, version.Version), rsa.ExportPkcs8PrivateKey()));
        stored.Versions.Add(version);
        if (!_announced)
        {
            _announced = true;
            LogDevelopmentCustody(_logger, _options.Directory);
        }

        return Describe(stored, version);
    }

    private RSA Load(StoredKey stored, StoredVersion version)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(EnvelopeCipher.Decrypt(_masterKey.Value, Identity(stored.Name, version.Version), Convert.FromBase64String(version.PrivateKey)), out _);
        return rsa;
    }

    private RootKeyVersion Describe(StoredKey stored, StoredVersion version)
    {
        using var rsa = Load(stored, version);
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return new RootKeyVersion(stored.Name, version.Version, version.Enabled, version.Created, parameters.Modulus!, parameters.Exponent!);
    }

    private DeletedRootKey Deleted(StoredKey stored) =>
        new(stored.Name, stored.DeletedOn!.Value, stored.DeletedOn.Value.AddDays(_options.RecoverableDays));

    private static StoredVersion FindVersion(StoredKey stored, string? version)
    {
        var found = version is null ? stored.Versions.LastOrDefault() : stored.Versions.FirstOrDefault(v => v.Version == version);
        return found ?? throw NotFound($"A key with name {stored.Name} and version {version ?? "(latest)"} was not found.");
    }

    private static StoredVersion Usable(StoredKey stored, StoredVersion version, string operation) =>
        version.Enabled ? version : throw new KeyCustodyForbiddenException($"Operation {operation} is not allowed on a disabled key ({stored.Name}/{version.Version}).");

    private static RecordIdentity Identity(string name, string version) => new("root-keys", name, version, "local", "root-key", 1);

    private static RootKeyNotFoundException NotFound(string message) => new(message);

    private StoredKey? ReadStored(string name)
    {
        var path = PathOf(name);
        return File.Exists(path) ? JsonSerializer.Deserialize<StoredKey>(File.ReadAllBytes(path), Json) : null;
    }

    private void Write(StoredKey stored)
    {
        Directory.CreateDirectory(KeysDirectory);
        var path = PathOf(stored.Name);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(file, stored, Json);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private string PathOf(string name) =>
        KeyName().IsMatch(name)
            ? Path.Combine(KeysDirectory, name + ".json")
            : throw new ArgumentException($"A key name is 1 to 127 letters, digits and hyphens; '{name}' is not.", nameof(name));

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyName();

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Development key custody: root keys are held in local files under {Directory}, not in Azure Key Vault")]
    private static partial void LogDevelopmentCustody(ILogger logger, string directory);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Development key custody: deleted root key {KeyName} purged")]
    private static partial void LogPurged(ILogger logger, string keyName);

    private sealed class StoredKey
    {
        public string Name { get; set; } = "";

        public DateTimeOffset? DeletedOn { get; set; }

        public List<StoredVersion> Versions { get; set; } = [];

        public RootKeyRotationPolicy? RotationPolicy { get; set; }
    }

    private sealed class StoredVersion
    {
        public string Version { get; set; } = "";

        public bool Enabled { get; set; }

        public DateTimeOffset Created { get; set; }

        public string PrivateKey { get; set; } = "";
    }
}
