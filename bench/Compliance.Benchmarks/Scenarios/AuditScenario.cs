using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Compliance.Core.Audit;
using Compliance.Core.Hosting;
using Compliance.Core.Setup;
using Compliance.Storage;
using Compliance.Storage.Hosting;
using Compliance.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Benchmarks.Scenarios;

/// <summary>
/// The audit trail against the raw SDK doing the same storage work:
/// <list type="bullet">
/// <item><c>append_vs_raw_insert</c>: append N events in batches (canonical form, hashing, chaining, conditional
/// batch inserts) against inserting the same entities, already serialized, in batches of 100 to one partition.</item>
/// <item><c>verify_vs_raw_scan_sha256</c>: verify a trail of M events against scanning the same table and
/// hashing every body with SHA-256.</item>
/// <item><c>verify_peak_memory_1m_vs_100k</c>: peak managed heap while verifying ten times as many events
/// (over file-backed trails: <see cref="FileBackedAuditEventStore"/> says why).</item>
/// </list>
/// Sizes come from BENCH_AUDIT_APPEND, BENCH_AUDIT_VERIFY and BENCH_AUDIT_LARGE.
/// </summary>
internal sealed class AuditScenario : IBenchmarkScenario
{
    private static readonly int AppendEvents = BenchSizes.Get("BENCH_AUDIT_APPEND", 20_000);
    private static readonly int VerifyEvents = BenchSizes.Get("BENCH_AUDIT_VERIFY", 100_000);
    private static readonly int LargeEvents = BenchSizes.Get("BENCH_AUDIT_LARGE", 1_000_000);
    private static readonly int MemorySmallEvents = LargeEvents / 10;
    private const int Samples = 5;

    public string Name => "audit";

    public string Description => $"append {AppendEvents} events x {Samples} samples; verify {VerifyEvents}; peak memory {VerifyEvents} vs {LargeEvents}";

    public async Task<IReadOnlyDictionary<string, double>> RunAsync(string connectionString, CancellationToken cancellationToken)
    {
        using var keys = new TemporaryDirectory();
        var run = Guid.NewGuid().ToString("N")[..6];
        var events = Enumerable.Range(0, AppendEvents).Select(i => AuditEvents.Ingest(i)).ToList();

        // Append: each sample writes into a fresh environment, product and raw alike.
        var append = await Sampler.CompareAsync(
            Samples,
            async s =>
            {
                await using var host = await StartAsync(connectionString, keys.Path, $"ap{run}{s + 2:00}", streamCount: 1, cancellationToken);
                await host.Services.GetRequiredService<IAuditTrail>().AppendBatchAsync(events, cancellationToken);
            },
            async s =>
            {
                var table = await CreateTableAsync(connectionString, $"auditevents" + $"ar{run}{s + 2:00}", cancellationToken);
                await RawInsertAsync(table, events.Count, cancellationToken);
            });

        // Verify: one trail of VerifyEvents, verified by the product and scanned by the raw SDK, interleaved.
        await using var verifyHost = await StartAsync(connectionString, keys.Path, $"vf{run}", streamCount: 16, cancellationToken);
        await FillAsync(verifyHost, VerifyEvents, cancellationToken);
        var verifier = verifyHost.Services.GetRequiredService<AuditVerifier>();
        var rawTable = verifyHost.Services.GetRequiredService<StorageClients>().Table(StorageLayout.AuditEvents);
        var verify = await Sampler.CompareAsync(
            Samples,
            async _ => Check(await verifier.VerifyAsync(cancellationToken: cancellationToken), VerifyEvents),
            async _ => await RawScanAndHashAsync(rawTable, VerifyEvents, cancellationToken));

        // Memory: the verifier over file-backed trails of the two sizes (see FileBackedAuditEventStore for why).
        var smallPeak = await PeakMemoryOverFilesAsync(verifyHost, keys.Path, MemorySmallEvents, cancellationToken);
        var largePeak = await PeakMemoryOverFilesAsync(verifyHost, keys.Path, LargeEvents, cancellationToken);

        return new Dictionary<string, double>
        {
            ["append_events"] = AppendEvents,
            ["append_product_ms"] = append.ProductMs,
            ["append_raw_insert_ms"] = append.RawMs,
            ["append_vs_raw_insert"] = append.Ratio,
            ["append_vs_raw_insert_spread"] = append.RatioSpread,
            ["verify_events"] = VerifyEvents,
            ["verify_product_ms"] = verify.ProductMs,
            ["verify_raw_scan_sha256_ms"] = verify.RawMs,
            ["verify_vs_raw_scan_sha256"] = verify.Ratio,
            ["verify_vs_raw_scan_sha256_spread"] = verify.RatioSpread,
            ["verify_peak_memory_small_events"] = MemorySmallEvents,
            ["verify_peak_memory_large_events"] = LargeEvents,
            ["verify_peak_memory_100k_mb"] = smallPeak / 1048576.0,
            ["verify_peak_memory_1m_mb"] = largePeak / 1048576.0,
            ["verify_peak_memory_1m_vs_100k"] = (double)largePeak / smallPeak,
        };
    }

    private static async Task<BenchHost> StartAsync(string connectionString, string keyDirectory, string suffix, int streamCount, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddComplianceCore(configureLocalKeys: k => k.Directory = keyDirectory, configureAudit: a => a.StreamCount = streamCount)
            .AddComplianceStorage(s =>
            {
                s.Account = connectionString;
                s.NameSuffix = suffix;
            })
            .BuildServiceProvider();
        await services.GetRequiredService<IStorageProvisioner>().ProvisionAsync(cancellationToken);
        return new BenchHost(services);
    }

    /// <summary>
    /// Fills a trail through the product's writer, in batches of 1,000. One writer: Azurite answers queries by
    /// scanning the whole table, so the head re-reads that racing writers cause grow with the table; one
    /// writer keeps its head cached and only inserts.
    /// </summary>
    private static async Task FillAsync(BenchHost host, int count, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var trail = host.Services.GetRequiredService<IAuditTrail>();
        var batch = Enumerable.Range(0, 1000).Select(i => AuditEvents.Ingest(i)).ToList();
        for (var done = 0; done < count; done += batch.Count)
        {
            await trail.AppendBatchAsync(batch.GetRange(0, Math.Min(batch.Count, count - done)), cancellationToken);
        }

        await Console.Error.WriteLineAsync($"  filled {count} audit events in {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s");
    }

    private static async Task<TableClient> CreateTableAsync(string connectionString, string name, CancellationToken cancellationToken)
    {
        var table = new TableServiceClient(connectionString).GetTableClient(name);
        await table.CreateIfNotExistsAsync(cancellationToken);
        return table;
    }

    /// <summary>The same storage work as an append, without the audit logic: pre-built entities of the same shape, 100 per transaction.</summary>
    private static async Task RawInsertAsync(TableClient table, int count, CancellationToken cancellationToken)
    {
        var body = AuditCanonicalForm.Serialize(new AuditRecord("s00", 1, DateTimeOffset.UnixEpoch, AuditHashing.Genesis, null, AuditEvents.Ingest()));
        var hash = AuditHashing.Sha256Hex(body);
        for (var start = 0; start < count; start += 100)
        {
            var actions = Enumerable.Range(start, Math.Min(100, count - start)).Select(i => new TableTransactionAction(
                TableTransactionActionType.Add,
                new TableEntity("s00", (long.MaxValue - i).ToString("D19", System.Globalization.CultureInfo.InvariantCulture))
                {
                    ["Body"] = body,
                    ["Hash"] = hash,
                    ["Type"] = "INGEST",
                    ["OccurredAt"] = DateTimeOffset.UnixEpoch,
                    ["Seq"] = (long)i,
                })).ToList();
            await table.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    /// <summary>
    /// The raw side of trail reads (this scenario's verify, and the report scenario): every row of the table, 1,000 a
    /// page, SHA-256 of every body; at least <paramref name="expected"/> bodies, or the comparison means nothing.
    /// </summary>
    internal static async Task RawScanAndHashAsync(TableClient table, int expected, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var entity in table.QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (entity.GetString("Body") is { } body)
            {
                _ = SHA256.HashData(Encoding.UTF8.GetBytes(body));
                count++;
            }
        }

        if (count < expected)
        {
            throw new InvalidOperationException($"The raw scan saw {count} events, expected {expected}.");
        }
    }

    private static void Check(AuditVerificationReport report, int expected)
    {
        if (!report.Intact || report.EventsChecked != expected)
        {
            throw new InvalidOperationException($"Benchmark trail did not verify: intact={report.Intact}, events={report.EventsChecked}, expected {expected}.");
        }
    }

    private static async Task<long> PeakMemoryOverFilesAsync(BenchHost host, string workDirectory, int events, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        using var store = await FileBackedAuditEventStore.CreateAsync(Path.Combine(workDirectory, "trail-" + events), events, streams: 16, cancellationToken);
        var verifier = new AuditVerifier(store, new InMemoryAuditSealStore(), host.Services.GetRequiredService<IAuditSigner>(), host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuditOptions>>());
        AuditVerificationReport? report = null;
        var peak = await PeakHeap.MeasureAsync(async () => report = await verifier.VerifyAsync(cancellationToken: cancellationToken));
        Check(report!, events);
        await Console.Error.WriteLineAsync($"  verified a file-backed trail of {events} events in {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s (including writing it)");
        return peak;
    }

    private sealed class BenchHost(ServiceProvider services) : IAsyncDisposable
    {
        public ServiceProvider Services { get; } = services;

        public ValueTask DisposeAsync() => Services.DisposeAsync();
    }
}
