using System.Text.Json;
using Compliance.Core.Time;

namespace Compliance.Core.Ingestion;

/// <summary>
/// One telemetry event as collectors send it (docs/ingestion.md): <c>eventId</c>, <c>employeeId</c>,
/// <c>category</c>, <c>capturedAt</c> (ISO-8601 with an offset), <c>source</c>, <c>schemaVersion</c> and
/// <c>fields</c>. Nothing else is accepted at the top level.
/// </summary>
public sealed record TelemetryEnvelope(string EventId, string EmployeeId, string Category, DateTimeOffset CapturedAt, string Source, int SchemaVersion, JsonElement Fields)
{
    public const int MaxEventIdLength = 128;
    public const int MaxSourceLength = 64;

    private static readonly HashSet<string> Properties = ["eventId", "employeeId", "category", "capturedAt", "source", "schemaVersion", "fields"];

    /// <summary>Parses one event; on failure returns null with the reason code and what is wrong (never the employee id).</summary>
    public static TelemetryEnvelope? TryParse(ReadOnlyMemory<byte> utf8Json, int maxBytes, out string? reason, out string? detail)
    {
        var (envelope, why, what) = Parse(utf8Json, maxBytes);
        (reason, detail) = (why, what);
        return envelope;
    }

    private static (TelemetryEnvelope? Envelope, string? Reason, string? Detail) Parse(ReadOnlyMemory<byte> utf8Json, int maxBytes)
    {
        string? reason = null;
        string? detail = null;
        if (utf8Json.Length > maxBytes)
        {
            (reason, detail) = (IngestReasons.Oversize, $"the event has {utf8Json.Length} bytes; the limit is {maxBytes}");
            return (null, reason, detail);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            (reason, detail) = (IngestReasons.MalformedJson, $"malformed JSON at byte {ex.BytePositionInLine ?? 0} of line {(ex.LineNumber ?? 0) + 1}");
            return (null, reason, detail);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                (reason, detail) = (IngestReasons.MalformedJson, $"an event is a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}");
                return (null, reason, detail);
            }

            string? Fail(string what)
            {
                (reason, detail) = (IngestReasons.InvalidEnvelope, what);
                return default;
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!Properties.Contains(property.Name))
                {
                    Fail($"unknown property '{Truncate(property.Name)}' (an event has exactly: {string.Join(", ", Properties)})");
                    return (null, reason, detail);
                }
            }

            string? Text(string name, int max)
            {
                if (!root.TryGetProperty(name, out var value))
                {
                    return Fail($"'{name}' is missing");
                }

                if (value.ValueKind != JsonValueKind.String)
                {
                    return Fail($"'{name}' must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}");
                }

                var text = value.GetString()!;
                return string.IsNullOrWhiteSpace(text) || text.Length > max ? Fail($"'{name}' must be 1 to {max} characters and not blank") : text;
            }

            var eventId = Text("eventId", MaxEventIdLength);
            var employeeId = eventId is null ? null : Text("employeeId", Subjects.SubjectRegistry.MaxEmployeeIdLength);
            var category = employeeId is null ? null : Text("category", 63);
            var capturedText = category is null ? null : Text("capturedAt", 40);
            var source = capturedText is null ? null : Text("source", MaxSourceLength);
            if (source is null)
            {
                return (null, reason, detail);
            }

            if (!IsoInstant.TryParse(capturedText, out var capturedAt))
            {
                Fail($"'capturedAt' must be an ISO-8601 instant with an offset, for example {IsoInstant.Example}");
                return (null, reason, detail);
            }

            if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var schemaVersion) || schemaVersion < 1)
            {
                Fail("'schemaVersion' must be a positive integer");
                return (null, reason, detail);
            }

            if (!root.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object)
            {
                Fail("'fields' must be an object");
                return (null, reason, detail);
            }

            return (new TelemetryEnvelope(eventId!, employeeId!, category!, capturedAt, source, schemaVersion, fields.Clone()), null, null);
        }
    }

    private static string Truncate(string name) => name.Length <= 64 ? name : name[..64] + "…";
}
