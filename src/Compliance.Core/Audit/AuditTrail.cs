using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Audit;

/// <summary>
/// Appends events to hash-chained streams. Each writer has a home stream picked at random, so instances
/// spread out; an append that loses the race for a sequence number (conditional insert conflict) re-reads
/// the head, re-chains and retries, and after repeated conflicts moves to another stream. Events with an
/// idempotency key always go to the stream their key hashes to, with a marker row in the same atomic batch,
/// so a retried job records them once.
/// </summary>
internal sealed partial class AuditTrail : IAuditTrail
{
    private const int MaxRowsPerBatch = 100;

    private readonly IAuditEventStore _store;
    private readonly AuditEventGuard _guard;
    private readonly TimeProvider _clock;
    private readonly ILogger<AuditTrail> _logger;
    private readonly AuditOptions _options;
    private readonly ConcurrentDictionary<string, AuditChainHead?> _heads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private int _homeStream;

    public AuditTrail(IAuditEventStore store, AuditEventGuard guard, TimeProvider clock, IOptions<AuditOptions> options, ILogger<AuditTrail> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _guard = guard;
        _clock = clock;
        _logger = logger;
        _options = options.Value;
        _homeStream = RandomNumberGenerator.GetInt32(_options.StreamCount);
    }

    public async Task<AuditReceipt> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        (await AppendBatchAsync([auditEvent], cancellationToken).ConfigureAwait(false))[0];

    public async Task<IReadOnlyList<AuditReceipt>> AppendBatchAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        foreach (var auditEvent in auditEvents)
        {
            _guard.Check(auditEvent);
        }

        var receipts = new AuditReceipt?[auditEvents.Count];
        var pending = Enumerable.Range(0, auditEvents.Count)
            .Select(i => new Pending(i, auditEvents[i], auditEvents[i].IdempotencyKey is { } key ? AuditHashing.Sha256Hex(key) : null))
            .ToList();
        var groupHashes = auditEvents.Select(e => e.IdempotencyGroup).OfType<string>().Distinct(StringComparer.Ordinal).ToDictionary(g => g, AuditHashing.Sha256Hex, StringComparer.Ordinal);
        string? StreamOf(Pending p) => p.KeyHash is null ? null : StreamForKey(p.Event.IdempotencyGroup is { } group ? groupHashes[group] : p.KeyHash);

        // Keyed events are pinned to their key's stream; the rest follow the home stream. Streams are independent
        // chains with their own locks, so their appends run concurrently; within a stream, chunks go in order.
        await Task.WhenAll(pending.GroupBy(StreamOf).Select(group => AppendGroupAsync(group, receipts, cancellationToken))).ConfigureAwait(false);
        return receipts.Select(r => r!).ToList();
    }

    private async Task AppendGroupAsync(IGrouping<string?, Pending> group, AuditReceipt?[] receipts, CancellationToken cancellationToken)
    {
        var items = group.ToList();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in items.Where(i => i.KeyHash is not null).ToList())
        {
            if (seen.TryGetValue(item.KeyHash!, out var first))
            {
                items.Remove(item);
                item.DuplicateOf = first;
            }
            else
            {
                seen[item.KeyHash!] = item.Index;
            }
        }

        foreach (var chunk in Chunk(items))
        {
            await AppendChunkAsync(group.Key, chunk, receipts, cancellationToken).ConfigureAwait(false);
        }

        foreach (var duplicate in group.Where(p => p.DuplicateOf is not null))
        {
            receipts[duplicate.Index] = receipts[duplicate.DuplicateOf!.Value]! with { Duplicate = true };
        }
    }

    private async Task AppendChunkAsync(string? pinnedStream, List<Pending> chunk, AuditReceipt?[] receipts, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var stream = pinnedStream ?? AuditOptions.StreamName(Volatile.Read(ref _homeStream));
            var gate = _locks.GetOrAdd(stream, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_heads.TryGetValue(stream, out var head))
                {
                    head = await _store.GetHeadAsync(stream, cancellationToken).ConfigureAwait(false);
                }

                var rows = Chain(stream, head, chunk);
                if (await _store.TryAppendAsync(stream, rows, cancellationToken).ConfigureAwait(false))
                {
                    _heads[stream] = new AuditChainHead(rows[^1].Sequence, rows[^1].Hash);
                    for (var i = 0; i < chunk.Count; i++)
                    {
                        receipts[chunk[i].Index] = new AuditReceipt(stream, rows[i].Sequence, rows[i].Hash, Duplicate: false);
                    }

                    return;
                }

                _heads.TryRemove(stream, out _);
                await ResolveRecordedKeysAsync(stream, chunk, receipts, cancellationToken).ConfigureAwait(false);
                if (chunk.Count == 0)
                {
                    return;
                }
            }
            finally
            {
                gate.Release();
            }

            if (attempt + 1 >= _options.MaxConflictRetries)
            {
                throw new AuditAppendException($"Gave up appending to the audit trail after {attempt + 1} conflicting writes; nothing was recorded for this batch.");
            }

            LogConflict(_logger, stream, attempt + 1);
            if (pinnedStream is null && attempt % 3 == 2)
            {
                Volatile.Write(ref _homeStream, RandomNumberGenerator.GetInt32(_options.StreamCount));
            }
        }
    }

    /// <summary>After a conflict: events whose key is already recorded get the existing receipt and leave the chunk.</summary>
    private async Task ResolveRecordedKeysAsync(string stream, List<Pending> chunk, AuditReceipt?[] receipts, CancellationToken cancellationToken)
    {
        foreach (var item in chunk.Where(p => p.KeyHash is not null).ToList())
        {
            if (await _store.FindByIdempotencyKeyAsync(stream, item.KeyHash!, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                receipts[item.Index] = new AuditReceipt(stream, existing.Sequence, existing.Hash, Duplicate: true);
                chunk.Remove(item);
            }
        }
    }

    private List<AuditAppendRow> Chain(string stream, AuditChainHead? head, List<Pending> chunk)
    {
        var rows = new List<AuditAppendRow>(chunk.Count);
        var sequence = head?.Sequence ?? 0;
        var previous = head?.Hash ?? AuditHashing.Genesis;
        var now = _clock.GetUtcNow();
        foreach (var item in chunk)
        {
            sequence++;
            var record = new AuditRecord(stream, sequence, now, previous, item.KeyHash, item.Event);
            var body = AuditCanonicalForm.Serialize(record);
            var hash = AuditHashing.Sha256Hex(body);
            rows.Add(new AuditAppendRow(sequence, body, hash, item.Event.Type, now, item.KeyHash));
            previous = hash;
        }

        return rows;
    }

    private string StreamForKey(string keyHash) => StreamForKey(keyHash, _options.StreamCount);

    /// <summary>The stream an event keyed (or grouped) by <paramref name="keyHash"/> lands in, so it can be found again by its key.</summary>
    internal static string StreamForKey(string keyHash, int streamCount) =>
        AuditOptions.StreamName((int)(Convert.ToUInt32(keyHash[..8], 16) % (uint)streamCount));

    /// <summary>Splits into atomic batches of at most 100 rows, counting one marker row per keyed event.</summary>
    private static IEnumerable<List<Pending>> Chunk(List<Pending> items)
    {
        var chunk = new List<Pending>();
        var rows = 0;
        foreach (var item in items)
        {
            var cost = item.KeyHash is null ? 1 : 2;
            if (rows + cost > MaxRowsPerBatch)
            {
                yield return chunk;
                chunk = [];
                rows = 0;
            }

            chunk.Add(item);
            rows += cost;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Audit stream {Stream}: lost a race for the next sequence number (attempt {Attempt}); re-chaining")]
    private static partial void LogConflict(ILogger logger, string stream, int attempt);

    private sealed class Pending(int index, AuditEvent auditEvent, string? keyHash)
    {
        public int Index { get; } = index;

        public AuditEvent Event { get; } = auditEvent;

        public string? KeyHash { get; } = keyHash;

        public int? DuplicateOf { get; set; }
    }
}

/// <summary>An append could not be completed; nothing of the failed batch was recorded.</summary>
public sealed class AuditAppendException : Exception
{
    public AuditAppendException()
    {
    }

    public AuditAppendException(string message)
        : base(message)
    {
    }

    public AuditAppendException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
