using System.Globalization;
using System.Text;

namespace Compliance.Core.Telemetry;

/// <summary>
/// Where telemetry records live (DESIGN section 5): one table per category and UTC day of capture, so the
/// nightly purge drops whole expired days in O(1) and deletes rows only in the one boundary day, and a
/// subject's records in a table form one partition (their surrogate). Names are
/// <c>t</c> + the category's letters and digits (at most <see cref="MaxCategoryPart"/>) + <c>yyyyMMdd</c>,
/// before the environment's suffix; the policy validator refuses two categories that would share a name.
/// </summary>
public static class TelemetryLayout
{
    public const string TablePrefix = "t";
    public const int MaxCategoryPart = 38; // t + 38 + yyyyMMdd + a 16-character environment suffix = 63, the longest table name

    /// <summary>The base name of the table holding <paramref name="category"/> records captured on <paramref name="day"/> (UTC).</summary>
    public static string TableName(string category, DateOnly day) =>
        TablePrefix + CategoryPart(category) + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The table for a record captured at <paramref name="capturedAt"/>.</summary>
    public static string TableName(string category, DateTimeOffset capturedAt) =>
        TableName(category, DateOnly.FromDateTime(capturedAt.UtcDateTime));

    /// <summary>The part of every table name of <paramref name="category"/> before the date: lowercase letters and digits.</summary>
    public static string CategoryPart(string category)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        var part = new StringBuilder(category.Length);
        foreach (var c in category.Where(char.IsAsciiLetterOrDigit))
        {
            part.Append(char.ToLowerInvariant(c));
        }

        return part.Length > MaxCategoryPart ? part.ToString(0, MaxCategoryPart) : part.ToString();
    }

    /// <summary>The day a base table name holds, when it is a table of <paramref name="category"/>; null otherwise.</summary>
    public static DateOnly? DayOf(string category, string baseName)
    {
        ArgumentNullException.ThrowIfNull(baseName);
        var prefix = TablePrefix + CategoryPart(category);
        return baseName.Length == prefix.Length + 8
            && baseName.StartsWith(prefix, StringComparison.Ordinal)
            && DateOnly.TryParseExact(baseName.AsSpan(prefix.Length), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;
    }
}
