namespace Compliance.TestSupport;

/// <summary>
/// The Azurite instance that <c>./scripts/test.sh</c> starts. Integration tests fail, never skip, when it is
/// missing: a skipped integration test hides exactly the failures it exists to find.
/// </summary>
public static class AzuriteStorage
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("COMPLIANCE_STORAGE") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "COMPLIANCE_STORAGE is not set. Run the tests with ./scripts/test.sh, which starts Azurite and sets it.");

    /// <summary>The environment variable <c>./scripts/test.sh</c> sets for the second Azurite account.</summary>
    public const string AuditConnectionStringVariable = "COMPLIANCE_AUDIT_STORAGE_TEST";

    /// <summary>
    /// A second Azurite account (<c>complianceaudit</c>), for tests that keep the audit trail in an account of its own.
    /// Tests pass it explicitly: its variable is not the product's <c>COMPLIANCE_AUDIT_STORAGE</c>, so nothing picks it up by itself.
    /// </summary>
    public static string AuditConnectionString =>
        Environment.GetEnvironmentVariable(AuditConnectionStringVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{AuditConnectionStringVariable} is not set. Run the tests with ./scripts/test.sh, which starts Azurite with a second account (complianceaudit) and sets it.");

    /// <summary>A fresh name suffix, so each test works on its own tables, queues and containers.</summary>
    public static string UniqueSuffix() => "t" + Guid.NewGuid().ToString("N")[..12];
}
