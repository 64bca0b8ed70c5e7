namespace Compliance.Deployment.Tests.Fixtures;

/// <summary>The small Bicep files under <c>Fixtures/</c> (copied to the test output) that the helpers are tested on,
/// independently of infra/. Their own bicepconfig.json is empty, so Bicep's default rules apply to them.</summary>
public static class FixtureFiles
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>The empty bicepconfig.json: Bicep's defaults.</summary>
    public static string DefaultConfig => Combine("bicepconfig.json");

    /// <summary>A template, its module and that module's own module (languageVersion 2.0); lints clean.</summary>
    public static string Nested => Combine("nested", "main.bicep");

    /// <summary>One linter warning in the file (no-unused-params, 4:7) and one in its module (no-unused-vars, modules/tagged.bicep 4:5).</summary>
    public static string Lint => Combine("lint", "main.bicep");

    /// <summary>A syntax error: BCP009 at 2:24.</summary>
    public static string Broken => Combine("broken", "main.bicep");

    /// <summary>Breaks every rule infra/bicepconfig.json sets.</summary>
    public static string Rules => Combine("rules", "main.bicep");

    public static string Combine(params string[] parts) => Path.Combine([Directory, .. parts]);
}
