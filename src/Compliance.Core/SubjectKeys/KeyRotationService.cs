using System.Globalization;
using Compliance.Core.Audit;
using Compliance.Core.Holds;
using Compliance.Core.Keys;
using Compliance.Core.Policy;

namespace Compliance.Core.SubjectKeys;

/// <summary>Where key custody stands: the wrapping root key, the subject keys, what is due, and the shred horizon.</summary>
public sealed record KeyStatus(
    bool DevelopmentCustody,
    string RootKeyVersion,
    DateTimeOffset RootKeyCreated,
    DateTimeOffset RootRotationDue,
    int SubjectKeys,
    int SubjectKeysDueForRotation,
    DateTimeOffset ShredHorizon)
{
    /// <summary>True when the root rotation is late: until it runs, stale copies of the key table stay readable past the horizon.</summary>
    public bool RootRotationOverdue { get; init; }
}

/// <summary>What a rotation did: subject keys given a new version, old versions retired, and the root rotation if any.</summary>
public sealed record KeyRotationResult(int SubjectKeysRotated, RootRotationResult? Root)
{
    public int VersionsRetired { get; init; }

    /// <summary>The new version of the seal-signing key when the scheduled run rotated it, else null.</summary>
    public string? SealKeyVersion { get; init; }
}

/// <summary>
/// Scheduled key rotation (DESIGN section 4) and the status operators read: subject keys whose newest version is
/// older than the policy's rotation period get a new version (no data is re-encrypted); with <c>root</c>, the
/// wrapping root key rotates, every subject key is rewrapped and the old root versions are disabled. Every
/// rotation is audited (KEY_ROTATE). Versions no data needs any more are retired (KEY_RETIRE).
/// </summary>
public sealed class KeyRotationService(
    SubjectKeyService subjectKeys,
    ISubjectKeyStore store,
    IRootKeyCustody custody,
    IHoldStore holds,
    ActivePolicy policy,
    IAuditTrail audit,
    TimeProvider clock)
{
    private TimeSpan SubjectKeyPeriod => TimeSpan.FromDays(policy.Policy.Rotation.SubjectKeyDays);

    private TimeSpan RootKeyPeriod => TimeSpan.FromDays(policy.Policy.Rotation.RootKeyDays);

    /// <summary>
    /// The shred horizon is when a copy of the key table taken now stops being decryptable: the next scheduled root
    /// rotation (which disables the root version wrapping it), or now plus a full root period if no root key exists
    /// yet. A late rotation is flagged rather than hidden.
    /// </summary>
    public async Task<KeyStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var root = await TryGetKeyAsync(SubjectKeyService.RootKeyName, cancellationToken).ConfigureAwait(false);
        var (count, due) = await CountAsync(now, cancellationToken).ConfigureAwait(false);
        var rotationDue = (root?.Created ?? now) + RootKeyPeriod;
        return new KeyStatus(custody.IsDevelopmentCustody, root?.Version ?? "(none yet)", root?.Created ?? now, rotationDue, count, due, rotationDue)
        {
            RootRotationOverdue = rotationDue < now,
        };
    }

    /// <summary>The shred horizon alone (see <see cref="GetStatusAsync"/>), without counting subject keys: one root-key read.</summary>
    public async Task<(DateTimeOffset Horizon, bool RootRotationOverdue)> GetShredHorizonAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var root = await TryGetKeyAsync(SubjectKeyService.RootKeyName, cancellationToken).ConfigureAwait(false);
        var horizon = (root?.Created ?? now) + RootKeyPeriod;
        return (horizon, horizon < now);
    }

    /// <summary>
    /// The scheduled job: rotates subject keys past their period, the root key when its period has passed, and the
    /// seal-signing key on the same period.
    /// </summary>
    public async Task<KeyRotationResult> RotateDueAsync(string actor, CancellationToken cancellationToken = default)
    {
        var root = await TryGetKeyAsync(SubjectKeyService.RootKeyName, cancellationToken).ConfigureAwait(false);
        var rootDue = root is not null && clock.GetUtcNow() - root.Created >= RootKeyPeriod;
        var rotated = await RotateAsync(rootDue, actor, cancellationToken).ConfigureAwait(false);
        var sealKey = await RotateSealKeyIfDueAsync(actor, cancellationToken).ConfigureAwait(false);
        return rotated with { VersionsRetired = await RetireAsync(actor, cancellationToken).ConfigureAwait(false), SealKeyVersion = sealKey };
    }

    /// <summary>
    /// Rotates the seal-signing key <see cref="RootKeyAuditSigner.KeyName"/> when its current version is older than the
    /// root-key period: a new version signs the next seals, and the earlier ones stay enabled so old seals still verify
    /// (nothing is wrapped by it, so nothing is rewrapped). KEY_ROTATE records it, once per version rotated away from.
    /// Nothing happens before the first seal has created the key. Returns the new version, or null.
    /// </summary>
    private async Task<string?> RotateSealKeyIfDueAsync(string actor, CancellationToken cancellationToken)
    {
        if (await TryGetKeyAsync(RootKeyAuditSigner.KeyName, cancellationToken).ConfigureAwait(false) is not { } current
            || clock.GetUtcNow() - current.Created < RootKeyPeriod)
        {
            return null;
        }

        var next = await custody.RotateKeyAsync(RootKeyAuditSigner.KeyName, cancellationToken).ConfigureAwait(false);
        await RecordRootRotationAsync(RootKeyAuditSigner.KeyName, current.Version, next.Version, actor, null, null, null, cancellationToken).ConfigureAwait(false);
        return next.Version;
    }

    /// <summary>
    /// Retires subject-key versions no data needs any more. A version stops encrypting when its successor is
    /// created; everything sealed under it was captured before that, so once the successor is older than the
    /// longest retention of the scope's categories plus the purge lag, all of it has expired and been purged. A
    /// version stays while a legal hold covers the subject or one of the scope's categories, and in scopes no
    /// category maps to (training exports follow their lineage instead). Returns how many versions were retired.
    /// </summary>
    public async Task<int> RetireAsync(string actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var activeHolds = (await holds.ListAsync(cancellationToken).ConfigureAwait(false)).Where(h => h.IsActive).ToList();
        var versions = new Dictionary<(string Subject, string Scope), List<StoredSubjectKey>>();
        await foreach (var key in store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!versions.TryGetValue((key.Subject, key.Scope), out var list))
            {
                versions[(key.Subject, key.Scope)] = list = [];
            }

            list.Add(key);
        }

        var retired = 0;
        foreach (var ((subject, scope), list) in versions)
        {
            var categories = policy.Policy.Categories.Where(c => c.Value.KeyScope == scope).ToList();
            if (categories.Count == 0 || activeHolds.Any(h => categories.Any(c => h.Covers(subject, c.Key))))
            {
                continue;
            }

            var keep = TimeSpan.FromDays(categories.Max(c => c.Value.RetentionDays)) + TimeSpan.FromHours(policy.Policy.Slas.PurgeLagHours);
            var ordered = list.OrderBy(k => k.Version).ToList();
            for (var i = 0; i < ordered.Count - 1; i++)
            {
                if (now - ordered[i + 1].Created < keep)
                {
                    break;
                }

                await audit.AppendAsync(
                    new AuditEvent
                    {
                        Type = AuditEventType.KeyRetire,
                        Actor = actor,
                        Subject = subject,
                        Attributes = new Dictionary<string, string> { ["scope"] = scope, ["version"] = ordered[i].Version.ToString(CultureInfo.InvariantCulture) },
                        IdempotencyKey = $"key-retire:{subject}:{scope}:{ordered[i].Version}",
                    },
                    cancellationToken).ConfigureAwait(false);
                if (await subjectKeys.RetireAsync(ordered[i], cancellationToken).ConfigureAwait(false))
                {
                    retired++;
                }
            }
        }

        return retired;
    }

    /// <summary>Rotates every subject key past its period, and the root key when <paramref name="root"/> is set.</summary>
    public async Task<KeyRotationResult> RotateAsync(bool root, string actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var newest = new Dictionary<(string Subject, string Scope), StoredSubjectKey>();
        await foreach (var key in store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!newest.TryGetValue((key.Subject, key.Scope), out var seen) || key.Version > seen.Version)
            {
                newest[(key.Subject, key.Scope)] = key;
            }
        }

        var rotated = 0;
        foreach (var key in newest.Values.Where(k => now - k.Created >= SubjectKeyPeriod))
        {
            SubjectKey? next;
            try
            {
                next = await subjectKeys.RotateIfCurrentAsync(key.Subject, key.Scope, key.Version, cancellationToken).ConfigureAwait(false);
            }
            catch (SubjectKeyShreddedException)
            {
                next = null; // shredded meanwhile: nothing to rotate
            }

            if (next is null)
            {
                continue;
            }

            await audit.AppendAsync(
                new AuditEvent
                {
                    Type = AuditEventType.KeyRotate,
                    Actor = actor,
                    Subject = key.Subject,
                    Attributes = new Dictionary<string, string> { ["scope"] = key.Scope, ["version"] = next.Version.ToString(CultureInfo.InvariantCulture) },
                    IdempotencyKey = $"key-rotate:{key.Subject}:{key.Scope}:{next.Version}",
                },
                cancellationToken).ConfigureAwait(false);
            rotated++;
        }

        var rootResult = root ? await RotateRootAsync(actor, cancellationToken: cancellationToken).ConfigureAwait(false) : null;
        return new KeyRotationResult(rotated, rootResult);
    }

    /// <summary>
    /// Rotates the root key <see cref="SubjectKeyService.RootKeyName"/> alone: a new version, every subject key
    /// rewrapped under it, the old versions disabled (see <see cref="SubjectKeyService.RotateRootAsync"/>), then one
    /// KEY_ROTATE event with the counts. <paramref name="reasonCode"/> says why it ran (for example
    /// <c>KEY_NEAR_EXPIRY</c>) and <paramref name="trigger"/> what asked for it, when that was not the schedule.
    /// </summary>
    public async Task<RootRotationResult> RotateRootAsync(string actor, string? reasonCode = null, string? trigger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var previous = (await TryGetKeyAsync(SubjectKeyService.RootKeyName, cancellationToken).ConfigureAwait(false))?.Version;
        var result = await subjectKeys.RotateRootAsync(cancellationToken).ConfigureAwait(false);
        await RecordRootRotationAsync(SubjectKeyService.RootKeyName, previous, result.NewRootVersion, actor, reasonCode, trigger, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// The KEY_ROTATE event of a root-key rotation away from <paramref name="previousVersion"/>, recorded once per
    /// previous version: a run that finds the rotation done but cannot tell whether its event was written (a crash
    /// in between) records it again, and the trail keeps one.
    /// </summary>
    public Task<AuditReceipt> RecordRootRotationAsync(
        string rootKey,
        string? previousVersion,
        string version,
        string actor,
        string? reasonCode,
        string? trigger,
        RootRotationResult? result,
        CancellationToken cancellationToken = default)
    {
        var attributes = new Dictionary<string, string> { ["rootKey"] = rootKey, ["version"] = version };
        if (previousVersion is not null)
        {
            attributes["previousVersion"] = previousVersion;
        }

        if (trigger is not null)
        {
            attributes["trigger"] = trigger;
        }

        return audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.KeyRotate,
                Actor = actor,
                ReasonCode = reasonCode,
                Counts = result is null
                    ? new Dictionary<string, long>()
                    : new Dictionary<string, long> { ["rewrapped"] = result.Rewrapped, ["disabledVersions"] = result.DisabledVersions.Count },
                Attributes = attributes,
                IdempotencyKey = previousVersion is null ? null : $"key-rotate:{rootKey}:from:{previousVersion}",
            },
            cancellationToken);
    }

    private async Task<(int Count, int Due)> CountAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var newest = new Dictionary<(string, string), DateTimeOffset>();
        await foreach (var key in store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!newest.TryGetValue((key.Subject, key.Scope), out var created) || key.Created > created)
            {
                newest[(key.Subject, key.Scope)] = key.Created;
            }
        }

        return (newest.Count, newest.Values.Count(created => now - created >= SubjectKeyPeriod));
    }

    /// <summary>The current version of root key <paramref name="name"/>, or null when key custody has none yet.</summary>
    private async Task<RootKeyVersion?> TryGetKeyAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await custody.GetKeyAsync(name, null, cancellationToken).ConfigureAwait(false);
        }
        catch (RootKeyNotFoundException)
        {
            return null;
        }
    }
}
