using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Compliance.Core.Access;
using Compliance.Core.Subjects;
using Compliance.IntegrationTests.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.IntegrationTests.Access;

public sealed class TrainingExporterTests
{
    private static readonly DateTimeOffset From = IngestionScenario.Start;
    private static readonly DateTimeOffset To = IngestionScenario.Start.AddHours(4);

    [Fact]
    public async Task ExportAsync_TrainingPurpose_PseudonymousDatasetWithLineageAndAudit()
    {
        await using var s = await SeededAsync();
        using var output = new MemoryStream();

        var result = await s.Host.Exporter.ExportAsync(Request(), output);

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal((3, 3), (result.Records, result.Subjects));
        foreach (var line in lines)
        {
            using var row = JsonDocument.Parse(line);
            Assert.Equal(["subject", "capturedAt", "fields"], row.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.StartsWith("sub_", row.RootElement.GetProperty("subject").GetString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("ana", Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
        var dataset = await s.Host.Services.GetRequiredService<Compliance.Core.Lineage.ILineageStore>().GetDatasetAsync(result.DatasetId);
        Assert.Equal(result.ContentHash, dataset!.ContentHash);
        var ana = (await s.Host.Subjects.FindAsync("ana"))!.Surrogate;
        Assert.Equal([result.DatasetId], (await s.Host.Lineage.ReachAsync("ana")).Datasets);
        Assert.Contains(await s.Host.Services.GetRequiredService<Compliance.Core.Lineage.ILineageStore>().GetMembersAsync(result.DatasetId), m => m.Subject == ana && m.Scope == "telemetry" && m.KeyVersions.SequenceEqual([1]));
        var types = (await s.Host.EventsTable.QueryAsync<TableEntity>().ToListAsync()).Select(e => e.GetString("Type")).ToList();
        Assert.Contains("EXPORT", types);
        Assert.Contains("DATASET_BUILD", types);
    }

    [Fact]
    public async Task ExportAsync_SubjectsWhoObjected_LeftOut()
    {
        await using var s = await SeededAsync();
        await s.Host.Shredder.ShredAsync("ana", "training", "OBJECTION", "job:erasure");
        await s.Host.Subjects.PauseAsync("bo", PauseReason.Objection, "operator:test");
        using var output = new MemoryStream();

        var result = await s.Host.Exporter.ExportAsync(Request(), output);

        Assert.Equal((1, 1, 2), (result.Records, result.Subjects, result.ExcludedSubjects));
        Assert.Empty((await s.Host.Lineage.ReachAsync("ana")).Datasets);
    }

    [Fact]
    public async Task ExportAsync_PurposeNotForTraining_DeniedAndNothingWritten()
    {
        await using var s = await SeededAsync();
        using var output = new MemoryStream();

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => s.Host.Exporter.ExportAsync(Request() with { Principal = "privacy-office", Purpose = "employee-access-request" }, output));

        Assert.Equal(AccessReasons.ExportRequiresTrainingPurpose, denied.Reason);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task LinkModelAsync_ModelTrainedOnADataset_ListedInTheSubjectsReach()
    {
        await using var s = await SeededAsync();
        using var output = new MemoryStream();
        var result = await s.Host.Exporter.ExportAsync(Request(), output);

        await s.Host.Lineage.LinkModelAsync("assistant-v3", result.DatasetId, "operator:test");
        await s.Host.Lineage.LinkModelAsync("assistant-v3", result.DatasetId, "operator:test");

        Assert.Equal(["assistant-v3"], (await s.Host.Lineage.ReachAsync("bo")).Models);
        Assert.Single(await s.Host.AuditEventsAsync("MODEL_TRAIN"));
        await Assert.ThrowsAsync<ArgumentException>(() => s.Host.Lineage.LinkModelAsync("assistant-v3", "ds-nope", "operator:test"));
        await Assert.ThrowsAsync<ArgumentException>(() => s.Host.Lineage.LinkModelAsync("Assistant V3!", result.DatasetId, "operator:test"));
    }

    private static AccessRequest Request() => new("ml-platform", "model-training", "keystroke-dynamics", From: From, To: To);

    private static async Task<IngestionScenario> SeededAsync()
    {
        var s = await IngestionScenario.StartAsync(fullNotice: ["ana", "bo", "cy"]);
        var result = await s.IngestAsync(
            IngestionScenario.Keystroke("ana", "k-1"),
            IngestionScenario.Keystroke("bo", "k-2"),
            IngestionScenario.Keystroke("cy", "k-3"));
        Assert.Equal(3, result.Stored);
        return s;
    }
}
