using Compliance.Core.Erasure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Erasure;

/// <summary>
/// Erasure over HTTP, for HR systems and privacy portals. Every call needs a function key and a caller signed in
/// through App Service authentication holding an app role: <see cref="RequestRole"/> to submit and follow a request
/// (without the subject's pseudonym or the case ids of legal holds), <see cref="ReadRole"/> for everything: full
/// status, certificates and the SLA. The audit names the caller by directory object id (<c>http:oid-…</c>).
/// <list type="bullet">
/// <item><c>POST /api/erasures</c>: body as on the queue (<see cref="ErasureSubmissionJson"/>). The request is
/// recorded and processed at once: 200 with its status when completed, 202 when held by a legal hold or when
/// processing stopped (the sweep resumes it), with <c>Location</c> pointing at its status. 400 for an invalid
/// request (the body names the field), 409 when the request id was used for a different request.</item>
/// <item><c>GET /api/erasures/{id}</c>: the request's status; 404 when there is none.</item>
/// <item><c>GET /api/erasures/{id}/certificate</c>: the destruction certificate; 404 until the request completes.</item>
/// <item><c>GET /api/erasures</c>: the SLA (controls ERA-1) and every open request. No employee ids anywhere:
/// status by employee is <c>compliance erasure status --employee</c>, so ids never appear in URLs or request logs.</item>
/// </list>
/// </summary>
public sealed partial class ErasureHttpFunctions(ErasureService erasure, AppServiceAuthentication authentication, ILogger<ErasureHttpFunctions> logger)
{
    public const string Actor = "http:erasure";
    public const string RequestRole = "erasure.request";
    public const string ReadRole = "erasure.read";

    [Function("ErasureSubmit")]
    public async Task<IActionResult> SubmitAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "erasures")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (caller, refused) = authentication.Authorize(request, RequestRole);
        if (refused is not null)
        {
            return refused;
        }

        var actor = caller!.Actor(Actor);
        ErasureRecord submitted;
        try
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, cancellationToken);
            submitted = await erasure.SubmitAsync(ErasureSubmissionJson.Parse(body.ToArray(), "http"), actor, cancellationToken);
        }
        catch (InvalidErasureRequestException ex)
        {
            return new BadRequestObjectResult(new { error = InvalidErasureRequestException.Code, field = ex.Field, message = ex.Message });
        }
        catch (ErasureConflictException ex)
        {
            return new ConflictObjectResult(new { error = ErasureConflictException.Code, message = ex.Message });
        }

        var record = submitted;
        try
        {
            record = await erasure.ProcessAsync(submitted.Id, actor, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Recorded, so nothing is lost: the sweep resumes it. The caller sees where it stopped.
            LogStopped(logger, submitted.Id, ex);
            record = await erasure.RecordFailureAsync(submitted.Id, ex is ErasureVerificationException ? ErasureVerificationException.Code : "PROCESSING_FAILED", cancellationToken) ?? submitted;
        }

        var status = View(record, caller);
        return record.State == ErasureState.Completed
            ? new OkObjectResult(status)
            : new AcceptedResult($"/api/erasures/{record.Id}", status);
    }

    [Function("ErasureStatus")]
    public async Task<IActionResult> StatusAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "erasures/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (caller, refused) = authentication.Authorize(request, RequestRole, ReadRole);
        if (refused is not null)
        {
            return refused;
        }

        return await erasure.GetAsync(id, cancellationToken) is { } record
            ? new OkObjectResult(View(record, caller!))
            : NotFound(id);
    }

    [Function("ErasureCertificate")]
    public async Task<IActionResult> CertificateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "erasures/{id}/certificate")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authentication.Authorize(request, ReadRole).Refused is { } refused)
        {
            return refused;
        }

        return await erasure.GetCertificateAsync(id, cancellationToken) is { } certificate
            ? new FileContentResult(certificate, "application/json") { FileDownloadName = ErasureCertificate.NameOf(id) }
            : new NotFoundObjectResult(new { error = "not-found", message = $"No certificate for '{id}': no such request, or it has not completed yet." });
    }

    [Function("ErasureSla")]
    public async Task<IActionResult> SlaAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "erasures")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (authentication.Authorize(request, ReadRole).Refused is { } refused)
        {
            return refused;
        }

        var open = (await erasure.ListAsync(null, cancellationToken)).Where(r => r.State.IsOpen()).Select(r => ErasureStatusJson.Request(r)).ToList();
        return new OkObjectResult(new { sla = ErasureStatusJson.Sla(await erasure.GetSlaAsync(cancellationToken)), open });
    }

    /// <summary>
    /// The status as this caller may see it: a requester (an HR system, a privacy portal) learns where the request
    /// stands, but not the pseudonym (which would tie the employee to the audit trail) nor the case ids of legal
    /// holds (which may be confidential); <see cref="ReadRole"/> sees everything.
    /// </summary>
    private static System.Text.Json.Nodes.JsonObject View(ErasureRecord record, ClientPrincipal caller) =>
        ErasureStatusJson.Request(record, full: caller.Roles.Contains(ReadRole));

    private static NotFoundObjectResult NotFound(string id) => new(new { error = "not-found", message = $"No erasure request has the id '{id}'." });

    [LoggerMessage(EventId = 7105, Level = LogLevel.Warning, Message = "Erasure {ErasureId} stopped part-way; the sweep resumes it")]
    private static partial void LogStopped(ILogger logger, string erasureId, Exception exception);
}
