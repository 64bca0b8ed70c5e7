using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Compliance.Functions;

/// <summary>
/// The caller App Service authentication (Easy Auth) signed in, from the <c>X-MS-CLIENT-PRINCIPAL</c> header it
/// sets. The header is trustworthy only when App Service authentication is enforced on the app (see
/// docs/access.md), because then the platform strips any such header a client sends.
/// </summary>
internal static class AppServiceAuthentication
{
    public const string ClientPrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The roles of the caller App Service authentication signed in, or null when there is none.</summary>
    public static IReadOnlySet<string>? ClientRoles(HttpRequest request)
    {
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

            return claims.EnumerateArray()
                .Where(c => c.TryGetProperty("typ", out var typ) && (typ.GetString() == roleType || typ.GetString() == "roles"))
                .Select(c => c.GetProperty("val").GetString() ?? "")
                .ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }
}
