using System.Globalization;
using System.Runtime.CompilerServices;
using Compliance.Core.Audit;

namespace Compliance.Core.Reports;

/// <summary>What reading a sealed trail found about its integrity (controls LOG-1), with a few samples of each problem.</summary>
public sealed class ChainCheck
{
    private readonly List<string> _samples = [];

    /// <summary>Events read, parsed and hashed.</summary>
    public long Events { get; internal set; }

    /// <summary>Events whose stored hash, or whose link to the event before, does not match: modified, inserted or reordered.</summary>
    public long Mismatches { get; internal set; }

    /// <summary>Sequence numbers missing from a stream up to its sealed head: deleted or truncated events.</summary>
    public long Gaps { get; internal set; }

    /// <summary>Rows that cannot be read as events, or whose key is not a sequence key.</summary>
    public long Unreadable { get; internal set; }

    /// <summary>The first problems found, as <c>stream/sequence: what</c>.</summary>
    public IReadOnlyList<string> Samples => _samples;

    public bool Intact => Mismatches == 0 && Gaps == 0 && Unreadable == 0;

    internal void Mismatch(string stream, long sequence, string what)
    {
        Mismatches++;
        Sample(stream, sequence, what);
    }

    internal void Gap(string stream, long from, long to)
    {
        Gaps += to - from + 1;
        Sample(stream, from, from == to ? "missing" : string.Create(CultureInfo.InvariantCulture, $"missing up to {to}"));
    }

    internal void Unread(string stream, long? sequence, string what)
    {
        Unreadable++;
        Sample(stream, sequence ?? 0, what);
    }

    private void Sample(string stream, long sequence, string what)
    {
        if (_samples.Count < ComplianceReport.MaxSampleEvents)
        {
            _samples.Add(SealedAuditReader.EventId(stream, sequence) + ": " + what);
        }
    }
}

/// <summary>
/// Reads exactly the events a seal covers, oldest first across all streams (merged by time, then stream, then
/// sequence), and checks each stream's chain on the way: every body hashes to its stored hash, links to the event
/// before it, and the stream ends at the sealed head. Each stream is read a window of
/// <see cref="Window"/> sequence numbers at a time (one range query), so memory stays at one window per stream
/// however long the trail. What is not covered by the seal is not read: the same seal gives the same events.
/// </summary>
public sealed class SealedAuditReader(IAuditEventStore store)
{
    public const int Window = 1_000;

    /// <summary>The id reports use for an event: <c>stream/sequence</c>.</summary>
    public static string EventId(string stream, long sequence) => string.Create(CultureInfo.InvariantCulture, $"{stream}/{sequence}");

    public async IAsyncEnumerable<AuditRecord> ReadAsync(AuditSeal seal, ChainCheck check, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seal);
        ArgumentNullException.ThrowIfNull(check);
        var queue = new PriorityQueue<IAsyncEnumerator<AuditRecord>, (DateTimeOffset At, string Stream, long Sequence)>(Order.Instance);
        var open = new List<IAsyncEnumerator<AuditRecord>>();
        try
        {
            foreach (var head in seal.Heads.Where(h => h.Sequence > 0).OrderBy(h => h.Stream, StringComparer.Ordinal))
            {
                var stream = StreamAsync(head, check, cancellationToken).GetAsyncEnumerator(cancellationToken);
                open.Add(stream);
                if (await stream.MoveNextAsync().ConfigureAwait(false))
                {
                    queue.Enqueue(stream, Key(stream.Current));
                }
            }

            while (queue.TryDequeue(out var stream, out _))
            {
                yield return stream.Current;
                if (await stream.MoveNextAsync().ConfigureAwait(false))
                {
                    queue.Enqueue(stream, Key(stream.Current));
                }
            }
        }
        finally
        {
            foreach (var stream in open)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static (DateTimeOffset, string, long) Key(AuditRecord record) => (record.OccurredAt, record.Stream, record.Sequence);

    private async IAsyncEnumerable<AuditRecord> StreamAsync(SealedStreamHead head, ChainCheck check, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? previousHash = AuditHashing.Genesis;
        long expected = 1;
        for (long start = 1; start <= head.Sequence; start += Window)
        {
            var end = Math.Min(head.Sequence, start + Window - 1);
            var rows = new List<StoredAuditRow>(Window);
            await foreach (var row in store.ReadNewestFirstAsync(head.Stream, start - 1, end, cancellationToken).ConfigureAwait(false))
            {
                rows.Add(row);
            }

            rows.Reverse();
            foreach (var row in rows)
            {
                if (row.Sequence is not { } sequence)
                {
                    check.Unread(head.Stream, null, $"row '{row.RowKey}' is not an event");
                    continue;
                }

                if (sequence > expected)
                {
                    check.Gap(head.Stream, expected, sequence - 1);
                    previousHash = null; // the link before a gap cannot be checked
                }

                expected = sequence + 1;
                if (row.Body is null)
                {
                    check.Unread(head.Stream, sequence, "no body");
                    previousHash = null;
                    continue;
                }

                AuditRecord record;
                try
                {
                    record = AuditCanonicalForm.Parse(row.Body);
                }
                catch (FormatException ex)
                {
                    check.Unread(head.Stream, sequence, "unreadable: " + ex.Message);
                    previousHash = null;
                    continue;
                }

                check.Events++;
                var hash = AuditHashing.Sha256Hex(row.Body);
                if (hash != row.Hash)
                {
                    check.Mismatch(head.Stream, sequence, "the body does not hash to the stored hash (modified)");
                }
                else if (previousHash is not null && record.PreviousHash != previousHash)
                {
                    check.Mismatch(head.Stream, sequence, "does not link to the event before it (inserted, replaced or reordered)");
                }
                else if (record.Stream != head.Stream || record.Sequence != sequence)
                {
                    check.Mismatch(head.Stream, sequence, "names another stream or sequence than where it is stored");
                }

                // After a modified body, the next event still links to the hash stored with it: only the modified one is flagged.
                previousHash = hash == row.Hash ? hash : row.Hash;
                yield return record;
            }
        }

        if (expected <= head.Sequence)
        {
            check.Gap(head.Stream, expected, head.Sequence);
        }
        else if (previousHash is not null && previousHash != head.Hash)
        {
            check.Mismatch(head.Stream, head.Sequence, "is not the head the seal signed (truncated or rewritten)");
        }
    }

    private sealed class Order : IComparer<(DateTimeOffset At, string Stream, long Sequence)>
    {
        public static readonly Order Instance = new();

        public int Compare((DateTimeOffset At, string Stream, long Sequence) x, (DateTimeOffset At, string Stream, long Sequence) y)
        {
            var at = x.At.CompareTo(y.At);
            if (at != 0)
            {
                return at;
            }

            var stream = string.CompareOrdinal(x.Stream, y.Stream);
            return stream != 0 ? stream : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
