using Azure;
using Azure.Data.Tables;
using Compliance.Core.Subjects;

namespace Compliance.IntegrationTests.Subjects;

public sealed class SubjectRegistryTests
{
    public static TheoryData<string> AwkwardEmployeeIds => new()
    {
        "E12345",
        "dept/42#7?x=%20",
        "  leading and trailing spaces  ",
        "Zoë Ærøskøbing",
        "李小龙",
        "'; DROP TABLE subjects; --",
    };

    [Theory]
    [MemberData(nameof(AwkwardEmployeeIds))]
    public async Task EnrolAsync_AnyEmployeeId_SameSurrogateEachTimeAndTheIdIsStoredNowhere(string employeeId)
    {
        await using var host = await IntegrationHost.StartAsync();

        var first = await host.Subjects.EnrolAsync(employeeId);
        var again = await host.Subjects.EnrolAsync(employeeId);
        var other = await host.Subjects.EnrolAsync(employeeId + "x");

        Assert.True(SubjectSurrogate.IsValid(first.Surrogate));
        Assert.Equal(first.Surrogate, again.Surrogate);
        Assert.NotEqual(first.Surrogate, other.Surrogate);
        await foreach (var row in host.SubjectsTable.QueryAsync<TableEntity>())
        {
            Assert.DoesNotContain(employeeId.Trim(), string.Join("|", row.PartitionKey, row.RowKey, string.Join("|", ((IDictionary<string, object>)row).Values)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EnrolAsync_ComposedAndDecomposedUnicode_SameSubject()
    {
        await using var host = await IntegrationHost.StartAsync();

        var composed = await host.Subjects.EnrolAsync("Zo\u00EB");
        var decomposed = await host.Subjects.EnrolAsync("Zoe\u0308");

        Assert.Equal(composed.Surrogate, decomposed.Surrogate);
    }

    [Fact]
    public async Task EnrolAsync_TwoInstancesAtOnce_OneSurrogate()
    {
        await using var first = await IntegrationHost.StartAsync();
        await using var second = first.Peer(streamCount: 1);

        var subjects = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? first : second).Subjects.EnrolAsync("E77777")));

        Assert.Single(subjects.Select(s => s.Surrogate).Distinct());
    }

    [Fact]
    public async Task EnrolAsync_ErasedEmployee_RefusedByTheTombstone()
    {
        await using var host = await IntegrationHost.StartAsync();
        await host.Subjects.EnrolAsync("E55555");
        var lookup = await host.SubjectsTable.QueryAsync<TableEntity>(e => e.PartitionKey.CompareTo("lookup-") >= 0).SingleAsync();
        lookup["Status"] = nameof(SubjectStatus.Erased);
        await host.SubjectsTable.UpdateEntityAsync(lookup, ETag.All);

        await Assert.ThrowsAsync<SubjectErasedException>(() => host.Subjects.EnrolAsync("E55555"));
    }

    [Fact]
    public async Task AcknowledgeNoticeAsync_KnownVersion_RecordedOnceAndAuditedWithoutTheId()
    {
        await using var host = await IntegrationHost.StartAsync();

        var acknowledgement = await host.Subjects.AcknowledgeNoticeAsync("E24680", "2026-09", "privacy-office");
        await host.Subjects.AcknowledgeNoticeAsync("E24680", "2026-09", "privacy-office");
        var categories = await host.Subjects.AcknowledgedCategoriesAsync(acknowledgement.Surrogate);

        Assert.Contains("keystroke-dynamics", categories);
        Assert.DoesNotContain("transcript", categories);
        var events = await host.AuditEventsAsync("NOTICE_ACK");
        var body = Assert.Single(events).GetString("Body");
        Assert.Contains(acknowledgement.Surrogate, body, StringComparison.Ordinal);
        Assert.DoesNotContain("E24680", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcknowledgeNoticeAsync_UnknownVersion_RefusedNamingTheKnownOnes()
    {
        await using var host = await IntegrationHost.StartAsync();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => host.Subjects.AcknowledgeNoticeAsync("E1", "2099-01", "privacy-office"));

        Assert.Contains("known versions: 2026-09, 2026-11", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcknowledgeNoticeAsync_AuditUnavailable_NothingRecorded()
    {
        await using var host = await IntegrationHost.StartAsync();
        var subject = await host.Subjects.EnrolAsync("E13579");
        await host.EventsTable.DeleteAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => host.Subjects.AcknowledgeNoticeAsync("E13579", "2026-11", "privacy-office"));

        Assert.Empty(await host.Subjects.AcknowledgedCategoriesAsync(subject.Surrogate));
    }

    [Fact]
    public async Task PauseAndResume_RecordedAndAudited()
    {
        await using var host = await IntegrationHost.StartAsync();

        var pause = await host.Subjects.PauseAsync("E11111", PauseReason.Objection, "hr-analytics");
        var paused = await host.Subjects.GetPauseAsync(pause.Surrogate);
        var resumed = await host.Subjects.ResumeAsync("E11111", "hr-analytics");
        var resumedAgain = await host.Subjects.ResumeAsync("E11111", "hr-analytics");

        Assert.Equal(PauseReason.Objection, paused!.Reason);
        Assert.True(resumed);
        Assert.False(resumedAgain);
        Assert.Null(await host.Subjects.GetPauseAsync(pause.Surrogate));
        var events = await host.AuditEventsAsync("PAUSE");
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Contains("\"reasonCode\":\"OBJECTION\"", e.GetString("Body"), StringComparison.Ordinal));
    }
}
