using Compliance.Deployment.Tests.Fixtures;

namespace Compliance.Deployment.Tests.Bicep;

public sealed class BicepCliTests
{
    [Fact]
    public void LocateRestored_ReturnsTheExecutableOfTheNuGetPackage()
    {
        var path = BicepCli.LocateRestored();

        Assert.True(File.Exists(path), path);
        Assert.EndsWith(Path.Combine("azure.bicep.commandline.linux-x64", Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))!), "tools", "bicep"), path);
        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{path} is not executable");
    }

    [Fact]
    public async Task BuildAsync_FileWithModules_ReturnsOneTemplateWithoutDiagnostics()
    {
        var result = await BicepCli.Default.BuildAsync(FixtureFiles.Nested);

        Assert.Equal("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", (string?)result.Template["$schema"]);
        Assert.Contains("Microsoft.Resources/deployments", result.Template.ToJsonString());
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public async Task BuildAsync_FileWithLinterWarnings_SucceedsAndReportsThem()
    {
        var result = await BicepCli.Default.BuildAsync(FixtureFiles.Lint);

        Assert.Equal(
            ["no-unused-params", "no-unused-vars"],
            result.Diagnostics.Select(d => d.RuleId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task BuildAsync_SyntaxError_ThrowsWithTheDiagnosticAndWhereItIs()
    {
        var error = await Assert.ThrowsAsync<BicepCliException>(() => BicepCli.Default.BuildAsync(FixtureFiles.Broken));

        Assert.Contains("failed with exit code 1", error.Message);
        Assert.Contains($"{FixtureFiles.Broken}(2,24) : Error BCP009:", error.Message);
    }

    [Fact]
    public async Task BuildAsync_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        var missing = FixtureFiles.Combine("absent", "main.bicep");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => BicepCli.Default.BuildAsync(missing));

        Assert.Equal($"{missing} not found.", error.Message);
    }

    [Fact]
    public async Task LintAsync_CleanFileWithModules_ReportsNothing()
    {
        Assert.Empty(await BicepCli.Default.LintAsync(FixtureFiles.Nested));
    }

    [Fact]
    public async Task LintAsync_FileUsingAModule_ReportsTheModulesDiagnosticsUnderTheModulesFile()
    {
        var diagnostics = await BicepCli.Default.LintAsync(FixtureFiles.Lint);

        Assert.Collection(
            diagnostics.OrderBy(d => d.File, StringComparer.Ordinal),
            d => AssertDiagnostic(d, BicepDiagnosticLevel.Warning, "no-unused-params", FixtureFiles.Lint, 4, 7, "\"unusedParameter\""),
            d => AssertDiagnostic(d, BicepDiagnosticLevel.Warning, "no-unused-vars", FixtureFiles.Combine("lint", "modules", "tagged.bicep"), 4, 5, "\"unusedVariable\""));
    }

    [Fact]
    public async Task LintAsync_SyntaxError_ReturnsItAsAnErrorDiagnostic()
    {
        var diagnostics = await BicepCli.Default.LintAsync(FixtureFiles.Broken);

        var error = Assert.Single(diagnostics, d => d.Level == BicepDiagnosticLevel.Error);
        AssertDiagnostic(error, BicepDiagnosticLevel.Error, "BCP009", FixtureFiles.Broken, 2, 24, "Expected a literal value");
    }

    [Fact]
    public async Task LintDirectoryAsync_ModuleAlsoLintedThroughItsParent_ReportsEachDiagnosticOnce()
    {
        var ofMain = await BicepCli.Default.LintAsync(FixtureFiles.Lint);

        var diagnostics = await BicepCli.Default.LintDirectoryAsync(FixtureFiles.Combine("lint"));

        Assert.Equal(2, diagnostics.Count);
        Assert.Equal(ofMain.OrderBy(d => d.File, StringComparer.Ordinal), diagnostics.OrderBy(d => d.File, StringComparer.Ordinal));
    }

    [Fact]
    public async Task LintDirectoryAsync_FileNoOtherFileUses_IsLintedToo()
    {
        var diagnostics = await BicepCli.Default.LintDirectoryAsync(FixtureFiles.Directory);

        Assert.Contains(diagnostics, d => d.File == FixtureFiles.Broken && d.RuleId == "BCP009");
        Assert.Contains(diagnostics, d => d.File == FixtureFiles.Lint && d.RuleId == "no-unused-params");
    }

    [Fact]
    public async Task LintDirectoryAsync_MissingDirectory_ThrowsNamingIt()
    {
        var missing = FixtureFiles.Combine("absent");

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => BicepCli.Default.LintDirectoryAsync(missing));

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public async Task BuildAsync_SlowerThanTheTimeout_KillsTheProcessAndSaysSo()
    {
        var impatient = new BicepCli(BicepCli.LocateRestored(), TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<BicepCliException>(() => impatient.BuildAsync(FixtureFiles.Nested));

        Assert.StartsWith($"bicep build {FixtureFiles.Nested} --stdout --diagnostics-format sarif did not finish within 0.001 s and was killed.", error.Message);
    }

    [Fact]
    public async Task LintAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BicepCli.Default.LintAsync(FixtureFiles.Nested, cancellationToken: cancellation.Token));
    }

    [Fact]
    public async Task LintAsync_ExecutableThatFailsWithoutSarif_ThrowsWithItsExitCodeAndStandardError()
    {
        var script = Path.Combine(Path.GetTempPath(), $"not-bicep-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho 'something went wrong' >&2\nexit 3\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var error = await Assert.ThrowsAsync<BicepCliException>(() => new BicepCli(script).LintAsync(FixtureFiles.Nested));

            Assert.Equal(
                $"bicep lint {FixtureFiles.Nested} --diagnostics-format sarif failed with exit code 3.{Environment.NewLine}stderr: something went wrong",
                error.Message);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task BuildAsync_ExecutableThatDoesNotExist_ThrowsNamingIt()
    {
        var missing = FixtureFiles.Combine("absent", "bicep");

        var error = await Assert.ThrowsAsync<BicepCliException>(() => new BicepCli(missing).BuildAsync(FixtureFiles.Nested));

        Assert.StartsWith($"Could not start {missing}:", error.Message);
    }

    private static void AssertDiagnostic(BicepDiagnostic diagnostic, BicepDiagnosticLevel level, string ruleId, string file, int line, int column, string messagePart)
    {
        Assert.Equal((level, ruleId, file, line, column), (diagnostic.Level, diagnostic.RuleId, diagnostic.File, diagnostic.Line, diagnostic.Column));
        Assert.Contains(messagePart, diagnostic.Message);
    }
}
