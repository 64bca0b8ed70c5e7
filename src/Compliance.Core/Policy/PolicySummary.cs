namespace Compliance.Core.Policy;

/// <summary>What a policy says, in the shape both hosts print: its identity and version, and each category's terms.</summary>
public sealed record PolicySummary(string PolicyId, string Version, string Source, IReadOnlyList<CategorySummary> Categories)
{
    public static PolicySummary From(ActivePolicy active)
    {
        ArgumentNullException.ThrowIfNull(active);
        var policy = active.Policy;
        return new PolicySummary(
            policy.PolicyId,
            active.Version,
            active.Source,
            [.. policy.Categories
                .OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => new CategorySummary(
                    c.Key,
                    c.Value.RetentionDays,
                    c.Value.KeyScope,
                    c.Value.ContainsContent,
                    [.. policy.AllowedPurposes(c.Key).Order(StringComparer.Ordinal)]))]);
    }
}

public sealed record CategorySummary(string Name, int RetentionDays, string KeyScope, bool ContainsContent, IReadOnlyList<string> AllowedPurposes);
