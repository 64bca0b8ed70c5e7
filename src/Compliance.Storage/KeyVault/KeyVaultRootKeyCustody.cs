using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Azure.Core;
using Azure.Core.Pipeline;
using Compliance.Core.Keys;

namespace Compliance.Storage.KeyVault;

/// <summary>
/// Root-key custody in Azure Key Vault through its Keys REST API (api-version 2026-04-01), on Azure.Core's
/// <see cref="HttpPipeline"/>: challenge-based Entra ID authentication, Azure.Core retries with backoff on 429
/// and 5xx, and service errors mapped to typed exceptions. Written against shared/reference/keyvault/keys.json
/// because Azure.Security.KeyVault.Keys is not available to this project; it sits behind
/// <see cref="IRootKeyCustody"/> so the official client can replace it.
/// </summary>
public sealed class KeyVaultRootKeyCustody : IRootKeyCustody
{
    private const string WrapAlgorithm = "RSA-OAEP-256";
    private const string SignAlgorithm = "RS256";

    private readonly HttpPipeline _pipeline;
    private readonly Uri _vault;
    private readonly KeyVaultClientOptions _options;

    public KeyVaultRootKeyCustody(Uri vault, TokenCredential credential, KeyVaultClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(credential);
        _vault = vault;
        _options = options ?? new KeyVaultClientOptions();
        _pipeline = HttpPipelineBuilder.Build(_options, new KeyVaultChallengePolicy(credential));
    }

    public bool IsDevelopmentCustody => false;

    public async Task<RootKeyVersion> CreateKeyAsync(string name, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["kty"] = "RSA",
            ["key_size"] = _options.RootKeySize,
            ["key_ops"] = new JsonArray("wrapKey", "unwrapKey", "sign", "verify"),
            ["attributes"] = new JsonObject { ["enabled"] = true },
        };
        return KeyBundle(await SendAsync(RequestMethod.Post, $"keys/{Name(name)}/create", body, cancellationToken).ConfigureAwait(false));
    }

    public async Task<RootKeyVersion> GetKeyAsync(string name, string? version = null, CancellationToken cancellationToken = default) =>
        KeyBundle(await SendAsync(RequestMethod.Get, $"keys/{Name(name)}/{Version(version)}", null, cancellationToken).ConfigureAwait(false));

    public async Task<RootKeyVersion> RotateKeyAsync(string name, CancellationToken cancellationToken = default) =>
        KeyBundle(await SendAsync(RequestMethod.Post, $"keys/{Name(name)}/rotate", null, cancellationToken).ConfigureAwait(false));

    public async Task<RootKeyVersion> DisableVersionAsync(string name, string version, CancellationToken cancellationToken = default) =>
        KeyBundle(await SendAsync(
            RequestMethod.Patch,
            $"keys/{Name(name)}/{Version(version)}",
            new JsonObject { ["attributes"] = new JsonObject { ["enabled"] = false } },
            cancellationToken).ConfigureAwait(false));

    public async Task<WrappedKey> WrapKeyAsync(string name, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        var latest = await GetKeyAsync(name, null, cancellationToken).ConfigureAwait(false);
        var result = await SendAsync(
            RequestMethod.Post,
            $"keys/{Name(name)}/{Version(latest.Version)}/wrapkey",
            new JsonObject { ["alg"] = WrapAlgorithm, ["value"] = Base64Url.Encode(key.Span) },
            cancellationToken).ConfigureAwait(false);
        var (keyName, version) = ParseKid(result["kid"]!.GetValue<string>());
        return new WrappedKey(keyName, version, Base64Url.Decode(result["value"]!.GetValue<string>()));
    }

    public async Task<byte[]> UnwrapKeyAsync(WrappedKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        var result = await SendAsync(
            RequestMethod.Post,
            $"keys/{Name(wrapped.KeyName)}/{Version(wrapped.KeyVersion)}/unwrapkey",
            new JsonObject { ["alg"] = WrapAlgorithm, ["value"] = Base64Url.Encode(wrapped.Value) },
            cancellationToken).ConfigureAwait(false);
        return Base64Url.Decode(result["value"]!.GetValue<string>());
    }

    public async Task<byte[]> SignAsync(string name, string version, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync(
            RequestMethod.Post,
            $"keys/{Name(name)}/{Version(version)}/sign",
            new JsonObject { ["alg"] = SignAlgorithm, ["value"] = Base64Url.Encode(digest.Span) },
            cancellationToken).ConfigureAwait(false);
        return Base64Url.Decode(result["value"]!.GetValue<string>());
    }

    public async Task<bool> VerifyAsync(string name, string version, ReadOnlyMemory<byte> digest, ReadOnlyMemory<byte> signature, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync(
            RequestMethod.Post,
            $"keys/{Name(name)}/{Version(version)}/verify",
            new JsonObject { ["alg"] = SignAlgorithm, ["digest"] = Base64Url.Encode(digest.Span), ["value"] = Base64Url.Encode(signature.Span) },
            cancellationToken).ConfigureAwait(false);
        return result["value"]!.GetValue<bool>();
    }

    public async Task<DeletedRootKey> DeleteKeyAsync(string name, CancellationToken cancellationToken = default) =>
        DeletedBundle(name, await SendAsync(RequestMethod.Delete, $"keys/{Name(name)}", null, cancellationToken).ConfigureAwait(false));

    public async Task<DeletedRootKey> GetDeletedKeyAsync(string name, CancellationToken cancellationToken = default) =>
        DeletedBundle(name, await SendAsync(RequestMethod.Get, $"deletedkeys/{Name(name)}", null, cancellationToken).ConfigureAwait(false));

    public async Task PurgeDeletedKeyAsync(string name, CancellationToken cancellationToken = default) =>
        await SendAsync(RequestMethod.Delete, $"deletedkeys/{Name(name)}", null, cancellationToken).ConfigureAwait(false);

    public async Task<RootKeyVersion> RecoverDeletedKeyAsync(string name, CancellationToken cancellationToken = default) =>
        KeyBundle(await SendAsync(RequestMethod.Post, $"deletedkeys/{Name(name)}/recover", null, cancellationToken).ConfigureAwait(false));

    public async Task<RootKeyRotationPolicy> GetRotationPolicyAsync(string name, CancellationToken cancellationToken = default) =>
        RotationPolicy(await SendAsync(RequestMethod.Get, $"keys/{Name(name)}/rotationpolicy", null, cancellationToken).ConfigureAwait(false));

    public async Task<RootKeyRotationPolicy> SetRotationPolicyAsync(string name, RootKeyRotationPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var actions = new JsonArray();
        if (policy.RotateAfterCreate is { } rotate)
        {
            actions.Add(new JsonObject { ["trigger"] = new JsonObject { ["timeAfterCreate"] = XmlConvert.ToString(rotate) }, ["action"] = new JsonObject { ["type"] = "Rotate" } });
        }

        if (policy.NotifyBeforeExpiry is { } notify)
        {
            actions.Add(new JsonObject { ["trigger"] = new JsonObject { ["timeBeforeExpiry"] = XmlConvert.ToString(notify) }, ["action"] = new JsonObject { ["type"] = "Notify" } });
        }

        var body = new JsonObject { ["lifetimeActions"] = actions };
        if (policy.ExpiresAfter is { } expiry)
        {
            body["attributes"] = new JsonObject { ["expiryTime"] = XmlConvert.ToString(expiry) };
        }

        return RotationPolicy(await SendAsync(RequestMethod.Put, $"keys/{Name(name)}/rotationpolicy", body, cancellationToken).ConfigureAwait(false));
    }

    private async Task<JsonObject> SendAsync(RequestMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        var uri = new RequestUriBuilder();
        uri.Reset(_vault);
        uri.AppendPath(path, escape: false);
        uri.AppendQuery("api-version", _options.ApiVersion);
        request.Uri = uri;
        request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            request.Headers.Add("Content-Type", "application/json");
            request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        }

        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        var content = response.Content.ToString();
        if (response.Status is >= 200 and < 300)
        {
            return string.IsNullOrEmpty(content) ? [] : JsonNode.Parse(content)!.AsObject();
        }

        throw Failure(response.Status, content, method, path);
    }

    /// <summary>Maps Key Vault's error body (<c>{"error":{"code","message","innererror":{"code"}}}</c>) to the typed exceptions.</summary>
    internal static KeyCustodyException Failure(int status, string content, RequestMethod method, string path)
    {
        string? code = null, inner = null, message = null;
        try
        {
            var error = JsonNode.Parse(content)?["error"];
            code = error?["code"]?.GetValue<string>();
            inner = error?["innererror"]?["code"]?.GetValue<string>();
            message = error?["message"]?.GetValue<string>();
        }
        catch (JsonException)
        {
            // A body that is not Key Vault's error JSON (a proxy, a gateway): the status still says enough.
        }

        var text = $"Key Vault {method} {path.Split('?')[0]} failed ({status} {inner ?? code ?? "no error code"}): {message ?? "no message"}";
        return (status, inner ?? code) switch
        {
            (404, _) => new RootKeyNotFoundException(text),
            (401 or 403, _) => new KeyCustodyForbiddenException(text),
            (429, _) => new KeyCustodyThrottledException(text),
            (409, "ObjectIsDeletedButRecoverable") => new KeyDeletedButRecoverableException(text),
            _ => new KeyCustodyException(inner ?? code ?? "HttpError" + status, text),
        };
    }

    internal static (string Name, string Version) ParseKid(string kid)
    {
        var segments = new Uri(kid).AbsolutePath.Trim('/').Split('/');
        return segments.Length >= 3 && segments[0] is "keys" or "deletedkeys"
            ? (segments[1], segments[2])
            : throw new KeyCustodyException("BadKid", $"Key Vault returned an unexpected key id '{kid}'.");
    }

    private static RootKeyVersion KeyBundle(JsonObject bundle)
    {
        var key = bundle["key"]!;
        var (name, version) = ParseKid(key["kid"]!.GetValue<string>());
        var attributes = bundle["attributes"];
        return new RootKeyVersion(
            name,
            version,
            attributes?["enabled"]?.GetValue<bool>() ?? true,
            UnixTime(attributes?["created"]) ?? DateTimeOffset.UnixEpoch,
            key["n"] is { } n ? Base64Url.Decode(n.GetValue<string>()) : [],
            key["e"] is { } e ? Base64Url.Decode(e.GetValue<string>()) : []);
    }

    private static DeletedRootKey DeletedBundle(string name, JsonObject bundle) =>
        new(name, UnixTime(bundle["deletedDate"]) ?? DateTimeOffset.UnixEpoch, UnixTime(bundle["scheduledPurgeDate"]));

    private static RootKeyRotationPolicy RotationPolicy(JsonObject policy)
    {
        TimeSpan? rotate = null, notify = null, expiry = null;
        foreach (var action in policy["lifetimeActions"]?.AsArray() ?? [])
        {
            var type = action?["action"]?["type"]?.GetValue<string>();
            var trigger = action?["trigger"];
            if (string.Equals(type, "Rotate", StringComparison.OrdinalIgnoreCase) && trigger?["timeAfterCreate"] is { } after)
            {
                rotate = XmlConvert.ToTimeSpan(after.GetValue<string>());
            }
            else if (string.Equals(type, "Notify", StringComparison.OrdinalIgnoreCase) && trigger?["timeBeforeExpiry"] is { } before)
            {
                notify = XmlConvert.ToTimeSpan(before.GetValue<string>());
            }
        }

        if (policy["attributes"]?["expiryTime"] is { } expires)
        {
            expiry = XmlConvert.ToTimeSpan(expires.GetValue<string>());
        }

        return new RootKeyRotationPolicy(rotate, notify, expiry);
    }

    private static DateTimeOffset? UnixTime(JsonNode? node) =>
        node is null ? null : DateTimeOffset.FromUnixTimeSeconds(node.GetValue<long>());

    private static string Name(string name) =>
        name.Length is > 0 and <= 127 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? name
            : throw new ArgumentException($"A key name is 1 to 127 letters, digits and hyphens; '{name}' is not.", nameof(name));

    private static string Version(string? version) =>
        version is null ? "" : version.All(char.IsAsciiLetterOrDigit) ? version : throw new ArgumentException($"'{version}' is not a key version.", nameof(version));
}
