using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Compliance.Core.Audit;
using Compliance.Core.Policy;
using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;

namespace Compliance.Core.Access;

/// <summary>
/// The only way decrypted telemetry leaves the system (DESIGN invariant 4). A request names a principal, a
/// purpose, a category, and an employee or a period. The broker checks, in order: the principal and purpose
/// exist; the category exists; the purpose may read the category; a purpose or principal that informs
/// employment decisions never reads training data (controls PUR-2); the principal holds an active grant for
/// the purpose and category; the category's reader population is within its cap; the employee is not erased.
/// A refusal is recorded as DENY before it is returned; a permitted read is recorded as READ after the records
/// are decrypted in memory and before any of them is returned (fail closed: if the audit write fails, nothing
/// is returned).
/// </summary>
public sealed class AccessBroker(SubjectRegistry registry, ITelemetryStore store, TelemetryProtector protector, ActivePolicy policy, IAuditTrail audit, TimeProvider clock)
{
    public const int MaxLimit = 100_000;

    /// <summary>Reads and decrypts the records the request covers.</summary>
    /// <exception cref="AccessDeniedException">Refused; a DENY event was recorded.</exception>
    /// <exception cref="ArgumentException">The request itself is malformed (no employee and no period, a period that ends before it starts, a bad limit).</exception>
    public async Task<AccessResult> ReadAsync(AccessRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Limit is < 1 or > MaxLimit)
        {
            throw new ArgumentException($"limit: 1 to {MaxLimit} records per read.", nameof(request));
        }

        var (category, subject) = await AuthorizeAsync(request, export: false, cancellationToken).ConfigureAwait(false);
        var (from, to) = Period(request, category);
        var records = new List<AccessRecord>();
        var unreadable = 0;
        var truncated = false;

        // An employee never enrolled has no records: never fall back to everyone's.
        var source = request.EmployeeId is not null && subject is null
            ? AsyncEnumerable.Empty<TelemetryRecord>()
            : Records(request.Category, subject?.Surrogate, from, to, cancellationToken);
        await foreach (var record in source.ConfigureAwait(false))
        {
            if (records.Count == request.Limit)
            {
                truncated = true;
                break;
            }

            if (await TryOpenAsync(record, cancellationToken).ConfigureAwait(false) is { } opened)
            {
                records.Add(opened);
            }
            else
            {
                unreadable++;
            }
        }

        var subjects = records.Select(r => r.Subject).Distinct(StringComparer.Ordinal).Count();
        var receipt = await audit.AppendAsync(
            Event(AuditEventType.Read, request, subject?.Surrogate, from, to, new Dictionary<string, long>
            {
                ["records"] = records.Count,
                ["subjects"] = subjects,
                ["unreadable"] = unreadable,
            }),
            cancellationToken).ConfigureAwait(false);
        return new AccessResult(records, subjects, truncated, unreadable, receipt.Sequence, receipt.Stream);
    }

    /// <summary>
    /// Checks the request against the policy and the subject registry; records DENY and throws on refusal.
    /// Returns the category and, when the request names an employee, their subject (null if never enrolled).
    /// </summary>
    internal async Task<(CategoryDefinition Category, Subject? Subject)> AuthorizeAsync(AccessRequest request, bool export, CancellationToken cancellationToken)
    {
        var p = policy.Policy;
        var now = clock.GetUtcNow();
        if (!p.Principals.ContainsKey(request.Principal))
        {
            await DenyAsync(request, null, AccessReasons.UnknownPrincipal, $"'{Token(request.Principal)}' is not a principal of the policy", cancellationToken).ConfigureAwait(false);
        }

        if (!p.Purposes.TryGetValue(request.Purpose, out var purpose))
        {
            await DenyAsync(request, null, AccessReasons.UnknownPurpose, $"'{Token(request.Purpose)}' is not a purpose of the policy; defined: {string.Join(", ", p.Purposes.Keys.Order(StringComparer.Ordinal))}", cancellationToken).ConfigureAwait(false);
        }

        if (!p.Categories.TryGetValue(request.Category, out var category))
        {
            await DenyAsync(request, null, AccessReasons.UnknownCategory, $"'{Token(request.Category)}' is not a category of the policy", cancellationToken).ConfigureAwait(false);
        }

        if (export && !purpose!.Tags.Contains("training", StringComparer.Ordinal))
        {
            await DenyAsync(request, null, AccessReasons.ExportRequiresTrainingPurpose, $"exports build training datasets; purpose '{request.Purpose}' is not tagged 'training'", cancellationToken).ConfigureAwait(false);
        }

        if (!purpose!.Categories.Contains(request.Category, StringComparer.Ordinal))
        {
            await DenyAsync(request, null, AccessReasons.PurposeNotAllowed, $"purpose '{request.Purpose}' may not read '{request.Category}', which may be read only for: {string.Join(", ", p.AllowedPurposes(request.Category).Order(StringComparer.Ordinal))}", cancellationToken).ConfigureAwait(false);
        }

        var activeGrants = p.Grants.Where(g => g.IsActiveAt(now)).ToList();
        var employmentRole = activeGrants.Any(g => g.Principal == request.Principal && p.Purposes.TryGetValue(g.Purpose, out var gp) && gp.InformsEmploymentDecisions);
        if (category!.IsTrainingData && (purpose.InformsEmploymentDecisions || employmentRole))
        {
            await DenyAsync(request, null, AccessReasons.TrainingDataForEmploymentDecisions, $"'{request.Category}' feeds AI pipelines and may never inform employment decisions (controls PUR-2)", cancellationToken).ConfigureAwait(false);
        }

        if (!activeGrants.Any(g => g.Principal == request.Principal && g.Purpose == request.Purpose && g.Categories.Contains(request.Category, StringComparer.Ordinal)))
        {
            await DenyAsync(request, null, AccessReasons.NoActiveGrant, $"'{request.Principal}' holds no active grant to read '{request.Category}' for '{request.Purpose}'", cancellationToken).ConfigureAwait(false);
        }

        var readers = activeGrants.Where(g => g.Categories.Contains(request.Category, StringComparer.Ordinal)).Select(g => g.Principal).Distinct(StringComparer.Ordinal).Count();
        if (readers > category.ReaderCap)
        {
            await DenyAsync(request, null, AccessReasons.ReaderCapExceeded, $"{readers} principals hold grants on '{request.Category}', more than its reader cap of {category.ReaderCap}", cancellationToken).ConfigureAwait(false);
        }

        Subject? subject = null;
        if (request.EmployeeId is not null)
        {
            subject = await registry.FindAsync(request.EmployeeId, cancellationToken).ConfigureAwait(false);
            if (subject?.Status == SubjectStatus.Erased)
            {
                await DenyAsync(request, subject.Surrogate, AccessReasons.SubjectErased, "the employee was erased; nothing about them can be read", cancellationToken).ConfigureAwait(false);
            }
        }

        return (category, subject);
    }

    /// <summary>The period a request covers: as given, or the category's whole retention for a one-employee read.</summary>
    internal (DateTimeOffset From, DateTimeOffset To) Period(AccessRequest request, CategoryDefinition category)
    {
        var now = clock.GetUtcNow();
        if (request.EmployeeId is null && (request.From is null || request.To is null))
        {
            throw new ArgumentException("A read names an employee, or a period with both from and to.", nameof(request));
        }

        var from = request.From ?? now - category.Retention;
        var to = request.To ?? now + TimeSpan.FromDays(1);
        return from < to ? (from, to) : throw new ArgumentException("to: the period ends before it starts.", nameof(request));
    }

    /// <summary>The stored records of the category in [from, to), for one subject or everyone; none for a subject never enrolled.</summary>
    internal async IAsyncEnumerable<TelemetryRecord> Records(string category, string? surrogate, DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var firstDay = DateOnly.FromDateTime(from.UtcDateTime);
        var lastDay = DateOnly.FromDateTime(to.UtcDateTime);
        var source = surrogate is not null
            ? store.ReadSubjectAsync(surrogate, category, firstDay, lastDay, int.MaxValue, cancellationToken)
            : store.ReadRangeAsync(category, firstDay, lastDay, cancellationToken);
        await foreach (var record in source.ConfigureAwait(false))
        {
            if (record.CapturedAt >= from && record.CapturedAt < to)
            {
                yield return record;
            }
        }
    }

    /// <summary>Decrypts a record, or null when it cannot be (shredded or retired key): such records are counted, never returned.</summary>
    internal async Task<AccessRecord?> TryOpenAsync(TelemetryRecord record, CancellationToken cancellationToken)
    {
        try
        {
            var plaintext = await protector.OpenAsync(record, useCache: true, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(plaintext);
            return new AccessRecord(record.Identity.Subject, record.Identity.Category, record.CapturedAt, document.RootElement.Clone());
        }
        catch (RecordUnreadableException)
        {
            return null;
        }
    }

    internal AuditEvent Event(AuditEventType type, AccessRequest request, string? surrogate, DateTimeOffset from, DateTimeOffset to, IReadOnlyDictionary<string, long> counts) => new()
    {
        Type = type,
        Actor = Actor(request.Principal),
        Purpose = request.Purpose,
        Subject = surrogate,
        Category = request.Category,
        Counts = counts,
        Attributes = new Dictionary<string, string>
        {
            ["from"] = Instant(from),
            ["to"] = Instant(to),
            ["destination"] = request.Destination,
        },
        Hashes = new Dictionary<string, string> { ["query"] = QueryHash(request, surrogate, from, to) },
    };

    /// <summary>Records a refusal decided before the broker's own checks (for example an unauthenticated caller) and throws it.</summary>
    /// <exception cref="AccessDeniedException">Always.</exception>
    public Task RefuseAsync(AccessRequest request, string reason, string message, CancellationToken cancellationToken = default) =>
        DenyAsync(request ?? throw new ArgumentNullException(nameof(request)), null, reason, message, cancellationToken);

    private async Task DenyAsync(AccessRequest request, string? surrogate, string reason, string message, CancellationToken cancellationToken)
    {
        var p = policy.Policy;
        await audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.Deny,
                Actor = Actor(request.Principal),
                Purpose = p.Purposes.ContainsKey(request.Purpose) ? request.Purpose : null,
                Category = p.Categories.ContainsKey(request.Category) ? request.Category : null,
                Subject = surrogate,
                ReasonCode = reason,
                Attributes = new Dictionary<string, string> { ["destination"] = request.Destination },
            },
            cancellationToken).ConfigureAwait(false);
        throw new AccessDeniedException(reason, $"Access denied ({reason}): {message}.");
    }

    /// <summary>The actor of READ/DENY events: <c>principal:NAME</c> for a policy principal, <c>principal:unrecognised</c> otherwise (the text asked with is never recorded).</summary>
    private string Actor(string principal) =>
        policy.Policy.Principals.ContainsKey(principal) ? "principal:" + principal : "principal:unrecognised";

    private static string QueryHash(AccessRequest request, string? surrogate, DateTimeOffset from, DateTimeOffset to) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', request.Principal, request.Purpose, request.Category, surrogate ?? "*", Instant(from), Instant(to)))));

    private static string Instant(DateTimeOffset value) => Time.IsoInstant.Format(value);

    private static string Token(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
