using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues.Models;
using Compliance.Core.Audit;
using Compliance.Core.Erasure;
using Compliance.Core.Holds;
using Compliance.Core.Ingestion;
using Compliance.Functions.Erasure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Functions.Tests.Erasure;

public sealed class ErasureFunctionsTests
{
    [Fact]
    public async Task ErasureQueue_ValidRequestDeliveredTwice_CompletedOnceWithItsCertificate()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        var function = Queue(host);
        var body = BinaryData.FromString(Request("hr-1", "ana").ToJsonString());

        await function.RunAsync(Message("msg-1", body, 1), CancellationToken.None);
        await function.RunAsync(Message("msg-1", body, 2), CancellationToken.None);

        var record = Assert.Single(await host.Get<ErasureService>().ListAsync("ana"));
        Assert.Equal(ErasureState.Completed, record.State);
        Assert.Equal(FunctionsTestHost.Start, record.RequestedAt); // when HR enqueued it, not when it was picked up
        Assert.NotNull(await host.Get<ErasureService>().GetCertificateAsync(record.Id));
        Assert.Single(await host.AuditAsync("ERASURE_REQ"));
        Assert.Single(await host.AuditAsync("ERASURE_DONE"));
    }

    [Fact]
    public async Task ErasureQueue_Base64Body_ReadLikeAPlainOne()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        var body = BinaryData.FromString(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Request("hr-b64", "bo").ToJsonString())));

        await Queue(host).RunAsync(Message("msg-b64", body, 1), CancellationToken.None);

        Assert.Equal(ErasureState.Completed, Assert.Single(await host.Get<ErasureService>().ListAsync("bo")).State);
    }

    [Theory]
    [InlineData("{\"requestId\":\"hr-2\",\"employeeId\":\"ana\"}", "INVALID_ERASURE_REQUEST")]
    [InlineData("{\"requestId\":\"hr-2\",\"employeeId\":\"ana\",\"reason\":\"LEFT\"}", "INVALID_ERASURE_REQUEST")]
    [InlineData("{\"requestId\":\"hr-2\",\"employeeId\":\"ana\",\"reason\":\"OFFBOARDING\",\"scopes\":\"all\"}", "INVALID_ERASURE_REQUEST")]
    [InlineData("not json", "INVALID_ERASURE_REQUEST")]
    public async Task ErasureQueue_RequestThatCanNeverSucceed_RejectedAndAuditedWithoutRetrying(string body, string code)
    {
        await using var host = await FunctionsTestHost.StartAsync();

        await Queue(host).RunAsync(Message("msg-2", BinaryData.FromString(body), 1), CancellationToken.None);

        var reject = AuditCanonicalForm.Parse(Assert.Single(await host.AuditAsync("REJECT")).GetString("Body"));
        Assert.Equal(code, reject.Event.ReasonCode);
        Assert.Empty(await host.Get<ErasureService>().ListAsync());
        Assert.Equal("Active", (await host.Get<Compliance.Core.Subjects.SubjectRegistry>().FindAsync("ana"))!.Status.ToString());
    }

    [Fact]
    public async Task ErasureQueue_RequestIdReusedForAnotherEmployee_RejectedAsConflict()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        await Queue(host).RunAsync(Message("msg-3", BinaryData.FromString(Request("hr-3", "ana").ToJsonString()), 1), CancellationToken.None);

        await Queue(host).RunAsync(Message("msg-4", BinaryData.FromString(Request("hr-3", "bo").ToJsonString()), 1), CancellationToken.None);

        var reject = AuditCanonicalForm.Parse(Assert.Single(await host.AuditAsync("REJECT")).GetString("Body"));
        Assert.Equal(ErasureConflictException.Code, reject.Event.ReasonCode);
        Assert.Empty(await host.Get<ErasureService>().ListAsync("bo"));
    }

    [Fact]
    public async Task ErasurePoison_RequestThatFailedEveryDelivery_RecordedVisibleAndFinishedByTheSweep()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        var poison = new ErasurePoisonFunction(host.Get<ErasureService>(), host.Get<IAuditTrail>(), NullLogger<ErasurePoisonFunction>.Instance);

        await poison.RunAsync(Message("msg-5", BinaryData.FromString(Request("hr-5", "ana").ToJsonString()), 5), CancellationToken.None);

        var failed = Assert.Single(await host.Get<ErasureService>().ListAsync("ana"));
        Assert.Equal((ErasureState.Received, IngestReasons.PoisonMessage), (failed.State, failed.LastError));
        Assert.Equal(1, (await host.Get<ErasureService>().GetSlaAsync()).Failed);
        var reject = AuditCanonicalForm.Parse(Assert.Single(await host.AuditAsync("REJECT")).GetString("Body"));
        Assert.Equal((IngestReasons.PoisonMessage, failed.Id), (reject.Event.ReasonCode, reject.Event.Attributes["erasureId"]));

        await new ErasureSweepFunction(host.Get<ErasureService>(), host.Clock, NullLogger<ErasureSweepFunction>.Instance).RunAsync(new TimerInfo(), CancellationToken.None);

        var done = Assert.Single(await host.Get<ErasureService>().ListAsync("ana"));
        Assert.Equal(ErasureState.Completed, done.State);
        Assert.Null(done.LastError);
    }

    [Fact]
    public async Task ErasureSubmit_SignedInRequester_CompletedWithItsStatusAndCertificate()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        var http = Http(host);

        var submitted = Assert.IsType<OkObjectResult>(await http.SubmitAsync(FunctionsTestHost.Post(Request("hr-6", "ana").ToJsonString(), ErasureHttpFunctions.RequestRole), CancellationToken.None));
        var status = Json(submitted.Value);
        var id = status["erasureId"]!.GetValue<string>();
        var read = Assert.IsType<OkObjectResult>(await http.StatusAsync(FunctionsTestHost.Get(ErasureHttpFunctions.ReadRole), id, CancellationToken.None));
        var certificate = Assert.IsType<FileContentResult>(await http.CertificateAsync(FunctionsTestHost.Get(ErasureHttpFunctions.ReadRole), id, CancellationToken.None));
        var sla = Assert.IsType<OkObjectResult>(await http.SlaAsync(FunctionsTestHost.Get(ErasureHttpFunctions.ReadRole), CancellationToken.None));

        Assert.Equal("completed", status["state"]!.GetValue<string>());
        Assert.Equal("completed", Json(read.Value)["state"]!.GetValue<string>());
        Assert.Equal(id, JsonDocument.Parse(certificate.FileContents).RootElement.GetProperty("erasureId").GetString());
        Assert.Equal(1, Json(sla.Value)["sla"]!["completed"]!.GetValue<int>());
        Assert.DoesNotContain("\"ana\"", Json(read.Value).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErasureSubmit_UnderLegalHold_AcceptedAndHeldWithWhereToLook()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        await host.Get<HoldService>().PlaceAsync("ana", null, "CASE-9", null, "user:legal");

        var accepted = Assert.IsType<AcceptedResult>(await Http(host).SubmitAsync(FunctionsTestHost.Post(Request("hr-7", "ana").ToJsonString(), ErasureHttpFunctions.RequestRole), CancellationToken.None));

        var status = Json(accepted.Value);
        Assert.Equal("held", status["state"]!.GetValue<string>());
        Assert.True(status["held"]!.GetValue<bool>());
        Assert.Equal($"/api/erasures/{status["erasureId"]!.GetValue<string>()}", accepted.Location);
        Assert.IsType<NotFoundObjectResult>(await Http(host).CertificateAsync(FunctionsTestHost.Get(ErasureHttpFunctions.ReadRole), status["erasureId"]!.GetValue<string>(), CancellationToken.None));
    }

    [Fact]
    public async Task ErasureSubmit_RequesterWithoutTheReadRole_NoPseudonymNoCaseIdsAndTheCallerAudited()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        await host.Get<HoldService>().PlaceAsync("ana", null, "CASE-CONFIDENTIAL", null, "user:legal");
        const string ObjectId = "6E3F0A52-3C1B-4F0A-9B7E-2D4C5A6B7C8D";

        var accepted = Assert.IsType<AcceptedResult>(await Http(host).SubmitAsync(FunctionsTestHost.Post(Request("hr-11", "ana").ToJsonString(), ErasureHttpFunctions.RequestRole, ObjectId), CancellationToken.None));
        var id = Json(accepted.Value)["erasureId"]!.GetValue<string>();
        var asRequester = Json(Assert.IsType<OkObjectResult>(await Http(host).StatusAsync(FunctionsTestHost.Get(ErasureHttpFunctions.RequestRole), id, CancellationToken.None)).Value);
        var asReader = Json(Assert.IsType<OkObjectResult>(await Http(host).StatusAsync(FunctionsTestHost.Get(ErasureHttpFunctions.ReadRole), id, CancellationToken.None)).Value);

        foreach (var view in new[] { Json(accepted.Value), asRequester })
        {
            Assert.True(view["held"]!.GetValue<bool>());
            Assert.Null(view["subject"]);
            Assert.Null(view["legalHolds"]);
            Assert.DoesNotContain("CASE-CONFIDENTIAL", view.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.StartsWith("sub_", asReader["subject"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["CASE-CONFIDENTIAL"], asReader["legalHolds"]!.AsArray().Select(c => c!.GetValue<string>()));
        var request = AuditCanonicalForm.Parse(Assert.Single(await host.AuditAsync("ERASURE_REQ")).GetString("Body"));
        Assert.Equal("http:oid-" + ObjectId.ToLowerInvariant(), request.Event.Actor);
        var certificate = Assert.IsAssignableFrom<ObjectResult>(await Http(host).CertificateAsync(FunctionsTestHost.Get(ErasureHttpFunctions.RequestRole), id, CancellationToken.None));
        Assert.Equal(403, certificate.StatusCode); // certificates name the pseudonym: readers only
    }

    [Fact]
    public async Task ErasureSubmit_AppServiceAuthenticationNotEnforced_UnauthorizedWhateverTheHeaderSays()
    {
        await using var host = await FunctionsTestHost.StartAsync();
        var unenforced = new ErasureHttpFunctions(host.Get<ErasureService>(), new AppServiceAuthentication(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()), NullLogger<ErasureHttpFunctions>.Instance);

        var refused = Assert.IsAssignableFrom<ObjectResult>(await unenforced.SubmitAsync(FunctionsTestHost.Post(Request("hr-12", "ana").ToJsonString(), ErasureHttpFunctions.RequestRole), CancellationToken.None));

        Assert.Equal(401, refused.StatusCode);
        Assert.Empty(await host.Get<ErasureService>().ListAsync());
    }

    [Theory]
    [InlineData(null, 401)]
    [InlineData("erasure.read", 403)]
    [InlineData("some-other-role", 403)]
    public async Task ErasureSubmit_CallerWithoutTheRequestRole_RefusedAndNothingRecorded(string? roles, int status)
    {
        await using var host = await FunctionsTestHost.StartAsync();

        var refused = Assert.IsAssignableFrom<ObjectResult>(await Http(host).SubmitAsync(FunctionsTestHost.Post(Request("hr-8", "ana").ToJsonString(), roles), CancellationToken.None));

        Assert.Equal(status, refused.StatusCode);
        Assert.Empty(await host.Get<ErasureService>().ListAsync());
    }

    [Theory]
    [InlineData("{\"requestId\":\"hr 9\",\"employeeId\":\"ana\",\"reason\":\"OFFBOARDING\"}", "requestId")]
    [InlineData("{\"requestId\":\"hr-9\",\"employeeId\":\"ana\",\"reason\":\"OFFBOARDING\",\"cleanUp\":\"yes\"}", "$.cleanUp")]
    [InlineData("[]", "JSON object")]
    public async Task ErasureSubmit_InvalidBody_400NamingTheField(string body, string named)
    {
        await using var host = await FunctionsTestHost.StartAsync();

        var bad = Assert.IsType<BadRequestObjectResult>(await Http(host).SubmitAsync(FunctionsTestHost.Post(body, ErasureHttpFunctions.RequestRole), CancellationToken.None));

        Assert.Contains(named, Json(bad.Value)["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await host.Get<ErasureService>().ListAsync());
    }

    [Fact]
    public async Task ErasureStatus_UnknownId_404()
    {
        await using var host = await FunctionsTestHost.StartAsync();

        Assert.IsType<NotFoundObjectResult>(await Http(host).StatusAsync(FunctionsTestHost.Get(ErasureHttpFunctions.ReadRole), "era-nope", CancellationToken.None));
    }

    private static JsonObject Request(string requestId, string employee) => new()
    {
        ["requestId"] = requestId,
        ["employeeId"] = employee,
        ["reason"] = ErasureReasons.Offboarding,
    };

    private static QueueMessage Message(string id, BinaryData body, long dequeueCount) =>
        QueuesModelFactory.QueueMessage(id, "pop-" + dequeueCount, body, dequeueCount, insertedOn: FunctionsTestHost.Start);

    private static ErasureQueueFunction Queue(FunctionsTestHost host) =>
        new(host.Get<ErasureService>(), host.Get<IAuditTrail>(), NullLogger<ErasureQueueFunction>.Instance);

    private static ErasureHttpFunctions Http(FunctionsTestHost host) =>
        new(host.Get<ErasureService>(), host.Authentication, NullLogger<ErasureHttpFunctions>.Instance);

    private static JsonObject Json(object? value) => JsonSerializer.SerializeToNode(value)!.AsObject();
}
