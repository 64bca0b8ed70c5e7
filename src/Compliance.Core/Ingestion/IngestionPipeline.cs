using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Compliance.Core.Audit;
using Compliance.Core.Policy;
using Compliance.Core.SubjectKeys;
using Compliance.Core.Subjects;
using Compliance.Core.Telemetry;
using Json.Schema;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Ingestion;

/// <summary>
/// The one ingestion pipeline behind the queue trigger, the HTTP batch function and <c>compliance ingest</c>
/// (DESIGN invariants 1, 7, 8; docs/ingestion.md). Per event: parse and validate the envelope, check time, drop
/// password-field events, validate the allowed fields against the category's schema, check the monitoring
/// window, resolve the employee (erased, erasure pending, notice, pause), minimise (drop and count fields off
/// the allow-list), redact PII in content, and seal under the subject's key. Then, for the batch: audit what
/// was accepted and rejected (counts, field names, reason codes; never values) and only then store, one row
/// per event, conditional on its row key, so a redelivery stores nothing twice. A rejected event never
/// throws; a storage or audit failure does, leaving nothing half-stored, and a retry finishes the job.
/// </summary>
public sealed partial class IngestionPipeline : IDisposable
{
    /// <summary>One set of evaluation options for every event: only validity is needed on the hot path (details are computed for rejections).</summary>
    private static readonly EvaluationOptions FlagOnly = new() { OutputFormat = OutputFormat.Flag };

    /// <summary>A batch goes in at most this many parts (see <see cref="IngestAsync"/>), each of at least <see cref="MinPartSize"/> events.</summary>
    private const int Parts = 4;
    private const int MinPartSize = 100;

    private readonly SubjectGate _subjects;
    private readonly TelemetryProtector _protector;
    private readonly ITelemetryStore _store;
    private readonly ActivePolicy _policy;
    private readonly IAuditTrail _audit;
    private readonly IngestionOptions _options;
    private readonly TimeProvider _clock;
    private readonly PiiRedactor _redactor;
    private readonly IReadOnlyList<Regex> _identifierPatterns;

    public IngestionPipeline(
        SubjectRegistry registry,
        TelemetryProtector protector,
        ITelemetryStore store,
        ActivePolicy policy,
        IAuditTrail audit,
        IOptions<IngestionOptions> options,
        TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policy);
        _subjects = new SubjectGate(registry, clock);
        _protector = protector;
        _store = store;
        _policy = policy;
        _audit = audit;
        _options = options.Value;
        _clock = clock;
        _redactor = new PiiRedactor(policy.Policy.IdentifierPatterns);
        _identifierPatterns = [.. policy.Policy.IdentifierPatterns.Select(p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)))];
    }

    public IngestionOptions Options => _options;

    /// <summary>
    /// Ingests a batch of raw events (each one JSON object). <paramref name="batchKey"/> identifies the delivery
    /// (a queue message id); when null, the SHA-256 of the events is used, so resending the same batch records
    /// its audit events once.
    /// </summary>
    /// <exception cref="ArgumentException">More events than <see cref="IngestionOptions.MaxBatchEvents"/>.</exception>
    public async Task<IngestBatchResult> IngestAsync(IReadOnlyList<ReadOnlyMemory<byte>> events, string actor, string? batchKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count > _options.MaxBatchEvents)
        {
            throw new ArgumentException($"A batch holds at most {_options.MaxBatchEvents} events; this one has {events.Count}.", nameof(events));
        }

        batchKey ??= BatchKey(events);
        var now = _clock.GetUtcNow();
        var outcomes = new IngestOutcome[events.Count];

        // The batch goes in parts, each holding whole employees (so audit events and storage transactions stay as
        // large as for the whole batch): while one part is audited and stored (I/O), the next is validated and
        // encrypted (CPU). Within a part, its audit events are always written before its records.
        var parts = PartsByEmployee(events);
        var writing = Task.CompletedTask;
        try
        {
            for (var part = 0; part < parts.Count; part++)
            {
                var indices = parts[part];
                var processed = new (IngestOutcome Outcome, Accepted? Record)[indices.Count];
                await Parallel.ForAsync(
                    0,
                    indices.Count,
                    new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount - 1), CancellationToken = cancellationToken },
                    async (j, ct) => processed[j] = await ProcessAsync(indices[j], events[indices[j]], now, ct).ConfigureAwait(false)).ConfigureAwait(false);

                // A repeated event belongs to the same employee, hence the same part.
                var seenRows = new HashSet<(string Table, string Row)>();
                var accepted = new List<Accepted>();
                for (var j = 0; j < indices.Count; j++)
                {
                    var (outcome, record) = processed[j];
                    if (record is not null && !seenRows.Add((record.Record.Identity.Table, record.Record.Identity.RowKey)))
                    {
                        outcome = outcome with { Status = IngestStatus.Duplicate };
                        record = null;
                    }

                    outcomes[indices[j]] = outcome;
                    if (record is not null)
                    {
                        accepted.Add(record);
                    }
                }

                await writing.ConfigureAwait(false);
                var audit = AuditEvents([.. indices.Select(i => outcomes[i])], accepted, events, actor, $"{batchKey}:{part}", batchKey);
                writing = WritePartAsync(audit, accepted, outcomes, cancellationToken);
            }
        }
        finally
        {
            await writing.ConfigureAwait(false);
        }

        return new IngestBatchResult(outcomes);
    }

    /// <summary>Audits a part and then stores its records (fail closed: no record is stored before its audit event).</summary>
    private async Task WritePartAsync(List<AuditEvent> audit, List<Accepted> accepted, IngestOutcome[] outcomes, CancellationToken cancellationToken)
    {
        await _audit.AppendBatchAsync(audit, cancellationToken).ConfigureAwait(false);
        var stored = await _store.InsertAsync([.. accepted.Select(a => a.Record)], cancellationToken).ConfigureAwait(false);
        for (var j = 0; j < accepted.Count; j++)
        {
            if (stored[j] == InsertOutcome.Duplicate)
            {
                outcomes[accepted[j].Index] = outcomes[accepted[j].Index] with { Status = IngestStatus.Duplicate };
            }
        }
    }

    /// <summary>
    /// Splits a batch into up to <see cref="Parts"/> parts by a stable hash of each event's employee id (read with a
    /// light scan; an event without one goes to the first part), so a retry splits the same way.
    /// </summary>
    private static List<List<int>> PartsByEmployee(IReadOnlyList<ReadOnlyMemory<byte>> events)
    {
        var count = Math.Clamp(events.Count / MinPartSize, 1, Parts);
        var parts = Enumerable.Range(0, count).Select(_ => new List<int>()).ToList();
        for (var i = 0; i < events.Count; i++)
        {
            parts[(int)(Fnv1a(EmployeeIdBytes(events[i].Span)) % (uint)count)].Add(i);
        }

        return [.. parts.Where(p => p.Count > 0)];
    }

    private static ReadOnlySpan<byte> EmployeeIdBytes(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isEmployee = reader.ValueTextEquals("employeeId"u8);
                reader.Read();
                if (isEmployee)
                {
                    return reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence ? reader.ValueSpan : default;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Malformed: the pipeline rejects it; any part will do.
        }

        return default;
    }

    private static uint Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }

    public void Dispose() => _subjects.Dispose();

    private async Task<(IngestOutcome Outcome, Accepted? Record)> ProcessAsync(int index, ReadOnlyMemory<byte> raw, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var envelope = TelemetryEnvelope.TryParse(raw, _options.MaxEventBytes, out var reason, out var detail);
        if (envelope is null)
        {
            return (new IngestOutcome(index, null, IngestStatus.Rejected, reason, detail), null);
        }

        IngestOutcome Reject(string code, string text) => new(index, envelope.EventId, IngestStatus.Rejected, code, text);

        if (!_policy.Policy.Categories.TryGetValue(envelope.Category, out var category))
        {
            return (Reject(IngestReasons.UnknownCategory, $"unknown category '{Truncate(envelope.Category)}'; defined: {string.Join(", ", _policy.Policy.Categories.Keys.Order(StringComparer.Ordinal))}"), null);
        }

        if (envelope.SchemaVersion != category.SchemaVersion)
        {
            return (Reject(IngestReasons.UnsupportedSchemaVersion, $"'{envelope.Category}' events have schemaVersion {category.SchemaVersion}, not {envelope.SchemaVersion}"), null);
        }

        if (envelope.CapturedAt > now + _options.MaxClockSkew)
        {
            return (Reject(IngestReasons.ClockSkew, $"captured {(envelope.CapturedAt - now).TotalMinutes:0} minutes in the future; the allowed clock skew is {_options.MaxClockSkew.TotalMinutes:0} minutes"), null);
        }

        if (envelope.CapturedAt + category.Retention <= now)
        {
            return (Reject(IngestReasons.RetentionExpired, $"'{envelope.Category}' is kept {category.RetentionDays} days and this event is older"), null);
        }

        if (envelope.Fields.TryGetProperty("inputFieldType", out var inputType) && inputType.ValueKind == JsonValueKind.String && inputType.ValueEquals("password"u8))
        {
            return (Reject(IngestReasons.PasswordField, "captured in a password field: events from password fields are dropped whole"), null);
        }

        var evaluation = category.CompiledFieldSchema.Evaluate(envelope.Fields, FlagOnly);
        if (!evaluation.IsValid)
        {
            return (Reject(IngestReasons.InvalidFields, DescribeSchemaErrors(category, envelope.Fields)), null);
        }

        if (category.MonitoringWindow is { } windowName && !_policy.Policy.MonitoringWindows[windowName].Contains(envelope.CapturedAt))
        {
            return (Reject(IngestReasons.OutsideMonitoringWindow, $"captured outside the '{windowName}' monitoring window of '{envelope.Category}'"), null);
        }

        var state = await _subjects.GetAsync(envelope.EmployeeId, cancellationToken).ConfigureAwait(false);
        if (state is not null && state.Subject.Status == SubjectStatus.Active && !Acknowledged(state, envelope))
        {
            // The state may predate a new acknowledgement: look again before refusing.
            _subjects.Forget(envelope.EmployeeId);
            state = await _subjects.GetAsync(envelope.EmployeeId, cancellationToken).ConfigureAwait(false);
        }

        switch (state?.Subject.Status)
        {
            case SubjectStatus.Erased:
                return (Reject(IngestReasons.SubjectErased, "the employee was erased; nothing more is collected about them"), null);
            case SubjectStatus.ErasurePending or SubjectStatus.Held:
                return (Reject(IngestReasons.ErasurePending, "an erasure of the employee is in progress"), null);
            case null:
                return (Reject(IngestReasons.NoNotice, "the employee has acknowledged no notice"), null);
        }

        if (!Acknowledged(state, envelope))
        {
            return (Reject(IngestReasons.NoNotice, $"no notice covering '{envelope.Category}' was acknowledged before the event was captured"), null);
        }

        if (state.Pause is { } pause)
        {
            return (Reject(IngestReasons.Paused, $"collection is paused for the employee ({pause.Reason.ToString().ToLowerInvariant()})"), null);
        }

        var (payload, kept, dropped, redactions) = Minimise(category, envelope.Fields);
        TelemetryRecord record;
        try
        {
            record = await _protector.SealAsync(
                new TelemetryPlaintext(state.Subject.Surrogate, envelope.Category, envelope.EventId, envelope.CapturedAt, envelope.SchemaVersion, payload),
                now,
                cancellationToken).ConfigureAwait(false);
        }
        catch (SubjectKeyShreddedException)
        {
            return (Reject(IngestReasons.ScopeShredded, $"the employee's '{category.KeyScope}' key was shredded; nothing more is collected in that scope"), null);
        }

        if (record.Envelope.Length > TelemetryRecord.MaxEnvelopeBytes)
        {
            return (Reject(IngestReasons.Oversize, $"the encrypted record would be {record.Envelope.Length} bytes; a stored record holds at most {TelemetryRecord.MaxEnvelopeBytes}"), null);
        }

        var outcome = new IngestOutcome(index, envelope.EventId, IngestStatus.Stored) { DroppedFields = dropped, Redactions = redactions.Values.Sum() };
        return (outcome, new Accepted(index, record, kept, dropped, redactions));
    }

    private static bool Acknowledged(SubjectState state, TelemetryEnvelope envelope) =>
        state.Acknowledgements.Any(a => a.AcknowledgedAt <= envelope.CapturedAt && a.Categories.Contains(envelope.Category, StringComparer.Ordinal));

    /// <summary>Keeps the allowed fields (redacting PII in content categories), in ordinal order, as UTF-8 JSON; names what was dropped.</summary>
    private (byte[] Payload, IReadOnlyList<string> Kept, IReadOnlyList<string> Dropped, IReadOnlyDictionary<string, int> Redactions) Minimise(CategoryDefinition category, JsonElement fields)
    {
        var kept = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        var dropped = new List<string>();
        foreach (var field in fields.EnumerateObject())
        {
            if (category.AllowedFields.Contains(field.Name, StringComparer.Ordinal))
            {
                kept[field.Name] = field.Value;
            }
            else
            {
                dropped.Add(AuditableFieldName(field.Name));
            }
        }

        var redactions = new Dictionary<string, int>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        // Non-ASCII text stays UTF-8 (the default encoder would escape each character to six bytes); quotes and
        // control characters are still escaped, and the payload is never embedded in HTML.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in kept)
            {
                writer.WritePropertyName(name);
                if (category.ContainsContent && value.ValueKind == JsonValueKind.String)
                {
                    var result = _redactor.Redact(value.GetString()!);
                    foreach (var (kind, count) in result.Counts)
                    {
                        redactions[kind] = redactions.GetValueOrDefault(kind) + count;
                    }

                    writer.WriteStringValue(result.Text);
                }
                else
                {
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return (buffer.ToArray(), [.. kept.Keys], dropped, redactions);
    }

    /// <summary>
    /// A dropped field's name as the audit trail may hold it: the name itself when it is a plain identifier-free
    /// name, otherwise <c>unnamedField</c> (a name can itself be an email or an employee number).
    /// </summary>
    private string AuditableFieldName(string name) =>
        PlainFieldName().IsMatch(name) && !_identifierPatterns.Any(p => SafeIsMatch(p, name)) && !Digits().IsMatch(name) ? name : "unnamedField";

    private static bool SafeIsMatch(Regex pattern, string value)
    {
        try
        {
            return pattern.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return true;
        }
    }

    private static string DescribeSchemaErrors(CategoryDefinition category, JsonElement fields)
    {
        var results = category.CompiledFieldSchema.Evaluate(fields, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var problems = (results.Details ?? []).Prepend(results)
            .Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"fields{Pointer(d.InstanceLocation.ToString())}: {e.Value}"))
            .Distinct(StringComparer.Ordinal)
            .Take(5)
            .ToList();
        return problems.Count == 0 ? "the fields do not match the category's schema" : string.Join("; ", problems);
    }

    private static string Pointer(string pointer) => pointer.Length == 0 ? "" : "." + pointer.TrimStart('/').Replace("/", ".", StringComparison.Ordinal);

    private List<AuditEvent> AuditEvents(List<IngestOutcome> outcomes, List<Accepted> accepted, IReadOnlyList<ReadOnlyMemory<byte>> events, string actor, string partKey, string batchKey)
    {
        var audit = new List<AuditEvent>();
        foreach (var group in accepted.GroupBy(a => (a.Record.Identity.Subject, a.Record.Identity.Category)).OrderBy(g => g.Key.Subject, StringComparer.Ordinal).ThenBy(g => g.Key.Category, StringComparer.Ordinal))
        {
            var counts = new Dictionary<string, long> { ["accepted"] = group.Count() };
            foreach (var (kind, count) in group.SelectMany(a => a.Redactions).GroupBy(r => r.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(r => r.Value))))
            {
                counts["redacted." + kind] = count;
            }

            audit.Add(new AuditEvent
            {
                Type = AuditEventType.Ingest,
                Actor = actor,
                Subject = group.Key.Subject,
                Category = group.Key.Category,
                Counts = counts,
                Fields = [.. group.SelectMany(a => a.Kept).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                Attributes = new Dictionary<string, string>
                {
                    ["firstCapturedAt"] = Instant(group.Min(a => a.Record.CapturedAt)),
                    ["lastCapturedAt"] = Instant(group.Max(a => a.Record.CapturedAt)),

                    // The subject key the records were sealed under (controls CRY-1): its scope and newest version.
                    ["keyScope"] = group.First().Record.Scope,
                    ["keyVersion"] = group.Max(a => a.Record.KeyVersion).ToString(CultureInfo.InvariantCulture),
                },
                IdempotencyKey = $"ingest:{partKey}:{group.Key.Subject}:{group.Key.Category}",
                IdempotencyGroup = "ingest:" + batchKey,
            });
        }

        foreach (var group in accepted.Where(a => a.Dropped.Count > 0).GroupBy(a => a.Record.Identity.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var byName = group.SelectMany(a => a.Dropped).GroupBy(n => n, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            audit.Add(new AuditEvent
            {
                Type = AuditEventType.Reject,
                Actor = actor,
                Category = group.Key,
                ReasonCode = IngestReasons.FieldNotAllowed,
                Fields = [.. byName.Select(g => g.Key)],
                Counts = byName.ToDictionary(g => "dropped." + g.Key, g => (long)g.Count(), StringComparer.Ordinal),
                IdempotencyKey = $"drop:{partKey}:{group.Key}",
                IdempotencyGroup = "ingest:" + batchKey,
            });
        }

        var rejected = outcomes
            .Where(o => o.Status == IngestStatus.Rejected)
            .Select(o => (o.Reason!, Category: CategoryOf(o, events)))
            .GroupBy(r => r)
            .OrderBy(g => g.Key.Item1, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Category, StringComparer.Ordinal);
        foreach (var group in rejected)
        {
            audit.Add(new AuditEvent
            {
                Type = AuditEventType.Reject,
                Actor = actor,
                Category = group.Key.Category,
                ReasonCode = group.Key.Item1,
                Counts = new Dictionary<string, long> { ["events"] = group.Count() },
                IdempotencyKey = $"reject:{partKey}:{group.Key.Item1}:{group.Key.Category}",
                IdempotencyGroup = "ingest:" + batchKey,
            });
        }

        return audit;
    }

    /// <summary>The category of a rejected event when the policy defines it (an unknown one is never echoed into the audit trail).</summary>
    private string? CategoryOf(IngestOutcome outcome, IReadOnlyList<ReadOnlyMemory<byte>> events)
    {
        if (outcome.Reason is IngestReasons.MalformedJson or IngestReasons.Oversize or IngestReasons.UnknownCategory)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(events[outcome.Index]);
            return document.RootElement.TryGetProperty("category", out var c) && c.ValueKind == JsonValueKind.String && _policy.Policy.Categories.ContainsKey(c.GetString()!)
                ? c.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string BatchKey(IReadOnlyList<ReadOnlyMemory<byte>> events)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var e in events)
        {
            hash.AppendData(BitConverter.GetBytes(e.Length));
            hash.AppendData(e.Span);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Instant(DateTimeOffset value) => Time.IsoInstant.Format(value);

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainFieldName();

    [GeneratedRegex("[0-9]{6,}", RegexOptions.CultureInvariant)]
    private static partial Regex Digits();

    private sealed record Accepted(int Index, TelemetryRecord Record, IReadOnlyList<string> Kept, IReadOnlyList<string> Dropped, IReadOnlyDictionary<string, int> Redactions);
}
