using Compliance.Core.Audit;
using Compliance.TestSupport;

namespace Compliance.IntegrationTests.Audit;

/// <summary>Content-like strings, email addresses and employee ids fed to the audit writer never reach a stored event.</summary>
public sealed class AuditMinimisationTests
{
    public static TheoryData<string, string> Leaks => new()
    {
        { "attribute", "alice.smith@contoso.com" },
        { "attribute", "E10442" },
        { "attribute", "Typed: my password is hunter2" },
        { "field", "Dear Bob, the merger is off" },
        { "subject", "E10442" },
        { "actor", "bob@contoso.com" },
        { "countKey", "EMP-1234" },
        { "purpose", "Performance review of Alice" },
    };

    [Theory]
    [MemberData(nameof(Leaks))]
    public async Task AppendAsync_ContentOrIdentifier_RefusedAndNothingStored(string where, string value)
    {
        await using var host = await IntegrationHost.StartAsync();
        var auditEvent = AuditEvents.Place(AuditEvents.Ingest(), where, value);

        var ex = await Assert.ThrowsAsync<AuditMinimisationException>(() => host.Trail.AppendAsync(auditEvent));

        Assert.DoesNotContain(value, ex.Message, StringComparison.Ordinal);
        var stored = new List<string>();
        await foreach (var row in host.EventsTable.QueryAsync<Azure.Data.Tables.TableEntity>())
        {
            stored.Add(row.GetString("Body") ?? "");
        }

        Assert.Empty(stored);
    }

    [Fact]
    public async Task Jobs_StoredEvents_HoldNoEmailOrEmployeeId()
    {
        await using var host = await IntegrationHost.StartAsync(streamCount: 2);
        await host.Trail.AppendBatchAsync([.. Enumerable.Range(0, 10).Select(i => AuditEvents.Ingest(i))]);
        await host.Sealer.SealAsync("job:audit-seal");

        var bodies = new List<string>();
        await foreach (var row in host.EventsTable.QueryAsync<Azure.Data.Tables.TableEntity>())
        {
            bodies.Add(string.Join("|", ((IDictionary<string, object>)row).Values));
        }

        Assert.NotEmpty(bodies);
        Assert.DoesNotContain(bodies, b => b.Contains('@', StringComparison.Ordinal));
        Assert.DoesNotContain(bodies, b => System.Text.RegularExpressions.Regex.IsMatch(b, @"\b(E\d{5,8}|EMP-\d{4,10})\b"));
    }
}
