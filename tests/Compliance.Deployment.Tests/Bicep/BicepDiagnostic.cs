namespace Compliance.Deployment.Tests.Bicep;

/// <summary>Severity of a Bicep diagnostic, as SARIF reports it (Bicep's "Info" is SARIF's "note").</summary>
public enum BicepDiagnosticLevel
{
    None,
    Note,
    Warning,
    Error,
}

/// <summary>One diagnostic of <c>bicep build</c> or <c>bicep lint</c>: a compiler error (BCP…) or a linter rule.</summary>
/// <param name="Level">Severity.</param>
/// <param name="RuleId">Compiler code (<c>BCP035</c>) or linter rule id (<c>no-unused-params</c>).</param>
/// <param name="Message">The message, ending with Bicep's link to the rule's documentation.</param>
/// <param name="File">Absolute path of the file the diagnostic is in (a module's own file for module diagnostics).</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public sealed record BicepDiagnostic(BicepDiagnosticLevel Level, string RuleId, string Message, string File, int Line, int Column)
{
    /// <summary>Whether the diagnostic fails this repository's checks: errors and warnings do, notes do not.</summary>
    public bool IsErrorOrWarning => Level is BicepDiagnosticLevel.Error or BicepDiagnosticLevel.Warning;

    /// <summary>The diagnostic as Bicep's console format prints it: <c>file(line,column) : Level rule: message</c>.</summary>
    public override string ToString() => $"{File}({Line},{Column}) : {Level} {RuleId}: {Message}";
}
