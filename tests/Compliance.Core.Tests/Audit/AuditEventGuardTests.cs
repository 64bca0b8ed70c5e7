using Compliance.Core.Audit;
using Compliance.TestSupport;

namespace Compliance.Core.Tests.Audit;

public sealed class AuditEventGuardTests
{
    private static readonly AuditEventGuard Guard = new(AuditTestHost.Policy);

    public static TheoryData<string, string> RefusedValues => new()
    {
        { "actor", "alice@example.com" },
        { "actor", "E12345" },
        { "subject", "E12345" },
        { "subject", "alice.smith" },
        { "category", "Keystroke Dynamics" },
        { "purpose", "because I said so" },
        { "reasonCode", "typed: hunter2" },
        { "field", "the user typed password123" },
        { "field", "E123456" },
        { "attribute", "alice@example.com" },
        { "attribute", "E12345" },
        { "attribute", "EMP-0042" },
        { "attribute", "Quarterly numbers look bad, call me" },
        { "attribute", "555-123-4567" },
        { "attribute", "5551234567" },
        { "attributeKey", "alice@example.com" },
        { "countKey", "E12345" },
        { "hash", "not-a-digest" },
    };

    [Fact]
    public void Check_WellFormedEvent_Accepted()
    {
        Guard.Check(AuditEvents.Ingest() with
        {
            Purpose = "model-training",
            ReasonCode = "FIELD_NOT_ALLOWED",
            Hashes = new Dictionary<string, string> { ["manifest"] = AuditHashing.Sha256Hex("x") },
            Attributes = new Dictionary<string, string>
            {
                ["noticeVersion"] = "2026-11",
                ["date"] = "2026-11-30",
                ["requestId"] = "3f2b8c1e-0d4a-4c1b-9a6e-2b7d5e8f9a01",
                ["caseId"] = "CASE-2026-0042",
            },
        });
    }

    [Theory]
    [MemberData(nameof(RefusedValues))]
    public void Check_ContentOrDirectIdentifier_RefusedWithoutEchoingTheValue(string where, string value)
    {
        var auditEvent = AuditEvents.Place(AuditEvents.Ingest(), where, value);

        var ex = Assert.Throws<AuditMinimisationException>(() => Guard.Check(auditEvent));

        Assert.DoesNotContain(value, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("audit event INGEST: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NegativeCount_Refused()
    {
        var auditEvent = AuditEvents.Ingest() with { Counts = new Dictionary<string, long> { ["stored"] = -1 } };

        Assert.Throws<AuditMinimisationException>(() => Guard.Check(auditEvent));
    }
}
