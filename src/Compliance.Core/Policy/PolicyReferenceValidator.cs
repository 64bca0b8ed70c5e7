using System.Globalization;

namespace Compliance.Core.Policy;

/// <summary>
/// The rules a JSON Schema cannot express: every name a policy uses must be defined in it, grants must
/// stay within their purpose and within each category's reader cap, and windows must be usable.
/// </summary>
internal static class PolicyReferenceValidator
{
    public static IReadOnlyList<PolicyError> Validate(CompliancePolicy policy, string source)
    {
        var errors = new List<PolicyError>();
        void Fail(string path, string message) => errors.Add(new PolicyError(source, path, message));

        for (var i = 0; i < policy.IdentifierPatterns.Count; i++)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(policy.IdentifierPatterns[i], System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException ex)
            {
                Fail(JsonPathFormatter.Index("$.identifierPatterns", i), "not a valid regular expression: " + ex.Message);
            }
        }

        foreach (var (name, category) in policy.Categories)
        {
            var path = JsonPathFormatter.Child("$.categories", name);
            if (!policy.KeyScopes.ContainsKey(category.KeyScope))
            {
                Fail(path + ".keyScope", Unknown("key scope", category.KeyScope, policy.KeyScopes.Keys));
            }

            if (category.MonitoringWindow is { } window && !policy.MonitoringWindows.ContainsKey(window))
            {
                Fail(path + ".monitoringWindow", Unknown("monitoring window", window, policy.MonitoringWindows.Keys));
            }

            ValidateFieldSchema(name, category, path, Fail);

            if (!policy.AllowedPurposes(name).Any())
            {
                Fail(path, "no purpose lists this category, so it could be collected but never lawfully read; add it to a purpose or remove it");
            }
        }

        foreach (var clash in policy.Categories.Keys.GroupBy(Telemetry.TelemetryLayout.CategoryPart).Where(g => g.Count() > 1))
        {
            var names = clash.Order(StringComparer.Ordinal).ToList();
            Fail(
                JsonPathFormatter.Child("$.categories", names[^1]),
                $"categories {string.Join(" and ", names.Select(n => $"'{n}'"))} would share storage tables (both become '{clash.Key}'); rename one so their letters and digits differ within the first {Telemetry.TelemetryLayout.MaxCategoryPart}");
        }

        foreach (var (name, purpose) in policy.Purposes)
        {
            var path = JsonPathFormatter.Child("$.purposes", name) + ".categories";
            for (var i = 0; i < purpose.Categories.Count; i++)
            {
                if (!policy.Categories.TryGetValue(purpose.Categories[i], out var category))
                {
                    Fail(JsonPathFormatter.Index(path, i), Unknown("category", purpose.Categories[i], policy.Categories.Keys));
                }
                else if (purpose.InformsEmploymentDecisions && category.IsTrainingData)
                {
                    Fail(
                        JsonPathFormatter.Index(path, i),
                        $"'{name}' informs employment decisions (tags {string.Join(", ", purpose.Tags.Where(PurposeDefinition.EmploymentDecisionTags.Contains))}) and may never read '{purpose.Categories[i]}', which feeds AI pipelines (controls PUR-2)");
                }
            }
        }

        for (var i = 0; i < policy.Grants.Count; i++)
        {
            ValidateGrant(policy, policy.Grants[i], JsonPathFormatter.Index("$.grants", i), Fail);
        }

        ValidateReaderCaps(policy, Fail);
        ValidateNotices(policy, Fail);

        foreach (var (name, window) in policy.MonitoringWindows)
        {
            var path = JsonPathFormatter.Child("$.monitoringWindows", name);
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(window.TimeZone, out _))
            {
                Fail(path + ".timeZone", $"unknown time zone '{window.TimeZone}'; use an IANA name such as 'Europe/Berlin' or 'UTC'");
            }

            var start = TimeOnly.ParseExact(window.Start, "HH:mm", CultureInfo.InvariantCulture);
            var end = TimeOnly.ParseExact(window.End, "HH:mm", CultureInfo.InvariantCulture);
            if (end <= start)
            {
                Fail(path + ".end", $"the window ends ({window.End}) at or before it starts ({window.Start}); overnight windows are not supported");
            }
        }

        return errors;
    }

    /// <summary>Names a keystroke or pointer category may never keep, whatever its allow-list says (controls MIN-2).</summary>
    public static readonly IReadOnlySet<string> ContentFieldNames = new HashSet<string>(
        ["key", "keys", "keyChar", "keyCode", "keyCodes", "char", "chars", "character", "characters", "text", "typedText", "clipboard", "clipboardText", "screenText", "screenshot", "windowTitle", "documentName", "url"],
        StringComparer.OrdinalIgnoreCase);

    private static void ValidateFieldSchema(string name, CategoryDefinition category, string path, Action<string, string> fail)
    {
        try
        {
            _ = category.CompiledFieldSchema;
        }
        catch (Exception ex) when (ex is Json.Schema.JsonSchemaException or System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            fail(path + ".fieldSchema", "not a usable JSON Schema: " + ex.Message);
            return;
        }

        if (category.FieldSchema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == System.Text.Json.JsonValueKind.False)
        {
            fail(path + ".fieldSchema.additionalProperties", "may not be false: fields off the allow-list are dropped and counted at ingestion, not refused");
        }

        var described = category.FieldSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var missing in category.AllowedFields.Where(f => !described.Contains(f)))
        {
            fail(path + ".fieldSchema.properties", $"allowed field '{missing}' has no schema; describe its type and bounds");
        }

        foreach (var extra in described.Where(f => !category.AllowedFields.Contains(f, StringComparer.Ordinal)).Order(StringComparer.Ordinal))
        {
            fail(JsonPathFormatter.Child(path + ".fieldSchema.properties", extra), $"'{extra}' is not on the allow-list of '{name}'; add it to allowedFields or remove it here");
        }

        if (!category.ContainsContent)
        {
            for (var i = 0; i < category.AllowedFields.Count; i++)
            {
                if (ContentFieldNames.Contains(category.AllowedFields[i]))
                {
                    fail(
                        JsonPathFormatter.Index(path + ".allowedFields", i),
                        $"'{category.AllowedFields[i]}' would hold typed characters, clipboard or screen text, which a category without content may never keep (controls MIN-2)");
                }
            }
        }
    }

    private static void ValidateGrant(CompliancePolicy policy, GrantDefinition grant, string path, Action<string, string> fail)
    {
        if (!policy.Principals.ContainsKey(grant.Principal))
        {
            fail(path + ".principal", Unknown("principal", grant.Principal, policy.Principals.Keys));
        }

        policy.Purposes.TryGetValue(grant.Purpose, out var purpose);
        if (purpose is null)
        {
            fail(path + ".purpose", Unknown("purpose", grant.Purpose, policy.Purposes.Keys));
        }

        for (var j = 0; j < grant.Categories.Count; j++)
        {
            var category = grant.Categories[j];
            var categoryPath = JsonPathFormatter.Index(path + ".categories", j);
            if (!policy.Categories.ContainsKey(category))
            {
                fail(categoryPath, Unknown("category", category, policy.Categories.Keys));
            }
            else if (purpose is not null && !purpose.Categories.Contains(category, StringComparer.Ordinal))
            {
                fail(categoryPath, $"purpose '{grant.Purpose}' does not cover category '{category}'");
            }
        }

        if (grant.ValidUntil <= grant.ValidFrom)
        {
            fail(path + ".validUntil", $"the grant ends ({grant.ValidUntil:O}) at or before it starts ({grant.ValidFrom:O})");
        }
    }

    private static void ValidateReaderCaps(CompliancePolicy policy, Action<string, string> fail)
    {
        foreach (var (name, category) in policy.Categories)
        {
            var readers = policy.Grants
                .Where(g => g.Categories.Contains(name, StringComparer.Ordinal))
                .Select(g => g.Principal)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
            if (readers.Count > category.ReaderCap)
            {
                fail(
                    JsonPathFormatter.Child("$.categories", name) + ".readerCap",
                    $"{readers.Count} principals hold grants on this category ({string.Join(", ", readers)}), more than its reader cap of {category.ReaderCap}");
            }
        }
    }

    private static void ValidateNotices(CompliancePolicy policy, Action<string, string> fail)
    {
        var versions = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < policy.Notices.Count; i++)
        {
            var notice = policy.Notices[i];
            var path = JsonPathFormatter.Index("$.notices", i);
            if (!versions.Add(notice.Version))
            {
                fail(path + ".version", $"notice version '{notice.Version}' is defined more than once");
            }

            for (var j = 0; j < notice.Categories.Count; j++)
            {
                if (!policy.Categories.ContainsKey(notice.Categories[j]))
                {
                    fail(JsonPathFormatter.Index(path + ".categories", j), Unknown("category", notice.Categories[j], policy.Categories.Keys));
                }
            }
        }
    }

    private static string Unknown(string kind, string name, IEnumerable<string> defined) =>
        $"unknown {kind} '{name}'; defined: {string.Join(", ", defined.Order(StringComparer.Ordinal))}";
}
