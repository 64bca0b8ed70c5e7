using Compliance.Core.Policy;
using Compliance.Functions.Policy;
using Compliance.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Compliance.Functions.Tests.Policy;

public sealed class GetPolicyFunctionTests
{
    [Fact]
    public void Run_DefaultPolicy_ReturnsItsVersionAndCategories()
    {
        var policy = PolicyDocument.LoadDefault();
        var function = new GetPolicyFunction(policy);

        var result = Assert.IsType<OkObjectResult>(function.Run(new DefaultHttpContext().Request));

        var summary = Assert.IsType<PolicySummary>(result.Value);
        Assert.Equal(policy.Version, summary.Version);
        Assert.Equal(5, summary.Categories.Count);
        Assert.Equal(30, summary.Categories.Single(c => c.Name == "transcript").RetentionDays);
    }

    [Fact]
    public void Run_CustomPolicy_ReportsThatPolicyNotTheDefault()
    {
        var fixture = new PolicyFixture();
        fixture.Category("transcript")["retentionDays"] = 14;
        var policy = fixture.Parse("custom.json");

        var result = Assert.IsType<OkObjectResult>(new GetPolicyFunction(policy).Run(new DefaultHttpContext().Request));

        var summary = Assert.IsType<PolicySummary>(result.Value);
        Assert.Equal("custom.json", summary.Source);
        Assert.NotEqual(PolicyDocument.LoadDefault().Version, summary.Version);
        Assert.Equal(14, summary.Categories.Single(c => c.Name == "transcript").RetentionDays);
    }
}
