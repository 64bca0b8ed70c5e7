using System.Text.Json.Nodes;

namespace Compliance.Deployment.Tests.Arm;

/// <summary>Resolver cases Bicep does not produce from the fixtures: escapes, Key Vault references, outer scope.</summary>
public sealed class ArmTemplateResolveTests
{
    [Theory]
    [InlineData("\"[[not an expression]\"", "[not an expression]")]
    [InlineData("\"[starts with a bracket only\"", "[starts with a bracket only")]
    [InlineData("\"plain\"", "plain")]
    public void Resolve_LiteralString_IsTheStringUnescaped(string json, string expected)
    {
        var template = ArmTemplate.Parse("""{"resources":[]}""");

        Assert.Equal(expected, (string?)template.Resolve(JsonNode.Parse(json)));
    }

    [Fact]
    public void Resolve_ParameterReferenceInAnyCase_UsesTheParameterNamedCaseInsensitively()
    {
        var template = ArmTemplate.Parse("""{"parameters":{"Location":{"type":"string","defaultValue":"swedencentral"}}}""");

        Assert.Equal("swedencentral", (string?)template.Resolve(JsonValue.Create("[ PARAMETERS( 'location' ) ]")));
    }

    [Fact]
    public void Resolve_NumberBooleanAndNull_AreThemselves()
    {
        var template = ArmTemplate.Parse("{}");

        Assert.Equal(7, (int?)template.Resolve(JsonValue.Create(7)));
        Assert.False((bool?)template.Resolve(JsonValue.Create(false)));
        Assert.Null(template.Resolve(null));
    }

    [Fact]
    public void ResolveParameter_DefaultReferringToAnotherParameter_FollowsIt()
    {
        var template = ArmTemplate.Parse("""
            {"parameters":{"a":{"type":"string","defaultValue":"[parameters('b')]"},"b":{"type":"string","defaultValue":"B"}}}
            """);

        Assert.Equal("B", (string?)template.ResolveParameter("a"));
    }

    [Fact]
    public void ResolveParameter_DefaultReferringToItself_IsNull()
    {
        var template = ArmTemplate.Parse("""{"parameters":{"a":{"type":"string","defaultValue":"[parameters('a')]"}}}""");

        Assert.Null(template.ResolveParameter("a"));
    }

    [Fact]
    public void ResolveParameter_BoundToAKeyVaultReference_IsNull()
    {
        var main = ArmTemplate.Parse(Deployment(
            binding: """{"secret":{"reference":{"keyVault":{"id":"/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/v"},"secretName":"s"}}}""",
            innerParameters: """{"secret":{"type":"securestring","defaultValue":"fallback"}}""",
            scope: "inner"));

        Assert.Null(main.Modules.Single().ResolveParameter("secret"));
    }

    [Fact]
    public void ResolveParameter_OuterScopedNestedDeployment_UsesTheParentsParameters()
    {
        var main = ArmTemplate.Parse(Deployment(binding: "{}", innerParameters: "{}", scope: null));
        var nested = main.Modules.Single();

        Assert.True(nested.IsOuterScoped);
        Assert.Equal("outer", (string?)nested.ResolveParameter("name"));
    }

    [Fact]
    public void Parse_JsonThatIsNotAnObject_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => ArmTemplate.Parse("[]"));
    }

    [Fact]
    public void Parse_ResourceWithoutType_ThrowsFormatException()
    {
        var error = Assert.Throws<FormatException>(() => ArmTemplate.Parse("""{"resources":[{"name":"x"}]}"""));

        Assert.Equal("A resource in the top-level template has no type.", error.Message);
    }

    private static string Deployment(string binding, string innerParameters, string? scope) => $$"""
        {
          "parameters": { "name": { "type": "string", "defaultValue": "outer" } },
          "resources": [
            {
              "type": "Microsoft.Resources/deployments",
              "apiVersion": "2025-04-01",
              "name": "nested",
              "properties": {
                {{(scope is null ? string.Empty : $$"""  "expressionEvaluationOptions": { "scope": "{{scope}}" },""")}}
                "mode": "Incremental",
                "parameters": {{binding}},
                "template": { "parameters": {{innerParameters}}, "resources": [] }
              }
            }
          ]
        }
        """;
}
