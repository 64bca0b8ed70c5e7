using Compliance.Core.Erasure;
using Compliance.Core.Ingestion;
using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;
using Compliance.IntegrationTests.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.IntegrationTests.Subjects;

/// <summary>DESIGN invariant 3: a rehired employee is enrolled again explicitly, under a new surrogate, with an audited reason.</summary>
public sealed class ReenrolmentTests
{
    private const string Actor = "operator:test";

    private static readonly DateOnly Day = DateOnly.FromDateTime(IngestionScenario.Start.UtcDateTime);

    [Fact]
    public async Task ReenrolAsync_ErasedEmployee_NewSurrogateAuditedOldDataStaysDestroyedAndCollectionWaitsForANotice()
    {
        await using var s = await ErasedAnaAsync();
        var old = (await s.Host.Subjects.FindAsync("ana"))!.Surrogate;
        var oldRecords = await s.Host.Telemetry.ReadSubjectAsync(old, "keystroke-dynamics", Day, Day).ToListAsync();

        var subject = await Service(s).ReenrolAsync("ana", ReenrolReason.Rehire, "HR-2291", Actor);

        Assert.NotEqual(old, subject.Surrogate);
        Assert.Equal(SubjectStatus.Active, subject.Status);
        Assert.Equal(s.Now, subject.EnrolledAt);
        Assert.Equal(subject, await s.Host.Subjects.FindAsync("ana"));

        // Audited under the new surrogate only: the trail never links the two pseudonyms.
        var body = Assert.Single(await s.Host.AuditEventsAsync("REENROL")).GetString("Body");
        Assert.Contains($"\"subject\":\"{subject.Surrogate}\"", body, StringComparison.Ordinal);
        Assert.Contains("\"reasonCode\":\"REHIRE\"", body, StringComparison.Ordinal);
        Assert.Contains("\"reference\":\"HR-2291\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(old, body, StringComparison.Ordinal);

        // The old records stay unreadable: their keys were destroyed, and re-enrolment brings nothing back.
        Assert.NotEmpty(oldRecords);
        foreach (var record in oldRecords)
        {
            var failure = await Assert.ThrowsAsync<RecordUnreadableException>(() => s.Host.Protector.OpenAsync(record, useCache: false));
            Assert.Equal(UnreadableReason.KeyShredded, failure.Reason);
        }

        // Nothing is collected until the new subject acknowledges a notice (once the gate's subject cache turns over).
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(IngestReasons.NoNotice, (await s.IngestOneAsync(IngestionScenario.Keystroke("ana", "k-rehired-1"))).Reason);
        await s.Host.Subjects.AcknowledgeNoticeAsync("ana", "2026-11", Actor);
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null((await s.IngestOneAsync(IngestionScenario.Keystroke("ana", "k-rehired-2", capturedAt: s.Now))).Reason);
        var stored = await s.Host.Telemetry.ReadSubjectAsync(subject.Surrogate, "keystroke-dynamics", Day, Day).ToListAsync();
        Assert.NotEmpty(await s.Host.Protector.OpenAsync(Assert.Single(stored), useCache: false));
    }

    [Fact]
    public async Task ReenrolAsync_RehiredEmployeeErasedAgain_TheNewSurrogateIsShredded()
    {
        await using var s = await ErasedAnaAsync();
        var rehired = await Service(s).ReenrolAsync("ana", ReenrolReason.Rehire, null, Actor);
        await s.Host.Subjects.AcknowledgeNoticeAsync("ana", "2026-11", Actor);
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null((await s.IngestOneAsync(IngestionScenario.Keystroke("ana", "k-rehired", capturedAt: s.Now))).Reason);

        var second = await s.Host.Erasure.EraseAsync(Submission("hr-0002"), "job:erasure");

        Assert.Equal(ErasureState.Completed, second.State);
        Assert.Equal(SubjectStatus.Erased, (await s.Host.Subjects.FindAsync("ana"))!.Status);
        var record = Assert.Single(await s.Host.Telemetry.ReadSubjectAsync(rehired.Surrogate, "keystroke-dynamics", Day, Day).ToListAsync());
        await Assert.ThrowsAsync<RecordUnreadableException>(() => s.Host.Protector.OpenAsync(record, useCache: false));
        Assert.Equal(2, (await s.Host.Erasure.ListAsync("ana")).Count);
    }

    [Fact]
    public async Task ReenrolAsync_ActiveOrUnknownEmployee_RefusedWithoutAWrite()
    {
        await using var s = await IngestionScenario.StartAsync(fullNotice: ["ana"]);
        var before = await s.Host.Subjects.FindAsync("ana");

        var active = await Assert.ThrowsAsync<ReenrolmentRefusedException>(() => Service(s).ReenrolAsync("ana", ReenrolReason.Rehire, null, Actor));
        var unknown = await Assert.ThrowsAsync<ReenrolmentRefusedException>(() => Service(s).ReenrolAsync("zed", ReenrolReason.Rehire, null, Actor));

        Assert.Equal(ReenrolmentRefusedException.NotErased, active.Code);
        Assert.Equal(ReenrolmentRefusedException.NotEnrolled, unknown.Code);
        Assert.Equal(before, await s.Host.Subjects.FindAsync("ana"));
        Assert.Null(await s.Host.Subjects.FindAsync("zed"));
        Assert.Empty(await s.Host.AuditEventsAsync("REENROL"));
    }

    [Fact]
    public async Task ReenrolAsync_ErasureStillOpen_RefusedUntilItCompletes()
    {
        await using var s = await IngestionScenario.StartAsync(fullNotice: ["ana"]);
        await s.IngestOneAsync(IngestionScenario.Keystroke("ana", "k-1"));
        await s.Host.Holds.PlaceAsync("ana", null, "LIT-7", "litigation", Actor);
        var held = await s.Host.Erasure.EraseAsync(Submission("hr-0001"), "job:erasure");
        await s.Host.Subjects.SetStatusAsync("ana", SubjectStatus.Erased);

        var refused = await Assert.ThrowsAsync<ReenrolmentRefusedException>(() => Service(s).ReenrolAsync("ana", ReenrolReason.Rehire, null, Actor));

        Assert.Equal(ErasureState.Held, held.State);
        Assert.Equal(ReenrolmentRefusedException.ErasureOpen, refused.Code);
        Assert.Contains(held.Id, refused.Message, StringComparison.Ordinal);
        Assert.Empty(await s.Host.AuditEventsAsync("REENROL"));
    }

    [Theory]
    [InlineData("Jane Doe")]
    [InlineData("")]
    [InlineData(".leading-dot")]
    [InlineData("a-reference-that-is-far-too-long-to-be-a-ticket-id-and-so-is-refused-x")]
    public async Task ReenrolAsync_ReferenceNotATicketId_RefusedBeforeAnythingIsRead(string reference)
    {
        await using var s = await ErasedAnaAsync();

        var refused = await Assert.ThrowsAsync<ReenrolmentRefusedException>(() => Service(s).ReenrolAsync("ana", ReenrolReason.Other, reference, Actor));

        Assert.Equal(ReenrolmentRefusedException.InvalidReference, refused.Code);
        Assert.Equal(SubjectStatus.Erased, (await s.Host.Subjects.FindAsync("ana"))!.Status);
    }

    [Fact]
    public async Task ReenrolAsync_KilledAfterTheFirstStep_TheRetryEndsWithTheSameSurrogateAndOneEvent()
    {
        await using var s = await ErasedAnaAsync();
        var store = s.Host.Services.GetRequiredService<ISubjectStore>();
        var lookup = await s.Host.Subjects.LookupKeyAsync("ana", CancellationToken.None);
        var prepared = await store.PrepareReenrolmentAsync(lookup, SubjectSurrogate.New());

        // Still a tombstone between the steps: nothing can enrol or collect under either surrogate.
        await Assert.ThrowsAsync<SubjectErasedException>(() => s.Host.Subjects.EnrolAsync("ana"));
        var first = await Service(s).ReenrolAsync("ana", ReenrolReason.Rehire, null, Actor);
        var again = await Assert.ThrowsAsync<ReenrolmentRefusedException>(() => Service(s).ReenrolAsync("ana", ReenrolReason.Rehire, null, Actor));

        Assert.Equal(prepared!.Surrogate, first.Surrogate);
        Assert.Equal(ReenrolmentRefusedException.NotErased, again.Code);
        Assert.Single(await s.Host.AuditEventsAsync("REENROL"));
    }

    [Fact]
    public async Task ReenrolAsync_ErasureRequestArrivesMidWay_TheRequestWinsAndALaterRunReenrols()
    {
        await using var s = await ErasedAnaAsync();
        var old = (await s.Host.Subjects.FindAsync("ana"))!.Surrogate;
        var store = new AfterPrepare(s.Host.Services.GetRequiredService<ISubjectStore>(), () => s.Host.Erasure.EraseAsync(Submission("hr-0003"), "job:erasure"));
        var racing = new ReenrolmentService(
            s.Host.Subjects,
            store,
            s.Host.Services.GetRequiredService<IErasureStore>(),
            s.Host.Trail,
            s.Host.Services.GetRequiredService<Compliance.Core.Audit.AuditEventGuard>(),
            s.Clock);

        var refused = await Assert.ThrowsAsync<ReenrolmentRefusedException>(() => racing.ReenrolAsync("ana", ReenrolReason.Rehire, null, Actor));
        var still = await s.Host.Subjects.FindAsync("ana");
        var later = await Service(s).ReenrolAsync("ana", ReenrolReason.Rehire, null, Actor);

        // The request made while re-enrolment was under way is honoured first: the employee stays erased.
        Assert.Equal(ReenrolmentRefusedException.ErasureOpen, refused.Code);
        Assert.Equal((old, SubjectStatus.Erased), (still!.Surrogate, still.Status));
        var requests = await s.Host.Erasure.ListAsync("ana");
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(ErasureState.Completed, r.State));
        Assert.Equal(SubjectStatus.Active, later.Status);
        Assert.NotEqual(old, later.Surrogate);
    }

    [Fact]
    public async Task ReenrolAsync_TwoAtOnce_OneNewSurrogateAndOneEvent()
    {
        await using var s = await ErasedAnaAsync();

        var results = await Task.WhenAll(
            Capture(() => Service(s).ReenrolAsync("ana", ReenrolReason.Rehire, null, Actor)),
            Capture(() => Service(s).ReenrolAsync("ana", ReenrolReason.Rehire, null, Actor)));

        var surrogate = (await s.Host.Subjects.FindAsync("ana"))!.Surrogate;
        Assert.All(results, r => Assert.True(r.Subject?.Surrogate == surrogate || r.Refused?.Code == ReenrolmentRefusedException.NotErased));
        Assert.Contains(results, r => r.Subject is not null);
        Assert.Single(await s.Host.AuditEventsAsync("REENROL"));
    }

    /// <summary>The real subject store, running <paramref name="afterPrepare"/> once the re-enrolment's first step is done.</summary>
    private sealed class AfterPrepare(ISubjectStore inner, Func<Task> afterPrepare) : ISubjectStore
    {
        public Task<Subject?> FindAsync(string lookupKey, CancellationToken cancellationToken = default) => inner.FindAsync(lookupKey, cancellationToken);

        public Task<Subject> AddOrGetAsync(string lookupKey, Subject candidate, CancellationToken cancellationToken = default) => inner.AddOrGetAsync(lookupKey, candidate, cancellationToken);

        public Task<Subject> SetStatusAsync(string lookupKey, SubjectStatus status, CancellationToken cancellationToken = default) => inner.SetStatusAsync(lookupKey, status, cancellationToken);

        public async Task<PendingReenrolment?> PrepareReenrolmentAsync(string lookupKey, string candidate, CancellationToken cancellationToken = default)
        {
            var pending = await inner.PrepareReenrolmentAsync(lookupKey, candidate, cancellationToken);
            await afterPrepare();
            return pending;
        }

        public Task<Subject?> CompleteReenrolmentAsync(string lookupKey, PendingReenrolment pending, DateTimeOffset at, CancellationToken cancellationToken = default) => inner.CompleteReenrolmentAsync(lookupKey, pending, at, cancellationToken);

        public Task TouchAsync(string lookupKey, CancellationToken cancellationToken = default) => inner.TouchAsync(lookupKey, cancellationToken);

        public Task SaveAcknowledgementAsync(NoticeAcknowledgement acknowledgement, CancellationToken cancellationToken = default) => inner.SaveAcknowledgementAsync(acknowledgement, cancellationToken);

        public Task<IReadOnlyList<NoticeAcknowledgement>> GetAcknowledgementsAsync(string surrogate, CancellationToken cancellationToken = default) => inner.GetAcknowledgementsAsync(surrogate, cancellationToken);

        public Task SavePauseAsync(string surrogate, SubjectPause? pause, CancellationToken cancellationToken = default) => inner.SavePauseAsync(surrogate, pause, cancellationToken);

        public Task<SubjectPause?> GetPauseAsync(string surrogate, CancellationToken cancellationToken = default) => inner.GetPauseAsync(surrogate, cancellationToken);
    }

    private static async Task<(Subject? Subject, ReenrolmentRefusedException? Refused)> Capture(Func<Task<Subject>> reenrol)
    {
        try
        {
            return (await reenrol(), null);
        }
        catch (ReenrolmentRefusedException refused)
        {
            return (null, refused);
        }
    }

    private static ErasureSubmission Submission(string requestId) => new(requestId, "ana", ErasureReasons.Offboarding, null, false, "test");

    private static ReenrolmentService Service(IngestionScenario s) => s.Host.Services.GetRequiredService<ReenrolmentService>();

    /// <summary>Ana's keystrokes stored, then Ana erased completely.</summary>
    private static async Task<IngestionScenario> ErasedAnaAsync()
    {
        var s = await IngestionScenario.StartAsync(fullNotice: ["ana", "bo"]);
        Assert.Equal(2, (await s.IngestAsync(IngestionScenario.Keystroke("ana", "k-1"), IngestionScenario.Keystroke("bo", "k-2"))).Stored);
        var done = await s.Host.Erasure.EraseAsync(Submission("hr-0001"), "job:erasure");
        Assert.Equal(ErasureState.Completed, done.State);
        return s;
    }
}
