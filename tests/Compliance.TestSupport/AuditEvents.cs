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
}
