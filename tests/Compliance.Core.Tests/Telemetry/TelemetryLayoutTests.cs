using Compliance.Core.Telemetry;

namespace Compliance.Core.Tests.Telemetry;

public sealed class TelemetryLayoutTests
{
    [Fact]
    public void TableName_CapturedLateInTheDayWithAnOffset_UsesTheUtcDay()
    {
        var capturedAt = new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.FromHours(-5));

        Assert.Equal("tkeystrokedynamics20261201", TelemetryLayout.TableName("keystroke-dynamics", capturedAt));
    }

    [Fact]
    public void TableName_LongestCategory_FitsTableStorageNamingRules()
    {
        var name = TelemetryLayout.TableName("a" + new string('b', 62), new DateOnly(2026, 1, 1));

        Assert.Matches("^[A-Za-z][A-Za-z0-9]{2,62}$", name);
        Assert.True(name.Length <= 63 - 16, "room for the longest environment suffix (StorageOptions.NameSuffix)");
    }

    [Theory]
    [InlineData("tappfocus20261130", "2026-11-30")]
    [InlineData("tappfocus2026113", null)]
    [InlineData("tappfocus2x20261130", null)]
    [InlineData("tappfocus20261399", null)]
    [InlineData("auditevents", null)]
    public void DayOf_OnlyTheCategorysOwnDayTables(string table, string? expected)
    {
        Assert.Equal(expected is null ? null : DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), TelemetryLayout.DayOf("app-focus", table));
    }
}
