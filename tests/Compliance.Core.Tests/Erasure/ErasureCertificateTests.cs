using System.Text.Json;
using Compliance.Core.Erasure;

namespace Compliance.Core.Tests.Erasure;

public sealed class ErasureCertificateTests
{
    [Fact]
    public void Build_SameRequest_SameBytes()
    {
        var record = Record();

        Assert.Equal(ErasureCertificate.Build(record), ErasureCertificate.Build(record with { UpdatedAt = record.UpdatedAt.AddHours(1), Attempts = 3, LastError = "PROCESSING_FAILED", ETag = "W/x" }));
    }

    [Fact]
    public void Build_CompletedRequest_StatesTimelineKeysProbeAndDerivedData()
    {
        using var json = JsonDocument.Parse(ErasureCertificate.Build(Record()));
        var root = json.RootElement;

        Assert.Equal(ErasureCertificate.Format, root.GetProperty("format").GetString());
        Assert.Equal("development key custody", root.GetProperty("keyCustody").GetString());
        Assert.Equal("2026-11-01T09:00:00Z", root.GetProperty("timeline").GetProperty("requested").GetString());
        Assert.Equal("2026-11-01T09:00:02Z", root.GetProperty("timeline").GetProperty("keysDestroyed").GetString());
        Assert.Equal("2026-11-20T00:00:00Z", root.GetProperty("timeline").GetProperty("shredHorizon").GetString());
        Assert.Equal(["telemetry/1", "telemetry/2"], root.GetProperty("keys").GetProperty("versionsDestroyed").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("unreadable", root.GetProperty("probe").GetProperty("result").GetString());
        Assert.Equal("required", root.GetProperty("derived").GetProperty("disposition").GetString());
        Assert.True(root.GetProperty("sla").GetProperty("withinMaximum").GetBoolean());
        Assert.Contains("2026-11-20T00:00:00Z", root.GetProperty("statement").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_DeferredTwice_CountsOnlyTheTimeUnderHolds()
    {
        var record = Record() with
        {
            KeysDestroyedAt = new DateTimeOffset(2026, 11, 11, 9, 0, 0, TimeSpan.Zero),
            HeldSince = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero),
            HeldUntil = new DateTimeOffset(2026, 11, 11, 9, 0, 0, TimeSpan.Zero),
            HeldBefore = TimeSpan.FromDays(9),
            Deferrals = 2,
            HoldCases = ["CASE-1", "CASE-2"],
        };

        using var json = JsonDocument.Parse(ErasureCertificate.Build(record));
        var sla = json.RootElement.GetProperty("sla");

        Assert.Equal(10 * 86_400, sla.GetProperty("secondsToKeysDestroyed").GetInt64());
        Assert.Equal(9 * 86_400, sla.GetProperty("secondsUnderLegalHold").GetInt64());
        Assert.Equal(86_400, sla.GetProperty("secondsCounted").GetInt64());
        Assert.Equal(2, json.RootElement.GetProperty("timeline").GetProperty("legalHoldDeferrals").GetInt32());
    }

    [Fact]
    public void Build_KeysNotDestroyedYet_Refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ErasureCertificate.Build(Record() with { KeysDestroyedAt = null, State = ErasureState.Held }));

        Assert.Contains("held", error.Message, StringComparison.Ordinal);
    }

    private static ErasureRecord Record()
    {
        var requested = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        return ErasureSlaTests.Open(TimeSpan.Zero, ErasureState.Certifying) with
        {
            RequestedAt = requested,
            KeysDestroyedAt = requested.AddSeconds(2),
            ShredHorizon = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero),
            CertifiedAt = requested.AddSeconds(3),
            KeyIds = ["telemetry/1", "telemetry/2"],
            Scopes = ["telemetry"],
            Scope = "telemetry",
            ProbeSampled = 16,
            Datasets = ["ds-1"],
            Models = ["assistant-v3"],
            KeyCustody = ErasureCertificate.DevelopmentCustody,
            SlaTargetHours = 72,
            SlaMaximumDays = 30,
        };
    }
}
