using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;

namespace Compliance.Functions;

/// <summary>Who App Service authentication signed in: their app roles, and their directory object id when it gave one.</summary>
public sealed record ClientPrincipal(IReadOnlySet<string> Roles, string? ObjectId)
{
    /// <summary>The audit actor for this caller: <c>http:oid-OBJECTID</c>, or <paramref name="fallback"/> when the token carried no object id.</summary>
    public string Actor(string fallback) => ObjectId is null ? fallback : "http:oid-" + ObjectId;
}

/// <summary>
/// The caller App Service authentication (Easy Auth) signed in, from the <c>X-MS-CLIENT-PRINCIPAL</c> header it
/// sets. The header is trustworthy only while App Service authentication is enforced on the app, because only then
/// does the platform strip any such header a client sends. So it is read only when the platform says so
/// (<c>WEBSITE_AUTH_ENABLED</c> is <c>true</c>, which App Service sets itself): anywhere else every caller is
/// anonymous and the functions that need a role refuse (fail closed). See docs/access.md.
/// </summary>
public sealed class AppServiceAuthentication(IConfiguration configuration)
{
    public const string ClientPrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The app setting App Service sets to <c>True</c> when its authentication is enabled.</summary>
    public const string EnabledSetting = "WEBSITE_AUTH_ENABLED";

    private static readonly string[] ObjectIdClaims = ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"];

    public bool Enforced => string.Equals(configuration[EnabledSetting], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The signed-in caller, or null when there is none (or App Service authentication is not enforced).</summary>
    public ClientPrincipal? Read(HttpRequest request) => Enforced ? Parse(request) : null;

    /// <summary>
    /// The signed-in caller holding at least one of <paramref name="roles"/>, or the answer to give instead: 401 when
    /// nobody is signed in, 403 when the caller holds none of the roles.
    /// </summary>
    public (ClientPrincipal? Caller, ObjectResult? Refused) Authorize(HttpRequest request, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var caller = Read(request);
        if (caller is null)
        {
            return (null, new ObjectResult(new { error = "NOT_AUTHENTICATED", message = "no signed-in caller (App Service authentication must be enforced on the app)" }) { StatusCode = StatusCodes.Status401Unauthorized });
        }

        return roles.Any(caller.Roles.Contains)
            ? (caller, null)
            : (caller, new ObjectResult(new { error = "FORBIDDEN", message = $"the signed-in caller holds none of the roles {string.Join(", ", roles)}" }) { StatusCode = StatusCodes.Status403Forbidden });
    }

    /// <summary>The caller the header describes, or null when it is missing or malformed. Trusts the header: see <see cref="Read"/>.</summary>
    internal static ClientPrincipal? Parse(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Headers.TryGetValue(ClientPrincipalHeader, out var header) || string.IsNullOrEmpty(header))
        {
            return null;
        }

        try
        {
            using var principal = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header.ToString())));
            var roleType = principal.RootElement.TryGetProperty("role_typ", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : "roles";
            if (!principal.RootElement.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var pairs = claims.EnumerateArray()
                .Select(c => (Type: c.GetProperty("typ").GetString() ?? "", Value: c.GetProperty("val").GetString() ?? ""))
                .ToList();
            var roles = pairs.Where(c => c.Type == roleType || c.Type == "roles").Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
            var objectId = pairs.Where(c => ObjectIdClaims.Contains(c.Type, StringComparer.Ordinal)).Select(c => c.Value).FirstOrDefault(v => Guid.TryParseExact(v, "D", out _));
            return new ClientPrincipal(roles, objectId?.ToLowerInvariant());
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }
}
