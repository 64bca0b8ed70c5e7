using Compliance.Core.Hosting;
using Compliance.Storage.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Compliance.Cli;

/// <summary>Builds the same service graph the functions host uses, from the CLI's settings.</summary>
internal static class CliHost
{
    public static ServiceProvider Build(CliSettings settings, TimeProvider realClock)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddSingleton(settings.Now is { } now ? new SimulatedTimeProvider(now, realClock) : realClock);
        if (!settings.DevelopmentKeyCustody)
        {
            services.AddKeyVaultKeyCustody(new Uri(settings.Keys));
        }

        services.AddComplianceCore(
            policy => policy.Path = settings.PolicyPath,
            localKeys =>
            {
                if (settings.LocalKeysDirectory is { } directory)
                {
                    localKeys.Directory = directory;
                }
            });
        services.AddComplianceStorage(storage =>
        {
            storage.Account = settings.Storage;
            storage.AuditAccount = settings.AuditStorage;
            storage.NameSuffix = settings.NameSuffix;
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
