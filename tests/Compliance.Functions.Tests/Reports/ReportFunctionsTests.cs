using System.Text.Json;
using Compliance.Core.Audit;
using Compliance.Core.Reports;
using Compliance.Functions.Reports;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Functions.Tests.Reports;

public sealed class ReportFunctionsTests
{
    private const string Period = "from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z";

    [Theory]
    [InlineData("json", "application/json")]
    [InlineData("html", "text/html; charset=utf-8")]
    [InlineData("csv", "text/csv; charset=utf-8")]
    [InlineData("oscal", "application/json")]
    public async Task Reports_ComplianceRole_TheReportInTheFormatWithItsHash(string format, string contentType)
    {
        await using var host = await SealedAsync();
        var request = Get($"?{Period}&format={format}", ReportFunctions.ReadRole);

        var file = Assert.IsType<FileContentResult>(await Function(host).GetAsync(request, CancellationToken.None));

        Assert.Equal(contentType, file.ContentType);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file.FileContents)), request.HttpContext.Response.Headers["X-Report-Sha256"].ToString());
        var recorded = AuditCanonicalForm.Parse(Assert.Single(await host.AuditAsync("REPORT")).GetString("Body"));
        Assert.Equal(format, recorded.Event.Attributes["format"]);
    }

    [Theory]
    [InlineData("?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z&format=pdf", "format")]
    [InlineData("?to=2026-11-24T00:00:00Z", "from")]
    [InlineData("?from=2026-11-23T00:00:00Z&to=2026-11-22T00:00:00Z", "to")]
    [InlineData("?from=yesterday&to=2026-11-24T00:00:00Z", "from")]
    [InlineData("?from=0001-01-01T00:00:00Z&to=2026-11-24T00:00:00Z", "to")]
    public async Task Reports_BadParameter_400NamingIt(string query, string parameter)
    {
        await using var host = await SealedAsync();

        var bad = Assert.IsType<BadRequestObjectResult>(await Function(host).GetAsync(Get(query, ReportFunctions.ReadRole), CancellationToken.None));

        Assert.Equal(parameter, JsonSerializer.SerializeToElement(bad.Value).GetProperty("parameter").GetString());
    }

    [Theory]
    [InlineData(null, 401)]
    [InlineData("erasure.read", 403)]
    public async Task Reports_WithoutTheComplianceRole_Refused(string? roles, int status)
    {
        await using var host = await SealedAsync();

        var refused = Assert.IsAssignableFrom<ObjectResult>(await Function(host).GetAsync(Get("?" + Period, roles), CancellationToken.None));

        Assert.Equal(status, refused.StatusCode);
        Assert.Empty(await host.AuditAsync("REPORT"));
    }

    [Fact]
    public async Task Reports_NoSealYet_409SayingSo()
    {
        await using var host = await FunctionsTestHost.StartAsync();

        var conflict = Assert.IsType<ConflictObjectResult>(await Function(host).GetAsync(Get("?" + Period, ReportFunctions.ReadRole), CancellationToken.None));

        Assert.Contains("seal", JsonSerializer.SerializeToElement(conflict.Value).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task<FunctionsTestHost> SealedAsync()
    {
        var host = await FunctionsTestHost.StartAsync();
        await host.Get<AuditSealService>().SealAsync("job:audit-seal");
        return host;
    }

    private static HttpRequest Get(string query, string? roles)
    {
        var request = FunctionsTestHost.Get(roles);
        request.QueryString = new QueryString(query);
        return request;
    }

    private static ReportFunctions Function(FunctionsTestHost host) =>
        new(host.Get<ReportService>(), host.Get<ScheduledReportService>(), host.Authentication, NullLogger<ReportFunctions>.Instance);
}
