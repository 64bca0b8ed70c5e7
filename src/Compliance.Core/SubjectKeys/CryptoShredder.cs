using Compliance.Core.Audit;
using Compliance.Core.Policy;
using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;

namespace Compliance.Core.SubjectKeys;

/// <summary>
/// The decrypt probe after a shred: how many of the subject's records were sampled and how many still decrypted.
/// The shred holds when none did.
/// </summary>
public sealed record ShredProbeResult(int Sampled, int Decrypted)
{
    public bool Holds => Decrypted == 0;
}

/// <summary>What a shred did: the subject (surrogate), the scopes destroyed, when, the probe, and the shred horizon for stale copies.</summary>
public sealed record ShredResult(
    string Subject,
    IReadOnlyList<string> Scopes,
    bool SubjectErased,
    int VersionsDestroyed,
    DateTimeOffset DestroyedAt,
    ShredProbeResult Probe,
    DateTimeOffset ShredHorizon,
    bool RootRotationOverdue)
{
    /// <summary>The key versions this run destroyed, as <c>scope/version</c> (none on a rerun).</summary>
    public IReadOnlyList<string> DestroyedKeyIds { get; init; } = [];
}

/// <summary>
/// The crypto-shred primitive (DESIGN invariant 3) that erasure builds on. For one key scope, or for all of
/// them: the tombstones go first (for the whole subject, the registry's lookup entry becomes the erased
/// tombstone, which stops ingestion; each scope gets a key tombstone, which stops key creation), then every key
/// version is destroyed, then a sample of the subject's records is decrypted straight from the key store (not
/// from memory) and must fail, and a KEY_SHRED event records the counts and the probe. Idempotent: a rerun
/// after a crash finishes the job and records one event.
/// </summary>
public sealed class CryptoShredder(
    SubjectRegistry registry,
    Holds.IHoldStore holds,
    SubjectKeyService keys,
    ISubjectKeyStore keyStore,
    ITelemetryStore telemetry,
    TelemetryProtector protector,
    KeyRotationService rotation,
    ActivePolicy policy,
    IAuditTrail audit,
    TimeProvider clock)
{
    /// <summary>The most records the probe decrypts, spread over the scope's categories, newest days first.</summary>
    public const int ProbeSampleSize = 16;

    /// <summary>Shreds <paramref name="scope"/> of the employee's keys, or every scope (and the subject) when it is null.</summary>
    /// <exception cref="ArgumentException">The scope is not a key scope of the policy, or the reason is not an UPPER_SNAKE code.</exception>
    /// <exception cref="SubjectUnderLegalHoldException">A legal hold covers the subject or a category of the scope; nothing was changed.</exception>
    public async Task<ShredResult> ShredAsync(string employeeId, string? scope, string reasonCode, string actor, CancellationToken cancellationToken = default) =>
        await ShredByLookupKeyAsync(await registry.LookupKeyAsync(employeeId, cancellationToken).ConfigureAwait(false), scope, reasonCode, actor, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// <see cref="ShredAsync"/> for the employee behind a lookup key (<see cref="SubjectRegistry.LookupKeyAsync"/>):
    /// what the erasure service uses to finish a request without keeping the employee id.
    /// </summary>
    public async Task<ShredResult> ShredByLookupKeyAsync(string lookupKey, string? scope, string reasonCode, string actor, CancellationToken cancellationToken = default)
    {
        ValidateScope(scope);

        // Legal holds win (DESIGN invariant 6): nothing a hold covers is destroyed; the erasure waits for the release.
        if (await registry.FindByLookupKeyAsync(lookupKey, cancellationToken).ConfigureAwait(false) is { } existing
            && await CoveringHoldsAsync(existing.Surrogate, scope, cancellationToken).ConfigureAwait(false) is { Count: > 0 } covering)
        {
            throw new SubjectUnderLegalHoldException(covering);
        }

        Subject subject;
        if (scope is null)
        {
            subject = await registry.SetStatusByLookupKeyAsync(lookupKey, SubjectStatus.Erased, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            subject = await registry.FindByLookupKeyAsync(lookupKey, cancellationToken).ConfigureAwait(false)
                ?? await registry.EnrolByLookupKeyAsync(lookupKey, cancellationToken).ConfigureAwait(false);
        }

        var scopes = scope is not null
            ? [scope]
            : policy.Policy.KeyScopes.Keys
                .Concat((await keyStore.GetRingsAsync(subject.Surrogate, cancellationToken).ConfigureAwait(false)).Select(r => r.Scope))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();

        var destroyedKeyIds = new List<string>();
        foreach (var s in scopes)
        {
            destroyedKeyIds.AddRange((await keys.ShredAsync(subject.Surrogate, s, cancellationToken).ConfigureAwait(false))
                .Select(v => s + "/" + v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var destroyed = destroyedKeyIds.Count;

        var destroyedAt = clock.GetUtcNow();
        var probe = await ProbeAsync(subject.Surrogate, scopes, cancellationToken).ConfigureAwait(false);
        var (horizon, overdue) = await rotation.GetShredHorizonAsync(cancellationToken).ConfigureAwait(false);
        var scopeLabel = scope ?? "all";
        await audit.AppendAsync(
            new AuditEvent
            {
                Type = AuditEventType.KeyShred,
                Actor = actor,
                Subject = subject.Surrogate,
                ReasonCode = reasonCode,
                Counts = new Dictionary<string, long>
                {
                    ["versionsDestroyed"] = destroyed,
                    ["probeSampled"] = probe.Sampled,
                    ["probeDecrypted"] = probe.Decrypted,
                },
                Attributes = new Dictionary<string, string>
                {
                    ["scope"] = scopeLabel,
                    ["probe"] = probe.Holds ? "unreadable" : "readable",
                    ["shredHorizon"] = Time.IsoInstant.Format(horizon),
                },
                // Keyed by the outcome too: a probe that still read a record is a finding that must stay on the
                // record even when a later run's probe holds.
                IdempotencyKey = $"key-shred:{subject.Surrogate}:{scopeLabel}:{(probe.Holds ? "unreadable" : "readable")}",
            },
            cancellationToken).ConfigureAwait(false);

        return new ShredResult(subject.Surrogate, scopes, scope is null, destroyed, destroyedAt, probe, horizon, overdue) { DestroyedKeyIds = destroyedKeyIds };
    }

    /// <summary>The cases of the active legal holds covering the subject, or a category of <paramref name="scope"/> (every category when null).</summary>
    public async Task<IReadOnlyList<string>> CoveringHoldsAsync(string surrogate, string? scope, CancellationToken cancellationToken = default)
    {
        ValidateScope(scope);
        var categories = CategoriesOf(scope);
        return [.. (await holds.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(h => h.IsActive && (h.Subject == surrogate || (h.Category is { } c && categories.Contains(c, StringComparer.Ordinal))))
            .Select(h => h.CaseId)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The categories whose records are sealed under <paramref name="scope"/> (every category when null), in name order.</summary>
    public IReadOnlyList<string> CategoriesOf(string? scope) =>
        [.. policy.Policy.Categories.Where(c => scope is null || c.Value.KeyScope == scope).Select(c => c.Key).Order(StringComparer.Ordinal)];

    private void ValidateScope(string? scope)
    {
        if (scope is not null && !policy.Policy.KeyScopes.ContainsKey(scope))
        {
            throw new ArgumentException($"Unknown key scope '{scope}'; defined: {string.Join(", ", policy.Policy.KeyScopes.Keys.Order(StringComparer.Ordinal))}.", nameof(scope));
        }
    }

    /// <summary>Tries to decrypt a sample of the subject's records in <paramref name="scopes"/>, reading keys from the store only.</summary>
    private async Task<ShredProbeResult> ProbeAsync(string surrogate, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var categories = policy.Policy.Categories
            .Where(c => scopes.Contains(c.Value.KeyScope, StringComparer.Ordinal))
            .Select(c => c.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (categories.Count == 0)
        {
            return new ShredProbeResult(0, 0);
        }

        var perCategory = Math.Max(1, ProbeSampleSize / categories.Count);
        int sampled = 0, decrypted = 0;
        foreach (var category in categories)
        {
            var days = new List<DateOnly>();
            await foreach (var day in telemetry.ListDaysAsync(category, cancellationToken).ConfigureAwait(false))
            {
                days.Add(day);
            }

            var taken = 0;
            foreach (var day in Enumerable.Reverse(days))
            {
                await foreach (var record in telemetry.ReadSubjectAsync(surrogate, category, day, day, perCategory - taken, cancellationToken).ConfigureAwait(false))
                {
                    sampled++;
                    taken++;
                    try
                    {
                        await protector.OpenAsync(record, useCache: false, cancellationToken).ConfigureAwait(false);
                        decrypted++;
                    }
                    catch (RecordUnreadableException)
                    {
                        // The expected outcome: no key, so no plaintext.
                    }
                }

                if (taken == perCategory)
                {
                    break;
                }
            }
        }

        return new ShredProbeResult(sampled, decrypted);
    }
}

/// <summary>A legal hold covers what a shred would destroy; nothing was changed.</summary>
public sealed class SubjectUnderLegalHoldException : Exception
{
    public SubjectUnderLegalHoldException()
    {
    }

    public SubjectUnderLegalHoldException(string message)
        : base(message)
    {
    }

    public SubjectUnderLegalHoldException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SubjectUnderLegalHoldException(IReadOnlyList<string> cases)
        : base($"A legal hold ({string.Join(", ", cases)}) covers this employee's data; nothing was destroyed. Erasure completes once the hold is released.")
    {
        Cases = cases;
    }

    public IReadOnlyList<string> Cases { get; } = [];
}
