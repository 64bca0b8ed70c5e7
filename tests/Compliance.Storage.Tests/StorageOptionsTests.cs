using Compliance.Core.Setup;
using Compliance.Storage.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Compliance.Storage.Tests;

public sealed class StorageOptionsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("UseDevelopmentStorage=true")]
    public void AuditAccount_UnsetOrSameAsAccount_OneAccountForEverything(string? audit)
    {
        var options = Resolve(o => o.AuditAccount = audit);

        Assert.False(options.UsesSeparateAuditAccount);
        Assert.Equal("UseDevelopmentStorage=true", options.AccountFor(StorageAccountRole.Audit));
    }

    [Theory]
    [InlineData("contosoaudit")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=contosoaudit;AccountKey=a2V5;EndpointSuffix=core.windows.net")]
    public void AuditAccount_NameOrConnectionString_Accepted(string audit)
    {
        var options = Resolve(o =>
        {
            o.Account = "contosotelemetry";
            o.AuditAccount = audit;
        });

        Assert.True(options.UsesSeparateAuditAccount);
        Assert.Equal(audit, options.AccountFor(StorageAccountRole.Audit));
        Assert.Equal("contosotelemetry", options.AccountFor(StorageAccountRole.Operational));
    }

    [Theory]
    [InlineData("Contoso Audit")]
    [InlineData("ab")]
    [InlineData("auditaccountnamethatistoolong")]
    public void AuditAccount_NeitherConnectionStringNorAccountName_RefusedNamingTheSetting(string audit)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(o => o.AuditAccount = audit));

        var failure = Assert.Single(ex.Failures);
        Assert.Contains("--audit-storage or COMPLIANCE_AUDIT_STORAGE", failure, StringComparison.Ordinal);
        Assert.Contains("neither a connection string nor a storage account name", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Account_Invalid_RefusedWithoutBlamingTheAuditSetting()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(o => o.Account = "Not An Account"));

        var failure = Assert.Single(ex.Failures);
        Assert.Contains("The storage setting is neither", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("audit", failure, StringComparison.OrdinalIgnoreCase);
    }

    private static StorageOptions Resolve(Action<StorageOptions> configure) =>
        new ServiceCollection()
            .AddComplianceStorage(configure)
            .BuildServiceProvider()
            .GetRequiredService<IOptions<StorageOptions>>()
            .Value;
}
