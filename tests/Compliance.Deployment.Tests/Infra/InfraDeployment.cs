using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Compliance.Deployment.Tests.Arm;
using Compliance.Core.Setup;
using Compliance.Storage;

namespace Compliance.Deployment.Tests.Infra;

/// <summary>What deploying infra/main.bicep with its default parameters would create, evaluated once per test run.</summary>
public static partial class InfraDeployment
{
    private static readonly Lazy<Task<Snapshot>> Cached = new(async () =>
    {
        var template = await InfraTemplates.MainTemplateAsync();
        return new Snapshot(template, [.. DeployedResource.All(template)]);
    });

    public static Task<Snapshot> GetAsync() => Cached.Value;

    public sealed class Snapshot(ArmTemplate template, IReadOnlyList<DeployedResource> resources)
    {
        public ArmTemplate Template { get; } = template;

        /// <summary>Every resource declared, conditional ones included whatever their condition.</summary>
        public IReadOnlyList<DeployedResource> Declared { get; } = resources;

        /// <summary>What the default parameters deploy: the declared resources whose condition is not false.</summary>
        public IReadOnlyList<DeployedResource> Resources { get; } = [.. resources.Where(r => r.Condition != false)];

        public IEnumerable<DeployedResource> OfType(string type) => Resources.Where(r => r.IsOfType(type));

        public DeployedResource One(string type) => Assert.Single(OfType(type));

        public DeployedResource FunctionApp => One("Microsoft.Web/sites");

        /// <summary>The function app's settings, evaluated (<c>{…}</c> marks what Azure fills in at deployment).</summary>
        public IReadOnlyDictionary<string, object?> AppSettings =>
            ((List<object?>)FunctionApp.Get("properties.siteConfig.appSettings")!)
                .Cast<Dictionary<string, object?>>()
                .ToDictionary(s => (string)s["name"]!, s => s["value"], StringComparer.Ordinal);

        /// <summary>The account the app calls operational (<c>COMPLIANCE_STORAGE</c>).</summary>
        public string OperationalAccount => ArmEvaluator.Text(AppSettings[StorageOptions.EnvironmentVariable]);

        /// <summary>The account the app keeps its audit trail in (<c>COMPLIANCE_AUDIT_STORAGE</c>).</summary>
        public string AuditAccount => ArmEvaluator.Text(AppSettings[StorageOptions.AuditEnvironmentVariable]);

        public string AccountName(StorageAccountRole role) => role == StorageAccountRole.Audit ? AuditAccount : OperationalAccount;

        /// <summary>The last path segments of the resources of <paramref name="type"/> in <paramref name="account"/> (e.g. table names).</summary>
        public IReadOnlyList<string> NamesIn(string account, string type) =>
            [.. OfType(type).Where(r => r.Name.StartsWith(account + "/", StringComparison.Ordinal)).Select(r => r.ShortName).Order(StringComparer.Ordinal)];
    }

    /// <summary>A call of ARM's list*() functions (listKeys, listSecrets, listConnectionStrings…): how a template reads a key or secret.</summary>
    [GeneratedRegex(@"\blist[A-Za-z]*\s*\(", RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    public static partial Regex ListFunction();

    /// <summary>Every string in <paramref name="node"/> (keys and values), to search for functions and parameters.</summary>
    public static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Strings(p.Value).Prepend(p.Key)),
        JsonArray array => array.SelectMany(Strings),
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        _ => [],
    };
}
