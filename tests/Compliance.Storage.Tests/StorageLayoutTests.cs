using Compliance.Core.Setup;

namespace Compliance.Storage.Tests;

public sealed class StorageLayoutTests
{
    [Fact]
    public void All_AuditTrailAndEvidence_InTheAuditAccount()
    {
        var audit = StorageLayout.All.Where(r => r.Account == StorageAccountRole.Audit).Select(r => r.BaseName);

        Assert.Equal(["auditevents", "auditseals", "audit-seals", "reports", "erasure-certificates"], audit);
    }

    [Fact]
    public void All_EverythingElse_InTheOperationalAccount()
    {
        var operational = StorageLayout.All.Where(r => r.Account == StorageAccountRole.Operational).Select(r => r.BaseName);

        Assert.Equal(
            ["subjects", "subjectkeys", "holds", "erasures", "lineage", "telemetry-ingest", "erasure-requests", "keyvault-events", "purge-manifests"],
            operational);
    }

    [Fact]
    public void All_Queues_OperationalBecauseTheQueueTriggersReadThem()
    {
        Assert.All(StorageLayout.All.Where(r => r.Kind == StorageResourceKind.Queue), r => Assert.Equal(StorageAccountRole.Operational, r.Account));
    }

    [Fact]
    public void All_AuditTables_StartWithAudit()
    {
        var tables = StorageLayout.All.Where(r => r.Kind == StorageResourceKind.Table);

        Assert.All(tables, t => Assert.Equal(t.Account == StorageAccountRole.Audit, t.BaseName.StartsWith("audit", StringComparison.Ordinal)));
    }
}
