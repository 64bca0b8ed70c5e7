using Compliance.Core.Audit;
using Compliance.Core.Keys;

namespace Compliance.Core.SubjectKeys;

/// <summary>The reason codes of what Key Vault events cause (docs/keys.md, "Key Vault events").</summary>
public static class KeyVaultEventReasons
{
    /// <summary>A root key rotated early because Key Vault said its current version is about to expire.</summary>
    public const string KeyNearExpiry = "KEY_NEAR_EXPIRY";

    /// <summary>A root key rotated because Key Vault said its current version has expired.</summary>
    public const string KeyExpired = "KEY_EXPIRED";

    /// <summary>A queue message that is not a Key Vault event (REJECT): it is recorded and completed, never retried.</summary>
    public const string InvalidEvent = "INVALID_KEYVAULT_EVENT";
}

/// <summary>What handling a Key Vault event did.</summary>
public enum KeyExpiryStatus
{
    /// <summary>A root key was rotated.</summary>
    Rotated,

    /// <summary>The event names a version that is no longer current: it was rotated already (a redelivery, or another run).</summary>
    AlreadyRotated,

    /// <summary>Nothing for this app to do: another event type, object, key or vault.</summary>
    Ignored,
}

/// <summary>What handling one Key Vault event did, and a sentence saying why, for the log (names and versions, never key material).</summary>
public sealed record KeyExpiryOutcome(KeyExpiryStatus Status, string Message);

/// <summary>
/// Rotates a root key early when Key Vault says its current version is about to expire (<c>KeyNearExpiry</c>, 30
/// days before by default) or has expired (<c>KeyExpired</c>). For <see cref="SubjectKeyService.RootKeyName"/> that
/// is the full root rotation (new version, every subject key rewrapped, old versions disabled; KEY_ROTATE); for the
/// seal-signing key <see cref="RootKeyAuditSigner.KeyName"/> a new version, with the earlier ones left enabled so
/// old seals still verify. Only an event naming the current version rotates, so a redelivered event does nothing.
/// Every other event (other types, secrets, certificates, other keys) is ignored.
/// </summary>
public sealed class KeyExpiryHandler(KeyRotationService rotation, IRootKeyCustody custody)
{
    /// <summary>The <c>trigger</c> attribute of the KEY_ROTATE events this handler causes.</summary>
    public const string Trigger = "keyvault-event";

    public async Task<KeyExpiryOutcome> HandleAsync(KeyVaultEvent keyVaultEvent, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyVaultEvent);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);

        var reason = keyVaultEvent.Is(KeyVaultEventTypes.KeyNearExpiry) ? KeyVaultEventReasons.KeyNearExpiry
            : keyVaultEvent.Is(KeyVaultEventTypes.KeyExpired) ? KeyVaultEventReasons.KeyExpired
            : null;
        if (reason is null)
        {
            return Ignored($"{keyVaultEvent.Type} needs no action");
        }

        if (keyVaultEvent.Data is not { IsKey: true, Version: { } version } key)
        {
            return Ignored($"{keyVaultEvent.Type} about a {keyVaultEvent.Data?.ObjectType ?? "non-Key Vault object"}, not a key");
        }

        var name = Same(key.ObjectName, SubjectKeyService.RootKeyName) ? SubjectKeyService.RootKeyName
            : Same(key.ObjectName, RootKeyAuditSigner.KeyName) ? RootKeyAuditSigner.KeyName
            : null;
        if (name is null)
        {
            return Ignored($"key '{key.ObjectName}' is not a root key of this app");
        }

        RootKeyVersion current;
        try
        {
            current = await custody.GetKeyAsync(name, null, cancellationToken).ConfigureAwait(false);
        }
        catch (RootKeyNotFoundException)
        {
            return Ignored($"key custody holds no key '{name}' (an event from another vault?)");
        }

        if (!Same(current.Version, version))
        {
            return await AlreadyRotatedAsync(name, version, current.Version, reason, actor, cancellationToken).ConfigureAwait(false);
        }

        return name == SubjectKeyService.RootKeyName
            ? await RotateSubjectKeysRootAsync(version, reason, actor, cancellationToken).ConfigureAwait(false)
            : await RotateSealKeyAsync(version, reason, actor, cancellationToken).ConfigureAwait(false);
    }

    private async Task<KeyExpiryOutcome> RotateSubjectKeysRootAsync(string version, string reason, string actor, CancellationToken cancellationToken)
    {
        var result = await rotation.RotateRootAsync(actor, reason, Trigger, cancellationToken).ConfigureAwait(false);
        return new KeyExpiryOutcome(
            KeyExpiryStatus.Rotated,
            $"{reason}: '{SubjectKeyService.RootKeyName}' version {version} replaced by {result.NewRootVersion}; {result.Rewrapped} subject keys rewrapped, {result.DisabledVersions.Count} old versions disabled");
    }

    /// <summary>
    /// A new version; the earlier ones stay enabled so their seals still verify. KEY_ROTATE is keyed by the expiring
    /// version, and the already-rotated path records it again, so a crash between the rotation and the event leaves
    /// the trail complete after the redelivery, and a rotation that never happened is never recorded.
    /// </summary>
    private async Task<KeyExpiryOutcome> RotateSealKeyAsync(string version, string reason, string actor, CancellationToken cancellationToken)
    {
        var next = await custody.RotateKeyAsync(RootKeyAuditSigner.KeyName, cancellationToken).ConfigureAwait(false);
        await rotation.RecordRootRotationAsync(RootKeyAuditSigner.KeyName, version, next.Version, actor, reason, Trigger, null, cancellationToken).ConfigureAwait(false);
        return new KeyExpiryOutcome(
            KeyExpiryStatus.Rotated,
            $"{reason}: '{RootKeyAuditSigner.KeyName}' version {version} replaced by {next.Version}; earlier versions stay enabled so their seals still verify");
    }

    /// <summary>
    /// The event names a version that is no longer current. A finished subject-keys root rotation always disables the
    /// version it replaced; if that version is still enabled, a rotation away from it stopped part-way (a crash, or a
    /// failure after the new version was created), and rotating again finishes the job: every subject key rewrapped,
    /// every old version disabled.
    /// </summary>
    private async Task<KeyExpiryOutcome> AlreadyRotatedAsync(string name, string version, string currentVersion, string reason, string actor, CancellationToken cancellationToken)
    {
        RootKeyVersion named;
        try
        {
            named = await custody.GetKeyAsync(name, version, cancellationToken).ConfigureAwait(false);
        }
        catch (RootKeyNotFoundException)
        {
            return Ignored($"key custody holds no version {version} of '{name}' (an event from another vault?)");
        }
        catch (KeyCustodyForbiddenException)
        {
            // Reading the current version just worked, so the app may read keys: if the vault refuses to show a
            // disabled version, that refusal says it is disabled, which is all this needs to know.
            await rotation.RecordRootRotationAsync(name, version, currentVersion, actor, reason, Trigger, null, cancellationToken).ConfigureAwait(false);
            return new KeyExpiryOutcome(KeyExpiryStatus.AlreadyRotated, $"'{name}' version {version} is no longer current ({currentVersion} is) and is disabled: already rotated, nothing to do");
        }

        if (name == SubjectKeyService.RootKeyName && named.Enabled)
        {
            var result = await rotation.RotateRootAsync(actor, reason, Trigger, cancellationToken).ConfigureAwait(false);
            return new KeyExpiryOutcome(
                KeyExpiryStatus.Rotated,
                $"{reason}: '{name}' version {version} was replaced but still enabled (an unfinished rotation); rotated again to {result.NewRootVersion}, {result.Rewrapped} subject keys rewrapped, {result.DisabledVersions.Count} old versions disabled");
        }

        // Done already. If the run that did it stopped before its KEY_ROTATE, this records it; otherwise the trail keeps the first.
        await rotation.RecordRootRotationAsync(name, version, currentVersion, actor, reason, Trigger, null, cancellationToken).ConfigureAwait(false);
        return new KeyExpiryOutcome(KeyExpiryStatus.AlreadyRotated, $"'{name}' version {version} is no longer current ({currentVersion} is): already rotated, nothing to do");
    }

    /// <summary>Key Vault names and versions are case-insensitive.</summary>
    private static bool Same(string value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    private static KeyExpiryOutcome Ignored(string why) => new(KeyExpiryStatus.Ignored, why);
}
