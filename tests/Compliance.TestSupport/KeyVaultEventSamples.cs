using System.Text.Json.Nodes;
using Compliance.Core.Keys;

namespace Compliance.TestSupport;

/// <summary>Key Vault events as Event Grid delivers them, shaped like the documentation's samples, in either schema.</summary>
public static class KeyVaultEventSamples
{
    public const string Vault = "contoso-keys";
    public const string SampleVersion = "ee059b2bb5bc48398a53b168c6cdcb10";

    /// <summary>An event in the Event Grid schema about version <paramref name="version"/> of key <paramref name="name"/>.</summary>
    public static JsonObject EventGrid(string type = KeyVaultEventTypes.KeyNearExpiry, string name = "subject-keys", string version = SampleVersion, string objectType = "Key") => new()
    {
        ["id"] = "00eccf70-95a7-4e7c-8299-2eb17ee9ad64",
        ["topic"] = $"/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/{Vault}",
        ["subject"] = name,
        ["eventType"] = type,
        ["eventTime"] = "2026-11-23T10:00:00.4589254Z",
        ["data"] = Data(name, version, objectType),
        ["dataVersion"] = "1",
        ["metadataVersion"] = "1",
    };

    /// <summary>The same in the CloudEvents 1.0 schema.</summary>
    public static JsonObject CloudEvent(string type = KeyVaultEventTypes.KeyExpired, string name = "subject-keys", string version = SampleVersion, string objectType = "Key") => new()
    {
        ["specversion"] = "1.0",
        ["id"] = "9a1f2c3d-0000-4000-8000-000000000001",
        ["source"] = $"/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/{Vault}",
        ["subject"] = name,
        ["type"] = type,
        ["time"] = "2026-11-23T10:00:00Z",
        ["data"] = Data(name, version, objectType),
    };

    /// <summary>The parsed form of <paramref name="node"/>, which must hold exactly one event.</summary>
    public static KeyVaultEvent Parse(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var events = KeyVaultEvent.ParseAll(System.Text.Encoding.UTF8.GetBytes(node.ToJsonString()));
        return events.Count == 1 ? events[0] : throw new ArgumentException($"expected one event, found {events.Count}", nameof(node));
    }

    private static JsonObject Data(string name, string version, string objectType) => new()
    {
        ["Id"] = $"https://{Vault}.vault.azure.net/{objectType.ToLowerInvariant()}s/{name}/{version}",
        ["VaultName"] = Vault,
        ["ObjectType"] = objectType,
        ["ObjectName"] = name,
        ["Version"] = version,
        ["NBF"] = 1_795_000_000,
        ["EXP"] = 1_797_600_000,
    };
}
