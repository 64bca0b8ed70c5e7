using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Compliance.Core.Hosting;
using Compliance.Core.Setup;
using Compliance.Core.Subjects;
using Compliance.Storage;
using Compliance.Storage.Hosting;
using Compliance.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Functions.Tests;

/// <summary>
/// The services the functions use, against Azurite on resource names of their own, on a fake clock at Monday
/// 2026-11-23 10:00 UTC, with employees <c>ana</c> and <c>bo</c> who acknowledged every category at 08:00.
/// </summary>
internal sealed class FunctionsTestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    private readonly TemporaryDirectory _keys = new();

    private FunctionsTestHost()
    {
        Clock = new FakeTimeProvider(Start);
        Services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(Clock)
            .AddComplianceCore(configureLocalKeys: k =>
            {
                k.Directory = _keys.Path;
                k.RootKeySize = 2048;
            })
            .AddComplianceStorage(s =>
            {
                s.Account = AzuriteStorage.ConnectionString;
                s.NameSuffix = AzuriteStorage.UniqueSuffix();
            })
            .BuildServiceProvider();
    }

    public FakeTimeProvider Clock { get; }

    /// <summary>App Service authentication as it is in Azure: enforced, so the functions read the signed-in caller.</summary>
    public AppServiceAuthentication Authentication { get; } = new(
        new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [AppServiceAuthentication.EnabledSetting] = "True" })
            .Build());

    public ServiceProvider Services { get; }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public static async Task<FunctionsTestHost> StartAsync()
    {
        var host = new FunctionsTestHost();
        await host.Get<IStorageProvisioner>().ProvisionAsync();
        foreach (var employee in new[] { "ana", "bo" })
        {
            await host.Get<SubjectRegistry>().AcknowledgeNoticeAsync(employee, "2026-11", "operator:test");
        }

        host.Clock.Advance(TimeSpan.FromHours(2));
        return host;
    }

    public static JsonObject Keystroke(string employee, string eventId) => new()
    {
        ["eventId"] = eventId,
        ["employeeId"] = employee,
        ["category"] = "keystroke-dynamics",
        ["capturedAt"] = "2026-11-23T09:30:00Z",
        ["source"] = "agent-win/4.2",
        ["schemaVersion"] = 1,
        ["fields"] = new JsonObject { ["windowSeconds"] = 60, ["keyCount"] = 140 },
    };

    public static HttpRequest Post(string body, string? clientPrincipalRoles = null, string? objectId = null) => Request("POST", body, clientPrincipalRoles, objectId);

    public static HttpRequest Get(string? clientPrincipalRoles = null) => Request("GET", "", clientPrincipalRoles, null);

    /// <summary>A request as the Functions host hands it over, signed in through App Service authentication with the comma-separated roles (and object id), if any.</summary>
    public static HttpRequest Request(string method, string body, string? clientPrincipalRoles, string? objectId)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.ContentLength = context.Request.Body.Length;
        if (clientPrincipalRoles is not null)
        {
            var principal = new JsonObject
            {
                ["auth_typ"] = "aad",
                ["role_typ"] = "roles",
                ["claims"] = new JsonArray([.. clientPrincipalRoles.Split(',').Select(r => (JsonNode)new JsonObject { ["typ"] = "roles", ["val"] = r })]),
            };
            if (objectId is not null)
            {
                principal["claims"]!.AsArray().Add(new JsonObject { ["typ"] = "http://schemas.microsoft.com/identity/claims/objectidentifier", ["val"] = objectId });
            }
            context.Request.Headers[Compliance.Functions.AppServiceAuthentication.ClientPrincipalHeader] = Convert.ToBase64String(Encoding.UTF8.GetBytes(principal.ToJsonString()));
        }

        return context.Request;
    }

    public async Task<List<TableEntity>> AuditAsync(string type) =>
        await Get<StorageClients>().Table(StorageLayout.AuditEvents).QueryAsync<TableEntity>(e => e.GetString("Type") == type).ToListAsync();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        _keys.Dispose();
    }
}
