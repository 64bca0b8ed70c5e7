using System.Globalization;
using System.Text.Json;
using Compliance.Core.Policy;
using Compliance.Core.Time;

namespace Compliance.Core.Keys;

/// <summary>Which envelope an event came in: the Event Grid event schema or CloudEvents 1.0.</summary>
public enum KeyVaultEventSchema
{
    EventGrid,
    CloudEvents,
}

/// <summary>The Key Vault event types (system topic <c>Microsoft.KeyVault.vaults</c>) this app reads.</summary>
public static class KeyVaultEventTypes
{
    public const string Prefix = "Microsoft.KeyVault.";
    public const string KeyNearExpiry = "Microsoft.KeyVault.KeyNearExpiry";
    public const string KeyExpired = "Microsoft.KeyVault.KeyExpired";
    public const string KeyNewVersionCreated = "Microsoft.KeyVault.KeyNewVersionCreated";
}

/// <summary>
/// The <c>data</c> of a Key Vault event: which object in which vault, its version, and its validity (<c>NBF</c>,
/// <c>EXP</c>: unix seconds, as a number or in a string). Key Vault writes the names in PascalCase
/// (<c>ObjectName</c>); they are read without regard to case.
/// </summary>
public sealed record KeyVaultObject(
    string? Id,
    string VaultName,
    string ObjectType,
    string ObjectName,
    string? Version,
    DateTimeOffset? NotBefore,
    DateTimeOffset? Expires)
{
    /// <summary>True for a key (not a secret, certificate or the vault itself).</summary>
    public bool IsKey => string.Equals(ObjectType, "Key", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// One event from a Key Vault system topic, as Event Grid delivers it to a storage queue, in either schema:
/// Event Grid (<c>id</c>, <c>eventType</c>, <c>subject</c>, <c>eventTime</c>, <c>data</c>) or CloudEvents 1.0
/// (<c>specversion</c>, <c>id</c>, <c>type</c>, <c>subject</c>, <c>time</c>, <c>data</c>). <see cref="Data"/> is read
/// for <c>Microsoft.KeyVault.*</c> types only, and null for anything else.
/// </summary>
public sealed record KeyVaultEvent(
    string Id,
    string Type,
    string? Subject,
    DateTimeOffset? Time,
    KeyVaultEventSchema Schema,
    KeyVaultObject? Data)
{
    private static readonly string[] VersionedObjectTypes = ["Key", "Secret", "Certificate"];

    /// <summary>True when this is the event type named (compared without regard to case).</summary>
    public bool Is(string type) => string.Equals(Type, type, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads one event (a JSON object) or a batch (a JSON array of them) in either schema. Property names are
    /// matched without regard to case.
    /// </summary>
    /// <exception cref="KeyVaultEventFormatException">The input is not such events; the message says what is wrong and where (a JSON path).</exception>
    public static IReadOnlyList<KeyVaultEvent> ParseAll(ReadOnlyMemory<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new KeyVaultEventFormatException("$", $"malformed JSON at line {(ex.LineNumber ?? 0) + 1}, byte {ex.BytePositionInLine ?? 0}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                    return [Parse(root, "$")];
                case JsonValueKind.Array when root.GetArrayLength() == 0:
                    throw new KeyVaultEventFormatException("$", "an empty array holds no event");
                case JsonValueKind.Array:
                    return [.. root.EnumerateArray().Select((element, i) => Parse(element, JsonPathFormatter.Index("$", i)))];
                default:
                    throw new KeyVaultEventFormatException("$", $"expected an event (a JSON object) or an array of events, found {Describe(root)}");
            }
        }
    }

    private static KeyVaultEvent Parse(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new KeyVaultEventFormatException(path, $"expected an event (a JSON object), found {Describe(element)}");
        }

        KeyVaultEventSchema schema;
        string type;
        string? subject;
        DateTimeOffset? time;
        if (TryGetProperty(element, "specversion", out _))
        {
            schema = KeyVaultEventSchema.CloudEvents;
            if (RequiredString(element, path, "specversion") != "1.0")
            {
                throw new KeyVaultEventFormatException(JsonPathFormatter.Child(path, "specversion"), "expected \"1.0\" (CloudEvents 1.0)");
            }

            type = RequiredString(element, path, "type");
            subject = OptionalString(element, path, "subject");
            time = OptionalString(element, path, "time") is { } text ? Instant(text, JsonPathFormatter.Child(path, "time")) : null;
        }
        else if (TryGetProperty(element, "eventType", out _))
        {
            schema = KeyVaultEventSchema.EventGrid;
            type = RequiredString(element, path, "eventType");
            subject = RequiredString(element, path, "subject");
            time = Instant(RequiredString(element, path, "eventTime"), JsonPathFormatter.Child(path, "eventTime"));
        }
        else
        {
            throw new KeyVaultEventFormatException(path, "neither an Event Grid event (no 'eventType') nor a CloudEvent (no 'specversion')");
        }

        var id = RequiredString(element, path, "id");
        var dataPath = JsonPathFormatter.Child(path, "data");
        if (!TryGetProperty(element, "data", out var data) || data.ValueKind == JsonValueKind.Null)
        {
            throw new KeyVaultEventFormatException(dataPath, "required");
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new KeyVaultEventFormatException(dataPath, $"expected a JSON object, found {Describe(data)}");
        }

        var keyVaultObject = type.StartsWith(KeyVaultEventTypes.Prefix, StringComparison.OrdinalIgnoreCase) ? ParseData(data, dataPath) : null;
        return new KeyVaultEvent(id, type, subject, time, schema, keyVaultObject);
    }

    private static KeyVaultObject ParseData(JsonElement data, string path)
    {
        var objectType = RequiredString(data, path, "ObjectType");
        var version = OptionalString(data, path, "Version");
        if (version is null && VersionedObjectTypes.Contains(objectType, StringComparer.OrdinalIgnoreCase))
        {
            throw new KeyVaultEventFormatException(JsonPathFormatter.Child(path, "Version"), $"required for an event about a {objectType}");
        }

        return new KeyVaultObject(
            OptionalString(data, path, "Id"),
            RequiredString(data, path, "VaultName"),
            objectType,
            RequiredString(data, path, "ObjectName"),
            version,
            UnixSeconds(data, path, "NBF"),
            UnixSeconds(data, path, "EXP"));
    }

    private static string RequiredString(JsonElement element, string path, string name) =>
        OptionalString(element, path, name) is { Length: > 0 } value
            ? value
            : throw new KeyVaultEventFormatException(JsonPathFormatter.Child(path, name), "required (a non-empty string)");

    private static string? OptionalString(JsonElement element, string path, string name)
    {
        if (!TryGetProperty(element, name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new KeyVaultEventFormatException(JsonPathFormatter.Child(path, name), $"expected a string, found {Describe(value)}");
    }

    private static DateTimeOffset? UnixSeconds(JsonElement element, string path, string name)
    {
        if (!TryGetProperty(element, name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // A number per the event's schema; the documentation's samples quote it ("1559081980"), so digits in a string are read too.
        long seconds = 0;
        var isInteger = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out seconds),
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds),
            _ => false,
        };
        if (isInteger
            && seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds()
            && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        throw new KeyVaultEventFormatException(JsonPathFormatter.Child(path, name), $"expected unix seconds (an integer, or one in a string) or null, found {Describe(value)}");
    }

    private static DateTimeOffset Instant(string text, string path) =>
        IsoInstant.TryParse(text, out var instant)
            ? instant
            : throw new KeyVaultEventFormatException(path, $"expected an ISO-8601 instant with an offset, such as {IsoInstant.Example}");

    /// <summary>The first property named <paramref name="name"/> in any case: Key Vault writes <c>ObjectName</c>, a relay might write <c>objectName</c>.</summary>
    private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The kind of a JSON value, never the value itself: error messages reach logs.</summary>
    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}

/// <summary>A queue message is not a Key Vault event (or a batch of them). <see cref="JsonPath"/> says where the problem is.</summary>
public sealed class KeyVaultEventFormatException : FormatException
{
    public KeyVaultEventFormatException()
    {
    }

    public KeyVaultEventFormatException(string message)
        : base(message)
    {
    }

    public KeyVaultEventFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KeyVaultEventFormatException(string jsonPath, string problem, Exception? innerException = null)
        : base($"{jsonPath}: {problem}", innerException)
    {
        JsonPath = jsonPath;
    }

    /// <summary>Where in the message the problem is, for example <c>$[0].data.Version</c>.</summary>
    public string JsonPath { get; } = "$";
}
