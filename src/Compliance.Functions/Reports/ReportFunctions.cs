using Compliance.Core.Reports;
using Compliance.Core.Time;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Reports;

/// <summary>
/// Compliance reports (docs/reports.md). <c>GET /api/reports?from=T&amp;to=T&amp;format=json|html|csv|oscal</c> for
/// compliance teams: a function key and a caller signed in through App Service authentication holding the app role
/// <see cref="ReadRole"/>; 200 with the report (its SHA-256 in <c>X-Report-Sha256</c>, recorded as REPORT), 400
/// naming a bad parameter, 409 when no seal exists yet. <c>ScheduledReports</c> (timer <c>%REPORT_SCHEDULE%</c>)
/// writes the last complete week and month, every format, to container <c>reports</c> once they are sealed.
/// </summary>
public sealed partial class ReportFunctions(ReportService reports, ScheduledReportService scheduled, AppServiceAuthentication authentication, ILogger<ReportFunctions> logger)
{
    public const string ReadRole = "compliance.reports";
    public const string ScheduleActor = "job:scheduled-reports";

    [Function("Reports")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "reports")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (caller, refused) = authentication.Authorize(request, ReadRole);
        if (refused is not null)
        {
            return refused;
        }

        var format = request.Query["format"].ToString() is { Length: > 0 } f ? f : "json";
        if (!ReportService.Formats.Contains(format))
        {
            return BadRequest("format", $"'{format}' is not a report format; use one of {string.Join(", ", ReportService.Formats)}");
        }

        if (Instant(request, "from") is not { } from)
        {
            return BadRequest("from", $"required: an ISO-8601 instant with an offset, such as {IsoInstant.Example}");
        }

        if (Instant(request, "to") is not { } to || to <= from)
        {
            return BadRequest("to", "required: an ISO-8601 instant with an offset, after from");
        }

        ComplianceReport report;
        try
        {
            report = await reports.GenerateAsync(new ReportPeriod(from, to), cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            return new ConflictObjectResult(new { error = "NO_SEAL", message = ex.Message });
        }
        catch (ArgumentException ex)
        {
            return BadRequest("to", ex.Message);
        }

        var rendered = await reports.RenderAsync(report, format, caller!.Actor("http:reports"), cancellationToken);
        request.HttpContext.Response.Headers["X-Report-Sha256"] = rendered.Sha256;
        return new FileContentResult(rendered.Content, ScheduledReportService.Files[format].ContentType);
    }

    [Function("ScheduledReports")]
    public async Task RunScheduleAsync([TimerTrigger("%REPORT_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var result = await scheduled.RunAsync(ScheduleActor, cancellationToken);
        LogScheduled(logger, result.Written.Count, result.AlreadyThere.Count, result.NotSealedYet);
    }

    private static DateTimeOffset? Instant(HttpRequest request, string name) =>
        IsoInstant.TryParse(request.Query[name].ToString(), out var instant) ? instant : null;

    private static BadRequestObjectResult BadRequest(string parameter, string message) =>
        new(new { error = "bad-request", parameter, message = $"{parameter}: {message}" });

    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Scheduled reports: {Written} files written, {Existing} already archived; waiting for a seal: {Waiting}")]
    private static partial void LogScheduled(ILogger logger, int written, int existing, IReadOnlyList<string> waiting);
}
