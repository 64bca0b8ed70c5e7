namespace Compliance.Core.Audit;

/// <summary>What happened. Stored as the upper-snake names of controls.md section A3 (for example <c>ERASURE_REQ</c>).</summary>
public enum AuditEventType
{
    Ingest,
    Reject,
    Read,
    Export,
    Deny,
    Purge,
    Hold,
    ErasureReq,
    ErasureDone,
    KeyCreate,
    KeyRotate,
    KeyRetire,
    KeyShred,
    Policy,
    NoticeAck,
    Pause,
    Seal,
    Report,
    DatasetBuild,
    ModelTrain,
    ErasureHeld,
}

public static class AuditEventTypeNames
{
    private static readonly Dictionary<AuditEventType, string> Names = Enum.GetValues<AuditEventType>()
        .ToDictionary(t => t, t => string.Concat(t.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString())));

    private static readonly Dictionary<string, AuditEventType> Types = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string ToName(this AuditEventType type) => Names[type];

    public static bool TryParse(string name, out AuditEventType type) => Types.TryGetValue(name, out type);
}
