namespace Compliance.Core.Ingestion;

/// <summary>
/// The stable reason codes an event can be rejected with (docs/ingestion.md). They are part of the product's
/// contract: HTTP responses, the CLI's JSON output and REJECT audit events carry them, and reports count them.
/// </summary>
public static class IngestReasons
{
    public const string MalformedJson = "MALFORMED_JSON";
    public const string InvalidEnvelope = "INVALID_ENVELOPE";
    public const string Oversize = "OVERSIZE";
    public const string UnknownCategory = "UNKNOWN_CATEGORY";
    public const string UnsupportedSchemaVersion = "UNSUPPORTED_SCHEMA_VERSION";
    public const string InvalidFields = "INVALID_FIELDS";
    public const string ClockSkew = "CLOCK_SKEW";
    public const string RetentionExpired = "RETENTION_EXPIRED";
    public const string PasswordField = "PASSWORD_FIELD";
    public const string OutsideMonitoringWindow = "OUTSIDE_MONITORING_WINDOW";
    public const string NoNotice = "NO_NOTICE";
    public const string Paused = "PAUSED";
    public const string SubjectErased = "SUBJECT_ERASED";
    public const string ErasurePending = "ERASURE_PENDING";
    public const string ScopeShredded = "SCOPE_SHREDDED";

    /// <summary>Not a rejection: the reason code of REJECT events that record fields dropped by minimisation.</summary>
    public const string FieldNotAllowed = "FIELD_NOT_ALLOWED";

    /// <summary>Not a rejection of one event: a queue message that failed every delivery and reached the poison queue.</summary>
    public const string PoisonMessage = "POISON_MESSAGE";

    /// <summary>Every rejection code with what it means, in the order the pipeline checks them.</summary>
    public static IReadOnlyList<(string Code, string Meaning)> All { get; } =
    [
        (Oversize, "the event is larger than the limit"),
        (MalformedJson, "not a JSON object"),
        (InvalidEnvelope, "an envelope property is missing, mistyped or unknown"),
        (UnknownCategory, "the category is not in the policy"),
        (UnsupportedSchemaVersion, "the schemaVersion is not the category's"),
        (ClockSkew, "captured further in the future than the allowed clock skew"),
        (RetentionExpired, "captured so long ago that its retention has already passed"),
        (PasswordField, "captured in a password field: dropped whole"),
        (InvalidFields, "an allowed field is missing, mistyped or out of bounds (the category's fieldSchema)"),
        (OutsideMonitoringWindow, "captured outside the category's monitoring window"),
        (SubjectErased, "the employee was erased"),
        (ErasurePending, "an erasure of the employee is in progress"),
        (NoNotice, "the employee had not acknowledged a notice covering the category when it was captured"),
        (Paused, "collection is paused for the employee (objection, leave)"),
        (ScopeShredded, "the employee's key for the category's scope was shredded (for example an objection)"),
    ];
}
