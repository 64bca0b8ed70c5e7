using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Compliance.Storage.Tests.KeyVault;

/// <summary>
/// An in-process stand-in for the Key Vault Keys REST API (api-version 2026-04-01), at the HTTP seam: it
/// answers real HTTP requests with the spec's JSON shapes, status codes and error bodies, holds RSA keys with
/// versions, soft delete, recover and purge, and demands a bearer token after a challenge, as the service does.
/// </summary>
internal sealed partial class KeyVaultEmulator : HttpMessageHandler
{
    public const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public const string Token = "emulator-token";

    private readonly object _gate = new();
    private readonly Dictionary<string, EmulatedKey> _keys = new(StringComparer.OrdinalIgnoreCase);

    public List<HttpRequestMessage> Requests { get; } = [];

    public List<string?> Bodies { get; } = [];

    /// <summary>When set, answers instead of the emulated vault (for throttling and outage tests).</summary>
    public Func<HttpRequestMessage, HttpResponseMessage?>? Override { get; set; }

    public string ChallengeResource { get; set; } = "https://vault.azure.net";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (_gate)
        {
            Requests.Add(request);
            Bodies.Add(body);
            if (Override?.Invoke(request) is { } overridden)
            {
                return overridden;
            }

            if (request.Headers.Authorization?.Parameter != Token)
            {
                var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
                challenge.Headers.TryAddWithoutValidation("WWW-Authenticate", $"Bearer authorization=\"https://login.microsoftonline.com/{Tenant}\", resource=\"{ChallengeResource}\"");
                return challenge;
            }

            if (request.RequestUri!.Query != "?api-version=2026-04-01")
            {
                return Error(HttpStatusCode.BadRequest, "BadParameter", "api-version is required");
            }

            return Route(request.Method.Method, request.RequestUri, body is null ? null : JsonNode.Parse(body));
        }
    }

    private HttpResponseMessage Route(string method, Uri uri, JsonNode? body)
    {
        var path = uri.AbsolutePath.TrimEnd('/');
        Match m;
        if ((m = Path().Match(path)).Success)
        {
            var (collection, name, version, action) = (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value);
            return (method, collection, action) switch
            {
                ("POST", "keys", "create") => Create(name),
                ("POST", "keys", "rotate") => WithActive(name, k => Bundle(k, k.AddVersion())),
                ("GET", "keys", "rotationpolicy") => WithActive(name, k => Ok(k.Policy ?? new JsonObject { ["lifetimeActions"] = new JsonArray() })),
                ("PUT", "keys", "rotationpolicy") => WithActive(name, k => Ok(k.Policy = body!.AsObject())),
                ("GET", "keys", "") => WithVersion(name, version, (k, v) => Bundle(k, v)),
                ("PATCH", "keys", "") => WithVersion(name, version, (k, v) =>
                {
                    v.Enabled = body?["attributes"]?["enabled"]?.GetValue<bool>() ?? v.Enabled;
                    return Bundle(k, v);
                }),
                ("POST", "keys", "wrapkey") => Operation(name, version, body!, "wrapKey", (rsa, value) => rsa.Encrypt(value, RSAEncryptionPadding.OaepSHA256)),
                ("POST", "keys", "unwrapkey") => Operation(name, version, body!, "unwrapKey", (rsa, value) => rsa.Decrypt(value, RSAEncryptionPadding.OaepSHA256)),
                ("POST", "keys", "sign") => Operation(name, version, body!, "sign", (rsa, value) => rsa.SignHash(value, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
                ("POST", "keys", "verify") => WithVersion(name, version, (k, v) => Ok(new JsonObject
                {
                    ["value"] = v.Rsa.VerifyHash(Decode(body!["digest"]!), Decode(body!["value"]!), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                })),
                ("DELETE", "keys", "") when version.Length == 0 => WithActive(name, k =>
                {
                    k.DeletedOn = DateTimeOffset.FromUnixTimeSeconds(1_796_000_000);
                    return Deleted(k);
                }),
                ("GET", "deletedkeys", "") => WithDeleted(name, Deleted),
                ("DELETE", "deletedkeys", "") => WithDeleted(name, k =>
                {
                    _keys.Remove(name);
                    return new HttpResponseMessage(HttpStatusCode.NoContent);
                }),
                ("POST", "deletedkeys", "recover") => WithDeleted(name, k =>
                {
                    k.DeletedOn = null;
                    return Bundle(k, k.Versions[^1]);
                }),
                _ => Error(HttpStatusCode.BadRequest, "BadParameter", $"{method} {path} is not an operation of this emulator"),
            };
        }

        return Error(HttpStatusCode.NotFound, "NotFound", "no such path");
    }

    private HttpResponseMessage Create(string name)
    {
        if (_keys.TryGetValue(name, out var existing) && existing.DeletedOn is not null)
        {
            return Error(HttpStatusCode.Conflict, "Conflict", $"Key {name} is currently in a deleted but recoverable state.", "ObjectIsDeletedButRecoverable");
        }

        var key = existing ?? (_keys[name] = new EmulatedKey(name));
        return Bundle(key, key.AddVersion());
    }

    private HttpResponseMessage Operation(string name, string version, JsonNode body, string operation, Func<RSA, byte[], byte[]> apply) =>
        WithVersion(name, version, (k, v) =>
        {
            if (!v.Enabled)
            {
                return Error(HttpStatusCode.Forbidden, "Forbidden", $"Operation {operation} is not allowed on a disabled key.");
            }

            try
            {
                return Ok(new JsonObject { ["kid"] = Kid(k, v), ["value"] = Encode(apply(v.Rsa, Decode(body["value"]!))) });
            }
            catch (CryptographicException)
            {
                return Error(HttpStatusCode.BadRequest, "BadParameter", "Bad request.");
            }
        });

    private HttpResponseMessage WithActive(string name, Func<EmulatedKey, HttpResponseMessage> act) =>
        _keys.TryGetValue(name, out var key) && key.DeletedOn is null
            ? act(key)
            : Error(HttpStatusCode.NotFound, "KeyNotFound", $"A key with (name/id) {name} was not found in this key vault.");

    private HttpResponseMessage WithVersion(string name, string version, Func<EmulatedKey, EmulatedVersion, HttpResponseMessage> act) =>
        WithActive(name, key => (version.Length == 0 ? key.Versions[^1] : key.Versions.FirstOrDefault(v => v.Id == version)) is { } found
            ? act(key, found)
            : Error(HttpStatusCode.NotFound, "KeyNotFound", $"A key with (name/id) {name}/{version} was not found in this key vault."));

    private HttpResponseMessage WithDeleted(string name, Func<EmulatedKey, HttpResponseMessage> act) =>
        _keys.TryGetValue(name, out var key) && key.DeletedOn is not null
            ? act(key)
            : Error(HttpStatusCode.NotFound, "KeyNotFound", $"Deleted Key not found: {name}");

    private static HttpResponseMessage Bundle(EmulatedKey key, EmulatedVersion version)
    {
        var parameters = version.Rsa.ExportParameters(false);
        return Ok(new JsonObject
        {
            ["key"] = new JsonObject
            {
                ["kid"] = Kid(key, version),
                ["kty"] = "RSA",
                ["key_ops"] = new JsonArray("wrapKey", "unwrapKey", "sign", "verify"),
                ["n"] = Encode(parameters.Modulus!),
                ["e"] = Encode(parameters.Exponent!),
            },
            ["attributes"] = new JsonObject
            {
                ["enabled"] = version.Enabled,
                ["created"] = 1_796_000_000,
                ["updated"] = 1_796_000_000,
                ["recoverableDays"] = 90,
                ["recoveryLevel"] = "Recoverable+Purgeable",
            },
        });
    }

    private static HttpResponseMessage Deleted(EmulatedKey key)
    {
        var deleted = new JsonObject
        {
            ["recoveryId"] = $"https://test-vault.vault.azure.net/deletedkeys/{key.Name}",
            ["deletedDate"] = key.DeletedOn!.Value.ToUnixTimeSeconds(),
            ["scheduledPurgeDate"] = key.DeletedOn.Value.AddDays(90).ToUnixTimeSeconds(),
            ["key"] = new JsonObject { ["kid"] = Kid(key, key.Versions[^1]), ["kty"] = "RSA" },
        };
        return Ok(deleted);
    }

    private static string Kid(EmulatedKey key, EmulatedVersion version) => $"https://test-vault.vault.azure.net/keys/{key.Name}/{version.Id}";

    public static HttpResponseMessage Error(HttpStatusCode status, string code, string message, string? innerCode = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (innerCode is not null)
        {
            error["innererror"] = new JsonObject { ["code"] = innerCode };
        }

        return Json(status, new JsonObject { ["error"] = error });
    }

    private static HttpResponseMessage Ok(JsonObject body) => Json(HttpStatusCode.OK, body);

    private static HttpResponseMessage Json(HttpStatusCode status, JsonObject body) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    private static string Encode(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Decode(JsonNode node)
    {
        var value = node.GetValue<string>().Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(value.PadRight(value.Length + ((4 - (value.Length % 4)) % 4), '='));
    }

    [GeneratedRegex("^/(keys|deletedkeys)/([0-9a-zA-Z-]+)(?:/([0-9a-f]{32}))?(?:/(create|rotate|rotationpolicy|wrapkey|unwrapkey|sign|verify|recover))?$")]
    private static partial Regex Path();

    private sealed class EmulatedKey(string name)
    {
        public string Name { get; } = name;

        public List<EmulatedVersion> Versions { get; } = [];

        public DateTimeOffset? DeletedOn { get; set; }

        public JsonObject? Policy { get; set; }

        public EmulatedVersion AddVersion()
        {
            var version = new EmulatedVersion(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), RSA.Create(2048));
            Versions.Add(version);
            return version;
        }
    }

    private sealed class EmulatedVersion(string id, RSA rsa)
    {
        public string Id { get; } = id;

        public RSA Rsa { get; } = rsa;

        public bool Enabled { get; set; } = true;
    }
}
