using System.Text.Json.Nodes;
using Compliance.Deployment.Tests.Arm;
using Compliance.Deployment.Tests.Bicep;
using Compliance.TestSupport;

namespace Compliance.Deployment.Tests.Infra;

/// <summary>The repository's deployment templates (infra/), built and linted once per test run with the restored Bicep CLI.</summary>
public static class InfraTemplates
{
    public static string DirectoryPath { get; } = RepositoryPaths.Combine("infra");

    /// <summary>The template <c>azd up</c> provisions.</summary>
    public static string MainBicepPath { get; } = Path.Combine(DirectoryPath, "main.bicep");

    /// <summary>The linter configuration Bicep finds next to the templates.</summary>
    public static string ConfigPath { get; } = Path.Combine(DirectoryPath, "bicepconfig.json");

    private static readonly Lazy<Task<BicepBuildResult>> MainBuild = new(() => BicepCli.Default.BuildAsync(RequireMain()));

    private static readonly Lazy<Task<IReadOnlyList<BicepDiagnostic>>> MainLint = new(() => BicepCli.Default.LintAsync(RequireMain()));

    private static readonly Lazy<Task<IReadOnlyList<BicepDiagnostic>>> DirectoryLint = new(() =>
    {
        RequireMain();
        return BicepCli.Default.LintDirectoryAsync(DirectoryPath);
    });

    /// <summary>main.bicep compiled (cached; each call gets its own copy of the template).</summary>
    /// <exception cref="FileNotFoundException">infra/main.bicep does not exist.</exception>
    /// <exception cref="BicepCliException">The build failed; the message lists its diagnostics.</exception>
    public static async Task<BicepBuildResult> BuildMainAsync()
    {
        var build = await MainBuild.Value;
        return build with { Template = (JsonObject)build.Template.DeepClone() };
    }

    /// <summary>main.bicep compiled, as a walkable template (its modules nested in it).</summary>
    public static async Task<ArmTemplate> MainTemplateAsync() => ArmTemplate.Parse((await BuildMainAsync()).Template);

    /// <summary>The linter's diagnostics for main.bicep and every module it uses (cached).</summary>
    public static Task<IReadOnlyList<BicepDiagnostic>> LintMainAsync() => MainLint.Value;

    /// <summary>The linter's diagnostics for every .bicep file under infra/, used by main.bicep or not (cached).</summary>
    public static Task<IReadOnlyList<BicepDiagnostic>> LintAllAsync() => DirectoryLint.Value;

    private static string RequireMain() =>
        File.Exists(MainBicepPath)
            ? MainBicepPath
            : throw new FileNotFoundException($"infra/main.bicep not found (looked for {MainBicepPath}).", MainBicepPath);
}
