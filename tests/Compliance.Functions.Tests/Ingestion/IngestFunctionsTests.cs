using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues.Models;
using Compliance.Core.Audit;
using Compliance.Core.Ingestion;
using Compliance.Functions.Ingestion;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Functions.Tests.Ingestion;

public sealed class IngestFunctionsTests
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task IngestHttp_ArrayWithGoodAndBadEvents_OutcomePerEvent()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        var function = new IngestHttpFunction(host.Get<IngestionPipeline>());
        var bad = FunctionsTestHost.Keystroke("ana", "k-2");
        bad["category"] = "screen-recording";
        var body = new JsonArray(FunctionsTestHost.Keystroke("ana", "k-1"), bad).ToJsonString();

        var result = Assert.IsType<OkObjectResult>(await function.RunAsync(FunctionsTestHost.Post(body), CancellationToken.None));

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(result.Value, WebJson));
        Assert.Equal(1, json.RootElement.GetProperty("stored").GetInt32());
        var outcomes = json.RootElement.GetProperty("outcomes").EnumerateArray().ToList();
        Assert.Equal("stored", outcomes[0].GetProperty("status").GetString());
        Assert.Equal(IngestReasons.UnknownCategory, outcomes[1].GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("{\"eventId\":\"x\"}")]
    [InlineData("[{\"eventId\":")]
    public async Task IngestHttp_BodyNotAJsonArray_BadRequest(string body)
    {
        await using var host = await FunctionsTestHost.StartAsync();

        var result = Assert.IsType<BadRequestObjectResult>(await new IngestHttpFunction(host.Get<IngestionPipeline>()).RunAsync(FunctionsTestHost.Post(body), CancellationToken.None));

        Assert.Contains(IngestReasons.MalformedJson, JsonSerializer.Serialize(result.Value), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestHttp_MoreEventsThanABatchHolds_BadRequestAndNothingStored()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        var pipeline = host.Get<IngestionPipeline>();
        var events = new JsonArray([.. Enumerable.Range(0, pipeline.Options.MaxBatchEvents + 1).Select(i => (JsonNode)FunctionsTestHost.Keystroke("ana", $"k-{i}"))]);

        var result = Assert.IsType<BadRequestObjectResult>(await new IngestHttpFunction(pipeline).RunAsync(FunctionsTestHost.Post(events.ToJsonString()), CancellationToken.None));

        Assert.Contains("BATCH_TOO_LARGE", JsonSerializer.Serialize(result.Value), StringComparison.Ordinal);
        Assert.Empty(await host.AuditAsync("INGEST"));
    }

    [Fact]
    public async Task IngestQueue_MessageRedelivered_StoredOnceAndAuditedOnce()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        var function = new IngestQueueFunction(host.Get<IngestionPipeline>(), NullLogger<IngestQueueFunction>.Instance);
        var body = BinaryData.FromString(FunctionsTestHost.Keystroke("bo", "k-q").ToJsonString());

        await function.RunAsync(QueuesModelFactory.QueueMessage("msg-1", "pop-1", body, 1), CancellationToken.None);
        await function.RunAsync(QueuesModelFactory.QueueMessage("msg-1", "pop-2", body, 2), CancellationToken.None);

        Assert.Single(await host.AuditAsync("INGEST"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IngestQueue_PlainOrBase64Body_Stored(bool base64)
    {
        await using var host = await FunctionsTestHost.StartAsync();
        var function = new IngestQueueFunction(host.Get<IngestionPipeline>(), NullLogger<IngestQueueFunction>.Instance);
        var json = FunctionsTestHost.Keystroke("ana", "k-enc").ToJsonString();
        var body = BinaryData.FromString(base64 ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)) : json);

        await function.RunAsync(QueuesModelFactory.QueueMessage("msg-enc", "pop-1", body, 1), CancellationToken.None);

        Assert.Single(await host.AuditAsync("INGEST"));
        Assert.Empty(await host.AuditAsync("REJECT"));
    }

    [Fact]
    public async Task IngestPoison_MessageThatFailedEveryDelivery_AuditedWithoutItsContent()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        var function = new IngestPoisonFunction(host.Get<IAuditTrail>(), NullLogger<IngestPoisonFunction>.Instance);
        var body = BinaryData.FromString(FunctionsTestHost.Keystroke("ana", "k-poison").ToJsonString());

        await function.RunAsync(QueuesModelFactory.QueueMessage("msg-9", "pop-1", body, 5), CancellationToken.None);
        await function.RunAsync(QueuesModelFactory.QueueMessage("msg-9", "pop-2", body, 6), CancellationToken.None);

        var reject = Assert.Single(await host.AuditAsync("REJECT")).GetString("Body");
        Assert.Contains(IngestReasons.PoisonMessage, reject, StringComparison.Ordinal);
        Assert.DoesNotContain("ana", reject, StringComparison.Ordinal);
        Assert.DoesNotContain("msg-9", reject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestHttp_LargerThanTheLimit_PayloadTooLarge()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        var request = FunctionsTestHost.Post("[]");
        request.ContentLength = long.MaxValue;

        var result = Assert.IsType<ObjectResult>(await new IngestHttpFunction(host.Get<IngestionPipeline>()).RunAsync(request, CancellationToken.None));

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, result.StatusCode);
    }
}
