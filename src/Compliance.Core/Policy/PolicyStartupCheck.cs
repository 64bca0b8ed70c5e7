using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Compliance.Core.Policy;

/// <summary>Loads the policy when a host starts, so a broken policy stops the host before any job runs.</summary>
/// <remarks>Resolving this service resolves <see cref="ActivePolicy"/>, which throws <see cref="PolicyValidationException"/> for a broken policy.</remarks>
internal sealed partial class PolicyStartupCheck(ActivePolicy policy, ILogger<PolicyStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogPolicyLoaded(logger, policy.Policy.PolicyId, policy.Version, policy.Source);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Policy {PolicyId} loaded from {Source}, version {PolicyVersion}")]
    private static partial void LogPolicyLoaded(ILogger logger, string policyId, string policyVersion, string source);
}
