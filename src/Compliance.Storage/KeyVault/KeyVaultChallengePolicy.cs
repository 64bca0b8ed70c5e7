using Azure.Core;
using Azure.Core.Pipeline;

namespace Compliance.Storage.KeyVault;

/// <summary>
/// Key Vault's challenge-based authentication, as the official client does it: the first request goes without
/// a token or body to draw a 401 whose <c>WWW-Authenticate</c> header names the token scope and tenant; the
/// policy checks the scope belongs to the vault's host, caches it, gets a token for it and resends.
/// </summary>
internal sealed class KeyVaultChallengePolicy(TokenCredential credential)
    : BearerTokenAuthenticationPolicy(credential, DefaultScope)
{
    public const string DefaultScope = "https://vault.azure.net/.default";
    private const string StashedBody = "compliance.keyvault.body";

    private volatile Challenge? _challenge;

    protected override ValueTask AuthorizeRequestAsync(HttpMessage message)
    {
        if (_challenge is { } challenge)
        {
            return AuthenticateAndAuthorizeRequestAsync(message, Context(challenge));
        }

        StashBody(message);
        return ValueTask.CompletedTask;
    }

    protected override void AuthorizeRequest(HttpMessage message)
    {
        if (_challenge is { } challenge)
        {
            AuthenticateAndAuthorizeRequest(message, Context(challenge));
        }
        else
        {
            StashBody(message);
        }
    }

    protected override async ValueTask<bool> AuthorizeRequestOnChallengeAsync(HttpMessage message)
    {
        if (!TryReadChallenge(message, out var challenge))
        {
            return false;
        }

        _challenge = challenge;
        RestoreBody(message);
        await AuthenticateAndAuthorizeRequestAsync(message, Context(challenge)).ConfigureAwait(false);
        return true;
    }

    protected override bool AuthorizeRequestOnChallenge(HttpMessage message)
    {
        if (!TryReadChallenge(message, out var challenge))
        {
            return false;
        }

        _challenge = challenge;
        RestoreBody(message);
        AuthenticateAndAuthorizeRequest(message, Context(challenge));
        return true;
    }

    /// <summary>Parses <c>Bearer authorization="…/{tenant}", resource="…"</c> (or <c>scope="…"</c>) and checks it belongs to the vault's host.</summary>
    internal static bool TryParseChallenge(string header, Uri requestUri, out Challenge challenge)
    {
        challenge = default!;
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in header[7..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[part[..equals].Trim()] = part[(equals + 1)..].Trim().Trim('"');
            }
        }

        var scope = values.GetValueOrDefault("scope") ?? (values.GetValueOrDefault("resource") is { } resource ? resource.TrimEnd('/') + "/.default" : null);
        var authority = values.GetValueOrDefault("authorization") ?? values.GetValueOrDefault("authorization_uri");
        if (scope is null || !Uri.TryCreate(scope, UriKind.Absolute, out var scopeUri))
        {
            return false;
        }

        // A vault may only ask for tokens for its own service: a token must never be sent to another resource.
        if (!requestUri.Host.EndsWith("." + scopeUri.Host, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var tenant = authority is not null && Uri.TryCreate(authority, UriKind.Absolute, out var authorityUri)
            ? authorityUri.AbsolutePath.Trim('/').Split('/')[0]
            : null;
        challenge = new Challenge(scope, string.IsNullOrEmpty(tenant) ? null : tenant);
        return true;
    }

    private static bool TryReadChallenge(HttpMessage message, out Challenge challenge)
    {
        challenge = default!;
        return message.Response.Headers.TryGetValue("WWW-Authenticate", out var header)
            && TryParseChallenge(header, message.Request.Uri.ToUri(), out challenge);
    }

    private static TokenRequestContext Context(Challenge challenge) => new([challenge.Scope], tenantId: challenge.TenantId);

    private static void StashBody(HttpMessage message)
    {
        if (message.Request.Content is { } content)
        {
            message.SetProperty(StashedBody, content);
            message.Request.Content = null;
        }
    }

    private static void RestoreBody(HttpMessage message)
    {
        if (message.TryGetProperty(StashedBody, out var content) && content is RequestContent body)
        {
            message.Request.Content = body;
        }
    }

    internal sealed record Challenge(string Scope, string? TenantId);
}
