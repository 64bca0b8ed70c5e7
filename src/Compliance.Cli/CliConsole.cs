using System.Text.Json;
using System.Text.Json.Serialization;

namespace Compliance.Cli;

/// <summary>Where a command writes: a stable JSON document with <c>--json</c>, readable text otherwise; errors always to stderr.</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error, bool interactive = false)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public void WriteJson<T>(T document) => Out.WriteLine(JsonSerializer.Serialize(document, JsonOptions));

    public void WriteError(string message) => Error.WriteLine($"error: {message}");

    /// <summary>Progress of a long run, on stderr, only when stderr is a terminal (so logs and pipes stay clean).</summary>
    public void Progress(string message)
    {
        if (interactive)
        {
            Error.Write($"\r{message}\u001b[K");
        }
    }

    /// <summary>Ends a progress line, if one was written.</summary>
    public void EndProgress()
    {
        if (interactive)
        {
            Error.WriteLine();
        }
    }
}
