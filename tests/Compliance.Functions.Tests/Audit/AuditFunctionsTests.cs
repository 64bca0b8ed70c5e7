using Compliance.Core.Audit;
using Compliance.Core.Hosting;
using Compliance.Functions.Audit;
using Compliance.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Functions.Tests.Audit;

public sealed class AuditFunctionsTests : IDisposable
{
    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    private readonly TemporaryDirectory _keys = new();
    private readonly InMemoryAuditEventStore _events = new();
    private readonly InMemoryAuditSealStore _seals = new();
    private readonly ServiceProvider _services;

    public AuditFunctionsTests()
    {
        _services = new ServiceCollection()
            .AddLogging()
            .AddComplianceCore(configureLocalKeys: k => k.Directory = _keys.Path)
            .AddSingleton<IAuditEventStore>(_events)
            .AddSingleton<IAuditSealStore>(_seals)
            .BuildServiceProvider();
    }

    public void Dispose()
    {
        _services.Dispose();
        _keys.Dispose();
    }

    [Fact]
    public async Task AuditSeal_TimerFires_WritesASealAndRecordsIt()
    {
        await _services.GetRequiredService<IAuditTrail>().AppendAsync(AuditEvents.Ingest());
        var function = new AuditSealFunction(_services.GetRequiredService<AuditSealService>(), NullLogger<AuditSealFunction>.Instance);

        await function.RunAsync(new TimerInfo(), CancellationToken.None);

        var seal = Assert.Single(_seals.Seals);
        Assert.Equal(2, seal.Seal.EventCount);
        Assert.Contains(_events.Streams.SelectMany(_events.Rows), r => r.Type == "SEAL");
    }

    [Fact]
    public async Task VerifyAudit_IntactTrail_Ok()
    {
        await Seed();

        var result = await Verify();

        Assert.IsType<OkObjectResult>(result);
    }

    [Fact]
    public async Task VerifyAudit_AlteredTrail_ConflictWithTheReport()
    {
        await Seed();
        var stream = _events.Streams.First(s => _events.Rows(s).Count > 0);
        _events.Tamper(stream, 1, r => r with { Body = r.Body!.Replace("\"stored\":1", "\"stored\":2", StringComparison.Ordinal).Replace("\"grants\":4", "\"grants\":5", StringComparison.Ordinal) });

        var result = Assert.IsType<ConflictObjectResult>(await Verify());

        Assert.Contains("\"intact\":false", System.Text.Json.JsonSerializer.Serialize(result.Value, WebJson), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from=yesterday")]
    [InlineData("to=2026-11-30")]
    [InlineData("from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z")]
    public async Task VerifyAudit_BadPeriod_BadRequest(string query)
    {
        var result = await Verify("?" + query);

        Assert.IsType<BadRequestObjectResult>(result);
    }

    private async Task Seed()
    {
        await _services.GetRequiredService<IAuditTrail>().AppendBatchAsync([.. Enumerable.Range(0, 5).Select(i => AuditEvents.Ingest(i))]);
        await _services.GetRequiredService<AuditSealService>().SealAsync("job:audit-seal");
    }

    private Task<IActionResult> Verify(string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return new VerifyAuditFunction(_services.GetRequiredService<AuditVerifier>()).RunAsync(context.Request, CancellationToken.None);
    }
}
