using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;

namespace Compliance.IntegrationTests.SubjectKeys;

/// <summary>Stores encrypted telemetry for tests, the way ingestion will: enrol, seal under the subject key, insert.</summary>
internal static class TelemetrySeed
{
    public static async Task<(Subject Subject, IReadOnlyList<TelemetryRecord> Records)> StoreAsync(
        IntegrationHost host,
        string employeeId,
        string category,
        int count,
        DateTimeOffset capturedFrom,
        TimeSpan? spacing = null)
    {
        var subject = await host.Subjects.EnrolAsync(employeeId);
        var records = new List<TelemetryRecord>();
        for (var i = 0; i < count; i++)
        {
            var capturedAt = capturedFrom + ((spacing ?? TimeSpan.FromMinutes(7)) * i);
            var payload = System.Text.Encoding.UTF8.GetBytes($"{{\"windowSeconds\":60,\"keyCount\":{i}}}");
            records.Add(await host.Protector.SealAsync(
                new TelemetryPlaintext(subject.Surrogate, category, $"{employeeId}/{category}/{i}", capturedAt, 1, payload),
                capturedAt.AddSeconds(5)));
        }

        var outcomes = await host.Telemetry.InsertAsync(records);
        Assert.All(outcomes, o => Assert.Equal(InsertOutcome.Stored, o));
        return (subject, records);
    }

    /// <summary>Every stored record of the subject in <paramref name="category"/> between the two days, read back from storage.</summary>
    public static async Task<List<TelemetryRecord>> ReadAllAsync(IntegrationHost host, string surrogate, string category, DateOnly first, DateOnly last) =>
        await host.Telemetry.ReadSubjectAsync(surrogate, category, first, last).ToListAsync();
}
