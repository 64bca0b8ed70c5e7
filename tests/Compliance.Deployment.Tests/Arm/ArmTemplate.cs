using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Compliance.Deployment.Tests.Arm;

/// <summary>A read-only view of a compiled ARM template and, through its module deployments, of every template nested
/// in it. Bicep compiles each module to a <c>Microsoft.Resources/deployments</c> resource whose <c>properties.template</c>
/// is the module's template and whose <c>properties.parameters</c> binds the module's parameters; modules nest.</summary>
/// <remarks>The JSON nodes exposed are the template's own: read them, do not change them.</remarks>
public sealed partial class ArmTemplate
{
    private const int MaxResolutionDepth = 32;

    internal ArmTemplate(JsonObject json, ArmResource? deployment)
    {
        Json = json;
        Deployment = deployment;
        Parameters = ReadObject(json["parameters"]).ToDictionary(p => p.Key, p => new ArmParameter(p.Key, p.Value), StringComparer.OrdinalIgnoreCase);
        Outputs = ReadObject(json["outputs"]).ToDictionary(p => p.Key, p => new ArmOutput(p.Key, p.Value, this), StringComparer.OrdinalIgnoreCase);
        ParameterBindings = ReadObject(deployment?.Properties?["parameters"]).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        Resources = json["resources"] switch
        {
            // languageVersion 2.0 (user-defined types, among others) keys resources by symbolic name.
            JsonObject bySymbolicName => [.. ReadObject(bySymbolicName).Select(p => new ArmResource(p.Value, this, p.Key))],
            JsonArray list => [.. list.OfType<JsonObject>().Select(r => new ArmResource(r, this, symbolicName: null))],
            _ => [],
        };
    }

    /// <summary>Reads a top-level template, as <c>bicep build</c> writes it.</summary>
    public static ArmTemplate Parse(JsonObject template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new ArmTemplate(template, deployment: null);
    }

    /// <inheritdoc cref="Parse(JsonObject)"/>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    /// <exception cref="FormatException">The JSON is not an object.</exception>
    public static ArmTemplate Parse(string json) =>
        Parse(JsonNode.Parse(json) as JsonObject ?? throw new FormatException("An ARM template is a JSON object."));

    public JsonObject Json { get; }

    /// <summary><c>languageVersion</c>, e.g. <c>2.0</c>; null for templates without one.</summary>
    public string? LanguageVersion => (string?)Json["languageVersion"];

    /// <summary>The module deployment (in <see cref="Parent"/>) whose template this is; null for the top-level template.</summary>
    public ArmResource? Deployment { get; }

    /// <summary>The template declaring <see cref="Deployment"/>; null for the top-level template.</summary>
    public ArmTemplate? Parent => Deployment?.Template;

    public bool IsTopLevel => Deployment is null;

    /// <summary>Names of the deployments from the top-level template down to this one (empty for the top-level one).</summary>
    public IReadOnlyList<string> DeploymentPath => Deployment is null ? [] : [.. Deployment.Template.DeploymentPath, Deployment.Name];

    /// <summary>The parameters this template declares, by name (ARM names are case-insensitive).</summary>
    public IReadOnlyDictionary<string, ArmParameter> Parameters { get; }

    /// <summary>The outputs this template declares, by name.</summary>
    public IReadOnlyDictionary<string, ArmOutput> Outputs { get; }

    /// <summary>The resources declared directly in this template, module deployments included.</summary>
    public IReadOnlyList<ArmResource> Resources { get; }

    /// <summary>What <see cref="Deployment"/> passes to this template's parameters (its <c>properties.parameters</c>), by
    /// parameter name: <c>{"value": …}</c> with a literal or an expression evaluated in <see cref="Parent"/>, or
    /// <c>{"reference": …}</c> to a Key Vault secret. Empty for the top-level template.</summary>
    public IReadOnlyDictionary<string, JsonObject> ParameterBindings { get; }

    /// <summary>Whether <see cref="Deployment"/> evaluates this template's expressions in the parent's scope (a raw nested
    /// deployment without <c>expressionEvaluationOptions.scope: inner</c>; Bicep modules are always inner).</summary>
    public bool IsOuterScoped =>
        Deployment is not null
        && !string.Equals((string?)Deployment.Properties?["expressionEvaluationOptions"]?["scope"], "inner", StringComparison.OrdinalIgnoreCase);

    /// <summary>The templates of the modules this template deploys directly.</summary>
    public IEnumerable<ArmTemplate> Modules => Resources.Select(r => r.NestedTemplate).OfType<ArmTemplate>();

    /// <summary>This template and every template nested in it, depth first, parents before their modules.</summary>
    public IEnumerable<ArmTemplate> AllTemplates() => Modules.SelectMany(m => m.AllTemplates()).Prepend(this);

    /// <summary>Every resource of <see cref="AllTemplates"/>, module deployments included.</summary>
    public IEnumerable<ArmResource> AllResources() => AllTemplates().SelectMany(t => t.Resources);

    /// <summary>Every resource of <see cref="AllTemplates"/> of the given type (case-insensitive).</summary>
    public IEnumerable<ArmResource> AllResourcesOfType(string type) => AllResources().Where(r => r.IsOfType(type));

    /// <summary>The value parameter <paramref name="name"/> of this template gets when nothing but the templates decide
    /// it: the binding of <see cref="Deployment"/> resolved in the parent (up to the top-level template), else the
    /// declared default resolved here. Null when that value is not a literal (any expression other than
    /// <c>[parameters('…')]</c>, a Key Vault reference, a top-level parameter without default) or is JSON null.</summary>
    public JsonNode? ResolveParameter(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return ResolveParameterAt(name, depth: 0);
    }

    /// <summary>Resolves a value declared in this template. A literal is returned as is (a copy; an escaped <c>[[…]</c>
    /// string unescaped; expressions nested in an object or array are left as they are); a string that is exactly
    /// <c>[parameters('name')]</c> is <see cref="ResolveParameter(string)"/>; any other expression is null.</summary>
    public JsonNode? Resolve(JsonNode? value) => ResolveAt(value, depth: 0);

    public override string ToString() =>
        IsTopLevel ? "the top-level template" : $"the module template of deployment {string.Join(" > ", DeploymentPath.Select(n => $"'{n}'"))}";

    private JsonNode? ResolveParameterAt(string name, int depth)
    {
        if (depth > MaxResolutionDepth)
        {
            return null;
        }

        if (IsOuterScoped)
        {
            return Parent!.ResolveParameterAt(name, depth + 1);
        }

        if (Parent is not null && ParameterBindings.TryGetValue(name, out var binding))
        {
            return binding.TryGetPropertyValue("value", out var value) ? Parent.ResolveAt(value, depth + 1) : null;
        }

        return Parameters.TryGetValue(name, out var parameter) && parameter.HasDefaultValue
            ? ResolveAt(parameter.DefaultValue, depth + 1)
            : null;
    }

    private JsonNode? ResolveAt(JsonNode? value, int depth)
    {
        if (value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String)
        {
            var text = scalar.GetValue<string>();
            if (!text.StartsWith('[') || !text.EndsWith(']'))
            {
                return JsonValue.Create(text);
            }

            if (text.StartsWith("[[", StringComparison.Ordinal))
            {
                return JsonValue.Create(text[1..]);
            }

            var reference = ParameterReference().Match(text);
            return reference.Success ? ResolveParameterAt(reference.Groups["name"].Value, depth + 1) : null;
        }

        return value?.DeepClone();
    }

    private static IEnumerable<KeyValuePair<string, JsonObject>> ReadObject(JsonNode? node) =>
        node is JsonObject obj
            ? obj.Where(p => p.Value is JsonObject).Select(p => KeyValuePair.Create(p.Key, (JsonObject)p.Value!))
            : [];

    [GeneratedRegex(@"^\[\s*parameters\(\s*'(?<name>[^']+)'\s*\)\s*\]$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ParameterReference();
}
