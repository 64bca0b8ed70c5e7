using System.Text.Json;
using Compliance.Core.Time;

namespace Compliance.Core.Reports;

/// <summary>
/// The canonical JSON of an employee statement: properties in a fixed order, instants in UTC ISO-8601, lists in
/// name or time order, indented, no time of generation (the seal's time is the statement's "as of"). The same
/// statement always gives the same bytes. It names the employee by surrogate only.
/// </summary>
public static class StatementJson
{
    /// <summary>Renders <paramref name="statement"/> as UTF-8 JSON.</summary>
    public static byte[] Write(EmployeeStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", EmployeeStatement.Format);
            json.WriteString("asOf", IsoInstant.Format(statement.Basis.SealedAt));

            var b = statement.Basis;
            json.WriteStartObject("basis");
            json.WriteNumber("sealNumber", b.SealNumber);
            json.WriteString("sealHash", b.SealHash);
            json.WriteString("sealedAt", IsoInstant.Format(b.SealedAt));
            json.WriteString("policyId", b.PolicyId);
            json.WriteString("policyVersion", b.PolicyVersion);
            json.WriteString("keyCustody", b.KeyCustody);
            json.WriteNumber("eventsRead", b.EventsRead);
            json.WriteBoolean("trailIntact", b.TrailIntact);
            json.WriteEndObject();

            json.WriteStartObject("employee");
            json.WriteString("identifiedBy", EmployeeStatement.IdentifiedBy);
            json.WriteBoolean("enrolled", statement.Enrolled);
            NullableString(json, "subject", statement.Subject);
            json.WriteString("status", statement.Status);
            NullableInstant(json, "enrolledAt", statement.EnrolledAt);
            json.WriteBoolean("erased", statement.Erased);
            json.WriteEndObject();

            json.WriteStartObject("summary");
            json.WriteNumber("categoriesHeld", statement.Categories.Count);
            json.WriteNumber("recordsHeld", statement.RecordsHeld);
            json.WriteNumber("readableRecords", statement.Categories.Where(c => c.Readable).Sum(c => c.Records));
            json.WriteNumber("reads", statement.Access.Reads);
            json.WriteNumber("exports", statement.Access.Exports);
            json.WriteNumber("erasureRequests", statement.Erasures.Count);
            json.WriteNumber("certificates", statement.Erasures.Count(e => e.CertificateSha256 is not null));
            json.WriteEndObject();

            json.WriteStartArray("notices");
            foreach (var notice in statement.Notices)
            {
                json.WriteStartObject();
                json.WriteString("version", notice.Version);
                json.WriteString("acknowledgedAt", IsoInstant.Format(notice.AcknowledgedAt));
                Strings(json, "categories", notice.Categories);
                json.WriteEndObject();
            }

            json.WriteEndArray();

            if (statement.Pause is { } pause)
            {
                json.WriteStartObject("pause");
                json.WriteString("reason", pause.Reason);
                json.WriteString("since", IsoInstant.Format(pause.Since));
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("pause");
            }

            json.WriteStartArray("categories");
            foreach (var c in statement.Categories)
            {
                json.WriteStartObject();
                json.WriteString("category", c.Category);
                json.WriteString("description", c.Description);
                json.WriteNumber("records", c.Records);
                json.WriteString("oldestCapture", IsoInstant.Format(c.OldestCapture));
                json.WriteString("newestCapture", IsoInstant.Format(c.NewestCapture));
                json.WriteNumber("retentionDays", c.RetentionDays);
                json.WriteString("heldUntil", IsoInstant.Format(c.HeldUntil));
                json.WriteString("newestHeldUntil", IsoInstant.Format(c.NewestHeldUntil));
                json.WriteBoolean("keptLongerUnderLegalHold", c.KeptLongerUnderLegalHold);
                json.WriteNumber("legalHoldCases", c.LegalHoldCases);
                Strings(json, "purposes", c.Purposes);
                json.WriteString("keyScope", c.KeyScope);
                json.WriteBoolean("scopeShredded", c.ScopeShredded);
                json.WriteBoolean("readable", c.Readable);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            Strings(json, "shreddedScopes", statement.ShreddedScopes);

            var a = statement.Access;
            json.WriteStartObject("access");
            json.WriteNumber("reads", a.Reads);
            Counts(json, "readsByPurpose", a.ReadsByPurpose);
            Counts(json, "readsByPrincipal", a.ReadsByPrincipal);
            json.WriteNumber("exports", a.Exports);
            Counts(json, "exportsByPurpose", a.ExportsByPurpose);
            Counts(json, "exportsByPrincipal", a.ExportsByPrincipal);
            json.WriteNumber("denied", a.Denied);
            json.WriteEndObject();

            json.WriteStartArray("datasets");
            foreach (var d in statement.Datasets)
            {
                json.WriteStartObject();
                json.WriteString("id", d.Id);
                json.WriteString("category", d.Category);
                json.WriteString("purpose", d.Purpose);
                json.WriteString("principal", d.Principal);
                json.WriteString("createdAt", IsoInstant.Format(d.CreatedAt));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            Strings(json, "models", statement.Models);

            json.WriteStartArray("erasures");
            foreach (var e in statement.Erasures)
            {
                json.WriteStartObject();
                json.WriteString("id", e.Id);
                json.WriteString("state", e.State);
                json.WriteString("reason", e.Reason);
                json.WriteString("scope", e.Scope);
                json.WriteString("requestedAt", IsoInstant.Format(e.RequestedAt));
                NullableInstant(json, "keysDestroyedAt", e.KeysDestroyedAt);
                NullableInstant(json, "completedAt", e.CompletedAt);
                if (e.CertificateSha256 is not null)
                {
                    json.WriteStartObject("certificate");
                    NullableString(json, "name", e.CertificateName);
                    json.WriteString("sha256", e.CertificateSha256);
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteNull("certificate");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void Counts(Utf8JsonWriter json, string name, IEnumerable<StatementCount> counts)
    {
        json.WriteStartArray(name);
        foreach (var count in counts)
        {
            json.WriteStartObject();
            json.WriteString("name", count.Name);
            json.WriteNumber("count", count.Count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void NullableString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void NullableInstant(Utf8JsonWriter json, string name, DateTimeOffset? value) =>
        NullableString(json, name, value is { } instant ? IsoInstant.Format(instant) : null);
}
