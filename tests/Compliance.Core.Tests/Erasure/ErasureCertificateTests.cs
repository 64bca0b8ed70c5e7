using System.Text.Json;
using Compliance.Core.Erasure;
using Compliance.Core.Policy;

namespace Compliance.Core.Tests.Erasure;

public sealed class ErasureCertificateTests
{
    private static readonly SlaDefinition Slas = new() { ErasureP95Hours = 72, ErasureMaxDays = 30, PurgeLagHours = 26, PauseHours = 1 };

    [Fact]
    public void Build_SameRequest_SameBytes()
    {
        var record = Record();

        Assert.Equal(ErasureCertificate.Build(record, Slas, developmentCustody: true), ErasureCertificate.Build(record with { UpdatedAt = record.UpdatedAt.AddHours(1), Attempts = 3 }, Slas, developmentCustody: true));
    }

    [Fact]
    public void Build_CompletedRequest_StatesTimelineKeysProbeAndDerivedData()
    {
        using var json = JsonDocument.Parse(ErasureCertificate.Build(Record(), Slas, developmentCustody: true));
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
    public void Build_KeysNotDestroyedYet_Refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ErasureCertificate.Build(Record() with { KeysDestroyedAt = null, State = ErasureState.Held }, Slas, false));

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
        };
    }
}
