namespace Compliance.Core.Policy;

/// <summary>
/// A validated policy together with its version: the lowercase hex SHA-256 of the exact document bytes,
/// so anyone can recompute it with <c>sha256sum</c>. Every report and audit event echoes this version.
/// </summary>
public sealed record ActivePolicy(CompliancePolicy Policy, string Version, string Source)
{
    /// <summary>The first twelve hex digits of the version, for human-readable output.</summary>
    public string ShortVersion => Version[..12];
}
