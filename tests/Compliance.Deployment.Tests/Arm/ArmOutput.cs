using System.Text.Json.Nodes;

namespace Compliance.Deployment.Tests.Arm;

/// <summary>An output of a template (<c>outputs.NAME</c>); a module's outputs are those of its nested template.</summary>
public sealed class ArmOutput
{
    internal ArmOutput(string name, JsonObject json, ArmTemplate template)
    {
        Name = name;
        Json = json;
        Template = template;
    }

    public string Name { get; }

    /// <summary>The declared type (<c>string</c>, <c>securestring</c>, …), or null for a user-defined type.</summary>
    public string? Type => (string?)Json["type"];

    /// <summary>The value as declared: a literal or an ARM expression string; null for an output built with <c>copy</c>.</summary>
    public JsonNode? Value => Json["value"];

    /// <summary>The template that declares the output.</summary>
    public ArmTemplate Template { get; }

    public JsonObject Json { get; }

    public override string ToString() => $"output {Name} of {Template}";
}
