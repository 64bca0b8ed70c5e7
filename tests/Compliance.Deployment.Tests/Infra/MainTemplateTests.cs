using Compliance.Deployment.Tests.Bicep;

namespace Compliance.Deployment.Tests.Infra;

/// <summary>infra/: what <c>azd up</c> provisions builds, and the linter finds nothing to warn about.</summary>
public sealed class MainTemplateTests
{
    [Fact]
    public async Task Build_MainBicep_CompilesWithoutErrors()
    {
        var build = await InfraTemplates.BuildMainAsync();

        Assert.DoesNotContain(build.Diagnostics, d => d.Level == BicepDiagnosticLevel.Error);
        Assert.NotEmpty((await InfraTemplates.MainTemplateAsync()).AllResources());
    }

    [Fact]
    public async Task Lint_MainBicepAndItsModules_ReportNoErrorOrWarning()
    {
        AssertClean(await InfraTemplates.LintMainAsync());
    }

    [Fact]
    public async Task Lint_EveryBicepFileUnderInfra_ReportsNoErrorOrWarning()
    {
        AssertClean(await InfraTemplates.LintAllAsync());
    }

    private static void AssertClean(IReadOnlyList<BicepDiagnostic> diagnostics)
    {
        var failing = diagnostics.Where(d => d.IsErrorOrWarning).ToList();
        Assert.True(failing.Count == 0, $"{failing.Count} linter error(s) or warning(s):{Environment.NewLine}{string.Join(Environment.NewLine, failing)}");
    }
}
