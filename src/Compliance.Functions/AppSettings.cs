using Compliance.Core.Keys;
using Compliance.Storage;
using Microsoft.Extensions.Configuration;
using NCrontab;

namespace Compliance.Functions;

/// <summary>Who provides an app setting in Azure.</summary>
public enum AppSettingSource
{
    /// <summary>The deployment (infra/modules/functions.bicep) sets it; a test checks the template sets exactly these.</summary>
    Deployment,

    /// <summary>App Service sets it itself.</summary>
    Platform,

    /// <summary>Nobody in Azure: development and tests only.</summary>
    Development,
}

/// <summary>One app setting the functions app (or its host) reads.</summary>
public sealed record AppSetting(string Name, AppSettingSource Source, string Meaning);

/// <summary>
/// Every app setting the functions app and its host read, in one place, and the start-up check of an Azure
/// deployment's settings. The Bicep template provides exactly the <see cref="AppSettingSource.Deployment"/> ones,
/// <c>local.settings.json</c> the schedules for Core Tools; tests compare both with this list.
/// </summary>
public static class AppSettings
{
    /// <summary>App Service sets this on its instances, but not Flex Consumption (whose instances are containers).</summary>
    public const string InstanceIdSetting = "WEBSITE_INSTANCE_ID";

    /// <summary>The plan's SKU, which the platform sets on every plan (<c>FlexConsumption</c> on the product's deployment).</summary>
    public const string SkuSetting = "WEBSITE_SKU";

    /// <summary>The connection of the Functions host (triggers, timer locks, keys); the queue triggers use it too.</summary>
    public const string HostStorage = "AzureWebJobsStorage";

    /// <summary>The NCRONTAB settings of the timer functions, which their <c>[TimerTrigger("%NAME%")]</c> attributes name.</summary>
    public static IReadOnlyList<string> Schedules { get; } =
        ["AUDIT_SEAL_SCHEDULE", "KEY_ROTATION_SCHEDULE", "PURGE_SCHEDULE", "REPORT_SCHEDULE", "ERASURE_SWEEP_SCHEDULE"];

    public static IReadOnlyList<AppSetting> All { get; } =
    [
        new($"{HostStorage}__credential", AppSettingSource.Deployment, "managedidentity: the host reaches its storage with a managed identity"),
        new($"{HostStorage}__clientId", AppSettingSource.Deployment, "client id of the user-assigned identity the host uses for its storage"),
        new($"{HostStorage}__blobServiceUri", AppSettingSource.Deployment, "blob endpoint of the operational account (timer locks, keys, deployment)"),
        new($"{HostStorage}__queueServiceUri", AppSettingSource.Deployment, "queue endpoint of the operational account (queue triggers)"),
        new($"{HostStorage}__tableServiceUri", AppSettingSource.Deployment, "table endpoint of the operational account"),
        new("AZURE_CLIENT_ID", AppSettingSource.Deployment, "client id of the user-assigned identity DefaultAzureCredential signs in with (storage, Key Vault)"),
        new("APPLICATIONINSIGHTS_CONNECTION_STRING", AppSettingSource.Deployment, "where logs and metrics go"),
        new("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", AppSettingSource.Deployment, "send telemetry with Microsoft Entra ID (the component refuses local auth)"),
        new(StorageOptions.EnvironmentVariable, AppSettingSource.Deployment, "the operational storage account's name (managed identity)"),
        new(StorageOptions.AuditEnvironmentVariable, AppSettingSource.Deployment, "the audit storage account's name: the audit trail and write-once evidence, where the app may only append"),
        new(FunctionsServiceCollectionExtensions.KeysSetting, AppSettingSource.Deployment, "the Key Vault URL of the root keys and the lookup secret"),
        new(FunctionsServiceCollectionExtensions.PolicySetting, AppSettingSource.Deployment, "a policy file published with the app (relative to the app's directory); empty: the built-in policy"),
        .. Schedules.Select(name => new AppSetting(name, AppSettingSource.Deployment, "NCRONTAB schedule (6 fields, UTC) of a timer function")),
        new(AppServiceAuthentication.EnabledSetting, AppSettingSource.Platform, "true when App Service authentication is on; only then do HTTP functions read the signed-in caller"),
        new(SkuSetting, AppSettingSource.Platform, "the plan's SKU; its presence (or WEBSITE_INSTANCE_ID's) turns on the Azure start-up check"),
        new(InstanceIdSetting, AppSettingSource.Platform, "the App Service instance (not set on Flex Consumption); its presence turns on the Azure start-up check"),
        new(FunctionsServiceCollectionExtensions.NameSuffixSetting, AppSettingSource.Development, "appended to every storage resource name; tests only"),
        new(LocalKeyOptions.EnvironmentVariable, AppSettingSource.Development, "directory of development key custody's key files"),
    ];

    /// <summary>
    /// True when Azure runs the app: the platform sets <see cref="SkuSetting"/> on every plan, Flex Consumption
    /// included, and <see cref="InstanceIdSetting"/> on App Service instances (but not on Flex Consumption).
    /// </summary>
    public static bool RunsInAzure(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrEmpty(configuration[SkuSetting]) || !string.IsNullOrEmpty(configuration[InstanceIdSetting]);
    }

    /// <summary>
    /// What stops these settings from running safely in Azure, one sentence each naming the setting; empty when
    /// nothing does. Azure-only rules: root keys in Key Vault (development key custody would keep them on an
    /// instance's disk, which Flex Consumption throws away, and every employee's data with them), storage by
    /// account name with the managed identity (no account keys in settings), an audit account apart from the
    /// operational one, and valid schedules for every timer.
    /// </summary>
    public static IReadOnlyList<string> CheckAzure(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();

        var keys = configuration[FunctionsServiceCollectionExtensions.KeysSetting];
        if (!Uri.TryCreate(keys, UriKind.Absolute, out var vault) || vault.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add($"{FunctionsServiceCollectionExtensions.KeysSetting} must be the Key Vault URL (https://NAME.vault.azure.net/) in Azure: development key custody would keep the root keys on an instance's disk, which is discarded, and every employee's data would be lost with them.");
        }

        var storage = configuration[StorageOptions.EnvironmentVariable];
        var audit = configuration[StorageOptions.AuditEnvironmentVariable];
        CheckAccount(problems, StorageOptions.EnvironmentVariable, storage);
        CheckAccount(problems, StorageOptions.AuditEnvironmentVariable, audit);
        if (!string.IsNullOrEmpty(storage) && string.Equals(storage, audit, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{StorageOptions.AuditEnvironmentVariable} names the same account as {StorageOptions.EnvironmentVariable}: the app may rewrite tables in its operational account, so the audit trail must live in another account where it can only append.");
        }

        var host = configuration.GetSection(HostStorage);
        if (host.Value is { Length: > 0 } connection)
        {
            if (HoldsSecret(connection))
            {
                problems.Add($"{HostStorage} holds an account key or SAS; use the managed identity settings {HostStorage}__credential, __clientId and __blobServiceUri/__queueServiceUri instead.");
            }
        }
        else if (string.IsNullOrEmpty(host["accountName"]) && (string.IsNullOrEmpty(host["blobServiceUri"]) || string.IsNullOrEmpty(host["queueServiceUri"])))
        {
            problems.Add($"{HostStorage}__blobServiceUri and {HostStorage}__queueServiceUri (or {HostStorage}__accountName) are not set: the host has no storage for its triggers and timers.");
        }

        foreach (var name in Schedules)
        {
            if (ScheduleProblem(configuration[name]) is { } problem)
            {
                problems.Add($"{name} {problem}");
            }
        }

        return problems;
    }

    /// <summary>Why <paramref name="schedule"/> is not a schedule the Functions host accepts, or null when it is one.</summary>
    public static string? ScheduleProblem(string? schedule)
    {
        if (string.IsNullOrWhiteSpace(schedule))
        {
            return "is not set: its timer function cannot start.";
        }

        return CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is null
            ? $"is '{schedule}', which is not an NCRONTAB expression of 6 fields ({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}, UTC)."
            : null;
    }

    private static void CheckAccount(List<string> problems, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Contains("UseDevelopmentStorage", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{name} must name a storage account in Azure (the development storage is only for Azurite).");
        }
        else if (HoldsSecret(value))
        {
            problems.Add($"{name} holds an account key or SAS; in Azure set the storage account's name, which the app reaches with its managed identity.");
        }
    }

    private static bool HoldsSecret(string connection) =>
        connection.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase) || connection.Contains("SharedAccessSignature=", StringComparison.OrdinalIgnoreCase);
}
