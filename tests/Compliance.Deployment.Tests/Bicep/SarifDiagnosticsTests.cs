namespace Compliance.Deployment.Tests.Bicep;

public sealed class SarifDiagnosticsTests
{
    private const string BicepLog = """
        {
          "version": "2.1.0",
          "runs": [
            {
              "tool": { "driver": { "name": "bicep" } },
              "results": [
                {
                  "ruleId": "no-unused-params",
                  "message": { "text": "Parameter \"x\" is declared but never used." },
                  "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "file:///work/infra/main%20copy.bicep" }, "region": { "startLine": 3, "charOffset": 7 } } } ]
                },
                {
                  "ruleId": "BCP009",
                  "level": "error",
                  "message": { "text": "Expected a literal value." },
                  "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "file:///work/infra/modules/kv.bicep" }, "region": { "startLine": 1, "charOffset": 18 } } } ]
                }
              ]
            }
          ]
        }
        """;

    [Fact]
    public void Parse_BicepLog_ReadsLevelRuleMessageFileLineAndColumn()
    {
        var diagnostics = SarifDiagnostics.Parse(BicepLog);

        Assert.Equal(
            [
                new BicepDiagnostic(BicepDiagnosticLevel.Warning, "no-unused-params", "Parameter \"x\" is declared but never used.", "/work/infra/main copy.bicep", 3, 7),
                new BicepDiagnostic(BicepDiagnosticLevel.Error, "BCP009", "Expected a literal value.", "/work/infra/modules/kv.bicep", 1, 18),
            ],
            diagnostics);
    }

    [Fact]
    public void Parse_LogsOneAfterTheOther_ReadsEveryLogAndDropsRepeatedDiagnostics()
    {
        const string Other = """
            {"version":"2.1.0","runs":[{"results":[{"ruleId":"info-rule","level":"note","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///a.bicep"},"region":{"startLine":2,"startColumn":4,"charOffset":9}}}]}]}]}
            """;

        var diagnostics = SarifDiagnostics.Parse(BicepLog + Other + BicepLog);

        Assert.Equal(["no-unused-params", "BCP009", "info-rule"], diagnostics.Select(d => d.RuleId));
        Assert.Equal(new BicepDiagnostic(BicepDiagnosticLevel.Note, "info-rule", "m", "/a.bicep", 2, 4), diagnostics[2]);
    }

    [Fact]
    public void Parse_LogWithoutResults_IsEmpty()
    {
        Assert.Empty(SarifDiagnostics.Parse("""{"version":"2.1.0","runs":[{"results":[]}]}"""));
    }

    [Theory]
    [InlineData("An error occurred reading file.")]
    [InlineData("""{"version":"2.1.0"}""")]
    [InlineData("""{"runs":[{"results":[{"ruleId":"x","level":"fatal"}]}]}""")]
    public void Parse_NotABicepSarifLog_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => SarifDiagnostics.Parse(text));
    }

    [Fact]
    public void ToString_ReadsLikeBicepsConsoleOutput()
    {
        var diagnostic = new BicepDiagnostic(BicepDiagnosticLevel.Warning, "no-unused-vars", "Variable \"v\" is declared but never used.", "/infra/main.bicep", 4, 5);

        Assert.Equal("/infra/main.bicep(4,5) : Warning no-unused-vars: Variable \"v\" is declared but never used.", diagnostic.ToString());
    }
}
