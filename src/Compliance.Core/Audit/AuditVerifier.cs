using System.Text;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Audit;

/// <summary>
/// Recomputes the audit trail: every seal's signature, Merkle root and chain, and every event's hash and
/// link, and finds modification, deletion, insertion, reordering, truncation and bad seals. With a period,
/// it checks the events between the seals that enclose it, anchored on both ends by signed heads. It
/// streams: memory does not grow with the number of events.
/// </summary>
public sealed class AuditVerifier(IAuditEventStore events, IAuditSealStore seals, IAuditSigner signer, IOptions<AuditOptions> options)
{
    public async Task<AuditVerificationReport> VerifyAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default)
    {
        if (from is not null && to is not null && to < from)
        {
            throw new ArgumentException($"The period ends ({to:O}) before it starts ({from:O}).", nameof(to));
        }

        var findings = new Findings();
        var sealPass = await VerifySealsAsync(from, to, findings, cancellationToken).ConfigureAwait(false);

        var streams = Enumerable.Range(0, options.Value.StreamCount).Select(AuditOptions.StreamName)
            .Union(sealPass.Latest?.Heads.Select(h => h.Stream) ?? [], StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        long eventsChecked = 0, eventsInPeriod = 0, unsealed = 0;
        foreach (var stream in streams)
        {
            var result = await VerifyStreamAsync(stream, sealPass, from, to, findings, cancellationToken).ConfigureAwait(false);
            eventsChecked += result.Checked;
            eventsInPeriod += result.InPeriod;
            unsealed += result.Unsealed;
        }

        return new AuditVerificationReport(
            from, to, eventsChecked, eventsInPeriod, streams.Count, sealPass.Count, sealPass.Latest?.Number, unsealed,
            findings.Count, findings.First, findings.Listed);
    }

    private async Task<SealPass> VerifySealsAsync(DateTimeOffset? from, DateTimeOffset? to, Findings findings, CancellationToken cancellationToken)
    {
        var pass = new SealPass();
        AuditSeal? newer = null;
        long? expectedNumber = null;
        await foreach (var row in seals.ReadNewestFirstAsync(cancellationToken).ConfigureAwait(false))
        {
            pass.Count++;
            AuditSeal seal;
            try
            {
                seal = AuditSeal.Parse(row.Body ?? throw new FormatException("no body"));
            }
            catch (FormatException ex)
            {
                findings.Add(new AuditProblem(AuditProblemKind.SealUnreadable, null, null, row.Number, row.RowKey, $"seal {row.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? row.RowKey} is unreadable: {ex.Message}"));
                newer = null;
                expectedNumber = row.Number - 1;
                continue;
            }

            void Fail(AuditProblemKind kind, string message) => findings.Add(new AuditProblem(kind, null, null, seal.Number, row.RowKey, message));

            if (row.Number != seal.Number)
            {
                Fail(AuditProblemKind.SealChain, $"seal {seal.Number} is stored under the key of seal {row.Number}");
            }

            if (expectedNumber is { } expected && seal.Number != expected)
            {
                Fail(AuditProblemKind.SealChain, $"seal {expected} is missing (found seal {seal.Number} after seal {expected + 1})");
            }

            if (newer is not null && newer.PreviousSealHash != seal.Hash)
            {
                Fail(AuditProblemKind.SealChain, $"seal {seal.Number} is not the seal that seal {newer.Number} chained to: it was altered or replaced");
            }

            if (!await SignatureValidAsync(seal, row.Signature, cancellationToken).ConfigureAwait(false))
            {
                Fail(AuditProblemKind.SealSignature, $"seal {seal.Number} has a bad signature (algorithm {seal.Algorithm}, key {seal.KeyId})");
            }

            if (MerkleTree.Root(seal.Heads) != seal.MerkleRoot)
            {
                Fail(AuditProblemKind.SealMerkle, $"seal {seal.Number}'s Merkle root does not match its stream heads");
            }

            await VerifySealHeadsAsync(seal, newer, findings, row.RowKey, cancellationToken).ConfigureAwait(false);

            pass.Latest ??= seal;
            if (from is not null && seal.SealedAt < from && pass.FromAnchor is null)
            {
                pass.FromAnchor = seal;
            }

            if (to is not null && seal.SealedAt >= to)
            {
                pass.ToAnchor = seal;
            }

            newer = seal;
            expectedNumber = seal.Number - 1;
        }

        if (newer is not null && newer.Number == 1 && newer.PreviousSealHash != AuditHashing.Genesis)
        {
            findings.Add(new AuditProblem(AuditProblemKind.SealChain, null, null, 1, "", "seal 1 does not start the seal chain"));
        }
        else if (expectedNumber is > 0)
        {
            findings.Add(new AuditProblem(AuditProblemKind.SealChain, null, null, expectedNumber, "", $"seals 1 to {expectedNumber} are missing"));
        }

        return pass;
    }

    private async Task<bool> SignatureValidAsync(AuditSeal seal, string? signature, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(signature ?? "");
        }
        catch (FormatException)
        {
            return false;
        }

        return await signer.VerifyAsync(Encoding.UTF8.GetBytes(seal.Body), bytes, seal.Algorithm, seal.KeyId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each head a seal names must be stored, unaltered. Heads unchanged since the newer seal were checked with it.</summary>
    private async Task VerifySealHeadsAsync(AuditSeal seal, AuditSeal? newer, Findings findings, string rowKey, CancellationToken cancellationToken)
    {
        foreach (var head in seal.Heads)
        {
            var newerHead = newer?.HeadOf(head.Stream);
            if (newerHead is not null && newerHead.Sequence < head.Sequence)
            {
                findings.Add(new AuditProblem(AuditProblemKind.SealChain, head.Stream, head.Sequence, seal.Number, rowKey, $"seal {newer!.Number} records stream {head.Stream} shorter than seal {seal.Number} did"));
            }

            if (newerHead == head)
            {
                continue;
            }

            var stored = await events.GetAsync(head.Stream, head.Sequence, cancellationToken).ConfigureAwait(false);
            if (stored?.Body is null || AuditHashing.Sha256Hex(stored.Body) != head.Hash)
            {
                findings.Add(new AuditProblem(
                    AuditProblemKind.SealHead, head.Stream, head.Sequence, seal.Number, rowKey,
                    $"seal {seal.Number} sealed event {head.Stream}#{head.Sequence}, which is {(stored is null ? "missing" : "not the event that was sealed")}"));
            }
        }
    }

    private async Task<StreamResult> VerifyStreamAsync(string stream, SealPass sealPass, DateTimeOffset? from, DateTimeOffset? to, Findings findings, CancellationToken cancellationToken)
    {
        var fromHead = sealPass.FromAnchor?.HeadOf(stream);
        var after = fromHead?.Sequence ?? 0;
        var afterHash = fromHead?.Hash ?? AuditHashing.Genesis;
        var upTo = sealPass.ToAnchor is null ? (long?)null : sealPass.ToAnchor.HeadOf(stream)?.Sequence ?? 0;
        var sealedUpTo = sealPass.Latest?.HeadOf(stream)?.Sequence ?? 0;
        var result = new StreamResult();

        void Fail(AuditProblemKind kind, long? sequence, string rowKey, string message) =>
            findings.Add(new AuditProblem(kind, stream, sequence, null, rowKey, message));

        Link? newer = null;
        long? newest = null;
        if (upTo is not null && upTo <= after)
        {
            return result;
        }

        await foreach (var row in events.ReadNewestFirstAsync(stream, after, upTo, cancellationToken).ConfigureAwait(false))
        {
            if (row.Sequence is not { } sequence)
            {
                Fail(AuditProblemKind.ForgedRow, null, row.RowKey, $"stream {stream} holds a row whose key '{row.RowKey}' is not an event sequence key");
                continue;
            }

            result.Checked++;
            var actualHash = row.Body is null ? null : AuditHashing.Sha256Hex(row.Body);
            AuditRecord? record = null;
            var trustworthy = actualHash is not null && actualHash == row.Hash;
            if (!trustworthy)
            {
                Fail(AuditProblemKind.Modified, sequence, row.RowKey, $"event {stream}#{sequence} was modified: its body does not match its hash");
            }

            try
            {
                record = row.Body is null ? null : AuditCanonicalForm.Parse(row.Body);
            }
            catch (FormatException ex)
            {
                Fail(AuditProblemKind.Unreadable, sequence, row.RowKey, $"event {stream}#{sequence} is unreadable: {ex.Message}");
            }

            if (record is not null)
            {
                if (record.Stream != stream || record.Sequence != sequence)
                {
                    trustworthy = false;
                    Fail(AuditProblemKind.Misplaced, sequence, row.RowKey, $"event {stream}#{sequence} holds the body of event {record.Stream}#{record.Sequence}: rows were moved or reordered");
                }
                else if (row.Type != record.Event.Type.ToName() || row.OccurredAt != record.OccurredAt || row.SequenceColumn != record.Sequence)
                {
                    Fail(AuditProblemKind.ColumnMismatch, sequence, row.RowKey, $"event {stream}#{sequence} was modified: its Type, OccurredAt or Seq column disagrees with its hashed body");
                }

                if ((from is null || record.OccurredAt >= from) && (to is null || record.OccurredAt < to))
                {
                    result.InPeriod++;
                }
            }

            // Chain with the stored hash, so an edit that left the hash alone is reported once, as Modified.
            var linkHash = row.Hash ?? actualHash ?? "";
            if (newer is null)
            {
                newest = sequence;
                if (upTo is { } expectedNewest && sequence != expectedNewest)
                {
                    Fail(AuditProblemKind.Missing, expectedNewest, "", $"event {stream}#{expectedNewest}, sealed as the end of the period, is missing");
                }
            }
            else if (sequence == newer.Sequence)
            {
                Fail(AuditProblemKind.Duplicate, sequence, row.RowKey, $"two rows claim to be event {stream}#{sequence}");
                continue;
            }
            else if (sequence != newer.Sequence - 1)
            {
                Fail(AuditProblemKind.Missing, sequence + 1, "", $"events {stream}#{sequence + 1} to #{newer.Sequence - 1} are missing: rows were deleted");
            }
            else if (newer.PreviousHash is not null && newer.PreviousHash != linkHash)
            {
                Fail(AuditProblemKind.ChainBroken, sequence, row.RowKey, $"event {stream}#{sequence} was altered or replaced: event #{newer.Sequence} chained to a different hash");
            }

            // A row already reported as altered or misplaced says nothing reliable about its predecessor.
            newer = new Link(sequence, trustworthy ? record?.PreviousHash : null);
        }

        if (newer is null)
        {
            var expected = upTo ?? sealedUpTo;
            if (expected > after)
            {
                Fail(AuditProblemKind.Truncated, after + 1, "", $"stream {stream} has no events after #{after}, but a seal recorded it up to #{expected}");
            }

            return result;
        }

        if (newer.Sequence != after + 1)
        {
            Fail(AuditProblemKind.Missing, after + 1, "", $"events {stream}#{after + 1} to #{newer.Sequence - 1} are missing: rows were deleted");
        }
        else if (newer.PreviousHash is not null && newer.PreviousHash != afterHash)
        {
            Fail(AuditProblemKind.ChainBroken, newer.Sequence, "", $"event {stream}#{newer.Sequence} does not chain to {(after == 0 ? "the start of the stream" : $"sealed event #{after}")}");
        }

        if (upTo is null && newest < sealedUpTo)
        {
            Fail(AuditProblemKind.Truncated, newest + 1, "", $"stream {stream} ends at #{newest}, but seal {sealPass.Latest!.Number} recorded it up to #{sealedUpTo}: its tail was cut");
        }

        result.Unsealed = upTo is null ? Math.Max(0, newest!.Value - sealedUpTo) : 0;
        return result;
    }

    private sealed record Link(long Sequence, string? PreviousHash);

    private sealed class SealPass
    {
        public long Count { get; set; }

        public AuditSeal? Latest { get; set; }

        public AuditSeal? FromAnchor { get; set; }

        public AuditSeal? ToAnchor { get; set; }
    }

    private sealed class StreamResult
    {
        public long Checked { get; set; }

        public long InPeriod { get; set; }

        public long Unsealed { get; set; }
    }

    /// <summary>Counts every problem, lists the first hundred, and keeps the earliest: seals first, then the lowest sequence number.</summary>
    private sealed class Findings
    {
        private readonly List<AuditProblem> _listed = [];

        public long Count { get; private set; }

        public AuditProblem? First { get; private set; }

        public IReadOnlyList<AuditProblem> Listed => [.. _listed.OrderBy(Order, Comparer)];

        public void Add(AuditProblem problem)
        {
            Count++;
            if (_listed.Count < AuditVerificationReport.MaxListedProblems)
            {
                _listed.Add(problem);
            }

            if (First is null || Comparer.Compare(Order(problem), Order(First)) < 0)
            {
                First = problem;
            }
        }

        private static readonly Comparer<(int Group, long Position, string Stream, int Source)> Comparer =
            Comparer<(int Group, long Position, string Stream, int Source)>.Create((a, b) =>
                a.Group != b.Group ? a.Group.CompareTo(b.Group)
                : a.Position != b.Position ? a.Position.CompareTo(b.Position)
                : string.CompareOrdinal(a.Stream, b.Stream) is var byStream and not 0 ? byStream
                : a.Source.CompareTo(b.Source));

        /// <summary>
        /// Problems with the seal chain itself first (oldest seal first); then problems located at an event, lowest
        /// sequence number first, where what was found at the event comes before what a seal says about it.
        /// </summary>
        private static (int Group, long Position, string Stream, int Source) Order(AuditProblem problem) => problem.Stream is null
            ? (0, problem.Seal ?? 0, "", 0)
            : (1, problem.Sequence ?? long.MaxValue, problem.Stream, problem.Seal is null ? 0 : 1);
    }
}
