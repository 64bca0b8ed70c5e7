using System.Text.Json;
using Compliance.Core.Access;
using Compliance.Core.Time;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Compliance.Functions.Access;

/// <summary>
/// POST /api/access: the access broker over HTTP. Body: <c>{ "principal", "purpose", "category", "employeeId"?,
/// "from"?, "to"?, "mode": "read"|"export", "limit"? }</c>. The caller must be signed in through App Service
/// authentication, whose <c>X-MS-CLIENT-PRINCIPAL</c> header must list the requested principal among its roles
/// (assign the policy's principal names as app roles in Microsoft Entra ID). 200 with the records (read) or the
/// dataset as JSON lines with its id in <c>X-Dataset-Id</c> (export); 400 for a malformed request; 401 when
/// not signed in; 403 when the broker refuses (the body names the reason code). Every outcome is audited.
/// </summary>
public sealed class AccessFunction(AccessBroker broker, TrainingExporter exporter, AppServiceAuthentication authentication)
{
    [Function("Access")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "access")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        AccessRequest access;
        string mode;
        try
        {
            (access, mode) = await ParseAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or FormatException)
        {
            return new BadRequestObjectResult(new { error = "bad-request", message = ex.Message });
        }

        try
        {
            var roles = authentication.Read(request)?.Roles;
            if (roles is null || !roles.Contains(access.Principal))
            {
                await broker.RefuseAsync(
                    access,
                    AccessReasons.NotAuthenticated,
                    roles is null ? "no signed-in caller (App Service authentication)" : $"the signed-in caller does not hold the role '{access.Principal}'",
                    cancellationToken);
            }

            if (mode == "export")
            {
                var body = new MemoryStream();
                var result = await exporter.ExportAsync(access, body, cancellationToken);
                request.HttpContext.Response.Headers["X-Dataset-Id"] = result.DatasetId;
                return new FileContentResult(body.ToArray(), "application/x-ndjson") { FileDownloadName = result.DatasetId + ".jsonl" };
            }

            var read = await broker.ReadAsync(access, cancellationToken);
            return new OkObjectResult(new { records = read.Records, count = read.Records.Count, subjects = read.Subjects, truncated = read.Truncated, unreadable = read.Unreadable });
        }
        catch (AccessDeniedException denied)
        {
            var status = denied.Reason == AccessReasons.NotAuthenticated ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
            return new ObjectResult(new { error = denied.Reason, message = denied.Message }) { StatusCode = status };
        }
        catch (ArgumentException ex)
        {
            return new BadRequestObjectResult(new { error = "bad-request", message = ex.Message });
        }
    }

    private static async Task<(AccessRequest Request, string Mode)> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("the body is a JSON object");
        }

        string? Text(string name, bool required)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return required ? throw new ArgumentException($"'{name}' is required") : null;
            }

            return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new ArgumentException($"'{name}' must be a string");
        }

        DateTimeOffset? Instant(string name) => Text(name, false) is { } text
            ? IsoInstant.TryParse(text, out var instant) ? instant : throw new ArgumentException($"'{name}' must be an ISO-8601 instant with an offset, such as {IsoInstant.Example}")
            : null;

        var mode = Text("mode", false) ?? "read";
        if (mode is not ("read" or "export"))
        {
            throw new ArgumentException("'mode' is 'read' or 'export'");
        }

        var limit = !root.TryGetProperty("limit", out var l) ? 10_000
            : l.ValueKind == JsonValueKind.Number && l.TryGetInt32(out var n) ? n
            : throw new ArgumentException("'limit' must be an integer");
        var access = new AccessRequest(Text("principal", true)!, Text("purpose", true)!, Text("category", true)!, Text("employeeId", false), Instant("from"), Instant("to"))
        {
            Destination = "http",
            Limit = limit,
        };
        return (access, mode);
    }
}
