using Compliance.Core.Audit;
using Compliance.Core.Time;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Compliance.Functions.Audit;

/// <summary>
/// GET /api/audit/verify[?from=T&amp;to=T]: recomputes every chain and seal. 200 with the report when the trail
/// is intact; 409 with the report, naming the first bad event, when it was altered; 400 for a bad period.
/// </summary>
public sealed class VerifyAuditFunction(AuditVerifier verifier)
{
    [Function("VerifyAudit")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "audit/verify")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!TryReadInstant(request, "from", out var from, out var error) || !TryReadInstant(request, "to", out var to, out error))
        {
            return new BadRequestObjectResult(new { error = "bad-request", message = error });
        }

        if (from > to)
        {
            return new BadRequestObjectResult(new { error = "bad-request", message = "to: the period ends before it starts" });
        }

        var report = await verifier.VerifyAsync(from, to, cancellationToken);
        var body = new { intact = report.Intact, report };
        return report.Intact ? new OkObjectResult(body) : new ConflictObjectResult(body);
    }

    private static bool TryReadInstant(HttpRequest request, string name, out DateTimeOffset? value, out string? error)
    {
        value = null;
        error = null;
        if (!request.Query.TryGetValue(name, out var raw) || string.IsNullOrEmpty(raw))
        {
            return true;
        }

        if (IsoInstant.TryParse(raw, out var parsed))
        {
            value = parsed;
            return true;
        }

        error = $"{name}: '{raw}' is not an ISO-8601 instant with an offset, such as {IsoInstant.Example}";
        return false;
    }
}
