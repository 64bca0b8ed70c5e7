using Compliance.Core.Hosting;
using Compliance.Core.Keys;
using Compliance.Storage;
using Compliance.Storage.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Functions;

public static class FunctionsServiceCollectionExtensions
{
    /// <summary>The app setting naming a policy file; empty selects the built-in default policy.</summary>
    public const string PolicySetting = "COMPLIANCE_POLICY";

    /// <summary>The app setting naming the Key Vault that holds root keys (https://VAULT); empty or <c>local</c> for development key custody.</summary>
    public const string KeysSetting = "COMPLIANCE_KEYS";

    /// <summary>The app setting appended to every resource name; empty in a normal deployment.</summary>
    public const string NameSuffixSetting = "COMPLIANCE_NAME_SUFFIX";

    /// <summary>
    /// Wires the functions host: the same core and storage registrations the CLI uses, read from app settings. In
    /// Azure the settings are checked first (<see cref="AppSettings.CheckAzure"/>), and the host refuses to start
    /// with every problem listed rather than run with keys on a disposable disk or an account key in a setting.
    /// </summary>
    public static IServiceCollection AddComplianceFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (AppSettings.RunsInAzure(configuration) && AppSettings.CheckAzure(configuration) is { Count: > 0 } problems)
        {
            throw new InvalidOperationException(
                "The app settings cannot run safely in Azure (infra/README.md lists what the deployment sets):" + Environment.NewLine + "- "
                + string.Join(Environment.NewLine + "- ", problems));
        }

        services
            .AddApplicationInsightsTelemetryWorkerService()
            .ConfigureFunctionsApplicationInsights();

        if (configuration[KeysSetting] is { Length: > 0 } keys && keys != "local")
        {
            services.AddKeyVaultKeyCustody(Uri.TryCreate(keys, UriKind.Absolute, out var vault) && vault.Scheme == Uri.UriSchemeHttps
                ? vault
                : throw new InvalidOperationException($"{KeysSetting}: '{keys}' is neither 'local' nor a Key Vault URL such as https://my-vault.vault.azure.net"));
        }

        services.AddSingleton(new AppServiceAuthentication(configuration));
        services.AddComplianceCore(
            policy => policy.Path = PolicyPath(configuration[PolicySetting]),
            localKeys =>
            {
                if (configuration[LocalKeyOptions.EnvironmentVariable] is { Length: > 0 } directory)
                {
                    localKeys.Directory = directory;
                }
            });
        services.AddComplianceStorage(storage =>
        {
            if (configuration[StorageOptions.EnvironmentVariable] is { Length: > 0 } account)
            {
                storage.Account = account;
            }

            storage.AuditAccount = configuration[StorageOptions.AuditEnvironmentVariable];

            storage.NameSuffix = configuration[NameSuffixSetting] ?? "";
        });
        services.AddHostedService<AuthenticationStartupWarning>();
        return services;
    }

    /// <summary>A relative policy path names a file published with the app, wherever the host's working directory is.</summary>
    internal static string? PolicyPath(string? setting) =>
        string.IsNullOrWhiteSpace(setting) || Path.IsPathRooted(setting) ? setting : Path.Combine(AppContext.BaseDirectory, setting);
}
