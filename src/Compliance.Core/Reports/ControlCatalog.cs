using System.Reflection;
using System.Text.Json;

namespace Compliance.Core.Reports;

/// <summary>
/// One control of the catalog: what it requires, the evidence computed from the audit trail and policy
/// registry, the pass rule, and where it maps in each framework. Text is transcribed verbatim from the
/// reference catalog (markdown removed); <see cref="Title"/> is a short label of our own.
/// </summary>
/// <param name="Id">The control id as the catalog spells it, e.g. <c>RET-1</c>.</param>
/// <param name="Title">A short title for report headings.</param>
/// <param name="Statement">The control statement.</param>
/// <param name="Evidence">How the evidence is computed.</param>
/// <param name="PassRule">When the control passes.</param>
/// <param name="Mappings">The mapping text per framework key (see <see cref="ControlCatalog.Frameworks"/>); empty where the catalog has no mapping.</param>
/// <param name="NistPfIds">The NIST Privacy Framework 1.0 subcategory ids in the <c>nistPf</c> mapping, e.g. <c>CT.DM-P5</c>.</param>
/// <param name="AiRmfIds">The NIST AI RMF 1.0 subcategory ids in the <c>nistAiRmf</c> mapping, e.g. <c>MEASURE 2.10</c>.</param>
/// <param name="GdprArticles">The GDPR provisions in the <c>gdpr</c> mapping, one per point, e.g. <c>Art. 30(1)(f)</c>.</param>
public sealed record ControlDefinition(
    string Id,
    string Title,
    string Statement,
    string Evidence,
    string PassRule,
    IReadOnlyDictionary<string, string> Mappings,
    IReadOnlyList<string> NistPfIds,
    IReadOnlyList<string> AiRmfIds,
    IReadOnlyList<string> GdprArticles);

/// <summary>A framework the catalog maps to; <paramref name="Key"/> indexes <see cref="ControlDefinition.Mappings"/>.</summary>
public sealed record FrameworkDefinition(string Key, string Name);

/// <summary>A source cited in the mappings as <c>[Key]</c>, with its citation.</summary>
public sealed record SourceReference(string Key, string Citation);

/// <summary>
/// The control catalog compliance reports are computed against, shipped as the embedded resource
/// <c>Reports/control-catalog.json</c> and read once.
/// </summary>
public sealed class ControlCatalog
{
    private const string CatalogResource = "Compliance.Core.Reports.control-catalog.json";

    private static readonly JsonSerializerOptions ModelOptions = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private static readonly Lazy<ControlCatalog> Shipped = new(Load);

    private readonly Dictionary<string, ControlDefinition> _byId;

    private ControlCatalog(string source, IReadOnlyList<FrameworkDefinition> frameworks, IReadOnlyList<SourceReference> sources, IReadOnlyList<ControlDefinition> controls)
    {
        Source = source;
        Frameworks = frameworks;
        Sources = sources;
        Controls = controls;
        _byId = controls.ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    /// <summary>The catalog shipped with the product.</summary>
    public static ControlCatalog Default => Shipped.Value;

    /// <summary>Where the catalog was transcribed from, and when that was compiled.</summary>
    public string Source { get; }

    /// <summary>The frameworks mapped, in report column order.</summary>
    public IReadOnlyList<FrameworkDefinition> Frameworks { get; }

    /// <summary>Every source key the mappings cite, with its citation.</summary>
    public IReadOnlyList<SourceReference> Sources { get; }

    /// <summary>The controls, in catalog order.</summary>
    public IReadOnlyList<ControlDefinition> Controls { get; }

    /// <summary>The control with the id <paramref name="id"/> (ordinal, as the catalog spells it).</summary>
    /// <exception cref="KeyNotFoundException">The catalog has no such control.</exception>
    public ControlDefinition Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _byId.TryGetValue(id, out var control)
            ? control
            : throw new KeyNotFoundException($"The control catalog has no control '{id}'.");
    }

    private static ControlCatalog Load()
    {
        var document = JsonSerializer.Deserialize<CatalogDocument>(ReadResourceBytes(CatalogResource), ModelOptions)
            ?? throw Invalid("the document is null");

        var frameworkKeys = document.Frameworks.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var controls = new List<ControlDefinition>(document.Controls.Count);
        foreach (var control in document.Controls)
        {
            if (!ids.Add(control.Id))
            {
                throw Invalid($"the control id '{control.Id}' appears twice");
            }

            var unknown = control.Mappings.Keys.FirstOrDefault(k => !frameworkKeys.Contains(k));
            if (unknown is not null)
            {
                throw Invalid($"control '{control.Id}' maps to '{unknown}', which is not a framework key");
            }

            // Copies: the shared Default must not be changeable through a cast to the deserialised collections.
            controls.Add(control with
            {
                Mappings = new Dictionary<string, string>(control.Mappings, StringComparer.Ordinal).AsReadOnly(),
                NistPfIds = [.. control.NistPfIds],
                AiRmfIds = [.. control.AiRmfIds],
                GdprArticles = [.. control.GdprArticles],
            });
        }

        return new ControlCatalog(document.Source, [.. document.Frameworks], [.. document.Sources], controls.AsReadOnly());
    }

    private static InvalidOperationException Invalid(string message) =>
        new($"The embedded resource {CatalogResource} is invalid: {message}.");

    private static byte[] ReadResourceBytes(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {typeof(ControlCatalog).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private sealed record CatalogDocument(
        string Source,
        IReadOnlyList<FrameworkDefinition> Frameworks,
        IReadOnlyList<SourceReference> Sources,
        IReadOnlyList<ControlDefinition> Controls);
}
