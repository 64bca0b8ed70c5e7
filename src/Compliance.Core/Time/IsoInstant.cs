using System.Globalization;
using System.Text.RegularExpressions;

namespace Compliance.Core.Time;

/// <summary>
/// ISO-8601 instants as every host accepts them: a date, a time and an explicit offset (<c>Z</c> or <c>±hh:mm</c>).
/// A value without an offset is refused rather than guessed: the same text must mean the same instant on every machine.
/// </summary>
public static partial class IsoInstant
{
    public const string Example = "2026-12-01T02:00:00Z";

    public static bool TryParse(string? value, out DateTimeOffset instant)
    {
        instant = default;
        if (value is null || !Shape().IsMatch(value)
            || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        instant = parsed.ToUniversalTime();
        return true;
    }

    /// <summary>The instant in UTC to the second, as audit attributes and outputs carry it (for example <c>2026-12-01T02:00:00Z</c>).</summary>
    public static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?([Zz]|[+-]\d{2}:?\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
