using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Compliance.Core.Audit;
using Compliance.TestSupport;

namespace Compliance.Benchmarks;

/// <summary>
/// A read-only audit event store over local files, for measuring the verifier's own memory at a million events:
/// Azurite answers each insert with a scan of the whole table, so filling it with a million rows would take
/// longer than the whole benchmark budget. The trail is written once with the product's canonical form and
/// hashing, as fixed-size records (so the record of any sequence number is found by its offset, and a range read
/// costs only the records in the range), and read back newest first a page of 1,000 records at a time, as the
/// Table Storage store pages.
/// </summary>
internal sealed class FileBackedAuditEventStore : IAuditEventStore, IDisposable
{
    private const int RecordSize = 640;
    private const int PageSize = 1000;

    private readonly string _directory;
    private readonly Dictionary<string, long> _counts;

    private FileBackedAuditEventStore(string directory, Dictionary<string, long> counts)
    {
        _directory = directory;
        _counts = counts;
    }

    /// <summary>Writes a valid trail of <paramref name="events"/> INGEST events, all at one instant, spread evenly over <paramref name="streams"/> streams.</summary>
    public static Task<FileBackedAuditEventStore> CreateAsync(string directory, int events, int streams, CancellationToken cancellationToken)
    {
        var occurredAt = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
        var template = AuditEvents.Ingest(1);
        return CreateAsync(directory, events, streams, (_, _, _) => (template, occurredAt), cancellationToken);
    }

    /// <summary>
    /// Writes a valid trail of <paramref name="events"/> events spread evenly over <paramref name="streams"/> streams;
    /// <paramref name="eventAt"/> gives the event and its time for (stream index, sequence, events in the stream).
    /// Times must not decrease within a stream, as the writer's clock never does.
    /// </summary>
    public static async Task<FileBackedAuditEventStore> CreateAsync(string directory, int events, int streams, Func<int, long, long, (AuditEvent Event, DateTimeOffset OccurredAt)> eventAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventAt);
        Directory.CreateDirectory(directory);
        var counts = new Dictionary<string, long>();
        for (var s = 0; s < streams; s++)
        {
            var stream = AuditOptions.StreamName(s);
            var perStream = events / streams + (s < events % streams ? 1 : 0);
            await using var file = new FileStream(Path.Combine(directory, stream), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
            var previous = AuditHashing.Genesis;
            var record = new byte[RecordSize];
            for (long seq = 1; seq <= perStream; seq++)
            {
                var (auditEvent, occurredAt) = eventAt(s, seq, perStream);
                var body = AuditCanonicalForm.Serialize(new AuditRecord(stream, seq, occurredAt, previous, null, auditEvent));
                var hash = AuditHashing.Sha256Hex(body);
                Array.Fill(record, (byte)' ');
                var length = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{hash}\t{auditEvent.Type.ToName()}\t{occurredAt.UtcTicks}\t{body}"), record);
                if (length >= RecordSize)
                {
                    throw new InvalidOperationException("An audit record does not fit the fixed record size.");
                }

                await file.WriteAsync(record, cancellationToken);
                previous = hash;
            }

            counts[stream] = perStream;
        }

        return new FileBackedAuditEventStore(directory, counts);
    }

    public Task<AuditChainHead?> GetHeadAsync(string stream, CancellationToken cancellationToken = default) =>
        Task.FromResult(_counts.TryGetValue(stream, out var count) && count > 0 ? new AuditChainHead(count, Read(stream, count).Hash!) : null);

    public Task<bool> TryAppendAsync(string stream, IReadOnlyList<AuditAppendRow> rows, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The file-backed store is read-only.");

    public Task<AuditChainHead?> FindByIdempotencyKeyAsync(string stream, string idempotencyKeyHash, CancellationToken cancellationToken = default) =>
        Task.FromResult<AuditChainHead?>(null);

    public Task<StoredAuditRow?> GetAsync(string stream, long sequence, CancellationToken cancellationToken = default) =>
        Task.FromResult(_counts.TryGetValue(stream, out var count) && sequence >= 1 && sequence <= count ? Read(stream, sequence) : null);

    public async IAsyncEnumerable<StoredAuditRow> ReadNewestFirstAsync(string stream, long afterSequence, long? upToSequence, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!_counts.TryGetValue(stream, out var count))
        {
            yield break;
        }

        await using var file = new FileStream(Path.Combine(_directory, stream), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        // Only the records in the range are read: a window costs what is in it, however long the stream.
        var newest = Math.Min(count, upToSequence ?? count);
        var page = ArrayPool<byte>.Shared.Rent(RecordSize * (int)Math.Clamp(newest - afterSequence, 1, PageSize));
        try
        {
            for (var top = newest; top > afterSequence; top -= PageSize)
            {
                var bottom = Math.Max(afterSequence + 1, top - PageSize + 1);
                var records = (int)(top - bottom + 1);
                file.Seek((bottom - 1) * RecordSize, SeekOrigin.Begin);
                await file.ReadExactlyAsync(page.AsMemory(0, records * RecordSize), cancellationToken);
                for (var i = records - 1; i >= 0; i--)
                {
                    yield return Parse(stream, bottom + i, page.AsSpan(i * RecordSize, RecordSize));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(page);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private StoredAuditRow Read(string stream, long sequence)
    {
        using var file = new FileStream(Path.Combine(_directory, stream), FileMode.Open, FileAccess.Read, FileShare.Read);
        var record = new byte[RecordSize];
        file.Seek((sequence - 1) * RecordSize, SeekOrigin.Begin);
        file.ReadExactly(record);
        return Parse(stream, sequence, record);
    }

    private static StoredAuditRow Parse(string stream, long sequence, ReadOnlySpan<byte> record)
    {
        // hash, type, time (UTC ticks) and body, tab-separated: the columns the Table Storage store keeps beside the body.
        var text = Encoding.UTF8.GetString(record).TrimEnd();
        var parts = text.Split('\t', 4);
        var rowKey = (long.MaxValue - sequence).ToString("D19", CultureInfo.InvariantCulture);
        var occurredAt = new DateTimeOffset(long.Parse(parts[2], CultureInfo.InvariantCulture), TimeSpan.Zero);
        return new StoredAuditRow(stream, rowKey, sequence, parts[3], parts[0], parts[1], occurredAt, sequence);
    }
}
