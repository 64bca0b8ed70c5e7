using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Json.Schema;

namespace Compliance.Core.Policy;

/// <summary>
/// Reads a policy document: well-formed JSON, then the JSON Schema, then the cross-references the schema
/// cannot express (a purpose naming an unknown category, a grant beyond a category's reader cap, ...).
/// Every problem found is reported with the file and the JSON path it sits at.
/// </summary>
public static class PolicyDocument
{
    /// <summary>The name under which the shipped default policy is reported.</summary>
    public const string DefaultSource = "default-policy.json (built in)";

    private const string SchemaResource = "Compliance.Core.Policy.policy.schema.json";
    private const string DefaultPolicyResource = "Compliance.Core.Policy.default-policy.json";
    private const int MaxDocumentBytes = 1024 * 1024;

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(ReadResourceText(SchemaResource)));

    private static readonly JsonSerializerOptions ModelOptions = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>The JSON Schema every policy document must satisfy, as shipped with the product.</summary>
    public static string SchemaText => ReadResourceText(SchemaResource);

    /// <summary>The bytes of the shipped default policy.</summary>
    public static ReadOnlyMemory<byte> DefaultPolicyBytes => ReadResourceBytes(DefaultPolicyResource);

    /// <summary>Loads the shipped default policy.</summary>
    public static ActivePolicy LoadDefault() => Parse(DefaultPolicyBytes.Span, DefaultSource);

    /// <summary>Loads and validates the policy file at <paramref name="path"/>.</summary>
    /// <exception cref="PolicyValidationException">The file is missing, unreadable or invalid.</exception>
    public static ActivePolicy LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw Refuse(path, "$", "the file does not exist");
            }

            if (info.Length > MaxDocumentBytes)
            {
                throw Refuse(path, "$", $"the file is {info.Length} bytes; a policy may be at most {MaxDocumentBytes} bytes");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Refuse(path, "$", $"the file cannot be read: {ex.Message}");
        }

        return Parse(bytes, path);
    }

    /// <summary>Validates a policy document held in memory; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="PolicyValidationException">The document is invalid.</exception>
    public static ActivePolicy Parse(ReadOnlySpan<byte> utf8Json, string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        var version = Convert.ToHexStringLower(SHA256.HashData(utf8Json));
        using var document = ParseJson(utf8Json, source);

        var schemaErrors = EvaluateSchema(document.RootElement, source);
        if (schemaErrors.Count > 0)
        {
            throw new PolicyValidationException(schemaErrors);
        }

        var policy = document.RootElement.Deserialize<CompliancePolicy>(ModelOptions)
            ?? throw Refuse(source, "$", "the document is null");

        var referenceErrors = PolicyReferenceValidator.Validate(policy, source);
        if (referenceErrors.Count > 0)
        {
            throw new PolicyValidationException(referenceErrors);
        }

        return new ActivePolicy(policy, version, source);
    }

    private static JsonDocument ParseJson(ReadOnlySpan<byte> utf8Json, string source)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            throw Refuse(source, ex.Path ?? "$", $"malformed JSON at line {line}, column {column}: {TrimReaderPosition(ex.Message)}");
        }
    }

    private static List<PolicyError> EvaluateSchema(JsonElement root, string source)
    {
        var results = Schema.Value.Evaluate(root, new EvaluationOptions
        {
            OutputFormat = OutputFormat.List,
            RequireFormatValidation = true,
        });
        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<PolicyError>();
        var seen = new HashSet<(string, string)>();
        foreach (var detail in (results.Details ?? []).Prepend(results))
        {
            if (detail.Errors is null)
            {
                continue;
            }

            var path = JsonPathFormatter.FromPointer(detail.InstanceLocation.ToString());
            foreach (var (keyword, message) in detail.Errors)
            {
                var text = keyword == "false" || message.Contains("false schema", StringComparison.OrdinalIgnoreCase)
                    ? "this property is not allowed here"
                    : message;
                if (seen.Add((path, text)))
                {
                    errors.Add(new PolicyError(source, path, text));
                }
            }
        }

        if (errors.Count == 0)
        {
            errors.Add(new PolicyError(source, "$", "the document does not match the policy schema"));
        }

        return errors;
    }

    private static PolicyValidationException Refuse(string source, string path, string message) =>
        new([new PolicyError(source, path, message)]);

    private static string TrimReaderPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }

    private static string ReadResourceText(string name) => System.Text.Encoding.UTF8.GetString(ReadResourceBytes(name).Span);

    private static ReadOnlyMemory<byte> ReadResourceBytes(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {typeof(PolicyDocument).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
