using System.Reflection;
using System.Text.Json;
using Compliance.Functions.Policy;
using Compliance.TestSupport;
using Microsoft.Azure.Functions.Worker;

namespace Compliance.Functions.Tests;

/// <summary>The functions host reads functions.metadata, not our code: these tests pin what the build emits.</summary>
public sealed class FunctionsMetadataTests
{
    private static readonly string OutputDirectory =
        RepositoryPaths.Combine("src", "Compliance.Functions", "bin", RepositoryPaths.Configuration, "net10.0");

    [Fact]
    public void Build_EmitsMetadataListingEveryFunctionInTheAssembly()
    {
        using var metadata = ReadMetadata();

        var listed = metadata.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();
        var declared = typeof(GetPolicyFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(["Access", "AuditSeal", "ErasureCertificate", "ErasurePoison", "ErasureQueue", "ErasureSla", "ErasureStatus", "ErasureSubmit", "ErasureSweep", "GetPolicy", "IngestHttp", "IngestPoison", "IngestQueue", "KeyRotation", "KeyVaultEvents", "KeyVaultEventsPoison", "Reports", "RetentionPurge", "ScheduledReports", "VerifyAudit"], listed);
        Assert.Equal(declared, listed);
    }

    [Fact]
    public void Build_GetPolicyIsAnAuthenticatedHttpGetOnPolicyRoute()
    {
        using var metadata = ReadMetadata();
        var function = metadata.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "GetPolicy");
        var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");

        Assert.Equal("Compliance.Functions.dll", function.GetProperty("scriptFile").GetString());
        Assert.Equal("Compliance.Functions.Policy.GetPolicyFunction.Run", function.GetProperty("entryPoint").GetString());
        Assert.Equal("dotnet-isolated", function.GetProperty("language").GetString());
        Assert.Equal("policy", trigger.GetProperty("route").GetString());
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal(["get"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public void Build_AuditSealIsATimerOnTheScheduleAppSetting()
    {
        using var metadata = ReadMetadata();
        var trigger = Binding(metadata, "AuditSeal", "timerTrigger");

        Assert.Equal("%AUDIT_SEAL_SCHEDULE%", trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public void Build_KeyRotationIsATimerOnTheScheduleAppSetting()
    {
        using var metadata = ReadMetadata();

        Assert.Equal("%KEY_ROTATION_SCHEDULE%", Binding(metadata, "KeyRotation", "timerTrigger").GetProperty("schedule").GetString());
    }

    [Fact]
    public void Build_RetentionPurgeIsATimerOnTheScheduleAppSetting()
    {
        using var metadata = ReadMetadata();

        Assert.Equal("%PURGE_SCHEDULE%", Binding(metadata, "RetentionPurge", "timerTrigger").GetProperty("schedule").GetString());
    }

    [Fact]
    public void Build_VerifyAuditIsAnAuthenticatedHttpGet()
    {
        using var metadata = ReadMetadata();
        var trigger = Binding(metadata, "VerifyAudit", "httpTrigger");

        Assert.Equal("audit/verify", trigger.GetProperty("route").GetString());
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
    }

    [Theory]
    [InlineData("IngestQueue", "telemetry-ingest")]
    [InlineData("IngestPoison", "telemetry-ingest-poison")]
    [InlineData("ErasureQueue", "erasure-requests")]
    [InlineData("ErasurePoison", "erasure-requests-poison")]
    [InlineData("KeyVaultEvents", "keyvault-events")]
    [InlineData("KeyVaultEventsPoison", "keyvault-events-poison")]
    public void Build_QueueTriggersOnTheProductQueues(string function, string queue)
    {
        using var metadata = ReadMetadata();
        var trigger = Binding(metadata, function, "queueTrigger");

        Assert.Equal(queue, trigger.GetProperty("queueName").GetString());
        Assert.False(trigger.TryGetProperty("connection", out var connection) && connection.GetString() is { Length: > 0 }, "the triggers use AzureWebJobsStorage, the account the product's queues live in");
    }

    [Theory]
    [InlineData("IngestHttp", "telemetry")]
    [InlineData("Access", "access")]
    public void Build_HttpPostsRequireAFunctionKey(string function, string route)
    {
        using var metadata = ReadMetadata();
        var trigger = Binding(metadata, function, "httpTrigger");

        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal(["post"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public void LocalSettings_DefineEveryScheduleAppSetting()
    {
        using var settings = JsonDocument.Parse(File.ReadAllBytes(RepositoryPaths.Combine("src", "Compliance.Functions", "local.settings.json")));
        using var metadata = ReadMetadata();
        var values = settings.RootElement.GetProperty("Values");

        var referenced = metadata.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "timerTrigger")
            .Select(b => b.GetProperty("schedule").GetString()!.Trim('%'))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(["AUDIT_SEAL_SCHEDULE", "ERASURE_SWEEP_SCHEDULE", "KEY_ROTATION_SCHEDULE", "PURGE_SCHEDULE", "REPORT_SCHEDULE"], referenced);
        Assert.Equal(AppSettings.Schedules.Order(StringComparer.Ordinal), referenced);
        Assert.All(referenced, name => Assert.Null(AppSettings.ScheduleProblem(values.GetProperty(name).GetString())));
        Assert.Equal("0 5 * * * *", values.GetProperty("AUDIT_SEAL_SCHEDULE").GetString());
        Assert.Equal("0 */15 * * * *", values.GetProperty("ERASURE_SWEEP_SCHEDULE").GetString());
        Assert.Equal("0 30 1 * * *", values.GetProperty("KEY_ROTATION_SCHEDULE").GetString());
        Assert.Equal("0 0 2 * * *", values.GetProperty("PURGE_SCHEDULE").GetString());
        Assert.Equal("0 30 3 * * *", values.GetProperty("REPORT_SCHEDULE").GetString());
    }

    [Theory]
    [InlineData("ErasureSubmit", "erasures", "post")]
    [InlineData("ErasureSla", "erasures", "get")]
    [InlineData("ErasureStatus", "erasures/{id}", "get")]
    [InlineData("ErasureCertificate", "erasures/{id}/certificate", "get")]
    [InlineData("Reports", "reports", "get")]
    public void Build_ErasureAndReportHttpFunctionsRequireAFunctionKey(string function, string route, string method)
    {
        using var metadata = ReadMetadata();
        var trigger = Binding(metadata, function, "httpTrigger");

        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public void HostJson_QueueTriggersReceiveBodiesAsStored()
    {
        using var host = JsonDocument.Parse(File.ReadAllBytes(RepositoryPaths.Combine("host.json")));

        // Event Grid may write plain JSON to a queue, SDK producers base64: the functions accept both (QueueMessageBody).
        Assert.Equal("none", host.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("messageEncoding").GetString());
    }

    [Fact]
    public void Build_CopiesTheRootHostJson()
    {
        Assert.Equal(
            File.ReadAllBytes(RepositoryPaths.Combine("host.json")),
            File.ReadAllBytes(Path.Combine(OutputDirectory, "host.json")));
    }

    private static JsonElement Binding(JsonDocument metadata, string function, string type) =>
        metadata.RootElement.EnumerateArray()
            .Single(f => f.GetProperty("name").GetString() == function)
            .GetProperty("bindings").EnumerateArray()
            .Single(b => b.GetProperty("type").GetString() == type);

    private static JsonDocument ReadMetadata()
    {
        var path = Path.Combine(OutputDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} was not produced by the build.");
        return JsonDocument.Parse(File.ReadAllBytes(path));
    }
}
