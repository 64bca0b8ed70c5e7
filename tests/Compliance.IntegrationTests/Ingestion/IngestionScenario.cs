using System.Text.Json.Nodes;
using Compliance.Core.Ingestion;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.IntegrationTests.Ingestion;

/// <summary>
/// An Azurite environment on a fake clock (Monday 2026-11-23, 10:00 UTC, inside the working-hours window) with
/// employees who acknowledged notices at 08:00, and helpers to build events and read back what was stored.
/// </summary>
internal sealed class IngestionScenario : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    private IngestionScenario(IntegrationHost host, FakeTimeProvider clock)
    {
        Host = host;
        Clock = clock;
    }

    public IntegrationHost Host { get; }

    public FakeTimeProvider Clock { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Starts at 08:00, acknowledges <paramref name="fullNotice"/> (2026-11, every category) and <paramref name="partialNotice"/> (2026-09, no transcripts), then moves to 10:00.</summary>
    public static async Task<IngestionScenario> StartAsync(string[]? fullNotice = null, string[]? partialNotice = null)
    {
        var clock = new FakeTimeProvider(Start);
        var host = await IntegrationHost.StartAsync(clock: clock);
        foreach (var employee in fullNotice ?? ["ana"])
        {
            await host.Subjects.AcknowledgeNoticeAsync(employee, "2026-11", "operator:test");
        }

        foreach (var employee in partialNotice ?? [])
        {
            await host.Subjects.AcknowledgeNoticeAsync(employee, "2026-09", "operator:test");
        }

        clock.Advance(TimeSpan.FromHours(2));
        return new IngestionScenario(host, clock);
    }

    /// <summary>Ana, Bo and Cy with every notice acknowledged, each with a keystroke record; Ana and Bo with a transcript too.</summary>
    public static async Task<IngestionScenario> StartSeededAsync()
    {
        var s = await StartAsync(fullNotice: ["ana", "bo", "cy"]);
        var result = await s.IngestAsync(
            Keystroke("ana", "k-1"),
            Keystroke("bo", "k-2"),
            Keystroke("cy", "k-3"),
            Transcript("We agreed on the launch plan.", "ana", "t-1"),
            Transcript("Budget review next week.", "bo", "t-2"));
        Assert.Equal(5, result.Stored);
        return s;
    }

    public static JsonObject Keystroke(string employee = "ana", string eventId = "k-1", DateTimeOffset? capturedAt = null) => Event(
        employee, "keystroke-dynamics", eventId, capturedAt ?? Start.AddHours(1.5),
        new JsonObject { ["windowSeconds"] = 60, ["keyCount"] = 140, ["dwellMsMean"] = 95.5, ["backspaceRate"] = 0.04, ["inputFieldType"] = "text" });

    public static JsonObject Transcript(string text, string employee = "ana", string eventId = "t-1") => Event(
        employee, "transcript", eventId, Start.AddHours(1.5),
        new JsonObject { ["text"] = text, ["channel"] = "meeting", ["language"] = "en" });

    public static JsonObject Event(string employee, string category, string eventId, DateTimeOffset capturedAt, JsonObject fields) => new()
    {
        ["eventId"] = eventId,
        ["employeeId"] = employee,
        ["category"] = category,
        ["capturedAt"] = capturedAt.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture),
        ["source"] = "agent-win/4.2",
        ["schemaVersion"] = 1,
        ["fields"] = fields,
    };

    public Task<IngestBatchResult> IngestAsync(params JsonObject[] events) =>
        Host.Ingestion.IngestAsync([.. events.Select(e => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(e.ToJsonString()))], "job:test");

    public Task<IngestBatchResult> IngestRawAsync(params string[] events) =>
        Host.Ingestion.IngestAsync([.. events.Select(e => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(e))], "job:test");

    /// <summary>Ingests one event and returns its outcome.</summary>
    public async Task<IngestOutcome> IngestOneAsync(JsonObject e) => (await IngestAsync(e)).Outcomes.Single();

    /// <summary>Every stored record of the employee in the category on the scenario's day, decrypted.</summary>
    public async Task<List<JsonObject>> StoredAsync(string employee, string category)
    {
        var subject = await Host.Subjects.FindAsync(employee);
        if (subject is null)
        {
            return [];
        }

        var day = DateOnly.FromDateTime(Start.UtcDateTime);
        var records = await Host.Telemetry.ReadSubjectAsync(subject.Surrogate, category, day.AddDays(-40), day).ToListAsync();
        var opened = new List<JsonObject>();
        foreach (var record in records)
        {
            opened.Add(JsonNode.Parse(await Host.Protector.OpenAsync(record))!.AsObject());
        }

        return opened;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
