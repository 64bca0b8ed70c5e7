using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Compliance.Core.Policy;
using Compliance.TestSupport;

namespace Compliance.Core.Tests.Policy;

public sealed class PolicyDocumentTests
{
    [Fact]
    public void LoadDefault_ShippedPolicy_IsValidWithTheDocumentedCategoriesAndPurposes()
    {
        var active = PolicyDocument.LoadDefault();

        Assert.Equal(
            ["app-focus", "keystroke-dynamics", "performance-metric", "pointer-movement", "transcript"],
            active.Policy.Categories.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["employee-access-request", "hr-performance", "model-training", "security-investigation"],
            active.Policy.Purposes.Keys.Order(StringComparer.Ordinal));
        Assert.All(active.Policy.Categories.Values, c => Assert.False(string.IsNullOrWhiteSpace(c.Rationale)));
        Assert.True(active.Policy.Categories["transcript"].ContainsContent);
        Assert.Equal(PolicyDocument.DefaultSource, active.Source);
    }

    [Fact]
    public void LoadDefault_Version_IsSha256OfTheExactBytes()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(PolicyDocument.DefaultPolicyBytes.Span));

        Assert.Equal(expected, PolicyDocument.LoadDefault().Version);
    }

    [Fact]
    public void Parse_SameContentDifferentBytes_HasDifferentVersion()
    {
        var fixture = new PolicyFixture();
        var compact = Encoding.UTF8.GetBytes(fixture.Root.ToJsonString());

        var indented = fixture.Parse();
        var reformatted = PolicyDocument.Parse(compact, "compact.json");

        Assert.NotEqual(indented.Version, reformatted.Version);
        Assert.Equal(64, reformatted.Version.Length);
    }

    [Fact]
    public void AllowedPurposes_Transcript_DerivedFromPurposeLists()
    {
        var policy = PolicyDocument.LoadDefault().Policy;

        Assert.Equal(
            ["employee-access-request", "model-training", "security-investigation"],
            policy.AllowedPurposes("transcript").Order(StringComparer.Ordinal));
        Assert.DoesNotContain("security-investigation", policy.AllowedPurposes("keystroke-dynamics"));
    }

    [Fact]
    public void Parse_MissingRetention_NamesFilePathAndProperty()
    {
        var fixture = new PolicyFixture();
        fixture.Category("transcript").Remove("retentionDays");

        var error = Assert.Single(Refuse(fixture, "policies/missing-retention.json"));

        Assert.Equal("policies/missing-retention.json", error.Source);
        Assert.Equal("$.categories.transcript", error.JsonPath);
        Assert.Contains("retentionDays", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PurposeNamesUnknownCategory_NamesThePurposeEntry()
    {
        var fixture = new PolicyFixture();
        fixture.Purpose("model-training")["categories"]!.AsArray().Add("screen-recording");

        var error = Assert.Single(Refuse(fixture));

        Assert.Equal("$.purposes['model-training'].categories[4]", error.JsonPath);
        Assert.StartsWith("unknown category 'screen-recording'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("categories.transcript.retentionDays", "$.categories.transcript.retentionDays")]
    [InlineData("rotation.subjectKeyDays", "$.rotation.subjectKeyDays")]
    [InlineData("rotation.rootKeyDays", "$.rotation.rootKeyDays")]
    [InlineData("slas.purgeLagHours", "$.slas.purgeLagHours")]
    [InlineData("slas.erasureP95Hours", "$.slas.erasureP95Hours")]
    public void Parse_NegativePeriod_IsRefusedAtItsPath(string property, string expectedPath)
    {
        var fixture = new PolicyFixture();
        var segments = property.Split('.');
        var parent = segments[..^1].Aggregate((JsonNode)fixture.Root, (node, name) => node[name]!).AsObject();
        parent[segments[^1]] = -7;

        var error = Assert.Single(Refuse(fixture));

        Assert.Equal(expectedPath, error.JsonPath);
        Assert.Contains("1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ZeroRetention_IsRefused()
    {
        var fixture = new PolicyFixture();
        fixture.Category("app-focus")["retentionDays"] = 0;

        var error = Assert.Single(Refuse(fixture));

        Assert.Equal("$.categories['app-focus'].retentionDays", error.JsonPath);
    }

    [Fact]
    public void Parse_MalformedJson_ReportsLineAndColumn()
    {
        var bytes = Encoding.UTF8.GetBytes("{\n  \"schemaVersion\": 1,\n  \"policyId\": \"x\",,\n}");

        var ex = Assert.Throws<PolicyValidationException>(() => PolicyDocument.Parse(bytes, "broken.json"));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("broken.json", error.Source);
        Assert.StartsWith("malformed JSON at line 3, column", error.Message, StringComparison.Ordinal);
        Assert.Contains("broken.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyDocument_IsMalformed()
    {
        var ex = Assert.Throws<PolicyValidationException>(() => PolicyDocument.Parse([], "empty.json"));

        Assert.StartsWith("malformed JSON", Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownProperty_IsRefusedWhereItStands()
    {
        var fixture = new PolicyFixture();
        fixture.Category("keystroke-dynamics")["storeTypedCharacters"] = true;

        var errors = Refuse(fixture);

        Assert.Contains(errors, e => e.JsonPath == "$.categories['keystroke-dynamics'].storeTypedCharacters" && e.Message == "this property is not allowed here");
    }

    [Fact]
    public void Parse_GrantsBeyondReaderCap_NamesTheCategoryAndPrincipals()
    {
        var fixture = new PolicyFixture();
        fixture.Category("transcript")["readerCap"] = 2;

        var error = Assert.Single(Refuse(fixture));

        Assert.Equal("$.categories.transcript.readerCap", error.JsonPath);
        Assert.Equal("3 principals hold grants on this category (ml-platform, privacy-office, security-operations), more than its reader cap of 2", error.Message);
    }

    [Fact]
    public void Parse_GrantOutsideItsPurpose_IsRefused()
    {
        var fixture = new PolicyFixture();
        var hrGrant = fixture.Root["grants"]!.AsArray().Single(g => (string?)g!["principal"] == "hr-analytics")!;
        hrGrant["categories"]!.AsArray().Add("keystroke-dynamics");

        var error = Assert.Single(Refuse(fixture));

        Assert.Equal("$.grants[3].categories[1]", error.JsonPath);
        Assert.Equal("purpose 'hr-performance' does not cover category 'keystroke-dynamics'", error.Message);
    }

    [Fact]
    public void Parse_UnknownReferences_AreEachReported()
    {
        var fixture = new PolicyFixture();
        fixture.Category("transcript")["keyScope"] = "nowhere";
        fixture.Category("transcript")["monitoringWindow"] = "night-shift";
        fixture.Root["grants"]![0]!["principal"] = "everyone";
        fixture.Root["notices"]![0]!["categories"]!.AsArray().Add("webcam");

        var paths = Refuse(fixture).Select(e => e.JsonPath).ToList();

        Assert.Equal(
            ["$.categories.transcript.keyScope", "$.categories.transcript.monitoringWindow", "$.grants[0].principal", "$.notices[0].categories[4]"],
            paths);
    }

    [Fact]
    public void Parse_CategoryNoPurposeMayRead_IsRefused()
    {
        var fixture = new PolicyFixture();
        foreach (var (_, purpose) in fixture.Root["purposes"]!.AsObject())
        {
            var categories = purpose!["categories"]!.AsArray();
            foreach (var node in categories.Where(n => (string?)n == "pointer-movement").ToList())
            {
                categories.Remove(node);
            }
        }

        foreach (var grant in fixture.Root["grants"]!.AsArray())
        {
            var categories = grant!["categories"]!.AsArray();
            foreach (var node in categories.Where(n => (string?)n == "pointer-movement").ToList())
            {
                categories.Remove(node);
            }
        }

        var error = Assert.Single(Refuse(fixture));

        Assert.Equal("$.categories['pointer-movement']", error.JsonPath);
    }

    [Fact]
    public void Parse_TwoCategoriesSharingTableNames_IsRefused()
    {
        var fixture = new PolicyFixture();
        fixture.Root["categories"]!["appfocus"] = fixture.Category("app-focus").DeepClone();
        fixture.Purpose("model-training")["categories"]!.AsArray().Add("appfocus");

        var error = Assert.Single(Refuse(fixture));

        Assert.Equal("$.categories.appfocus", error.JsonPath);
        Assert.Contains("'app-focus' and 'appfocus'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AllowedFieldWithoutSchemaAndSchemaFieldNotAllowed_BothNamed()
    {
        var fixture = new PolicyFixture();
        var category = fixture.Category("app-focus");
        category["allowedFields"]!.AsArray().Add("idleSeconds");
        category["fieldSchema"]!["properties"]!["windowTitle"] = new JsonObject { ["type"] = "string" };

        var errors = Refuse(fixture);

        Assert.Contains(errors, e => e.JsonPath == "$.categories['app-focus'].fieldSchema.properties" && e.Message.Contains("'idleSeconds' has no schema", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.JsonPath == "$.categories['app-focus'].fieldSchema.properties.windowTitle" && e.Message.Contains("not on the allow-list", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_FieldSchemaRefusingExtraFields_IsRefused()
    {
        var fixture = new PolicyFixture();
        fixture.Category("app-focus")["fieldSchema"]!["additionalProperties"] = false;

        var error = Assert.Single(Refuse(fixture));

        Assert.Equal("$.categories['app-focus'].fieldSchema.additionalProperties", error.JsonPath);
    }

    [Fact]
    public void Parse_KeystrokeCategoryAllowingTypedCharacters_IsRefused()
    {
        var fixture = new PolicyFixture();
        var category = fixture.Category("keystroke-dynamics");
        category["allowedFields"]!.AsArray().Add("keyChar");
        category["fieldSchema"]!["properties"]!["keyChar"] = new JsonObject { ["type"] = "string" };

        var error = Assert.Single(Refuse(fixture));

        Assert.Equal("$.categories['keystroke-dynamics'].allowedFields[9]", error.JsonPath);
        Assert.Contains("MIN-2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HrPurposeListingTrainingData_IsRefused()
    {
        var fixture = new PolicyFixture();
        fixture.Purpose("hr-performance")["categories"]!.AsArray().Add("keystroke-dynamics");

        var errors = Refuse(fixture);

        Assert.Contains(errors, e => e.JsonPath == "$.purposes['hr-performance'].categories[1]" && e.Message.Contains("PUR-2", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_BadMonitoringWindow_IsRefused()
    {
        var fixture = new PolicyFixture();
        var window = fixture.Root["monitoringWindows"]!["working-hours"]!;
        window["timeZone"] = "Mars/Olympus_Mons";
        window["end"] = "06:00";

        var paths = Refuse(fixture).Select(e => e.JsonPath).ToList();

        Assert.Equal(["$.monitoringWindows['working-hours'].timeZone", "$.monitoringWindows['working-hours'].end"], paths);
    }

    [Fact]
    public void Parse_DuplicateNoticeVersionAndBackwardsGrant_AreRefused()
    {
        var fixture = new PolicyFixture();
        fixture.Root["notices"]![1]!["version"] = "2026-09";
        fixture.Root["grants"]![2]!["validUntil"] = "2025-01-01T00:00:00Z";

        var paths = Refuse(fixture).Select(e => e.JsonPath).ToList();

        Assert.Equal(["$.grants[2].validUntil", "$.notices[1].version"], paths);
    }

    [Fact]
    public void Parse_BadDateFormat_IsRefusedBySchema()
    {
        var fixture = new PolicyFixture();
        fixture.Root["notices"]![0]!["publishedAt"] = "last september";

        var error = Assert.Single(Refuse(fixture));

        Assert.Equal("$.notices[0].publishedAt", error.JsonPath);
    }

    [Fact]
    public void LoadFile_MissingFile_NamesTheFile()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("nope.json");

        var ex = Assert.Throws<PolicyValidationException>(() => PolicyDocument.LoadFile(path));

        Assert.Equal(new PolicyError(path, "$", "the file does not exist"), Assert.Single(ex.Errors));
    }

    [Fact]
    public void LoadFile_ValidFile_VersionMatchesFileHash()
    {
        using var directory = new TemporaryDirectory();
        var path = new PolicyFixture().WriteTo(directory.Path);

        var active = PolicyDocument.LoadFile(path);

        Assert.Equal(path, active.Source);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), active.Version);
    }

    [Fact]
    public void PolicyValidationException_Message_ListsEveryProblemOnItsOwnLine()
    {
        var ex = new PolicyValidationException([new PolicyError("p.json", "$.a", "one"), new PolicyError("p.json", "$.b", "two")]);

        Assert.Equal($"The policy was refused (2 problems):{Environment.NewLine}  p.json: $.a: one{Environment.NewLine}  p.json: $.b: two", ex.Message);
    }

    private static IReadOnlyList<PolicyError> Refuse(PolicyFixture fixture, string source = "test-policy.json") =>
        Assert.Throws<PolicyValidationException>(() => fixture.Parse(source)).Errors;
}
