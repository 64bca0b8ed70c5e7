using System.Text.Json;

namespace Compliance.Core.Access;

/// <summary>
/// A request to read telemetry through the broker: who asks (a policy principal), for which purpose, which
/// category, and either one employee or a time range (or both). Times are instants; the range is [from, to).
/// </summary>
public sealed record AccessRequest(string Principal, string Purpose, string Category, string? EmployeeId = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    /// <summary>Where the data goes, for the audit trail (<c>cli</c>, <c>http</c>).</summary>
    public string Destination { get; init; } = "cli";

    /// <summary>The most records one read returns; the result says when more matched.</summary>
    public int Limit { get; init; } = 10_000;
}

/// <summary>One decrypted record as the broker returns it: the subject's surrogate, never the employee id.</summary>
public sealed record AccessRecord(string Subject, string Category, DateTimeOffset CapturedAt, JsonElement Fields);

/// <summary>What a permitted read returned, and the READ event recorded before it was returned.</summary>
public sealed record AccessResult(IReadOnlyList<AccessRecord> Records, int Subjects, bool Truncated, int Unreadable, long AuditSequence, string AuditStream);

/// <summary>The stable reason codes of a denied read (DENY events carry them; the CLI exits 3).</summary>
public static class AccessReasons
{
    public const string NotAuthenticated = "NOT_AUTHENTICATED";
    public const string UnknownPrincipal = "UNKNOWN_PRINCIPAL";
    public const string UnknownPurpose = "UNKNOWN_PURPOSE";
    public const string UnknownCategory = "UNKNOWN_CATEGORY";
    public const string PurposeNotAllowed = "PURPOSE_NOT_ALLOWED";
    public const string TrainingDataForEmploymentDecisions = "TRAINING_DATA_FOR_EMPLOYMENT_DECISIONS";
    public const string NoActiveGrant = "NO_ACTIVE_GRANT";
    public const string ReaderCapExceeded = "READER_CAP_EXCEEDED";
    public const string SubjectErased = "SUBJECT_ERASED";
    public const string ExportRequiresTrainingPurpose = "EXPORT_REQUIRES_TRAINING_PURPOSE";
}

/// <summary>The broker refused the request; a DENY event with <see cref="Reason"/> was recorded first.</summary>
public sealed class AccessDeniedException : Exception
{
    public AccessDeniedException()
    {
    }

    public AccessDeniedException(string message)
        : base(message)
    {
    }

    public AccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AccessDeniedException(string reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public string Reason { get; } = "";
}
