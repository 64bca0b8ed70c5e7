using System.Text.Json.Nodes;
using Compliance.Core.Time;

namespace Compliance.Core.Erasure;

/// <summary>
/// The stable JSON shapes of a request's status and of the SLA, the same from <c>compliance erasure status --json</c>
/// and the HTTP status functions (documented in docs/erasure.md). Instants are UTC ISO-8601; absent ones are null.
/// </summary>
public static class ErasureStatusJson
{
    /// <summary>
    /// The request's status. Without <paramref name="full"/>, for whoever submitted it: no subject pseudonym and no
    /// case ids (<c>subject</c> and <c>legalHolds</c> are null; <c>held</c> still says whether a hold defers it).
    /// </summary>
    public static JsonObject Request(ErasureRecord record, bool full = true)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new JsonObject
        {
            ["erasureId"] = record.Id,
            ["state"] = record.State.ToName(),
            ["held"] = record.State == ErasureState.Held,
            ["subject"] = full ? record.Subject : null,
            ["scope"] = record.ScopeLabel,
            ["reason"] = record.Reason,
            ["source"] = record.Source,
            ["cleanUp"] = record.CleanUp,
            ["requestedAt"] = IsoInstant.Format(record.RequestedAt),
            ["heldSince"] = Instant(record.HeldSince),
            ["holdReleased"] = Instant(record.HeldUntil),
            ["legalHolds"] = full ? Array(record.HoldCases) : null,
            ["legalHoldDeferrals"] = record.Deferrals,
            ["keysDestroyedAt"] = Instant(record.KeysDestroyedAt),
            ["shredHorizon"] = Instant(record.ShredHorizon),
            ["rootRotationOverdue"] = record.RootRotationOverdue,
            ["keyVersionsDestroyed"] = Array(record.KeyIds),
            ["probe"] = record.KeysDestroyedAt is null ? null : new JsonObject { ["sampled"] = record.ProbeSampled, ["decrypted"] = record.ProbeDecrypted },
            ["rowsCleanedUp"] = record.CleanUpRows is { } rows ? rows - record.CleanUpHeldRows : null,
            ["rowsKeptForLegalHolds"] = record.CleanUpHeldRows,
            ["datasets"] = Array(record.Datasets),
            ["models"] = Array(record.Models),
            ["certificate"] = record.CertificateName is null ? null : new JsonObject { ["name"] = record.CertificateName, ["sha256"] = record.CertificateSha256 },
            ["completedAt"] = Instant(record.CompletedAt),
            ["attempts"] = record.Attempts,
            ["lastError"] = record.LastError,
            ["failedAt"] = Instant(record.FailedAt),
        };
    }

    public static JsonObject Sla(ErasureSla sla)
    {
        ArgumentNullException.ThrowIfNull(sla);
        return new JsonObject
        {
            ["completed"] = sla.Completed,
            ["p95Hours"] = Hours(sla.P95),
            ["maxHours"] = Hours(sla.Max),
            ["targetHours"] = sla.Target.TotalHours,
            ["maximumDays"] = sla.Maximum.TotalDays,
            ["open"] = sla.Open,
            ["held"] = sla.Held,
            ["failing"] = sla.Failed,
            ["openPastTarget"] = Array([.. sla.OpenPastTarget.Select(r => r.Id)]),
            ["openPastMaximum"] = Array([.. sla.OpenPastMaximum.Select(r => r.Id)]),
            ["met"] = sla.Met,
        };
    }

    private static JsonValue? Instant(DateTimeOffset? value) => value is { } instant ? JsonValue.Create(IsoInstant.Format(instant)) : null;

    private static JsonValue? Hours(TimeSpan? value) => value is { } span ? JsonValue.Create(Math.Round(span.TotalHours, 3)) : null;

    private static JsonArray Array(IReadOnlyList<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
