using System.ComponentModel.DataAnnotations;

namespace Compliance.Core.Audit;

/// <summary>How the audit trail is laid out and sealed.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Compliance:Audit";

    /// <summary>
    /// Independent hash chains. Writers spread over them so concurrent instances rarely contend; seals
    /// bind all of them together. Changing it later is safe: streams are never renumbered.
    /// </summary>
    [Range(1, 99)]
    public int StreamCount { get; set; } = 16;

    /// <summary>How often one append may lose a race for a sequence number before it gives up.</summary>
    [Range(1, 1000)]
    public int MaxConflictRetries { get; set; } = 50;

    /// <summary>Copy each seal to the seal-export blob container (immutable in Azure).</summary>
    public bool ExportSeals { get; set; } = true;

    public static string StreamName(int index) => $"s{index:00}";
}
