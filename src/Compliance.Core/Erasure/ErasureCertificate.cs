using System.Globalization;
using System.Text.Json;
using Compliance.Core.Time;

namespace Compliance.Core.Erasure;

/// <summary>
/// The destruction certificate of one erasure request: JSON written from the stored request alone, so rebuilding it
/// after a crash gives the same bytes, and its SHA-256 is recorded by the ERASURE_DONE event that closes the
/// request. It names the pseudonymous subject, never the employee.
/// </summary>
public static class ErasureCertificate
{
    public const string Format = "compliance-erasure-certificate/1";

    public const string KeyVaultCustody = "Azure Key Vault";

    public const string DevelopmentCustody = "development key custody";

    /// <summary>The blob name of the request's certificate.</summary>
    public static string NameOf(string erasureId) => erasureId + ".json";

    /// <summary>The certificate of <paramref name="record"/>, from its stored fields alone (policy and custody included), so the same request always gives the same bytes.</summary>
    public static byte[] Build(ErasureRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.KeysDestroyedAt is not { } destroyed || record.CertifiedAt is not { } issued || record.ShredHorizon is not { } horizon || record.KeyCustody is not { } custody)
        {
            throw new InvalidOperationException($"Erasure {record.Id} has no destroyed keys to certify yet (state {record.State.ToName()}).");
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteString("erasureId", record.Id);
            json.WriteString("subject", record.Subject);
            json.WriteString("keyCustody", custody);
            json.WriteString("policyVersion", record.PolicyVersion);

            json.WriteStartObject("request");
            json.WriteString("reason", record.Reason);
            json.WriteString("scope", record.ScopeLabel);
            json.WriteString("source", record.Source);
            json.WriteBoolean("cleanUp", record.CleanUp);
            json.WriteEndObject();

            json.WriteStartObject("timeline");
            json.WriteString("requested", IsoInstant.Format(record.RequestedAt));
            Instant(json, "heldSince", record.HeldSince);
            Instant(json, "holdReleased", record.HeldUntil);
            json.WriteNumber("legalHoldDeferrals", record.Deferrals);
            json.WriteString("keysDestroyed", IsoInstant.Format(destroyed));
            json.WriteString("shredHorizon", IsoInstant.Format(horizon));
            json.WriteBoolean("rootRotationOverdue", record.RootRotationOverdue);
            Instant(json, "cleanedUp", record.CleanedUpAt);
            json.WriteString("issued", IsoInstant.Format(issued));
            json.WriteEndObject();

            Strings(json, "legalHolds", record.HoldCases);

            json.WriteStartObject("keys");
            Strings(json, "scopes", record.Scopes);
            Strings(json, "versionsDestroyed", record.KeyIds);
            json.WriteString("tombstones", "every scope above carries a tombstone: its key can never be created again");
            json.WriteEndObject();

            json.WriteStartObject("probe");
            json.WriteNumber("sampled", record.ProbeSampled);
            json.WriteNumber("decrypted", record.ProbeDecrypted);
            json.WriteString("result", record.ProbeSampled == 0 ? "no-records" : record.ProbeDecrypted == 0 ? "unreadable" : "readable");
            json.WriteEndObject();

            json.WriteStartObject("cleanUp");
            json.WriteBoolean("requested", record.CleanUp);
            if (record.CleanUp)
            {
                json.WriteNumber("rowsDeleted", (record.CleanUpRows ?? 0) - record.CleanUpHeldRows);
                json.WriteNumber("rowsKeptForLegalHolds", record.CleanUpHeldRows);
            }

            json.WriteEndObject();

            json.WriteStartObject("derived");
            Strings(json, "datasets", record.Datasets);
            Strings(json, "models", record.Models);
            json.WriteString("disposition", record.Datasets.Count + record.Models.Count == 0 ? "none-needed" : "required");
            json.WriteEndObject();

            var counted = record.TimeToKeysDestroyed!.Value;
            json.WriteStartObject("sla");
            json.WriteNumber("secondsToKeysDestroyed", Seconds(destroyed - record.RequestedAt));
            json.WriteNumber("secondsUnderLegalHold", Seconds(record.TimeHeld(destroyed)));
            json.WriteNumber("secondsCounted", Seconds(counted));
            json.WriteNumber("targetHours", record.SlaTargetHours);
            json.WriteNumber("maximumDays", record.SlaMaximumDays);
            json.WriteBoolean("withinTarget", counted <= TimeSpan.FromHours(record.SlaTargetHours));
            json.WriteBoolean("withinMaximum", counted <= TimeSpan.FromDays(record.SlaMaximumDays));
            json.WriteEndObject();

            var copies = record.RootRotationOverdue
                ? $"copies of the key table taken earlier stay readable until the overdue root-key rotation (due {IsoInstant.Format(horizon)}) runs"
                : $"copies of the key table taken earlier become unreadable by {IsoInstant.Format(horizon)} (the shred horizon)";
            json.WriteString(
                "statement",
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The keys of subject {record.Subject} in {(record.Scope is null ? "every key scope" : "key scope " + record.Scope)} were destroyed at {IsoInstant.Format(destroyed)}: no copy of its records, including backups, can be decrypted with the keys this service holds, and {copies}."));
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Whole seconds, rounded up: how the certificate and ERASURE_DONE both count time.</summary>
    public static long Seconds(TimeSpan span) => (long)Math.Ceiling(span.TotalSeconds);

    private static void Instant(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } instant)
        {
            json.WriteString(name, IsoInstant.Format(instant));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Strings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
