using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compliance.Deployment.Tests.Arm;

/// <summary>
/// Evaluates the ARM template expressions a compiled Bicep template holds, as far as the templates alone decide them,
/// so tests can check what a deployment will create and grant: <c>parameters</c> (through module bindings up to the
/// top-level defaults), <c>variables</c>, <c>copyIndex</c>, <c>format</c>, <c>concat</c>, <c>length</c>,
/// <c>createArray</c>, <c>toLower</c>, <c>toUpper</c>, <c>if</c>, <c>not</c>, <c>empty</c>, <c>true</c>, <c>false</c>, <c>null</c>, <c>resourceId</c> and its subscription and extension forms, and
/// property access and indexing, and <c>reference(…deployments/NAME…).outputs.X.value</c> of a module deployed by the same
/// template (its output, evaluated in the module). What only Azure knows at deployment time (<c>reference</c>, <c>uniqueString</c>,
/// <c>subscription</c>, <c>guid</c>, a top-level parameter without a default…) evaluates to an opaque
/// <see cref="Symbol"/> naming the expression, so two values are equal exactly when the templates make them equal.
/// </summary>
public static class ArmEvaluator
{
    private const int MaxDepth = 64;

    /// <summary>A value only Azure knows at deployment time, named by the expression that computes it.</summary>
    public sealed record Symbol(string Text)
    {
        public override string ToString() => "{" + Text + "}";
    }

    /// <summary>
    /// The value of <paramref name="value"/> declared in <paramref name="template"/>: a literal as is, an expression
    /// evaluated; objects and arrays are evaluated member by member. Strings come back as <see cref="string"/>, numbers
    /// as <see cref="long"/>, booleans as <see cref="bool"/>, arrays as <c>List&lt;object?&gt;</c>, objects as
    /// <c>Dictionary&lt;string, object?&gt;</c> (case-insensitive), and what Azure decides as <see cref="Symbol"/>.
    /// </summary>
    public static object? Evaluate(ArmTemplate template, JsonNode? value, int? copyIndex = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        return Node(new Context(template, copyIndex, 0), value);
    }

    /// <summary>The value as text: strings as they are, symbols as <c>{expression}</c>, anything else as JSON.</summary>
    public static string Text(object? value) => value switch
    {
        null => "null",
        string s => s,
        Symbol symbol => symbol.ToString(),
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        List<object?> list => "[" + string.Join(", ", list.Select(Text)) + "]",
        Dictionary<string, object?> map => "{" + string.Join(", ", map.Select(p => p.Key + ": " + Text(p.Value))) + "}",
        _ => value.ToString() ?? "",
    };

    /// <summary><c>reference()</c> of a module's deployment, or of its outputs, or of one output: read on by property access.</summary>
    private sealed record DeploymentReference(Context Context, ArmTemplate Module, string? Output, bool Outputs);

    private sealed record Context(ArmTemplate Template, int? CopyIndex, int Depth)
    {
        public Context Deeper(ArmTemplate template, int? copyIndex = null) =>
            Depth > MaxDepth ? throw new InvalidOperationException("ARM expressions nest too deeply to evaluate.") : new(template, copyIndex, Depth + 1);
    }

    private static object? Node(Context context, JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => Node(context, p.Value), StringComparer.OrdinalIgnoreCase),
        JsonArray array => array.Select(item => Node(context, item)).ToList(),
        JsonValue scalar => scalar.GetValueKind() switch
        {
            JsonValueKind.String => StringValue(context, scalar.GetValue<string>()),
            JsonValueKind.Number => scalar.GetValue<long>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        },
        _ => null,
    };

    private static object? StringValue(Context context, string text)
    {
        if (!text.StartsWith('[') || !text.EndsWith(']'))
        {
            return text;
        }

        if (text.StartsWith("[[", StringComparison.Ordinal))
        {
            return text[1..];
        }

        var parser = new Parser(context, text[1..^1]);
        var value = parser.Expression();
        parser.End();
        return value;
    }

    private static object? Parameter(Context context, string name)
    {
        var template = context.Template;
        if (template.Parent is { } parent && template.ParameterBindings.TryGetValue(name, out var binding))
        {
            return binding.TryGetPropertyValue("value", out var bound)
                ? Node(context.Deeper(parent), bound)
                : new Symbol($"keyVaultReference('{name}')");
        }

        return template.Parameters.TryGetValue(name, out var parameter) && parameter.HasDefaultValue
            ? Node(context.Deeper(template, context.CopyIndex), parameter.DefaultValue)
            : new Symbol($"parameters('{name}')");
    }

    private static object? Variable(Context context, string name) =>
        context.Template.Json["variables"] is JsonObject variables && variables.TryGetPropertyValue(name, out var value)
            ? Node(context.Deeper(context.Template, context.CopyIndex), value)
            : throw new InvalidOperationException($"Variable '{name}' is not declared in {context.Template}.");

    private static object? Call(Context context, string function, List<object?> args)
    {
        var symbol = new Symbol($"{function}({string.Join(", ", args.Select(Inner))})");
        switch (function.ToUpperInvariant())
        {
            case "PARAMETERS":
                return Parameter(context, (string)args[0]!);
            case "VARIABLES":
                return Variable(context, (string)args[0]!);
            case "COPYINDEX":
                return context.CopyIndex is { } index
                    ? index + (args.Count > 0 && args[^1] is long offset ? offset : 0)
                    : symbol;
            case "FORMAT":
                return Format(args);
            case "CONCAT":
                return args.All(a => a is List<object?>) ? args.SelectMany(a => (List<object?>)a!).ToList() : string.Concat(args.Select(Text));
            case "CREATEARRAY":
                return args;
            case "LENGTH":
                return args[0] switch
                {
                    List<object?> list => (long)list.Count,
                    string s => (long)s.Length,
                    Dictionary<string, object?> map => (long)map.Count,
                    _ => symbol,
                };
            case "TOLOWER":
                return args[0] is string lower ? lower.ToLowerInvariant() : symbol;
            case "TOUPPER":
                return args[0] is string upper ? upper.ToUpperInvariant() : symbol;
            case "REFERENCE":
                return args.Count > 0 && args[0] is string id && Module(context, id) is { } module
                    ? new DeploymentReference(context, module, Output: null, Outputs: false)
                    : symbol;
            case "TRUE":
                return true;
            case "FALSE":
                return false;
            case "NULL":
                return null;
            case "IF":
                return args[0] is bool condition ? (condition ? args[1] : args[2]) : symbol;
            case "NOT":
                return args[0] is bool b ? !b : symbol;
            case "EMPTY":
                return args[0] switch
                {
                    null => true,
                    string text => text.Length == 0,
                    List<object?> list => list.Count == 0,
                    Dictionary<string, object?> map => map.Count == 0,
                    _ => symbol,
                };
            case "RESOURCEID":
            case "SUBSCRIPTIONRESOURCEID":
            case "TENANTRESOURCEID":
            case "EXTENSIONRESOURCEID":
                return ResourceId(args);
            default:
                return symbol;
        }
    }

    /// <summary>An argument inside a symbol's text: strings quoted as ARM writes them, symbols as their expression.</summary>
    private static string Inner(object? value) => value switch
    {
        string s => "'" + s + "'",
        Symbol symbol => symbol.Text,
        _ => Text(value),
    };

    /// <summary>
    /// <c>resourceId(…, type, name1, name2…)</c> as the end of the id Azure builds, <c>Provider/type1/name1/type2/name2</c>
    /// (the same text a Bicep <c>scope:</c> on a resource compiles to), without the subscription and group Azure fills in.
    /// </summary>
    private static object? ResourceId(List<object?> args)
    {
        var typeIndex = args.FindIndex(a => a is string s && s.Contains('/', StringComparison.Ordinal) && s.Split('/')[0].Contains('.', StringComparison.Ordinal) && !s.StartsWith('/'));
        if (typeIndex < 0)
        {
            return new Symbol("resourceId(" + string.Join(", ", args.Select(Text)) + ")");
        }

        var type = ((string)args[typeIndex]!).Split('/');
        var names = args.Skip(typeIndex + 1).Select(Text).ToList();
        var parts = new List<string> { type[0] };
        for (var i = 1; i < type.Length; i++)
        {
            parts.Add(type[i]);
            if (i - 1 < names.Count)
            {
                parts.Add(names[i - 1]);
            }
        }

        return string.Join("/", parts);
    }

    private static string Format(List<object?> args)
    {
        var format = Text(args[0]);
        var builder = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] == '{' && i + 1 < format.Length && format[i + 1] == '{')
            {
                builder.Append('{');
                i++;
            }
            else if (format[i] == '}' && i + 1 < format.Length && format[i + 1] == '}')
            {
                builder.Append('}');
                i++;
            }
            else if (format[i] == '{')
            {
                var end = format.IndexOf('}', i);
                var index = int.Parse(format[(i + 1)..end].Split(':')[0], CultureInfo.InvariantCulture);
                builder.Append(Text(args[index + 1]));
                i = end;
            }
            else
            {
                builder.Append(format[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>The module this template deploys under the id <c>…Microsoft.Resources/deployments/NAME</c>, if any.</summary>
    private static ArmTemplate? Module(Context context, string id)
    {
        const string prefix = ArmResource.DeploymentType + "/";
        var at = id.LastIndexOf(prefix, StringComparison.OrdinalIgnoreCase);
        return at < 0
            ? null
            : context.Template.Modules.FirstOrDefault(m => m.Deployment!.Name.Equals(id[(at + prefix.Length)..], StringComparison.OrdinalIgnoreCase));
    }

    private static object? Member(object? target, object? key, string source) => (target, key) switch
    {
        (DeploymentReference { Outputs: false, Output: null } reference, "outputs") => reference with { Outputs = true },
        (DeploymentReference { Outputs: true, Output: null } reference, string output) => reference with { Output = output },
        (DeploymentReference { Output: { } output } reference, "value") => reference.Module.Outputs.TryGetValue(output, out var declared)
            ? Node(reference.Context.Deeper(reference.Module), declared.Value)
            : throw new InvalidOperationException($"'{source}' reads output '{output}', which {reference.Module} does not declare."),
        (Dictionary<string, object?> map, string name) => map.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"'{source}' reads property '{name}', which is not there."),
        (List<object?> list, long index) => list[(int)index],
        (Symbol symbol, string name) => new Symbol($"{symbol.Text}.{name}"),
        (Symbol symbol, _) => new Symbol($"{symbol.Text}[{Inner(key)}]"),
        _ => new Symbol(source),
    };

    /// <summary>A recursive-descent parser of one expression: calls, string and number literals, <c>.name</c>, <c>[index]</c>.</summary>
    private sealed class Parser(Context context, string text)
    {
        private int _position;

        public object? Expression()
        {
            var start = _position;
            var value = Primary();
            while (true)
            {
                SkipSpace();
                if (Peek('.'))
                {
                    _position++;
                    var name = Identifier();
                    value = Member(value, name, text[start.._position]);
                }
                else if (Peek('['))
                {
                    _position++;
                    var index = Expression();
                    Expect(']');
                    value = Member(value, index, text[start.._position]);
                }
                else
                {
                    return value;
                }
            }
        }

        public void End()
        {
            SkipSpace();
            if (_position != text.Length)
            {
                throw new FormatException($"Unexpected '{text[_position..]}' in ARM expression '[{text}]'.");
            }
        }

        private object? Primary()
        {
            SkipSpace();
            if (Peek('\''))
            {
                return StringLiteral();
            }

            if (_position < text.Length && (char.IsDigit(text[_position]) || text[_position] == '-'))
            {
                var start = _position++;
                while (_position < text.Length && char.IsDigit(text[_position]))
                {
                    _position++;
                }

                return long.Parse(text[start.._position], CultureInfo.InvariantCulture);
            }

            var name = Identifier();
            if (name is "true" or "false" && !Peek('('))
            {
                return name == "true";
            }

            Expect('(');
            var args = new List<object?>();
            SkipSpace();
            if (!Peek(')'))
            {
                args.Add(Expression());
                SkipSpace();
                while (Peek(','))
                {
                    _position++;
                    args.Add(Expression());
                    SkipSpace();
                }
            }

            Expect(')');
            return Call(context, name, args);
        }

        private string StringLiteral()
        {
            Expect('\'');
            var builder = new StringBuilder();
            while (true)
            {
                if (_position >= text.Length)
                {
                    throw new FormatException($"Unterminated string in ARM expression '[{text}]'.");
                }

                if (text[_position] == '\'')
                {
                    if (_position + 1 < text.Length && text[_position + 1] == '\'')
                    {
                        builder.Append('\'');
                        _position += 2;
                        continue;
                    }

                    _position++;
                    return builder.ToString();
                }

                builder.Append(text[_position++]);
            }
        }

        private string Identifier()
        {
            SkipSpace();
            var start = _position;
            while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] is '_' or '$' or '#'))
            {
                _position++;
            }

            return _position > start ? text[start.._position] : throw new FormatException($"Expected a name at {_position} in ARM expression '[{text}]'.");
        }

        private bool Peek(char c) => _position < text.Length && text[_position] == c;

        private void Expect(char c)
        {
            SkipSpace();
            if (!Peek(c))
            {
                throw new FormatException($"Expected '{c}' at {_position} in ARM expression '[{text}]'.");
            }

            _position++;
        }

        private void SkipSpace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }
    }
}
