using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions;

/// <summary>
/// Says at start-up, in Azure, when App Service authentication is off: the HTTP functions that need a signed-in caller
/// (access, erasure, reports) then refuse every request, which looks like an outage to the on-call engineer unless
/// the log says why.
/// </summary>
internal sealed partial class AuthenticationStartupWarning(IConfiguration configuration, AppServiceAuthentication authentication, ILogger<AuthenticationStartupWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (AppSettings.RunsInAzure(configuration) && !authentication.Enforced)
        {
            LogAuthenticationOff(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "App Service authentication is off: Access, the erasure functions and Reports refuse every caller until it is on (infra/README.md, \"Restrict who can pull reports\")")]
    private static partial void LogAuthenticationOff(ILogger logger);
}
