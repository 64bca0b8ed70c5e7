using System.Text.RegularExpressions;
using Compliance.Core.Policy;
using Compliance.Core.Subjects;

namespace Compliance.Core.Audit;

/// <summary>
/// Keeps the audit trail minimised (DESIGN invariant 5, controls LOG-2): every value must be a registry name,
/// a surrogate, a count, a field name, a SHA-256 digest or a short token, and nothing may look like an email
/// address, a phone number or an employee id (the policy's <c>identifierPatterns</c>). A refused event is never
/// written, and the refusal names the property, never the value.
/// </summary>
public sealed partial class AuditEventGuard
{
    public const int MaxFields = 200;
    public const int MaxEntries = 50;
    public const int MaxIdempotencyKeyLength = 1024;

    private readonly IReadOnlyList<Regex> _identifierPatterns;

    public AuditEventGuard(ActivePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _identifierPatterns = [.. policy.Policy.IdentifierPatterns.Select(p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)))];
    }

    /// <summary>Throws <see cref="AuditMinimisationException"/> when <paramref name="auditEvent"/> could carry content or an identifier.</summary>
    public void Check(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var type = auditEvent.Type.ToName();
        void Require(bool ok, string property, string reason)
        {
            if (!ok)
            {
                throw new AuditMinimisationException($"audit event {type}: {property} is refused: {reason}");
            }
        }

        void Token(string? value, Regex pattern, string property, string expected)
        {
            if (value is null)
            {
                return;
            }

            Require(pattern.IsMatch(value), property, $"expected {expected}");
            Require(!LooksLikePhoneNumber().IsMatch(value), property, "it looks like a phone number");
            Require(!_identifierPatterns.Any(p => p.IsMatch(value)), property, "it matches a direct-identifier pattern of the policy");
        }

        Token(auditEvent.Actor, Actor(), "actor", "a principal or job name such as ml-platform or job:retention-purge");
        Token(auditEvent.Purpose, Name(), "purpose", "a registry name");
        Token(auditEvent.Category, Name(), "category", "a registry name");
        Token(auditEvent.ReasonCode, ReasonCode(), "reasonCode", "an UPPER_SNAKE_CASE code");
        Require(auditEvent.Subject is null || SubjectSurrogate.IsValid(auditEvent.Subject), "subject", "expected a subject surrogate (sub_…), never an employee id");

        Require(auditEvent.Fields.Count <= MaxFields, "fields", $"more than {MaxFields} field names");
        for (var i = 0; i < auditEvent.Fields.Count; i++)
        {
            Token(auditEvent.Fields[i], FieldName(), $"fields[{i}]", "a field name");
        }

        foreach (var (map, count) in (ValueTuple<string, int>[])[("counts", auditEvent.Counts.Count), ("hashes", auditEvent.Hashes.Count), ("attributes", auditEvent.Attributes.Count)])
        {
            Require(count <= MaxEntries, map, $"more than {MaxEntries} entries");
        }

        foreach (var (key, value) in auditEvent.Counts)
        {
            Token(key, Key(), "counts key", "a short key");
            Require(value >= 0, $"counts.{key}", "counts are never negative");
        }

        foreach (var (key, value) in auditEvent.Hashes)
        {
            Token(key, Key(), "hashes key", "a short key");
            Require(AuditHashing.IsSha256Hex(value), $"hashes.{key}", "expected a lowercase hex SHA-256 digest");
        }

        foreach (var (key, value) in auditEvent.Attributes)
        {
            Token(key, Key(), "attributes key", "a short key");
            Token(value, AttributeValue(), $"attributes.{key}", "a short token (letters, digits, . _ : -), never free text");
        }

        Require(auditEvent.IdempotencyKey is null || auditEvent.IdempotencyKey.Length is > 0 and <= MaxIdempotencyKeyLength, "idempotencyKey", $"expected 1 to {MaxIdempotencyKeyLength} characters");
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}(:[a-z][a-z0-9-]{0,62})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Actor();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    [GeneratedRegex("^[A-Z][A-Z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ReasonCode();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Key();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex AttributeValue();

    /// <summary>
    /// A standalone run of nine or more digits, or the 3-3-4 grouping of a phone number. Dates (2026-11-30),
    /// notice versions and digits inside hex ids or GUIDs do not match.
    /// </summary>
    [GeneratedRegex(@"(?<![0-9A-Za-z-])(\d{9,}|\d{3}[-.]\d{3}[-.]\d{4})(?![0-9A-Za-z-])", RegexOptions.CultureInvariant)]
    private static partial Regex LooksLikePhoneNumber();
}

/// <summary>An audit event was refused because a value could be telemetry content or a direct identifier.</summary>
public sealed class AuditMinimisationException : Exception
{
    public AuditMinimisationException()
    {
    }

    public AuditMinimisationException(string message)
        : base(message)
    {
    }

    public AuditMinimisationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
