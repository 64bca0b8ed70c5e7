using System.Text;
using System.Text.Json.Nodes;
using Compliance.Core.Keys;
using Compliance.TestSupport;
using static Compliance.TestSupport.KeyVaultEventSamples;

namespace Compliance.Core.Tests.Keys;

public sealed class KeyVaultEventTests
{
    private const string Version = KeyVaultEventSamples.SampleVersion;

    [Fact]
    public void ParseAll_EventGridSchema_ReadsEnvelopeAndData()
    {
        var parsed = Assert.Single(ParseAll(EventGrid()));

        Assert.Equal(KeyVaultEventSchema.EventGrid, parsed.Schema);
        Assert.Equal("00eccf70-95a7-4e7c-8299-2eb17ee9ad64", parsed.Id);
        Assert.True(parsed.Is(KeyVaultEventTypes.KeyNearExpiry));
        Assert.Equal("subject-keys", parsed.Subject);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero).AddTicks(4_589_254), parsed.Time);
        var data = parsed.Data!;
        Assert.Equal(("contoso-keys", "subject-keys", Version), (data.VaultName, data.ObjectName, data.Version));
        Assert.True(data.IsKey);
        Assert.Equal($"https://contoso-keys.vault.azure.net/keys/subject-keys/{Version}", data.Id);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_795_000_000), data.NotBefore);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_797_600_000), data.Expires);
    }

    [Fact]
    public void ParseAll_CloudEventsSchema_ReadsEnvelopeAndData()
    {
        var parsed = Assert.Single(ParseAll(CloudEvent()));

        Assert.Equal(KeyVaultEventSchema.CloudEvents, parsed.Schema);
        Assert.Equal("9a1f2c3d-0000-4000-8000-000000000001", parsed.Id);
        Assert.True(parsed.Is(KeyVaultEventTypes.KeyExpired));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), parsed.Time);
        Assert.Equal(Version, parsed.Data!.Version);
    }

    [Fact]
    public void ParseAll_ArrayOfEventsInBothSchemas_OneEventEach()
    {
        var parsed = ParseAll(new JsonArray(EventGrid(), CloudEvent(name: "audit-seal")));

        Assert.Equal([KeyVaultEventSchema.EventGrid, KeyVaultEventSchema.CloudEvents], parsed.Select(e => e.Schema));
        Assert.Equal(["subject-keys", "audit-seal"], parsed.Select(e => e.Data!.ObjectName));
    }

    [Fact]
    public void ParseAll_PropertyNamesInAnotherCase_Read()
    {
        var node = EventGrid();
        node.Remove("data");
        node["Data"] = new JsonObject
        {
            ["vaultName"] = "contoso-keys",
            ["objectType"] = "key",
            ["objectName"] = "subject-keys",
            ["version"] = Version,
            ["nbf"] = null,
            ["exp"] = "1797600000",
        };
        node.Remove("eventType");
        node["EventType"] = KeyVaultEventTypes.KeyNearExpiry;

        var parsed = Assert.Single(ParseAll(node));

        Assert.Equal(("subject-keys", Version), (parsed.Data!.ObjectName, parsed.Data.Version));
        Assert.True(parsed.Data.IsKey);
        Assert.Null(parsed.Data.NotBefore);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_797_600_000), parsed.Data.Expires);
    }

    [Fact]
    public void ParseAll_EventOfAnotherService_DataNotRead()
    {
        var node = EventGrid(type: "Microsoft.Storage.BlobCreated");
        node["data"] = new JsonObject { ["url"] = "https://contoso.blob.core.windows.net/c/b" };

        var parsed = Assert.Single(ParseAll(node));

        Assert.Null(parsed.Data);
    }

    [Fact]
    public void ParseAll_VaultEventWithoutVersion_Read()
    {
        var node = EventGrid(type: "Microsoft.KeyVault.VaultAccessPolicyChanged", name: "contoso-keys");
        node["data"]!["ObjectType"] = "Vault";
        node["data"]!["Version"] = null;

        var parsed = Assert.Single(ParseAll(node));

        Assert.Null(parsed.Data!.Version);
        Assert.False(parsed.Data.IsKey);
    }

    [Theory]
    [InlineData("", "$", "malformed JSON")]
    [InlineData("{\"eventType\":", "$", "malformed JSON")]
    [InlineData("42", "$", "found a number")]
    [InlineData("[]", "$", "empty array")]
    [InlineData("[\"x\"]", "$[0]", "found a string")]
    [InlineData("{\"id\":\"1\",\"data\":{}}", "$", "neither an Event Grid event")]
    public void ParseAll_NotEvents_RefusedSayingWhereAndWhat(string json, string path, string problem)
    {
        var ex = Assert.Throws<KeyVaultEventFormatException>(() => KeyVaultEvent.ParseAll(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(path, ex.JsonPath);
        Assert.StartsWith(path + ": ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id", "$[1].id", "required")]
    [InlineData("eventType", "$[1]", "neither an Event Grid event")]
    [InlineData("subject", "$[1].subject", "required")]
    [InlineData("eventTime", "$[1].eventTime", "required")]
    [InlineData("data", "$[1].data", "required")]
    [InlineData("data.VaultName", "$[1].data.VaultName", "required")]
    [InlineData("data.ObjectType", "$[1].data.ObjectType", "required")]
    [InlineData("data.ObjectName", "$[1].data.ObjectName", "required")]
    [InlineData("data.Version", "$[1].data.Version", "required for an event about a Key")]
    public void ParseAll_EventGridEventMissingAField_RefusedNamingIt(string field, string path, string problem)
    {
        var broken = EventGrid();
        Remove(broken, field);

        var ex = Assert.Throws<KeyVaultEventFormatException>(() => ParseAll(new JsonArray(EventGrid(), broken)));

        Assert.Equal(path, ex.JsonPath);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id", "$.id")]
    [InlineData("type", "$.type")]
    [InlineData("data", "$.data")]
    [InlineData("data.ObjectName", "$.data.ObjectName")]
    public void ParseAll_CloudEventMissingAField_RefusedNamingIt(string field, string path)
    {
        var broken = CloudEvent();
        Remove(broken, field);

        var ex = Assert.Throws<KeyVaultEventFormatException>(() => ParseAll(broken));

        Assert.Equal(path, ex.JsonPath);
        Assert.Contains("required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseAll_CloudEventWithoutSubjectOrTime_Read()
    {
        var node = CloudEvent();
        node.Remove("subject");
        node.Remove("time");

        var parsed = Assert.Single(ParseAll(node));

        Assert.Null(parsed.Subject);
        Assert.Null(parsed.Time);
    }

    [Theory]
    [InlineData("specversion", "\"0.3\"", "$.specversion", "expected \"1.0\"")]
    [InlineData("time", "\"yesterday\"", "$.time", "ISO-8601")]
    [InlineData("type", "7", "$.type", "expected a string, found a number")]
    [InlineData("data", "[]", "$.data", "expected a JSON object, found an array")]
    [InlineData("data.Version", "7", "$.data.Version", "expected a string, found a number")]
    [InlineData("data.EXP", "\"soon\"", "$.data.EXP", "expected unix seconds")]
    [InlineData("data.NBF", "1.5", "$.data.NBF", "expected unix seconds")]
    [InlineData("data.NBF", "999999999999999", "$.data.NBF", "expected unix seconds")]
    public void ParseAll_MistypedField_RefusedNamingItWithoutEchoingTheValue(string field, string json, string path, string problem)
    {
        var broken = CloudEvent();
        Set(broken, field, JsonNode.Parse(json));

        var ex = Assert.Throws<KeyVaultEventFormatException>(() => ParseAll(broken));

        Assert.Equal(path, ex.JsonPath);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("yesterday", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("soon", ex.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<KeyVaultEvent> ParseAll(JsonNode node) => KeyVaultEvent.ParseAll(Encoding.UTF8.GetBytes(node.ToJsonString()));

    private static void Remove(JsonObject node, string field)
    {
        var (parent, name) = Locate(node, field);
        Assert.True(parent.Remove(name), $"the sample has no {field}");
    }

    private static void Set(JsonObject node, string field, JsonNode? value)
    {
        var (parent, name) = Locate(node, field);
        parent[name] = value;
    }

    private static (JsonObject Parent, string Name) Locate(JsonObject node, string field) =>
        field.Split('.') is [var parent, var child] ? (node[parent]!.AsObject(), child) : (node, field);
}
