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

    /// <summary>A data protection impact assessment approved, for one category or <c>all</c> (controls RSK-1).</summary>
    Dpia,

    /// <summary>A privacy evaluation of a model (membership inference, canary extraction, personal data in outputs; controls MDL-1).</summary>
    Eval,

    /// <summary>A model promoted to deployment, with the evaluations it rests on (controls MDL-1).</summary>
    ModelPromote,

    /// <summary>The schema of a category's records changed, so its DPIA must be redone (controls RSK-1).</summary>
    SchemaChange,

    /// <summary>An erased employee enrolled again, explicitly, under a new surrogate, with a reason (DESIGN invariant 3).</summary>
    Reenrol,
}

public static class AuditEventTypeNames
{
    private static readonly Dictionary<AuditEventType, string> Names = Enum.GetValues<AuditEventType>()
        .ToDictionary(t => t, t => string.Concat(t.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString())));

    private static readonly Dictionary<string, AuditEventType> Types = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string ToName(this AuditEventType type) => Names[type];

    public static bool TryParse(string name, out AuditEventType type) => Types.TryGetValue(name, out type);
}
