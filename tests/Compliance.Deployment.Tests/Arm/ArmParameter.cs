using System.Text.Json.Nodes;

namespace Compliance.Deployment.Tests.Arm;

/// <summary>A parameter declared in a template (<c>parameters.NAME</c>).</summary>
public sealed class ArmParameter
{
    internal ArmParameter(string name, JsonObject json)
    {
        Name = name;
        Json = json;
    }

    public string Name { get; }

    /// <summary>The declared type as written: <c>string</c>, <c>securestring</c>, <c>int</c>, <c>bool</c>, <c>object</c>,
    /// <c>secureObject</c>, <c>array</c>; null when the type is a <c>$ref</c> to a user-defined type.</summary>
    public string? Type => (string?)Json["type"];

    /// <summary>Whether the type is <c>securestring</c> or <c>secureObject</c> (Bicep's <c>@secure()</c>): ARM keeps the value out of logs and deployment history.</summary>
    public bool IsSecure => Type is { } type
        && (type.Equals("securestring", StringComparison.OrdinalIgnoreCase) || type.Equals("secureobject", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a default value is declared (it may be JSON null).</summary>
    public bool HasDefaultValue => Json.ContainsKey("defaultValue");

    /// <summary>The default value as declared: a literal or an ARM expression string; null when none is declared.</summary>
    public JsonNode? DefaultValue => Json["defaultValue"];

    /// <summary>The allowed values (Bicep's <c>@allowed</c>), or null when any value of the type is allowed.</summary>
    public JsonArray? AllowedValues => Json["allowedValues"] as JsonArray;

    /// <summary>Bicep's <c>@description</c>, or null.</summary>
    public string? Description => Json["metadata"]?["description"] is JsonValue description ? (string?)description : null;

    /// <summary>The whole declaration (minValue, maxLength, metadata, …).</summary>
    public JsonObject Json { get; }

    public override string ToString() => $"{Name}: {Type ?? "(user-defined type)"}";
}
