using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Compliance.Cli;
using Compliance.Cli.Tests;
using Compliance.Core.Ingestion;
using Compliance.Core.Telemetry;
using Compliance.TestSupport;

namespace Compliance.IntegrationTests.Cli;

/// <summary>One small demo run (40 employees, 4 days) that the tests below inspect.</summary>
public sealed class DemoRun : IAsyncLifetime, IDisposable
{
    internal CliEnvironment Cli { get; } = new();

    internal TemporaryDirectory Out { get; } = new();

    internal CliRun Run { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Run = await Cli.RunAsync("--json", "demo", "--employees", "40", "--days", "4", "--out", Out.Path);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        Cli.Dispose();
        Out.Dispose();
    }
}

/// <summary>The demo end to end on a small workforce, and what it leaves in storage.</summary>
public sealed partial class DemoCommandTests(DemoRun demo) : IClassFixture<DemoRun>
{
    private static readonly string[] TelemetryColumns = ["PartitionKey", "RowKey", "Timestamp", "odata.etag", "Category", "Scope", "SchemaVersion", "CapturedAt", "IngestedAt", "KeyVersion", "Envelope"];

    private CliRun Run => demo.Run;

    [Fact]
    public void Demo_SmallWorkforce_IngestsWithEveryKindOfOutcomeAndVerifies()
    {
        Assert.True(Run.ExitCode == ExitCodes.Success, Run.Error);
        using var json = JsonDocument.Parse(Run.Output);
        var ingest = json.RootElement.GetProperty("ingest");
        Assert.True(ingest.GetProperty("stored").GetInt32() > 1000);
        var reasons = ingest.GetProperty("rejectedByReason").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { IngestReasons.MalformedJson, IngestReasons.NoNotice, IngestReasons.Paused, IngestReasons.PasswordField, IngestReasons.InvalidFields }, reasons);
        Assert.True(ingest.GetProperty("droppedFields").EnumerateObject().Any(), "off-allow-list fields were dropped and counted");
        Assert.True(ingest.GetProperty("redactions").GetInt32() > 0);
        Assert.Equal("PURPOSE_NOT_ALLOWED", json.RootElement.GetProperty("access").GetProperty("denied").GetString());
        Assert.True(json.RootElement.GetProperty("verification").GetProperty("intact").GetBoolean());
        var purge = json.RootElement.GetProperty("purge");
        Assert.Equal(purge.GetProperty("dryRun").GetProperty("records").GetInt32(), purge.GetProperty("manifest").GetProperty("recordsDeleted").GetInt32());
        Assert.True(purge.GetProperty("manifest").GetProperty("recordsDeleted").GetInt32() > 0);
        Assert.True(purge.GetProperty("manifest").GetProperty("recordsHeld").GetInt32() > 0);
        Assert.True(File.Exists(Path.Combine(demo.Out.Path, "dataset.jsonl")));
    }

    [Fact]
    public void Demo_Offboarding_ThreeCertificatesOneDeferredByTheHoldThenCompleted()
    {
        Assert.True(Run.ExitCode == ExitCodes.Success, Run.Error);
        using var json = JsonDocument.Parse(Run.Output);
        var erasure = json.RootElement.GetProperty("erasure");
        var requests = erasure.GetProperty("requests").EnumerateArray().ToList();

        Assert.Equal(["completed", "completed", "completed"], requests.Select(r => r.GetProperty("state").GetString()));
        Assert.Equal(["all", "all", "training"], requests.Select(r => r.GetProperty("scope").GetString()));
        Assert.Equal(["DEMO-LIT-1"], requests[1].GetProperty("legalHolds").EnumerateArray().Select(c => c.GetString()));
        Assert.NotEqual(JsonValueKind.Null, requests[1].GetProperty("holdReleased").ValueKind);
        Assert.True(requests[0].GetProperty("rowsCleanedUp").GetInt32() > 0);
        Assert.True(erasure.GetProperty("sla").GetProperty("met").GetBoolean());
        var files = erasure.GetProperty("certificates");
        var probes = new List<string?>();
        foreach (var request in requests)
        {
            var id = request.GetProperty("erasureId").GetString()!;
            using var certificate = JsonDocument.Parse(File.ReadAllBytes(files.GetProperty(id).GetString()!));
            Assert.Equal(id, certificate.RootElement.GetProperty("erasureId").GetString());
            probes.Add(certificate.RootElement.GetProperty("probe").GetProperty("result").GetString());
        }

        Assert.Equal(["unreadable", "unreadable", "no-records"], probes); // the training scope holds no stored records

        Assert.Equal(3, erasure.GetProperty("certificates").EnumerateObject().Count());
    }

    [Fact]
    public void Demo_Report_EveryFormatWrittenAndNoControlFails()
    {
        Assert.True(Run.ExitCode == ExitCodes.Success, Run.Error);
        using var json = JsonDocument.Parse(Run.Output);
        var report = json.RootElement.GetProperty("report");
        var files = report.GetProperty("files");

        Assert.Equal(["csv", "html", "json", "oscal"], files.EnumerateObject().Select(f => f.Name));
        Assert.All(files.EnumerateObject(), f => Assert.True(new FileInfo(f.Value.GetString()!).Length > 0, f.Name));
        Assert.Equal(0, report.GetProperty("failed").GetInt32());
        Assert.True(report.GetProperty("passed").GetInt32() >= 17);
        using var canonical = JsonDocument.Parse(File.ReadAllBytes(files.GetProperty("json").GetString()!));
        Assert.Equal(19, canonical.RootElement.GetProperty("controls").GetArrayLength());
        Assert.True(File.Exists(report.GetProperty("statement").GetString()));
    }

    [Fact]
    public async Task Demo_StorageScan_NoPlaintextNoEmployeeIdsNoFieldsOffTheAllowList()
    {
        Assert.True(Run.ExitCode == ExitCodes.Success, Run.Error);
        var employeeIds = File.ReadLines(Path.Combine(demo.Out.Path, "events.jsonl"))
            .Select(TryEmployeeId)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        Assert.True(employeeIds.Count >= 30);
        await using var host = IntegrationHost.Attach(demo.Cli.Suffix, demo.Cli.KeyDirectory);
        var policy = host.Policy.Policy;

        var telemetryRows = 0;
        var partitions = new HashSet<(string Category, DateOnly Day, string Subject)>();
        await foreach (var (table, row) in host.ScanAllTablesAsync())
        {
            var baseName = table[..^demo.Cli.Suffix.Length];
            foreach (var (name, value) in row.Select(kv => (kv.Key, kv.Value)).Append(("PartitionKey", (object)row.PartitionKey)).Append(("RowKey", row.RowKey)))
            {
                if (value is string text)
                {
                    Assert.DoesNotContain(employeeIds, id => text.Contains(id, StringComparison.Ordinal));
                }
            }

            var category = policy.Categories.Keys.FirstOrDefault(c => TelemetryLayout.DayOf(c, baseName) is not null);
            if (category is null)
            {
                continue;
            }

            telemetryRows++;
            Assert.All(row.Keys, column => Assert.Contains(column, TelemetryColumns));
            Assert.StartsWith("sub_", row.PartitionKey, StringComparison.Ordinal);
            var envelope = row.GetBinary("Envelope");
            foreach (var field in policy.Categories[category].AllowedFields)
            {
                Assert.True(envelope.AsSpan().IndexOf(Encoding.UTF8.GetBytes(field)) < 0, $"{table}: the envelope holds the field name '{field}' in the clear");
            }

            partitions.Add((category, TelemetryLayout.DayOf(category, baseName)!.Value, row.PartitionKey));
        }

        // Every stored record, decrypted: only allowed fields, and no email left in transcripts. The records of
        // erased employees (the leaver whose hold kept them past the purge) stay, unreadable.
        var erased = (await host.Erasure.ListAsync()).Where(r => r.Scope is null && r.State == Compliance.Core.Erasure.ErasureState.Completed).Select(r => r.Subject).ToHashSet();
        var shredded = 0;
        foreach (var (category, day, subject) in partitions)
        {
            await foreach (var stored in host.Telemetry.ReadSubjectAsync(subject, category, day, day))
            {
                if (erased.Contains(subject))
                {
                    var failure = await Assert.ThrowsAsync<Compliance.Core.Telemetry.RecordUnreadableException>(() => host.Protector.OpenAsync(stored, useCache: false));
                    Assert.Equal(Compliance.Core.Telemetry.UnreadableReason.KeyShredded, failure.Reason);
                    shredded++;
                    continue;
                }

                var fields = JsonNode.Parse(await host.Protector.OpenAsync(stored))!.AsObject();
                Assert.All(fields, f => Assert.Contains(f.Key, policy.Categories[category].AllowedFields));
                if (policy.Categories[category].ContainsContent)
                {
                    Assert.DoesNotMatch(Email(), (string)fields["text"]!);
                }
            }
        }

        Assert.True(telemetryRows > 300, $"the scan found {telemetryRows} telemetry rows (what the purge left: app focus, performance metrics and held records)");
        Assert.True(shredded > 0, "the held leaver's records outlived the purge, and the erasure after the release made them unreadable");
    }

    private static string? TryEmployeeId(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("employeeId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();
}
