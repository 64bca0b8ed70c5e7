namespace Compliance.Core.Policy;

/// <summary>One problem in a policy document: which file, where in it (a JSON path), and what is wrong.</summary>
public sealed record PolicyError(string Source, string JsonPath, string Message)
{
    public override string ToString() => $"{Source}: {JsonPath}: {Message}";
}

/// <summary>A policy document was refused. The message lists every problem found, one per line.</summary>
public sealed class PolicyValidationException : Exception
{
    public PolicyValidationException(IReadOnlyList<PolicyError> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    public PolicyValidationException()
        : this([])
    {
    }

    public PolicyValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    public PolicyValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<PolicyError> Errors { get; }

    private static string Format(IReadOnlyList<PolicyError> errors) =>
        errors.Count == 0
            ? "The policy was refused."
            : $"The policy was refused ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):{Environment.NewLine}"
              + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
