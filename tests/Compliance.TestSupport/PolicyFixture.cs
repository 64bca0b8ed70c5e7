using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Core.Policy;

namespace Compliance.TestSupport;

/// <summary>The shipped default policy as an editable JSON tree, for tests that break one thing at a time.</summary>
public sealed class PolicyFixture
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public PolicyFixture()
    {
        Root = JsonNode.Parse(PolicyDocument.DefaultPolicyBytes.Span)!.AsObject();
    }

    public JsonObject Root { get; }

    public JsonObject Category(string name) => Root["categories"]![name]!.AsObject();

    public JsonObject Purpose(string name) => Root["purposes"]![name]!.AsObject();

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(Root.ToJsonString(Indented));

    public ActivePolicy Parse(string source = "test-policy.json") => PolicyDocument.Parse(ToBytes(), source);

    /// <summary>Writes the policy to a new file in <paramref name="directory"/> and returns its path.</summary>
    public string WriteTo(string directory, string fileName = "policy.json")
    {
        var path = Path.Combine(directory, fileName);
        File.WriteAllBytes(path, ToBytes());
        return path;
    }
}
