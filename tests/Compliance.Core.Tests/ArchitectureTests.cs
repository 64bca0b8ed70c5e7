using System.Text.Json;
using Compliance.Core.Policy;
using Compliance.TestSupport;

namespace Compliance.Core.Tests;

public sealed class ArchitectureTests
{
    private static readonly string[] AzurePrefixes = ["Azure.", "Microsoft.Azure.", "WindowsAzure."];

    [Fact]
    public void CoreAssembly_ReferencesNoAzureAssembly()
    {
        var references = typeof(PolicyDocument).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("JsonSchema.Net", references);
        Assert.DoesNotContain(references, name => AzurePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)));
    }

    [Fact]
    public void CoreProject_HasNoAzurePackageEvenTransitively()
    {
        var assets = RepositoryPaths.Combine("src", "Compliance.Core", "obj", "project.assets.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(assets));

        var libraries = document.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();

        Assert.NotEmpty(libraries);
        Assert.DoesNotContain(libraries, name => AzurePrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)));
    }
}
