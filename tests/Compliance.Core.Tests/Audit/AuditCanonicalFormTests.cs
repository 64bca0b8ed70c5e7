using Compliance.Core.Audit;

namespace Compliance.Core.Tests.Audit;

public sealed class AuditCanonicalFormTests
{
    private static readonly AuditRecord Sample = new(
        "s03",
        42,
        new DateTimeOffset(2026, 11, 30, 10, 15, 0, TimeSpan.FromHours(1)),
        new string('a', 64),
        null,
        new AuditEvent
        {
            Type = AuditEventType.ErasureReq,
            Actor = "job:erasure",
            Subject = "sub_abcdefghijklmnopqrstuvwxyz",
            Counts = new Dictionary<string, long> { ["zeta"] = 2, ["alpha"] = 1 },
            Fields = ["pauseCount", "dwellMsMean", "pauseCount"],
            Attributes = new Dictionary<string, string> { ["reason"] = "offboarding" },
        });

    [Fact]
    public void Serialize_Record_IsCompactOrdinalOrderedUtcJson()
    {
        var body = AuditCanonicalForm.Serialize(Sample);

        Assert.Equal(
            "{\"actor\":\"job:erasure\",\"attributes\":{\"reason\":\"offboarding\"},\"counts\":{\"alpha\":1,\"zeta\":2},"
            + "\"fields\":[\"dwellMsMean\",\"pauseCount\"],\"occurredAt\":\"2026-11-30T09:15:00.0000000Z\","
            + "\"prevHash\":\"" + new string('a', 64) + "\",\"seq\":42,\"stream\":\"s03\","
            + "\"subject\":\"sub_abcdefghijklmnopqrstuvwxyz\",\"type\":\"ERASURE_REQ\",\"v\":1}",
            body);
    }

    [Fact]
    public void Parse_SerializedRecord_RoundTrips()
    {
        var parsed = AuditCanonicalForm.Parse(AuditCanonicalForm.Serialize(Sample));

        Assert.Equal(AuditCanonicalForm.Serialize(Sample), AuditCanonicalForm.Serialize(parsed));
        Assert.Equal(Sample.OccurredAt, parsed.OccurredAt);
        Assert.Equal(AuditEventType.ErasureReq, parsed.Event.Type);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"v\":2}")]
    [InlineData("{\"v\":1,\"type\":\"NOT_A_TYPE\"}")]
    public void Parse_NotACanonicalEvent_FormatException(string body)
    {
        Assert.Throws<FormatException>(() => AuditCanonicalForm.Parse(body));
    }

    [Fact]
    public void EventTypeNames_AreTheControlCatalogNames()
    {
        Assert.Equal(
            ["INGEST", "REJECT", "READ", "EXPORT", "DENY", "PURGE", "HOLD", "ERASURE_REQ", "ERASURE_DONE", "KEY_CREATE", "KEY_ROTATE", "KEY_RETIRE", "KEY_SHRED", "POLICY", "NOTICE_ACK", "PAUSE", "SEAL", "REPORT", "DATASET_BUILD", "MODEL_TRAIN", "ERASURE_HELD", "DPIA", "EVAL", "MODEL_PROMOTE", "SCHEMA_CHANGE", "REENROL"],
            Enum.GetValues<AuditEventType>().Select(t => t.ToName()));
    }
}
