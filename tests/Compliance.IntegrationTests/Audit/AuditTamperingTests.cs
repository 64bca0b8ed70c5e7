using Azure;
using Azure.Data.Tables;
using Compliance.Core.Audit;
using Compliance.TestSupport;

namespace Compliance.IntegrationTests.Audit;

/// <summary>
/// Tampering with the stored audit entities the way someone with write access to the tables could, and
/// verification catching each and naming the first bad event. Stream s00 holds events 1-20, the POLICY
/// event (21) and seal 1's SEAL event (22); seal 1 covers up to 21.
/// </summary>
public sealed class AuditTamperingTests : IAsyncLifetime
{
    private IntegrationHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await IntegrationHost.StartAsync(streamCount: 1);
        await _host.Trail.AppendBatchAsync([.. Enumerable.Range(0, 20).Select(i => AuditEvents.Ingest(i))]);
        await _host.Sealer.SealAsync("job:audit-seal");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Verify_Untouched_Intact()
    {
        var report = await _host.Verifier.VerifyAsync();

        Assert.True(report.Intact, report.FirstProblem?.Message);
        Assert.Equal(22, report.EventsChecked);
        Assert.Equal(1, report.UnsealedEvents);
    }

    [Fact]
    public async Task Verify_PropertyEdited_NamesTheEditedEvent()
    {
        await EditAsync(5, e => e["Body"] = ((string)e["Body"]).Replace("\"stored\":1", "\"stored\":0", StringComparison.Ordinal));

        await AssertFirstProblemAsync(AuditProblemKind.Modified, 5);
    }

    [Fact]
    public async Task Verify_QueryColumnEdited_NamesTheEditedEvent()
    {
        await EditAsync(6, e => e["Type"] = "READ");

        await AssertFirstProblemAsync(AuditProblemKind.ColumnMismatch, 6);
    }

    [Fact]
    public async Task Verify_BodyEditedAndHashRecomputed_NamesTheEditedEvent()
    {
        await EditAsync(9, e =>
        {
            var body = ((string)e["Body"]).Replace("\"stored\":1", "\"stored\":5", StringComparison.Ordinal);
            e["Body"] = body;
            e["Hash"] = AuditHashing.Sha256Hex(body);
        });

        await AssertFirstProblemAsync(AuditProblemKind.ChainBroken, 9);
    }

    [Fact]
    public async Task Verify_RowDeleted_NamesTheMissingEvent()
    {
        await _host.EventsTable.DeleteEntityAsync("s00", Key(7));

        await AssertFirstProblemAsync(AuditProblemKind.Missing, 7);
    }

    [Fact]
    public async Task Verify_ForgedRowInsertedWithRecomputedHash_NamesIt()
    {
        // A forged event 12 that chains correctly to event 11 replaces the real one.
        var previous = (await _host.EventsTable.GetEntityAsync<TableEntity>("s00", Key(11))).Value;
        var forgedRecord = new AuditRecord("s00", 12, DateTimeOffset.UnixEpoch, (string)previous["Hash"], null, AuditEvents.Ingest(77));
        var body = AuditCanonicalForm.Serialize(forgedRecord);
        await _host.EventsTable.DeleteEntityAsync("s00", Key(12));
        await _host.EventsTable.AddEntityAsync(new TableEntity("s00", Key(12))
        {
            ["Body"] = body,
            ["Hash"] = AuditHashing.Sha256Hex(body),
            ["Type"] = "INGEST",
            ["OccurredAt"] = DateTimeOffset.UnixEpoch,
            ["Seq"] = 12L,
        });

        await AssertFirstProblemAsync(AuditProblemKind.ChainBroken, 12);
    }

    [Fact]
    public async Task Verify_ExtraRowInsertedBetweenEvents_ReportedAsForged()
    {
        var copy = (await _host.EventsTable.GetEntityAsync<TableEntity>("s00", Key(4))).Value;
        await _host.EventsTable.AddEntityAsync(new TableEntity("s00", Key(4) + "a") { ["Body"] = copy["Body"], ["Hash"] = copy["Hash"] });

        var report = await _host.Verifier.VerifyAsync();

        Assert.False(report.Intact);
        Assert.Equal(AuditProblemKind.ForgedRow, report.FirstProblem!.Kind);
        Assert.Equal(Key(4) + "a", report.FirstProblem.RowKey);
    }

    [Fact]
    public async Task Verify_TwoRowsSwapped_NamesTheFirstOfThem()
    {
        var a = (await _host.EventsTable.GetEntityAsync<TableEntity>("s00", Key(14))).Value;
        var b = (await _host.EventsTable.GetEntityAsync<TableEntity>("s00", Key(15))).Value;
        foreach (var column in (string[])["Body", "Hash", "Type", "OccurredAt", "Seq"])
        {
            (a[column], b[column]) = (b[column], a[column]);
        }

        await _host.EventsTable.UpdateEntityAsync(a, ETag.All, TableUpdateMode.Replace);
        await _host.EventsTable.UpdateEntityAsync(b, ETag.All, TableUpdateMode.Replace);

        await AssertFirstProblemAsync(AuditProblemKind.Misplaced, 14);
    }

    [Fact]
    public async Task Verify_TailCut_NamesTheFirstMissingSealedEvent()
    {
        foreach (var sequence in new long[] { 20, 21, 22 })
        {
            await _host.EventsTable.DeleteEntityAsync("s00", Key(sequence));
        }

        var report = await _host.Verifier.VerifyAsync();

        Assert.False(report.Intact);
        Assert.Equal((AuditProblemKind.Truncated, "s00", 20L), (report.FirstProblem!.Kind, report.FirstProblem.Stream, report.FirstProblem.Sequence));
        Assert.Contains(report.Problems, p => p.Kind == AuditProblemKind.SealHead && p.Sequence == 21);
    }

    [Fact]
    public async Task Verify_SealBodyAltered_NamesTheSeal()
    {
        var seal = (await _host.SealsTable.GetEntityAsync<TableEntity>("seals", Key(1))).Value;
        seal["Body"] = ((string)seal["Body"]).Replace("\"seq\":21", "\"seq\":19", StringComparison.Ordinal);
        await _host.SealsTable.UpdateEntityAsync(seal, ETag.All, TableUpdateMode.Replace);

        var report = await _host.Verifier.VerifyAsync();

        Assert.False(report.Intact);
        Assert.Equal(1, report.FirstProblem!.Seal);
        Assert.Contains(report.Problems, p => p.Kind == AuditProblemKind.SealSignature);
        Assert.Contains(report.Problems, p => p.Kind == AuditProblemKind.SealMerkle);
    }

    [Fact]
    public async Task Verify_SealSignatureReplaced_BadSignature()
    {
        var seal = (await _host.SealsTable.GetEntityAsync<TableEntity>("seals", Key(1))).Value;
        seal["Signature"] = Convert.ToBase64String(new byte[32]);
        await _host.SealsTable.UpdateEntityAsync(seal, ETag.All, TableUpdateMode.Replace);

        var report = await _host.Verifier.VerifyAsync();

        Assert.Equal((AuditProblemKind.SealSignature, 1L), (report.FirstProblem!.Kind, report.FirstProblem.Seal));
    }

    private static string Key(long sequence) => (long.MaxValue - sequence).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    private async Task EditAsync(long sequence, Action<TableEntity> edit)
    {
        var entity = (await _host.EventsTable.GetEntityAsync<TableEntity>("s00", Key(sequence))).Value;
        edit(entity);
        await _host.EventsTable.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Replace);
    }

    private async Task AssertFirstProblemAsync(AuditProblemKind kind, long sequence)
    {
        var report = await _host.Verifier.VerifyAsync();

        Assert.False(report.Intact);
        Assert.Equal((kind, "s00", sequence), (report.FirstProblem!.Kind, report.FirstProblem.Stream, report.FirstProblem.Sequence));
    }
}
