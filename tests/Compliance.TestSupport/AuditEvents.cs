using Compliance.Core.Audit;
using Compliance.Core.Subjects;

namespace Compliance.TestSupport;

/// <summary>Well-formed sample events for audit tests.</summary>
public static class AuditEvents
{
    public static AuditEvent Ingest(int i = 0, string? idempotencyKey = null) => new()
    {
        Type = AuditEventType.Ingest,
        Actor = "job:telemetry-ingest",
        Subject = SubjectSurrogate.New(),
        Category = "keystroke-dynamics",
        Counts = new Dictionary<string, long> { ["stored"] = 1, ["droppedFields"] = i % 3 },
        Fields = ["dwellMsMean", "flightMsMean"],
        Attributes = new Dictionary<string, string> { ["batch"] = "b" + i },
        IdempotencyKey = idempotencyKey,
    };

    /// <summary>Puts <paramref name="value"/> where a careless job might: <paramref name="where"/> names the property.</summary>
    public static AuditEvent Place(AuditEvent auditEvent, string where, string value)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return where switch
        {
            "actor" => auditEvent with { Actor = value },
            "subject" => auditEvent with { Subject = value },
            "category" => auditEvent with { Category = value },
            "purpose" => auditEvent with { Purpose = value },
            "reasonCode" => auditEvent with { ReasonCode = value },
            "field" => auditEvent with { Fields = ["dwellMsMean", value] },
            "attribute" => auditEvent with { Attributes = new Dictionary<string, string> { ["note"] = value } },
            "attributeKey" => auditEvent with { Attributes = new Dictionary<string, string> { [value] = "x" } },
            "countKey" => auditEvent with { Counts = new Dictionary<string, long> { [value] = 1 } },
            "hash" => auditEvent with { Hashes = new Dictionary<string, string> { ["h"] = value } },
            _ => throw new ArgumentOutOfRangeException(nameof(where), where, "unknown property"),
        };
    }
}
