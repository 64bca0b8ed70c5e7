using System.Text.Json;
using Compliance.Core.Ingestion;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Compliance.Functions.Ingestion;

/// <summary>
/// POST /api/telemetry with a JSON array of events: 200 with an outcome per event (stored, duplicate, or
/// rejected with a reason code); 400 when the body is not a JSON array; 413 when it is larger than allowed.
/// Rejections are outcomes, so one bad event never fails the others.
/// </summary>
public sealed class IngestHttpFunction(IngestionPipeline pipeline)
{
    public const string Actor = "job:ingest-http";

    [Function("IngestHttp")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "telemetry")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = (long)pipeline.Options.MaxBatchEvents * pipeline.Options.MaxEventBytes;
        if (request.ContentLength > limit)
        {
            return new ObjectResult(new { error = IngestReasons.Oversize, message = $"the body is larger than {limit} bytes" }) { StatusCode = StatusCodes.Status413PayloadTooLarge };
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        if (body.Length > limit)
        {
            return new ObjectResult(new { error = IngestReasons.Oversize, message = $"the body is larger than {limit} bytes" }) { StatusCode = StatusCodes.Status413PayloadTooLarge };
        }

        List<ReadOnlyMemory<byte>> events;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return new BadRequestObjectResult(new { error = IngestReasons.MalformedJson, message = "the body is a JSON array of events" });
            }

            events = [.. document.RootElement.EnumerateArray().Select(e => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(e.GetRawText()))];
        }
        catch (JsonException ex)
        {
            return new BadRequestObjectResult(new { error = IngestReasons.MalformedJson, message = $"malformed JSON at line {(ex.LineNumber ?? 0) + 1}, byte {ex.BytePositionInLine ?? 0}" });
        }

        if (events.Count > pipeline.Options.MaxBatchEvents)
        {
            return new BadRequestObjectResult(new { error = "BATCH_TOO_LARGE", message = $"a batch holds at most {pipeline.Options.MaxBatchEvents} events; this one has {events.Count}" });
        }

        var result = await pipeline.IngestAsync(events, Actor, cancellationToken: cancellationToken);
        return new OkObjectResult(new
        {
            stored = result.Stored,
            duplicates = result.Duplicates,
            rejected = result.Rejected,
            outcomes = result.Outcomes.Select(o => new
            {
                index = o.Index,
                eventId = o.EventId,
                status = o.Status.ToString().ToLowerInvariant(),
                reason = o.Reason,
                detail = o.Detail,
                droppedFields = o.DroppedFields,
            }),
        });
    }
}
