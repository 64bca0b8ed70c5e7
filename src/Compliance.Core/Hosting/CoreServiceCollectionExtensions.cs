using Compliance.Core.Access;
using Compliance.Core.Assessments;
using Compliance.Core.Audit;
using Compliance.Core.Holds;
using Compliance.Core.Ingestion;
using Compliance.Core.Keys;
using Compliance.Core.Erasure;
using Compliance.Core.Lineage;
using Compliance.Core.Policy;
using Compliance.Core.Retention;
using Compliance.Core.Setup;
using Compliance.Core.SubjectKeys;
using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Hosting;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the domain services both hosts share: the system clock (unless a host registered its own
    /// <see cref="TimeProvider"/>), the policy registry validated at start-up, and the use cases.
    /// </summary>
    public static IServiceCollection AddComplianceCore(
        this IServiceCollection services,
        Action<PolicyOptions>? configurePolicy = null,
        Action<LocalKeyOptions>? configureLocalKeys = null,
        Action<AuditOptions>? configureAudit = null,
        Action<IngestionOptions>? configureIngestion = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.TryAddSingleton(TimeProvider.System);
        var policyOptions = services.AddOptions<PolicyOptions>();
        if (configurePolicy is not null)
        {
            policyOptions.Configure(configurePolicy);
        }

        services.TryAddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IOptions<PolicyOptions>>().Value.Path;
            return string.IsNullOrWhiteSpace(path) ? PolicyDocument.LoadDefault() : PolicyDocument.LoadFile(path);
        });
        services.AddHostedService<PolicyStartupCheck>();
        services.TryAddTransient<SetupService>();

        var localKeys = services.AddOptions<LocalKeyOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configureLocalKeys is not null)
        {
            localKeys.Configure(configureLocalKeys);
        }

        var audit = services.AddOptions<AuditOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configureAudit is not null)
        {
            audit.Configure(configureAudit);
        }

        var ingestion = services.AddOptions<IngestionOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configureIngestion is not null)
        {
            ingestion.Configure(configureIngestion);
        }

        services.TryAddSingleton<AuditEventGuard>();
        services.TryAddSingleton<IAuditTrail, AuditTrail>();
        services.TryAddSingleton<PolicyRecorder>();
        services.TryAddSingleton<IRootKeyCustody, LocalRootKeyStore>();
        services.TryAddSingleton<IAuditSigner, RootKeyAuditSigner>();
        services.TryAddSingleton<SubjectKeyService>();
        services.TryAddTransient<KeyRotationService>();
        services.TryAddTransient<KeyExpiryHandler>();
        services.TryAddTransient<TelemetryProtector>();
        services.TryAddTransient<CryptoShredder>();
        services.TryAddSingleton<IngestionPipeline>();
        services.TryAddTransient<AccessBroker>();
        services.TryAddTransient<TrainingExporter>();
        services.TryAddSingleton<DirectIdentifierScanner>();
        services.TryAddTransient<LineageService>();
        services.TryAddTransient<AssessmentService>();
        services.TryAddTransient<ErasureService>();
        services.TryAddTransient<Reports.ReportService>();
        services.TryAddTransient<Reports.ScheduledReportService>();
        services.TryAddTransient<Reports.StatementService>();
        services.TryAddTransient<PurgeService>();
        services.TryAddSingleton<ISubjectLookupSecret, LocalSubjectLookupSecret>();
        services.TryAddTransient<SubjectRegistry>();
        services.TryAddTransient<ReenrolmentService>();
        services.TryAddTransient<HoldService>();
        services.TryAddTransient<AuditSealService>();
        services.TryAddTransient<AuditVerifier>();
        return services;
    }
}
