using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compliance.Deployment.Tests.Bicep;

/// <summary>Reads the diagnostics of a SARIF 2.1.0 log as Bicep writes it with <c>--diagnostics-format sarif</c>.</summary>
internal static class SarifDiagnostics
{
    /// <summary>Every result of every run of every log in the text (<c>bicep lint --pattern</c> prints one log per
    /// file, one after the other), without duplicates: a module linted on its own and through its parent reports its
    /// diagnostics twice. A result without <c>level</c> is a warning (SARIF's default, which Bicep relies on).</summary>
    /// <exception cref="FormatException">The text is not a sequence of SARIF logs.</exception>
    public static IReadOnlyList<BicepDiagnostic> Parse(string sarif)
    {
        var diagnostics = new List<BicepDiagnostic>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(sarif), new JsonReaderOptions { AllowMultipleValues = true });
        try
        {
            while (reader.Read())
            {
                var log = JsonNode.Parse(ref reader);
                if (log?["runs"] is not JsonArray runs)
                {
                    throw new FormatException("Not a SARIF log: it has no \"runs\" array.");
                }

                diagnostics.AddRange(runs.SelectMany(run => run?["results"] as JsonArray ?? []).OfType<JsonObject>().Select(ToDiagnostic));
            }
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not a SARIF log: {e.Message}", e);
        }

        return [.. diagnostics.Distinct()];
    }

    private static BicepDiagnostic ToDiagnostic(JsonObject result)
    {
        var location = result["locations"]?[0]?["physicalLocation"];
        var region = location?["region"];
        return new BicepDiagnostic(
            ParseLevel((string?)result["level"]),
            (string?)result["ruleId"] ?? string.Empty,
            (string?)result["message"]?["text"] ?? string.Empty,
            ToPath((string?)location?["artifactLocation"]?["uri"]),
            (int?)region?["startLine"] ?? 0,
            // Bicep writes the 1-based column as charOffset; other SARIF producers use startColumn.
            (int?)region?["startColumn"] ?? (int?)region?["charOffset"] ?? 0);
    }

    private static BicepDiagnosticLevel ParseLevel(string? level) => level switch
    {
        null or "warning" => BicepDiagnosticLevel.Warning,
        "error" => BicepDiagnosticLevel.Error,
        "note" => BicepDiagnosticLevel.Note,
        "none" => BicepDiagnosticLevel.None,
        _ => throw new FormatException($"Unknown SARIF level \"{level}\"."),
    };

    private static string ToPath(string? uri) =>
        uri is null ? string.Empty
        : Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile ? parsed.LocalPath
        : uri;
}
