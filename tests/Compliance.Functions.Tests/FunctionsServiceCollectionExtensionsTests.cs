using Compliance.Core.Audit;
using Compliance.Core.Keys;
using Compliance.Core.Policy;
using Compliance.Core.Setup;
using Compliance.Storage;
using Compliance.Storage.KeyVault;
using Compliance.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Tests;

public sealed class FunctionsServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddComplianceFunctions_BrokenPolicyFile_HostRefusesToStart()
    {
        using var directory = new TemporaryDirectory();
        var fixture = new PolicyFixture();
        fixture.Category("keystroke-dynamics").Remove("retentionDays");
        var path = fixture.WriteTo(directory.Path);
        using var host = BuildHost(new() { ["COMPLIANCE_POLICY"] = path });

        var ex = await Assert.ThrowsAsync<PolicyValidationException>(() => host.StartAsync());

        Assert.Equal(path, Assert.Single(ex.Errors).Source);
    }

    [Fact]
    public async Task AddComplianceFunctions_AppSettings_ReachPolicyAndStorage()
    {
        using var directory = new TemporaryDirectory();
        var path = new PolicyFixture().WriteTo(directory.Path);
        using var host = BuildHost(new() { ["COMPLIANCE_POLICY"] = path, ["COMPLIANCE_STORAGE"] = "contosotelemetry" });

        await host.StartAsync();
        try
        {
            Assert.Equal(path, host.Services.GetRequiredService<ActivePolicy>().Source);
            Assert.Equal("contosotelemetry", host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Account);
            Assert.NotNull(host.Services.GetRequiredService<IStorageProvisioner>());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void AddComplianceFunctions_NoSettings_UsesBuiltInPolicyAndDevelopmentStorage()
    {
        using var host = BuildHost([]);

        Assert.Equal(PolicyDocument.DefaultSource, host.Services.GetRequiredService<ActivePolicy>().Source);
        Assert.Equal(StorageOptions.DevelopmentStorage, host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Account);
        Assert.False(host.Services.GetRequiredService<StorageClients>().SeparateAuditAccount);
    }

    [Fact]
    public void AddComplianceFunctions_AuditStorageSetting_AuditTrailInThatAccount()
    {
        using var host = BuildHost(new() { ["COMPLIANCE_STORAGE"] = "contosotelemetry", ["COMPLIANCE_AUDIT_STORAGE"] = "contosoaudit" });

        var clients = host.Services.GetRequiredService<StorageClients>();

        Assert.Equal("contosoaudit", host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.AuditAccount);
        Assert.Equal("contosoaudit", clients.Table(StorageLayout.AuditEvents).AccountName);
        Assert.Equal("contosotelemetry", clients.Table(StorageLayout.Subjects).AccountName);
    }

    [Fact]
    public void AddComplianceFunctions_AuditStorageSettingInvalid_RefusedNamingTheSetting()
    {
        using var host = BuildHost(new() { ["COMPLIANCE_AUDIT_STORAGE"] = "Contoso Audit" });

        var ex = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("COMPLIANCE_AUDIT_STORAGE", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void AddComplianceFunctions_KeysSettingNamesAVault_RootKeysInKeyVault()
    {
        using var host = BuildHost(new() { ["COMPLIANCE_KEYS"] = "https://contoso-keys.vault.azure.net" });

        var custody = host.Services.GetRequiredService<IRootKeyCustody>();

        Assert.IsType<KeyVaultRootKeyCustody>(custody);
        Assert.False(custody.IsDevelopmentCustody);
        Assert.False(host.Services.GetRequiredService<IAuditSigner>().IsDevelopmentCustody);
    }

    [Fact]
    public void AddComplianceFunctions_NoKeysSetting_DevelopmentKeyCustody()
    {
        using var host = BuildHost([]);

        Assert.True(host.Services.GetRequiredService<IRootKeyCustody>().IsDevelopmentCustody);
    }

    [Fact]
    public void AddComplianceFunctions_KeysSettingNotAVaultUrl_RefusedNamingTheSetting()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => BuildHost(new() { ["COMPLIANCE_KEYS"] = "http://insecure" }));

        Assert.StartsWith("COMPLIANCE_KEYS: 'http://insecure'", ex.Message, StringComparison.Ordinal);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddComplianceFunctions(builder.Configuration);
        return builder.Build();
    }
}
