using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Compliance.TestSupport;

namespace Compliance.Deployment.Tests.Azd;

/// <summary>The repository's azure.yaml: valid for azd's schema, and naming the functions app the way the product deploys it.</summary>
public sealed class AzureYamlTests
{
    private const string UpstreamSchemaSha256 = "ff8d40d0d84c4b5ab1a934e61553c8ce985a05da63e63c59f6abcd58ab73b998";

    private const string Valid = """
        name: compliance-audit-functions
        services:
          functions:
            project: ./src/Compliance.Functions
            language: dotnet
            host: function
        """;

    private static string AzureYamlPath => RepositoryPaths.Combine("azure.yaml");

    [Fact]
    public void SchemaFile_IsTheUnmodifiedUpstreamCopy()
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(AzdSchema.FilePath)));

        Assert.Equal(UpstreamSchemaSha256, hash);
    }

    [Fact]
    public void Schema_DropsOnlyTheRemoteSchemasOfAzdExtensions()
    {
        Assert.NotEmpty(AzdSchema.DroppedReferences);
        Assert.All(AzdSchema.DroppedReferences, reference => Assert.StartsWith(AzdSchema.ExtensionSchemasPrefix, reference, StringComparison.Ordinal));
    }

    [Fact]
    public void AzureYaml_ValidatesAgainstAzdsSchema()
    {
        var errors = AzdSchema.Validate(ReadAzureYaml());

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void Validate_MinimalFunctionsProject_IsValid()
    {
        Assert.Empty(AzdSchema.Validate(YamlToJson.Parse(Valid)));
    }

    // The schema only lists example hosts and languages (any string validates), so AzureYaml_DeploysTheFunctionsProject
    // pins ours; these are documents it does reject.
    [Theory]
    [InlineData("services:\n  functions:\n    host: function\n", ": required:")]
    [InlineData("name: Compliance_Audit\nservices:\n  functions:\n    host: function\n", ": pattern:")]
    [InlineData("name: compliance-audit-functions\nservices:\n  functions:\n    project: ./src/Compliance.Functions\n    language: dotnet\n", ": required:")]
    [InlineData("name: compliance-audit-functions\nservices:\n  functions:\n    host: 42\n", ": type:")]
    [InlineData("name: compliance-audit-functions\nservices: {}\n", ": minProperties:")]
    [InlineData("name: compliance-audit-functions\nservices:\n  functions:\n    host: containerapp\n    project: ./src\n    image: nginx\n", "/then/anyOf/0)")]
    public void Validate_InvalidDocument_ReportsTheFailingKeyword(string yaml, string keyword)
    {
        var errors = AzdSchema.Validate(YamlToJson.Parse(yaml));

        Assert.Contains(errors, e => e.Contains(keyword, StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("/if/", StringComparison.Ordinal));
    }

    [Fact]
    public void AzureYaml_DeploysTheFunctionsProjectAsAFunctionApp()
    {
        var functions = ReadAzureYaml()?["services"]?["functions"];

        Assert.NotNull(functions);
        Assert.Equal("dotnet", (string?)functions["language"]);
        Assert.Equal("function", (string?)functions["host"]);
        Assert.Equal("./src/Compliance.Functions", (string?)functions["project"]);
    }

    [Fact]
    public void AzureYaml_FunctionsProjectPath_IsADirectoryWithAProjectFile()
    {
        var project = (string?)ReadAzureYaml()?["services"]?["functions"]?["project"];
        Assert.NotNull(project);

        var directory = Path.GetFullPath(project, Path.GetDirectoryName(AzureYamlPath)!);

        Assert.True(Directory.Exists(directory), $"{directory} (services.functions.project) is not a directory");
        Assert.NotEmpty(Directory.GetFiles(directory, "*.csproj"));
    }

    private static JsonNode? ReadAzureYaml() => YamlToJson.Parse(File.ReadAllText(AzureYamlPath));
}
