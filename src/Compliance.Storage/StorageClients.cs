using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Compliance.Core.Setup;
using Microsoft.Extensions.Options;

namespace Compliance.Storage;

/// <summary>
/// The service clients for the configured accounts: tables, queues and blobs in the operational account, and
/// tables and blobs in the audit account (the same clients when there is no separate audit account).
/// <see cref="Table"/> and <see cref="Container"/> pick the account each resource lives in
/// (<see cref="StorageResource.Account"/>). The clients' built-in retries are off: the Polly pipeline is the
/// single place that retries (see <see cref="Resilience.StorageResilience"/>).
/// </summary>
public sealed class StorageClients
{
    public StorageClients(IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        NameSuffix = settings.NameSuffix;

        var tableOptions = new TableClientOptions();
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var blobOptions = new BlobClientOptions();
        foreach (ClientOptions o in (ClientOptions[])[tableOptions, queueOptions, blobOptions])
        {
            o.Retry.MaxRetries = 0;
        }

        // One credential for both accounts, so they share its token cache.
        var credential = new Lazy<TokenCredential>(() => new DefaultAzureCredential());

        Tables = CreateTables(settings.Account);
        Queues = StorageOptions.IsConnectionString(settings.Account)
            ? new QueueServiceClient(settings.Account, queueOptions)
            : new QueueServiceClient(Endpoint(settings.Account, "queue"), credential.Value, queueOptions);
        Blobs = CreateBlobs(settings.Account);
        AuditTables = settings.UsesSeparateAuditAccount ? CreateTables(settings.AuditAccount!) : Tables;
        AuditBlobs = settings.UsesSeparateAuditAccount ? CreateBlobs(settings.AuditAccount!) : Blobs;

        TableServiceClient CreateTables(string account) => StorageOptions.IsConnectionString(account)
            ? new TableServiceClient(account, tableOptions)
            : new TableServiceClient(Endpoint(account, "table"), credential.Value, tableOptions);

        BlobServiceClient CreateBlobs(string account) => StorageOptions.IsConnectionString(account)
            ? new BlobServiceClient(account, blobOptions)
            : new BlobServiceClient(Endpoint(account, "blob"), credential.Value, blobOptions);
    }

    /// <summary>For tests: clients made elsewhere (for example mocks at the SDK seam), one account for everything.</summary>
    internal StorageClients(TableServiceClient tables, QueueServiceClient queues, BlobServiceClient blobs, string nameSuffix)
        : this(tables, queues, blobs, tables, blobs, nameSuffix)
    {
    }

    /// <summary>For tests: clients made elsewhere, with the audit account's tables and blobs apart.</summary>
    internal StorageClients(TableServiceClient tables, QueueServiceClient queues, BlobServiceClient blobs, TableServiceClient auditTables, BlobServiceClient auditBlobs, string nameSuffix)
    {
        Tables = tables;
        Queues = queues;
        Blobs = blobs;
        AuditTables = auditTables;
        AuditBlobs = auditBlobs;
        NameSuffix = nameSuffix;
    }

    /// <summary>Tables of the operational account, including the per-period telemetry tables.</summary>
    public TableServiceClient Tables { get; }

    /// <summary>Queues, always in the operational account (the queue triggers read them there).</summary>
    public QueueServiceClient Queues { get; }

    /// <summary>Blob containers of the operational account.</summary>
    public BlobServiceClient Blobs { get; }

    /// <summary>Tables of the audit account; <see cref="Tables"/> when there is no separate audit account.</summary>
    public TableServiceClient AuditTables { get; }

    /// <summary>Blob containers of the audit account; <see cref="Blobs"/> when there is no separate audit account.</summary>
    public BlobServiceClient AuditBlobs { get; }

    public string NameSuffix { get; }

    /// <summary>True when the audit account's clients are not the operational account's.</summary>
    public bool SeparateAuditAccount => !ReferenceEquals(AuditTables, Tables);

    /// <summary>The name of the account that holds resources of <paramref name="role"/>, for diagnostics (never a key).</summary>
    public string AccountName(StorageAccountRole role) => TablesIn(role).AccountName;

    public TableServiceClient TablesIn(StorageAccountRole role) => role == StorageAccountRole.Audit ? AuditTables : Tables;

    public BlobServiceClient BlobsIn(StorageAccountRole role) => role == StorageAccountRole.Audit ? AuditBlobs : Blobs;

    public TableClient Table(StorageResource table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return TablesIn(table.Account).GetTableClient(StorageLayout.NameOf(table, NameSuffix));
    }

    public QueueClient Queue(StorageResource queue) => Queues.GetQueueClient(StorageLayout.NameOf(queue, NameSuffix));

    public BlobContainerClient Container(StorageResource container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return BlobsIn(container.Account).GetBlobContainerClient(StorageLayout.NameOf(container, NameSuffix));
    }

    private static Uri Endpoint(string accountName, string service) => new($"https://{accountName}.{service}.core.windows.net");
}
