using Compliance.Cli.Tests;
using Compliance.TestSupport;

namespace Compliance.IntegrationTests.Cli;

/// <summary>
/// An isolated place for CLI tests to run: Azurite, resource names of its own, and a throwaway development key
/// directory (so no test writes keys under the user's profile).
/// </summary>
internal sealed class CliEnvironment : IDisposable
{
    private readonly TemporaryDirectory _keys = new();

    public CliEnvironment()
    {
        Suffix = AzuriteStorage.UniqueSuffix();
        Values = new()
        {
            ["COMPLIANCE_STORAGE"] = AzuriteStorage.ConnectionString,
            ["COMPLIANCE_NAME_SUFFIX"] = Suffix,
            ["COMPLIANCE_LOCAL_KEYS"] = _keys.Path,
        };
    }

    public string Suffix { get; }

    public string KeyDirectory => _keys.Path;

    public Dictionary<string, string> Values { get; }

    public Task<CliRun> RunAsync(params string[] args) => CliRun.ExecuteAsync(Values, args);

    public void Dispose() => _keys.Dispose();
}
