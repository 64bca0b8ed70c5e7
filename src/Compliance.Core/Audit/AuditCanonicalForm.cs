using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Compliance.Core.Audit;

/// <summary>
/// The canonical serialization an event's hash is computed over: UTF-8 JSON without insignificant whitespace,
/// object keys in ordinal order, absent values omitted, times in UTC with seven fractional digits, field names
/// sorted. Anyone can recompute an event's hash from the stored body with any SHA-256 tool.
/// </summary>
public static class AuditCanonicalForm
{
    public const int FormatVersion = 1;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Serialize(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var e = record.Event;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("actor", e.Actor);
            WriteMap(json, "attributes", e.Attributes, (w, v) => w.WriteStringValue(v));
            WriteOptional(json, "category", e.Category);
            WriteMap(json, "counts", e.Counts, (w, v) => w.WriteNumberValue(v));
            if (e.Fields.Count > 0)
            {
                json.WriteStartArray("fields");
                foreach (var field in e.Fields.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                {
                    json.WriteStringValue(field);
                }

                json.WriteEndArray();
            }

            WriteMap(json, "hashes", e.Hashes, (w, v) => w.WriteStringValue(v));
            WriteOptional(json, "idempotencyKeyHash", record.IdempotencyKeyHash);
            json.WriteString("occurredAt", FormatTime(record.OccurredAt));
            json.WriteString("prevHash", record.PreviousHash);
            WriteOptional(json, "purpose", e.Purpose);
            WriteOptional(json, "reasonCode", e.ReasonCode);
            json.WriteNumber("seq", record.Sequence);
            json.WriteString("stream", record.Stream);
            WriteOptional(json, "subject", e.Subject);
            json.WriteString("type", e.Type.ToName());
            json.WriteNumber("v", FormatVersion);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads a stored body back. Throws <see cref="FormatException"/> when it is not a canonical event.</summary>
    public static AuditRecord Parse(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.GetProperty("v").GetInt32() != FormatVersion)
            {
                throw new FormatException($"unsupported audit format version {root.GetProperty("v")}");
            }

            if (!AuditEventTypeNames.TryParse(root.GetProperty("type").GetString()!, out var type))
            {
                throw new FormatException("unknown event type");
            }

            var record = new AuditRecord(
                root.GetProperty("stream").GetString()!,
                root.GetProperty("seq").GetInt64(),
                DateTimeOffset.ParseExact(root.GetProperty("occurredAt").GetString()!, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                root.GetProperty("prevHash").GetString()!,
                Optional(root, "idempotencyKeyHash"),
                new AuditEvent
                {
                    Type = type,
                    Actor = root.GetProperty("actor").GetString()!,
                    Purpose = Optional(root, "purpose"),
                    Subject = Optional(root, "subject"),
                    Category = Optional(root, "category"),
                    ReasonCode = Optional(root, "reasonCode"),
                    Counts = ReadMap(root, "counts", v => v.GetInt64()),
                    Fields = root.TryGetProperty("fields", out var fields) ? [.. fields.EnumerateArray().Select(f => f.GetString()!)] : [],
                    Hashes = ReadMap(root, "hashes", v => v.GetString()!),
                    Attributes = ReadMap(root, "attributes", v => v.GetString()!),
                });
            return record;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException("The body is not a canonical audit event: " + ex.Message, ex);
        }
    }

    public static string FormatTime(DateTimeOffset instant) => instant.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteMap<T>(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, T> map, Action<Utf8JsonWriter, T> write)
    {
        if (map.Count == 0)
        {
            return;
        }

        json.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json.WritePropertyName(key);
            write(json, value);
        }

        json.WriteEndObject();
    }

    private static string? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static Dictionary<string, T> ReadMap<T>(JsonElement root, string name, Func<JsonElement, T> read) =>
        root.TryGetProperty(name, out var map)
            ? map.EnumerateObject().ToDictionary(p => p.Name, p => read(p.Value), StringComparer.Ordinal)
            : [];
}
