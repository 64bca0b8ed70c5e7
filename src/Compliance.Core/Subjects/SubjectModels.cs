namespace Compliance.Core.Subjects;

public enum SubjectStatus
{
    Active,
    ErasurePending,
    Held,
    Erased,
}

/// <summary>An enrolled employee as the rest of the system sees them: a surrogate and a status, never the employee id.</summary>
public sealed record Subject(string Surrogate, SubjectStatus Status, DateTimeOffset EnrolledAt);

/// <summary>A notice version the subject acknowledged, and the categories it covers.</summary>
public sealed record NoticeAcknowledgement(string Surrogate, string NoticeVersion, IReadOnlyList<string> Categories, DateTimeOffset AcknowledgedAt);

public enum PauseReason
{
    Objection,
    Leave,
    Other,
}

/// <summary>Collection is paused for the subject since <see cref="Since"/>, for <see cref="Reason"/>.</summary>
public sealed record SubjectPause(string Surrogate, PauseReason Reason, DateTimeOffset Since);

/// <summary>The employee was erased: the HMAC tombstone blocks re-creating their keys and any further ingestion.</summary>
public sealed class SubjectErasedException : Exception
{
    public SubjectErasedException()
        : base("This employee was erased; enrol them again explicitly, with a reason, to collect anything new.")
    {
    }

    public SubjectErasedException(string message)
        : base(message)
    {
    }

    public SubjectErasedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
