using System.Text.Json;
using Json.Schema;

namespace Compliance.Core.Policy;

/// <summary>The policy registry (DESIGN section 3), as read from a document that passed validation.</summary>
public sealed class CompliancePolicy
{
    public required string PolicyId { get; init; }

    public required string Owner { get; init; }

    public string? Description { get; init; }

    /// <summary>Regular expressions matching the organisation's direct identifiers, such as employee numbers.</summary>
    public IReadOnlyList<string> IdentifierPatterns { get; init; } = [];

    public required IReadOnlyDictionary<string, KeyScopeDefinition> KeyScopes { get; init; }

    public required IReadOnlyDictionary<string, CategoryDefinition> Categories { get; init; }

    public required IReadOnlyDictionary<string, PurposeDefinition> Purposes { get; init; }

    public required IReadOnlyDictionary<string, PrincipalDefinition> Principals { get; init; }

    public required IReadOnlyList<GrantDefinition> Grants { get; init; }

    public required IReadOnlyList<NoticeDefinition> Notices { get; init; }

    public required IReadOnlyDictionary<string, MonitoringWindowDefinition> MonitoringWindows { get; init; }

    public required RotationDefinition Rotation { get; init; }

    public required SlaDefinition Slas { get; init; }

    /// <summary>The purposes that may read <paramref name="category"/>, derived from each purpose's category list.</summary>
    public IEnumerable<string> AllowedPurposes(string category) =>
        Purposes.Where(p => p.Value.Categories.Contains(category, StringComparer.Ordinal)).Select(p => p.Key);
}

public sealed class KeyScopeDefinition
{
    public required string Description { get; init; }
}

public sealed class CategoryDefinition
{
    private JsonSchema? _compiledFieldSchema;

    public required string Description { get; init; }

    public required string Owner { get; init; }

    public required string LawfulBasis { get; init; }

    public required IReadOnlyList<string> AllowedFields { get; init; }

    /// <summary>True when records may carry free text, which passes PII redaction before storage.</summary>
    public required bool ContainsContent { get; init; }

    public required int RetentionDays { get; init; }

    public required string KeyScope { get; init; }

    /// <summary>The window outside which collection is refused; null for data that does not come from the employee's device.</summary>
    public string? MonitoringWindow { get; init; }

    /// <summary>The most distinct principals that may hold a grant on this category.</summary>
    public required int ReaderCap { get; init; }

    /// <summary>The event schema version <see cref="FieldSchema"/> describes.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>The JSON Schema of the event's <c>fields</c> object (types and bounds of the allowed fields).</summary>
    public required JsonElement FieldSchema { get; init; }

    /// <summary>True when the category feeds an AI pipeline: its data is training data (controls.md PUR-2).</summary>
    public bool IsTrainingData => Pipelines.Count > 0;

    /// <summary><see cref="FieldSchema"/>, built once.</summary>
    public JsonSchema CompiledFieldSchema => _compiledFieldSchema ??= JsonSchema.Build(FieldSchema);

    public required IReadOnlyList<string> Pipelines { get; init; }

    public string? Rationale { get; init; }

    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);
}

public sealed class PurposeDefinition
{
    public required string Description { get; init; }

    public required IReadOnlyList<string> Categories { get; init; }

    public required bool IndividualDecisions { get; init; }

    /// <summary>What the purpose is for (hr, performance, training, …).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Tags that mean the purpose informs employment decisions about an individual.</summary>
    public static readonly IReadOnlySet<string> EmploymentDecisionTags = new HashSet<string>(["hr", "performance", "discipline", "compensation"], StringComparer.Ordinal);

    /// <summary>True when reads under this purpose inform employment decisions (controls.md PUR-2).</summary>
    public bool InformsEmploymentDecisions => Tags.Any(EmploymentDecisionTags.Contains);

    public string? Rationale { get; init; }
}

public sealed class PrincipalDefinition
{
    public required string Kind { get; init; }

    public required string Description { get; init; }
}

public sealed class GrantDefinition
{
    public required string Principal { get; init; }

    public required string Purpose { get; init; }

    public required IReadOnlyList<string> Categories { get; init; }

    public required string ApprovedBy { get; init; }

    public required DateTimeOffset ValidFrom { get; init; }

    public required DateTimeOffset ValidUntil { get; init; }

    public bool IsActiveAt(DateTimeOffset instant) => instant >= ValidFrom && instant < ValidUntil;
}

public sealed class NoticeDefinition
{
    public required string Version { get; init; }

    public required DateTimeOffset PublishedAt { get; init; }

    public required IReadOnlyList<string> Categories { get; init; }

    public Uri? Url { get; init; }
}

public sealed class MonitoringWindowDefinition
{
    public string? Description { get; init; }

    public required string TimeZone { get; init; }

    public required IReadOnlyList<string> Days { get; init; }

    public required string Start { get; init; }

    public required string End { get; init; }

    /// <summary>True when <paramref name="instant"/>, in the window's time zone, falls on one of its days, at or after the start and before the end.</summary>
    public bool Contains(DateTimeOffset instant)
    {
        var window = _parsed ??= new ParsedWindow(
            TimeZoneInfo.FindSystemTimeZoneById(TimeZone),
            [.. Days.Select(d => Enum.Parse<DayOfWeek>(d, ignoreCase: true))],
            TimeOnly.ParseExact(Start, "HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            TimeOnly.ParseExact(End, "HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        var local = TimeZoneInfo.ConvertTime(instant, window.Zone);
        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        return window.Days.Contains(local.DayOfWeek) && time >= window.Start && time < window.End;
    }

    /// <summary>The window parsed once (ingestion asks for every event).</summary>
    private ParsedWindow? _parsed;

    private sealed record ParsedWindow(TimeZoneInfo Zone, HashSet<DayOfWeek> Days, TimeOnly Start, TimeOnly End);
}

public sealed class RotationDefinition
{
    public required int SubjectKeyDays { get; init; }

    public required int RootKeyDays { get; init; }

    public string? Rationale { get; init; }
}

public sealed class SlaDefinition
{
    public required int ErasureP95Hours { get; init; }

    public required int ErasureMaxDays { get; init; }

    public required int PurgeLagHours { get; init; }

    public required int PauseHours { get; init; }

    public string? Rationale { get; init; }
}
