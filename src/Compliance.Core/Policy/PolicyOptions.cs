namespace Compliance.Core.Policy;

/// <summary>Where the policy document comes from. No path means the shipped default policy.</summary>
public sealed class PolicyOptions
{
    public const string SectionName = "Compliance:Policy";

    /// <summary>Path of a policy JSON file; null or empty selects the built-in default policy.</summary>
    public string? Path { get; set; }
}
