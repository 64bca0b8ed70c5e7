using System.Text.Json;
using System.Text.RegularExpressions;
using Compliance.Core.Policy;

namespace Compliance.Core.Access;

/// <summary>
/// Finds direct identifiers in exported field values (controls PSE-1): the policy's employee-id patterns, and email
/// addresses. Training exports count the records where it finds one, and DATASET_BUILD records the count.
/// </summary>
public sealed partial class DirectIdentifierScanner(ActivePolicy policy)
{
    private readonly IReadOnlyList<Regex> _patterns =
    [
        .. policy.Policy.IdentifierPatterns.Select(p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100))),
        Email(),
    ];

    /// <summary>True when any string value in <paramref name="fields"/>, however deep, looks like a direct identifier.</summary>
    public bool Found(JsonElement fields) => fields.ValueKind switch
    {
        JsonValueKind.String => fields.GetString() is { } text && _patterns.Any(p => p.IsMatch(text)),
        JsonValueKind.Object => fields.EnumerateObject().Any(p => Found(p.Value)),
        JsonValueKind.Array => fields.EnumerateArray().Any(Found),
        _ => false,
    };

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Email();
}
