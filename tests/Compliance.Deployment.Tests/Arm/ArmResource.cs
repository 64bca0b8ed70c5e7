using System.Text.Json.Nodes;

namespace Compliance.Deployment.Tests.Arm;

/// <summary>A resource declared in a compiled template, a module's deployment (<c>Microsoft.Resources/deployments</c>) included.</summary>
public sealed class ArmResource
{
    /// <summary>The type of the nested deployments that Bicep modules compile to.</summary>
    public const string DeploymentType = "Microsoft.Resources/deployments";

    internal ArmResource(JsonObject json, ArmTemplate template, string? symbolicName)
    {
        Json = json;
        Template = template;
        SymbolicName = symbolicName;
        Type = (string?)json["type"] ?? throw new FormatException($"A resource in {template} has no type.");
        Name = (string?)json["name"] ?? throw new FormatException($"A resource of type {Type} in {template} has no name.");
        ApiVersion = (string?)json["apiVersion"];
        IsExisting = json["existing"] is JsonValue existing && existing.TryGetValue<bool>(out var isExisting) && isExisting;
        NestedTemplate = IsOfType(DeploymentType) && json["properties"]?["template"] is JsonObject nested
            ? new ArmTemplate(nested, this)
            : null;
    }

    /// <summary>The full resource type, e.g. <c>Microsoft.Storage/storageAccounts/blobServices</c>.</summary>
    public string Type { get; }

    /// <summary>The name as declared: a literal, or an ARM expression such as <c>[format('st{0}', …)]</c>.</summary>
    public string Name { get; }

    public string? ApiVersion { get; }

    /// <summary>The Bicep symbolic name, which templates of <c>languageVersion</c> 2.0 key their resources by; null otherwise.</summary>
    public string? SymbolicName { get; }

    /// <summary>Whether this is an <c>existing</c> reference (listed only in <c>languageVersion</c> 2.0 templates); it deploys nothing.</summary>
    public bool IsExisting { get; }

    /// <summary>The <c>properties</c> object, or null when the resource has none.</summary>
    public JsonNode? Properties => Json["properties"];

    /// <summary>The whole declaration (location, tags, sku, identity, dependsOn, condition, copy, …).</summary>
    public JsonObject Json { get; }

    /// <summary>The template the resource is declared in.</summary>
    public ArmTemplate Template { get; }

    /// <summary>The values the declaring template's deployment passes to its parameters (see <see cref="ArmTemplate.ParameterBindings"/>).</summary>
    public IReadOnlyDictionary<string, JsonObject> ParameterBindings => Template.ParameterBindings;

    /// <summary>For a module's deployment: the module's template; null for any other resource.</summary>
    public ArmTemplate? NestedTemplate { get; }

    /// <summary>Whether the type is <paramref name="type"/> (ARM types are case-insensitive).</summary>
    public bool IsOfType(string type) => Type.Equals(type, StringComparison.OrdinalIgnoreCase);

    /// <summary>Resolves a value of this resource in its template (see <see cref="ArmTemplate.Resolve"/>).</summary>
    public JsonNode? Resolve(JsonNode? value) => Template.Resolve(value);

    public override string ToString() => $"{Type} '{Name}' in {Template}";
}
