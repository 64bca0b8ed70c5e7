using Compliance.Core.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Compliance.Functions.Policy;

/// <summary>GET /api/policy: the policy in force, with its version, so anyone can check what a report rests on.</summary>
public sealed class GetPolicyFunction(ActivePolicy policy)
{
    [Function("GetPolicy")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "policy")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new OkObjectResult(PolicySummary.From(policy));
    }
}
