using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Compliance.Deployment.Tests.Azd;

/// <summary>azd's schema for azure.yaml (a copy in <c>Azd/Schema/</c>, see its README), ready to validate offline.</summary>
public static class AzdSchema
{
    /// <summary>Where the remote schemas that the copy refers to live: azd extensions for AI hosts, which this project does not use.</summary>
    public const string ExtensionSchemasPrefix = "https://raw.githubusercontent.com/Azure/azure-dev/main/cli/azd/extensions/";

    private static readonly Lazy<(JsonSchema Schema, IReadOnlyList<string> Dropped)> Loaded = new(Load);

    /// <summary>Path of the copied schema in the test output.</summary>
    public static string FilePath { get; } = Path.Combine(AppContext.BaseDirectory, "Azd", "Schema", "azure.yaml.schema.json");

    /// <summary>The <c>$ref</c>s to other documents that loading dropped (each left an open schema, <c>{}</c>, behind),
    /// since a test cannot fetch them.</summary>
    public static IReadOnlyList<string> DroppedReferences => Loaded.Value.Dropped;

    /// <summary>Validates an azure.yaml document (as JSON, see <see cref="YamlToJson"/>).</summary>
    /// <returns>One line per failure (instance location, schema path, message), empty when the document is valid.
    /// Failed <c>if</c> conditions are left out: they only choose a branch. A failing branch without a message of its
    /// own (<c>anyOf</c>, <c>not</c>) is listed by its schema path.</returns>
    public static IReadOnlyList<string> Validate(JsonNode? document)
    {
        using var parsed = JsonDocument.Parse(document?.ToJsonString() ?? "null");
        var results = Loaded.Value.Schema.Evaluate(parsed.RootElement, new EvaluationOptions
        {
            OutputFormat = OutputFormat.List,
            RequireFormatValidation = true,
        });
        if (results.IsValid)
        {
            return [];
        }

        var failures = (results.Details ?? []).Prepend(results)
            .Where(d => !d.IsValid && !d.EvaluationPath.ToString().Split('/').Contains("if"))
            .ToList();
        var paths = failures.Select(d => d.EvaluationPath.ToString()).ToList();
        return [.. failures.SelectMany(d => d.Errors is { Count: > 0 } errors
            ? errors.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}")
            : paths.Any(p => p.StartsWith($"{d.EvaluationPath}/", StringComparison.Ordinal))
                ? []
                : [$"{d.InstanceLocation} ({d.EvaluationPath}): does not validate"])];
    }

    private static (JsonSchema, IReadOnlyList<string>) Load()
    {
        var schema = JsonNode.Parse(File.ReadAllText(FilePath)) ?? throw new FormatException($"{FilePath} is empty.");
        var dropped = new List<string>();
        DropExternalReferences(schema, dropped);
        return (JsonSchema.FromText(schema.ToJsonString()), dropped);
    }

    private static void DropExternalReferences(JsonNode? node, List<string> dropped)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference && reference.TryGetValue<string>(out var target) && !target.StartsWith('#'))
                {
                    obj.Remove("$ref");
                    dropped.Add(target);
                }

                foreach (var (_, child) in obj.ToList())
                {
                    DropExternalReferences(child, dropped);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    DropExternalReferences(child, dropped);
                }

                break;
        }
    }
}
