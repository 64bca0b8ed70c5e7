using System.Text.Json.Nodes;

namespace Compliance.Deployment.Tests.Arm;

/// <summary>
/// One resource a deployment of the template may create: a declared, non-<c>existing</c> resource, once per
/// iteration of its <c>copy</c> loop, with its values evaluated by <see cref="ArmEvaluator"/>; its
/// <see cref="Condition"/> says whether the default parameters deploy it.
/// </summary>
public sealed class DeployedResource
{
    private DeployedResource(ArmResource resource, int? copyIndex)
    {
        Resource = resource;
        CopyIndex = copyIndex;
    }

    public ArmResource Resource { get; }

    /// <summary>The iteration of the resource's <c>copy</c> loop, or null when it has none.</summary>
    public int? CopyIndex { get; }

    public string Type => Resource.Type;

    /// <summary>The evaluated name, e.g. <c>st{…}/default/subjects</c> for a table (<c>{…}</c>: what Azure decides).</summary>
    public string Name => ArmEvaluator.Text(Evaluate(Resource.Json["name"]));

    /// <summary>The last segment of <see cref="Name"/>.</summary>
    public string ShortName => Name.Split('/')[^1];

    /// <summary>The evaluated <c>scope</c> of an extension resource (role assignments, diagnostic settings), or null.</summary>
    public string? Scope => Resource.Json["scope"] is { } scope ? ArmEvaluator.Text(Evaluate(scope)) : null;

    public bool IsOfType(string type) => Resource.IsOfType(type);

    /// <summary>
    /// The resource's <c>condition</c> with the default parameters: true when it has none, false when the templates
    /// decide it is not deployed, null when only the deployment can tell.
    /// </summary>
    public bool? Condition => Resource.Json["condition"] is { } condition ? Evaluate(condition) as bool? : true;

    /// <summary>
    /// The evaluated value at a dotted path of the resource's JSON (<c>properties.siteConfig.minTlsVersion</c>), or null
    /// when absent. An expression met on the way (a variable holding an object, say) is evaluated and the path read on.
    /// </summary>
    public object? Get(string path)
    {
        object? current = Resource.Json;
        foreach (var part in path.Split('.'))
        {
            current = current switch
            {
                JsonObject obj => obj.TryGetPropertyValue(part, out var child) ? child : null,
                Dictionary<string, object?> map => map.TryGetValue(part, out var value) ? value : null,
                _ => null,
            };
            if (current is JsonValue scalar && scalar.TryGetValue<string>(out var text) && text.StartsWith('['))
            {
                current = Evaluate(scalar);
            }
        }

        return current is JsonNode node ? Evaluate(node) : current;
    }

    /// <summary>The raw JSON at a dotted path, as the template declares it (an expression stays an expression).</summary>
    public JsonNode? Raw(string path)
    {
        JsonNode? node = Resource.Json;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var child) ? child : null;
        }

        return node;
    }

    public object? Evaluate(JsonNode? value) => ArmEvaluator.Evaluate(Resource.Template, value, CopyIndex);

    /// <summary>Every resource a deployment of <paramref name="template"/> (and its modules) would create.</summary>
    public static IEnumerable<DeployedResource> All(ArmTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        foreach (var resource in template.AllResources().Where(r => !r.IsExisting))
        {
            if (resource.Json["copy"] is JsonObject copy)
            {
                var count = ArmEvaluator.Evaluate(resource.Template, copy["count"]) as long?
                    ?? throw new InvalidOperationException($"The copy count of {resource} is not decided by the templates.");
                for (var i = 0; i < count; i++)
                {
                    yield return new DeployedResource(resource, i);
                }
            }
            else
            {
                yield return new DeployedResource(resource, null);
            }
        }
    }

    public override string ToString() => $"{Type} '{Name}'";
}
