using System.Text.Json.Nodes;

namespace Compliance.Deployment.Tests.Azd;

public sealed class YamlToJsonTests
{
    [Fact]
    public void Parse_MappingsAndSequences_BecomeObjectsAndArrays()
    {
        var json = YamlToJson.Parse("""
            name: app
            services:
              api:
                host: function
            hooks: [a, b]
            """);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"app","services":{"api":{"host":"function"}},"hooks":["a","b"]}"""), json), json?.ToJsonString());
    }

    [Theory]
    [InlineData("true", "true")]
    [InlineData("False", "false")]
    [InlineData("42", "42")]
    [InlineData("-7", "-7")]
    [InlineData("0x1F", "31")]
    [InlineData("0o17", "15")]
    [InlineData("1.5", "1.5")]
    [InlineData("2e3", "2000")]
    [InlineData("~", "null")]
    [InlineData("null", "null")]
    [InlineData("", "null")]
    [InlineData("'true'", "\"true\"")]
    [InlineData("\"42\"", "\"42\"")]
    [InlineData("!!str 42", "\"42\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("./src/Compliance.Functions", "\"./src/Compliance.Functions\"")]
    [InlineData("99999999999999999999", "99999999999999999999")]
    public void Parse_Scalar_TakesTheTypeOfYamlsCoreSchema(string scalar, string expectedJson)
    {
        var json = YamlToJson.Parse($"value: {scalar}");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedJson), json!["value"]), json!["value"]?.ToJsonString() ?? "null");
    }

    [Fact]
    public void Parse_BlockScalar_IsAString()
    {
        var json = YamlToJson.Parse("run: |\n  echo 1\n  echo 2\n");

        Assert.Equal("echo 1\necho 2\n", (string?)json!["run"]);
    }

    [Fact]
    public void Parse_Alias_RepeatsTheAnchoredValue()
    {
        var json = YamlToJson.Parse("a: &shared {x: 1}\nb: *shared\n");

        Assert.Equal(1L, (long?)json!["b"]!["x"]);
    }

    [Fact]
    public void Parse_EmptyText_IsNull()
    {
        Assert.Null(YamlToJson.Parse(string.Empty));
    }

    [Theory]
    [InlineData("a: 1\na: 2\n", "Duplicate key a")]
    [InlineData("1: a\n'1': b\n", "Duplicate key 1")]
    [InlineData("a: 1\n---\nb: 2\n", "Expected one YAML document, found 2.")]
    [InlineData("? [a, b]\n: 1\n", "Only scalar keys have a JSON form")]
    [InlineData("a: .inf\n", ".inf (at")]
    [InlineData("a: [1, 2\n", "Not YAML")]
    public void Parse_YamlWithoutAJsonForm_ThrowsFormatExceptionSayingWhy(string yaml, string expected)
    {
        var error = Assert.Throws<FormatException>(() => YamlToJson.Parse(yaml));

        Assert.Contains(expected, error.Message);
    }
}
