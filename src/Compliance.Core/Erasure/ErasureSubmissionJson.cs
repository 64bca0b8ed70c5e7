using System.Text.Json;

namespace Compliance.Core.Erasure;

/// <summary>
/// The wire form of an erasure request, the same on the queue and over HTTP:
/// <c>{ "requestId": "hr-2026-0042", "employeeId": "E10042", "reason": "OFFBOARDING", "scope": "training", "cleanUp": false }</c>.
/// <c>scope</c> (default <c>all</c>) and <c>cleanUp</c> (default false) are optional. Unknown or repeated
/// properties are refused, so a typo never silently widens or narrows an erasure.
/// </summary>
public static class ErasureSubmissionJson
{
    private static readonly string[] Known = ["requestId", "employeeId", "reason", "scope", "cleanUp"];

    /// <summary>Reads one request; the values themselves are checked by <see cref="ErasureService.SubmitAsync"/>.</summary>
    /// <exception cref="InvalidErasureRequestException">The body is not such an object; the message says what is wrong and where.</exception>
    public static ErasureSubmission Parse(ReadOnlyMemory<byte> body, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw new InvalidErasureRequestException("$", "not JSON", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidErasureRequestException("$", "an erasure request is a JSON object");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!Known.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new InvalidErasureRequestException("$", $"unknown property '{property.Name}'; an erasure request has {string.Join(", ", Known)}");
                }

                if (!seen.Add(property.Name))
                {
                    throw new InvalidErasureRequestException("$." + property.Name, "given twice");
                }
            }

            string? Text(string name, bool required)
            {
                if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    return required ? throw new InvalidErasureRequestException("$." + name, "required") : null;
                }

                return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new InvalidErasureRequestException("$." + name, "must be a string");
            }

            var cleanUp = root.TryGetProperty("cleanUp", out var flag) && flag.ValueKind != JsonValueKind.Null
                ? flag.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new InvalidErasureRequestException("$.cleanUp", "must be true or false"),
                }
                : false;
            return new ErasureSubmission(Text("requestId", true)!, Text("employeeId", true)!, Text("reason", true)!, Text("scope", false), cleanUp, source);
        }
    }
}
