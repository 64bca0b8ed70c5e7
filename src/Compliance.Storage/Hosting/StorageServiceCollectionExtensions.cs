using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Compliance.Core.Audit;
using Compliance.Core.Erasure;
using Compliance.Core.Holds;
using Compliance.Core.Keys;
using Compliance.Core.Lineage;
using Compliance.Core.Retention;
using Compliance.Core.Setup;
using Compliance.Core.SubjectKeys;
using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;
using Compliance.Storage.Audit;
using Compliance.Storage.Erasure;
using Compliance.Storage.Holds;
using Compliance.Storage.KeyVault;
using Compliance.Storage.Lineage;
using Compliance.Storage.Provisioning;
using Compliance.Storage.Resilience;
using Compliance.Storage.Retention;
using Compliance.Storage.SubjectKeys;
using Compliance.Storage.Subjects;
using Compliance.Storage.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Compliance.Storage.Hosting;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Azure Storage adapters behind the core's interfaces: validated options, the service
    /// clients, the resilience pipeline every call goes through, and the provisioner.
    /// </summary>
    public static IServiceCollection AddComplianceStorage(
        this IServiceCollection services,
        Action<StorageOptions>? configure = null,
        Action<StorageResilienceOptions>? configureResilience = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var storage = services.AddOptions<StorageOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            storage.Configure(configure);
        }

        var resilience = services.AddOptions<StorageResilienceOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configureResilience is not null)
        {
            resilience.Configure(configureResilience);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StorageClients>();
        services.AddResiliencePipeline(StorageResilience.PipelineKey, (builder, context) =>
        {
            var timeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
            builder.TimeProvider = timeProvider;
            builder.AddStorageStrategies(context.ServiceProvider.GetRequiredService<IOptions<StorageResilienceOptions>>().Value, timeProvider);
        });
        services.TryAddSingleton<IStorageProvisioner, AzureStorageProvisioner>();
        services.TryAddSingleton<IAuditEventStore, TableAuditEventStore>();
        services.TryAddSingleton<IAuditSealStore, TableAuditSealStore>();
        services.TryAddSingleton<IAuditSealExporter, BlobAuditSealExporter>();
        services.TryAddSingleton<ISubjectKeyStore, TableSubjectKeyStore>();
        services.TryAddSingleton<ISubjectStore, TableSubjectStore>();
        services.TryAddSingleton<IHoldStore, TableHoldStore>();
        services.TryAddSingleton<ITelemetryStore, TableTelemetryStore>();
        services.TryAddSingleton<ILineageStore, TableLineageStore>();
        services.TryAddSingleton<IPurgeManifestStore, BlobPurgeManifestStore>();
        services.TryAddSingleton<IPurgeLock, BlobPurgeLock>();
        services.TryAddSingleton<IErasureStore, TableErasureStore>();
        services.TryAddSingleton<IErasureCertificateStore, BlobErasureCertificateStore>();
        services.TryAddSingleton<Core.Reports.IReportArchive, Reports.BlobReportArchive>();
        return services;
    }

    /// <summary>
    /// Puts root keys (subject-key wrapping, seal signing) and the subject-lookup secret in Azure Key Vault, authenticated with
    /// <see cref="DefaultAzureCredential"/> (managed identity in Azure). Call before <c>AddComplianceCore</c>,
    /// which otherwise registers development key custody.
    /// </summary>
    public static IServiceCollection AddKeyVaultKeyCustody(this IServiceCollection services, Uri vault)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var credential = new DefaultAzureCredential();
        services.AddSingleton<IRootKeyCustody>(_ => new KeyVaultRootKeyCustody(vault, credential));
        services.AddSingleton<ISubjectLookupSecret>(sp => new KeyVaultSubjectLookupSecret(
            new SecretClient(vault, credential), sp.GetService<ILogger<KeyVaultSubjectLookupSecret>>()));
        return services;
    }
}
