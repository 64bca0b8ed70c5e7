using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Compliance.Storage;

/// <summary>
/// The three service clients for the configured account. Their built-in retries are off: the Polly
/// pipeline is the single place that retries (see <see cref="Resilience.StorageResilience"/>).
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

        if (settings.UsesConnectionString)
        {
            Tables = new TableServiceClient(settings.Account, tableOptions);
            Queues = new QueueServiceClient(settings.Account, queueOptions);
            Blobs = new BlobServiceClient(settings.Account, blobOptions);
        }
        else
        {
            var credential = new DefaultAzureCredential();
            Tables = new TableServiceClient(new Uri($"https://{settings.Account}.table.core.windows.net"), credential, tableOptions);
            Queues = new QueueServiceClient(new Uri($"https://{settings.Account}.queue.core.windows.net"), credential, queueOptions);
            Blobs = new BlobServiceClient(new Uri($"https://{settings.Account}.blob.core.windows.net"), credential, blobOptions);
        }
    }

    /// <summary>For tests: clients made elsewhere (for example mocks at the SDK seam).</summary>
    internal StorageClients(TableServiceClient tables, QueueServiceClient queues, BlobServiceClient blobs, string nameSuffix)
    {
        Tables = tables;
        Queues = queues;
        Blobs = blobs;
        NameSuffix = nameSuffix;
    }

    public TableServiceClient Tables { get; }

    public QueueServiceClient Queues { get; }

    public BlobServiceClient Blobs { get; }

    public string NameSuffix { get; }

    public TableClient Table(StorageResource table) => Tables.GetTableClient(StorageLayout.NameOf(table, NameSuffix));

    public QueueClient Queue(StorageResource queue) => Queues.GetQueueClient(StorageLayout.NameOf(queue, NameSuffix));

    public BlobContainerClient Container(StorageResource container) => Blobs.GetBlobContainerClient(StorageLayout.NameOf(container, NameSuffix));
}
