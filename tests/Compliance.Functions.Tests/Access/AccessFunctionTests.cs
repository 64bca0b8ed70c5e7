using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Core.Access;
using Compliance.Core.Ingestion;
using Compliance.Functions.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Compliance.Functions.Tests.Access;

public sealed class AccessFunctionTests
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private static readonly string TrainingRead = new JsonObject
    {
        ["principal"] = "ml-platform",
        ["purpose"] = "model-training",
        ["category"] = "keystroke-dynamics",
        ["from"] = "2026-11-23T08:00:00Z",
        ["to"] = "2026-11-23T10:00:00Z",
    }.ToJsonString();

    [Fact]
    public async Task Access_SignedInWithTheRequestedRole_ReadsAndAudits()
    {
        await using var host = await SeededAsync();

        var result = Assert.IsType<OkObjectResult>(await Function(host).RunAsync(FunctionsTestHost.Post(TrainingRead, "ml-platform"), CancellationToken.None));

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(result.Value, WebJson));
        Assert.Equal(2, json.RootElement.GetProperty("count").GetInt32());
        Assert.Contains("\"destination\":\"http\"", Assert.Single(await host.AuditAsync("READ")).GetString("Body"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("privacy-office")]
    public async Task Access_NotSignedInOrWithoutTheRole_UnauthorizedAndAudited(string? roles)
    {
        await using var host = await SeededAsync();

        var result = Assert.IsType<ObjectResult>(await Function(host).RunAsync(FunctionsTestHost.Post(TrainingRead, roles), CancellationToken.None));

        Assert.Equal(StatusCodes.Status401Unauthorized, result.StatusCode);
        Assert.Contains(AccessReasons.NotAuthenticated, Assert.Single(await host.AuditAsync("DENY")).GetString("Body"), StringComparison.Ordinal);
        Assert.Empty(await host.AuditAsync("READ"));
    }

    [Fact]
    public async Task Access_BrokerRefuses_ForbiddenWithTheReasonCode()
    {
        await using var host = await SeededAsync();
        var body = JsonNode.Parse(TrainingRead)!.AsObject();
        body["principal"] = "hr-analytics";
        body["purpose"] = "hr-performance";

        var result = Assert.IsType<ObjectResult>(await Function(host).RunAsync(FunctionsTestHost.Post(body.ToJsonString(), "hr-analytics"), CancellationToken.None));

        Assert.Equal(StatusCodes.Status403Forbidden, result.StatusCode);
        Assert.Contains(AccessReasons.PurposeNotAllowed, JsonSerializer.Serialize(result.Value), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_ExportMode_DatasetAsJsonLinesWithItsId()
    {
        await using var host = await SeededAsync();
        var body = JsonNode.Parse(TrainingRead)!.AsObject();
        body["mode"] = "export";
        var request = FunctionsTestHost.Post(body.ToJsonString(), "ml-platform");

        var result = Assert.IsType<FileContentResult>(await Function(host).RunAsync(request, CancellationToken.None));

        Assert.StartsWith("ds-", request.HttpContext.Response.Headers["X-Dataset-Id"].ToString(), StringComparison.Ordinal);
        Assert.Equal(2, System.Text.Encoding.UTF8.GetString(result.FileContents).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"principal\":\"ml-platform\"}")]
    [InlineData("{\"principal\":\"ml-platform\",\"purpose\":\"model-training\",\"category\":\"keystroke-dynamics\",\"from\":\"yesterday\"}")]
    [InlineData("{\"principal\":\"ml-platform\",\"purpose\":\"model-training\",\"category\":\"keystroke-dynamics\",\"mode\":\"delete\"}")]
    [InlineData("{\"principal\":\"ml-platform\",\"purpose\":\"model-training\",\"category\":\"keystroke-dynamics\",\"limit\":\"all\"}")]
    public async Task Access_MalformedRequest_BadRequest(string body)
    {
        await using var host = await SeededAsync();

        Assert.IsType<BadRequestObjectResult>(await Function(host).RunAsync(FunctionsTestHost.Post(body, "ml-platform"), CancellationToken.None));
    }

    [Fact]
    public void ClientPrincipal_HeaderNotBase64Json_NoCaller()
    {
        var request = new DefaultHttpContext().Request;
        request.Headers[AppServiceAuthentication.ClientPrincipalHeader] = "%%%";

        Assert.Null(AppServiceAuthentication.Parse(request));
    }

    [Fact]
    public async Task Access_AppServiceAuthenticationNotEnforced_HeaderIgnoredAndUnauthorized()
    {
        await using var host = await SeededAsync();
        var unenforced = new AppServiceAuthentication(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());

        var result = Assert.IsAssignableFrom<ObjectResult>(await new AccessFunction(host.Get<AccessBroker>(), host.Get<TrainingExporter>(), unenforced).RunAsync(FunctionsTestHost.Post(TrainingRead, "ml-platform"), CancellationToken.None));

        Assert.Equal(StatusCodes.Status401Unauthorized, result.StatusCode); // anyone can send the header where the platform does not strip it
        Assert.Empty(await host.AuditAsync("READ"));
    }

    private static AccessFunction Function(FunctionsTestHost host) => new(host.Get<AccessBroker>(), host.Get<TrainingExporter>(), host.Authentication);

    private static async Task<FunctionsTestHost> SeededAsync()
    {
        var host = await FunctionsTestHost.StartAsync();
        var events = new[] { FunctionsTestHost.Keystroke("ana", "k-1"), FunctionsTestHost.Keystroke("bo", "k-2") }
            .Select(e => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(e.ToJsonString()))
            .ToList();
        Assert.Equal(2, (await host.Get<IngestionPipeline>().IngestAsync(events, "job:test")).Stored);
        return host;
    }
}
