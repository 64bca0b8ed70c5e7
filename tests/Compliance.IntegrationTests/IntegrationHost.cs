using Azure.Data.Tables;
using Compliance.Core.Audit;
using Compliance.Core.Holds;
using Compliance.Core.Ingestion;
using Compliance.Core.Hosting;
using Compliance.Core.Keys;
using Compliance.Core.Setup;
using Compliance.Core.SubjectKeys;
using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;
using Compliance.Storage;
using Compliance.Storage.Hosting;
using Compliance.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.IntegrationTests;

/// <summary>The core services against Azurite, on resource names of their own and a throwaway development key store.</summary>
internal sealed class IntegrationHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly TemporaryDirectory? _ownedKeys;

    private IntegrationHost(string suffix, string keyDirectory, int streamCount, TemporaryDirectory? ownedKeys, TimeProvider clock)
    {
        Suffix = suffix;
        KeyDirectory = keyDirectory;
        _ownedKeys = ownedKeys;
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(clock)
            .AddComplianceCore(
                configureLocalKeys: k =>
                {
                    k.Directory = keyDirectory;
                    k.RootKeySize = 2048;
                },
                configureAudit: a => a.StreamCount = streamCount)
            .AddComplianceStorage(s =>
            {
                s.Account = AzuriteStorage.ConnectionString;
                s.NameSuffix = suffix;
            })
            .BuildServiceProvider();
    }

    public string Suffix { get; }

    public string KeyDirectory { get; }

    public IAuditTrail Trail => _services.GetRequiredService<IAuditTrail>();

    public AuditSealService Sealer => _services.GetRequiredService<AuditSealService>();

    public AuditVerifier Verifier => _services.GetRequiredService<AuditVerifier>();

    public HoldService Holds => _services.GetRequiredService<HoldService>();

    public SubjectRegistry Subjects => _services.GetRequiredService<SubjectRegistry>();

    public TableClient SubjectsTable => _services.GetRequiredService<StorageClients>().Table(StorageLayout.Subjects);

    public KeyRotationService KeyRotation => _services.GetRequiredService<KeyRotationService>();

    public SubjectKeyService SubjectKeys => _services.GetRequiredService<SubjectKeyService>();

    public ISubjectKeyStore KeyStore => _services.GetRequiredService<ISubjectKeyStore>();

    public ITelemetryStore Telemetry => _services.GetRequiredService<ITelemetryStore>();

    public TelemetryProtector Protector => _services.GetRequiredService<TelemetryProtector>();

    public Compliance.Core.Access.AccessBroker Broker => _services.GetRequiredService<Compliance.Core.Access.AccessBroker>();

    public Compliance.Core.Access.TrainingExporter Exporter => _services.GetRequiredService<Compliance.Core.Access.TrainingExporter>();

    public Compliance.Core.Lineage.LineageService Lineage => _services.GetRequiredService<Compliance.Core.Lineage.LineageService>();

    public Compliance.Core.Retention.PurgeService Purge => _services.GetRequiredService<Compliance.Core.Retention.PurgeService>();

    public IngestionPipeline Ingestion => _services.GetRequiredService<IngestionPipeline>();

    public CryptoShredder Shredder => _services.GetRequiredService<CryptoShredder>();

    public Compliance.Core.Erasure.ErasureService Erasure => _services.GetRequiredService<Compliance.Core.Erasure.ErasureService>();

    public IServiceProvider Services => _services;

    public Compliance.Core.Policy.ActivePolicy Policy => _services.GetRequiredService<Compliance.Core.Policy.ActivePolicy>();

    /// <summary>The audit events of one type (for example <c>KEY_SHRED</c>), as stored rows.</summary>
    public async Task<List<TableEntity>> AuditEventsAsync(string type) =>
        await EventsTable.QueryAsync<TableEntity>(e => e.GetString("Type") == type).ToListAsync();

    /// <summary>Every table of this environment (its names end in <see cref="Suffix"/>), with its rows.</summary>
    public async IAsyncEnumerable<(string Table, TableEntity Row)> ScanAllTablesAsync()
    {
        var tables = _services.GetRequiredService<StorageClients>().Tables;
        await foreach (var table in tables.QueryAsync())
        {
            if (!table.Name.EndsWith(Suffix, StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var row in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                yield return (table.Name, row);
            }
        }
    }

    public IRootKeyCustody RootKeys => _services.GetRequiredService<IRootKeyCustody>();

    public TableClient SubjectKeysTable => _services.GetRequiredService<StorageClients>().Table(StorageLayout.SubjectKeys);

    public TableClient EventsTable => _services.GetRequiredService<StorageClients>().Table(StorageLayout.AuditEvents);

    public TableClient SealsTable => _services.GetRequiredService<StorageClients>().Table(StorageLayout.AuditSeals);

    /// <summary>Provisions fresh resources; <paramref name="clock"/> (default: the system clock) is the time every service reads.</summary>
    public static async Task<IntegrationHost> StartAsync(int streamCount = 1, TimeProvider? clock = null)
    {
        var keys = new TemporaryDirectory();
        var host = new IntegrationHost(AzuriteStorage.UniqueSuffix(), keys.Path, streamCount, keys, clock ?? TimeProvider.System);
        await host._services.GetRequiredService<IStorageProvisioner>().ProvisionAsync();
        return host;
    }

    /// <summary>A host over an environment someone else made (for example a CLI run): its resource suffix and key directory.</summary>
    public static IntegrationHost Attach(string suffix, string keyDirectory) => new(suffix, keyDirectory, 1, null, TimeProvider.System);

    /// <summary>Another instance over the same storage and key store, as a second function instance would be.</summary>
    public IntegrationHost Peer(int streamCount, TimeProvider? clock = null) => new(Suffix, KeyDirectory, streamCount, null, clock ?? TimeProvider.System);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _ownedKeys?.Dispose();
    }
}
