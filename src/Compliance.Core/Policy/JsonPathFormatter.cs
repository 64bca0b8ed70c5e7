using System.Text;

namespace Compliance.Core.Policy;

/// <summary>Turns a JSON Pointer (<c>/categories/transcript/retentionDays</c>) into the JSON path people read (<c>$.categories.transcript.retentionDays</c>).</summary>
internal static class JsonPathFormatter
{
    public static string FromPointer(string pointer)
    {
        var path = new StringBuilder("$");
        if (string.IsNullOrEmpty(pointer) || pointer == "/")
        {
            return path.ToString();
        }

        foreach (var raw in pointer.TrimStart('/').Split('/'))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            Append(path, segment);
        }

        return path.ToString();
    }

    public static string Child(string parent, string name)
    {
        var path = new StringBuilder(parent);
        AppendName(path, name);
        return path.ToString();
    }

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    private static void Append(StringBuilder path, string segment)
    {
        if (segment.Length > 0 && segment.All(char.IsAsciiDigit))
        {
            path.Append('[').Append(segment).Append(']');
        }
        else
        {
            AppendName(path, segment);
        }
    }

    private static void AppendName(StringBuilder path, string name)
    {
        if (name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            path.Append('.').Append(name);
        }
        else
        {
            path.Append("['").Append(name.Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
        }
    }
}
