using System.Runtime.CompilerServices;
using Compliance.Core.Audit;

namespace Compliance.TestSupport;

/// <summary>
/// The audit event store's contract in memory: atomic conditional inserts, newest-first reads. For unit tests of
/// the writer, sealer and verifier; Azurite-backed tests cover the Table Storage implementation.
/// </summary>
public sealed class InMemoryAuditEventStore : IAuditEventStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SortedDictionary<long, StoredAuditRow>> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), AuditChainHead> _markers = [];

    /// <summary>Runs before every append; a test can append on another writer's behalf here to force a conflict, or throw.</summary>
    public Func<string, Task>? BeforeAppend { get; set; }

    public int AppendCalls { get; private set; }

    public IReadOnlyList<StoredAuditRow> Rows(string stream)
    {
        lock (_gate)
        {
            return _streams.TryGetValue(stream, out var rows) ? [.. rows.Values] : [];
        }
    }

    public IEnumerable<string> Streams
    {
        get
        {
            lock (_gate)
            {
                return [.. _streams.Keys];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _streams.Values.Sum(s => s.Count);
            }
        }
    }

    public Task<AuditChainHead?> GetHeadAsync(string stream, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_streams.TryGetValue(stream, out var rows) && rows.Count > 0
                ? new AuditChainHead(rows.Keys.Max(), rows[rows.Keys.Max()].Hash!)
                : null);
        }
    }

    public async Task<bool> TryAppendAsync(string stream, IReadOnlyList<AuditAppendRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        AppendCalls++;
        if (BeforeAppend is { } hook)
        {
            await hook(stream);
        }

        if (rows.Count + rows.Count(r => r.IdempotencyKeyHash is not null) > 100)
        {
            throw new InvalidOperationException("A batch may hold at most 100 rows.");
        }

        lock (_gate)
        {
            var existing = _streams.TryGetValue(stream, out var s) ? s : _streams[stream] = [];
            if (rows.Any(r => existing.ContainsKey(r.Sequence) || (r.IdempotencyKeyHash is { } k && _markers.ContainsKey((stream, k)))))
            {
                return false;
            }

            foreach (var row in rows)
            {
                existing[row.Sequence] = new StoredAuditRow(stream, row.Sequence.ToString("D19", System.Globalization.CultureInfo.InvariantCulture), row.Sequence, row.Body, row.Hash, row.Type.ToName(), row.OccurredAt, row.Sequence);
                if (row.IdempotencyKeyHash is { } key)
                {
                    _markers[(stream, key)] = new AuditChainHead(row.Sequence, row.Hash);
                }
            }

            return true;
        }
    }

    public Task<AuditChainHead?> FindByIdempotencyKeyAsync(string stream, string idempotencyKeyHash, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_markers.TryGetValue((stream, idempotencyKeyHash), out var head) ? head : null);
        }
    }

    public Task<StoredAuditRow?> GetAsync(string stream, long sequence, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_streams.TryGetValue(stream, out var rows) && rows.TryGetValue(sequence, out var row) ? row : null);
        }
    }

    public async IAsyncEnumerable<StoredAuditRow> ReadNewestFirstAsync(string stream, long afterSequence, long? upToSequence, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<StoredAuditRow> rows;
        lock (_gate)
        {
            rows = _streams.TryGetValue(stream, out var s)
                ? [.. s.Values.Where(r => r.Sequence > afterSequence && (upToSequence is null || r.Sequence <= upToSequence)).Reverse()]
                : [];
        }

        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    /// <summary>Replaces a stored row, as an attacker with write access could.</summary>
    public void Tamper(string stream, long sequence, Func<StoredAuditRow, StoredAuditRow?> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var rows = _streams[stream];
            if (change(rows[sequence]) is { } replacement)
            {
                rows[sequence] = replacement;
            }
            else
            {
                rows.Remove(sequence);
            }
        }
    }
}

/// <summary>The seal store's contract in memory.</summary>
public sealed class InMemoryAuditSealStore : IAuditSealStore
{
    private readonly object _gate = new();
    private readonly SortedDictionary<long, SignedAuditSeal> _seals = [];

    public IReadOnlyList<SignedAuditSeal> Seals
    {
        get
        {
            lock (_gate)
            {
                return [.. _seals.Values];
            }
        }
    }

    public Task<SignedAuditSeal?> GetLatestAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_seals.Count == 0 ? null : _seals[_seals.Keys.Max()]);
        }
    }

    public Task<bool> TryInsertAsync(SignedAuditSeal seal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seal);
        lock (_gate)
        {
            return Task.FromResult(_seals.TryAdd(seal.Seal.Number, seal));
        }
    }

    public async IAsyncEnumerable<StoredAuditSeal> ReadNewestFirstAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var seal in Seals.Reverse())
        {
            await Task.Yield();
            yield return new StoredAuditSeal(seal.Seal.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), seal.Seal.Number, seal.Seal.Body, seal.Signature);
        }
    }
}
