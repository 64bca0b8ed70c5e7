using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Compliance.Core.Audit;
using Compliance.Core.Lineage;
using Compliance.Core.SubjectKeys;
using Compliance.Core.Subjects;

namespace Compliance.Core.Access;

/// <summary>What an export produced: the dataset id and what it holds, and who was left out because they objected.</summary>
public sealed record ExportResult(string DatasetId, int Records, int Subjects, int ExcludedSubjects, int Unreadable, string ContentHash, string MembershipHash);

/// <summary>
/// The broker's export mode: a pseudonymous training dataset (one JSON object per line: the subject's surrogate,
/// the capture time and the minimised fields; no employee id, no event id) with a dataset id and lineage (which
/// subjects and key versions went in). Subjects who objected to AI training (their <c>training</c> key scope was
/// shredded, or collection is paused for objection) are left out. Authorisation is the broker's, with one more
/// rule: the purpose must be tagged <c>training</c>. The dataset is built in memory, its lineage stored and the
/// EXPORT and DATASET_BUILD events recorded before a byte is written to the output.
/// </summary>
public sealed class TrainingExporter(AccessBroker broker, ISubjectKeyStore keys, SubjectRegistry registry, ILineageStore lineage, IAuditTrail audit, DirectIdentifierScanner identifiers, TimeProvider clock)
{
    public const string TrainingScope = "training";
    public const int MaxRecords = 500_000;

    /// <exception cref="AccessDeniedException">Refused; a DENY event was recorded.</exception>
    /// <exception cref="ArgumentException">No period, an employee named (exports cover periods), or more than <see cref="MaxRecords"/> records.</exception>
    public async Task<ExportResult> ExportAsync(AccessRequest request, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        if (request.EmployeeId is not null || request.From is null || request.To is null)
        {
            throw new ArgumentException("An export covers a period (from and to) of everyone's data, never one employee.", nameof(request));
        }

        var (category, _) = await broker.AuthorizeAsync(request, export: true, cancellationToken).ConfigureAwait(false);
        var (from, to) = broker.Period(request, category);

        var excluded = new Dictionary<string, bool>(StringComparer.Ordinal);
        var members = new SortedDictionary<(string Subject, string Scope), SortedSet<int>>();
        var content = new MemoryStream();
        var records = 0;
        var unreadable = 0;
        var identified = 0;
        var writer = new Utf8JsonWriter(content);
        await using (writer.ConfigureAwait(false))
        {
            await foreach (var record in broker.Records(request.Category, null, from, to, cancellationToken).ConfigureAwait(false))
            {
                var subject = record.Identity.Subject;
                if (!excluded.TryGetValue(subject, out var objected))
                {
                    excluded[subject] = objected = await ObjectedAsync(subject, cancellationToken).ConfigureAwait(false);
                }

                if (objected)
                {
                    continue;
                }

                if (await broker.TryOpenAsync(record, cancellationToken).ConfigureAwait(false) is not { } opened)
                {
                    unreadable++;
                    continue;
                }

                if (++records > MaxRecords)
                {
                    throw new ArgumentException($"The period holds more than {MaxRecords} records; export a shorter one.", nameof(request));
                }

                if (identifiers.Found(opened.Fields))
                {
                    identified++;
                }

                writer.WriteStartObject();
                writer.WriteString("subject", subject);
                writer.WriteString("capturedAt", opened.CapturedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                writer.WritePropertyName("fields");
                opened.Fields.WriteTo(writer);
                writer.WriteEndObject();
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                content.WriteByte((byte)'\n');
                writer.Reset();

                if (!members.TryGetValue((subject, record.Scope), out var versions))
                {
                    members[(subject, record.Scope)] = versions = [];
                }

                versions.Add(record.KeyVersion);
            }
        }

        var now = clock.GetUtcNow();
        var datasetId = $"ds-{now:yyyyMMdd}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        var contentHash = Convert.ToHexStringLower(SHA256.HashData(content.GetBuffer().AsSpan(0, (int)content.Length)));
        var memberList = members.Select(m => new DatasetMember(m.Key.Subject, m.Key.Scope, [.. m.Value])).ToList();
        var membershipHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', memberList.Select(m => $"{m.Subject}:{m.Scope}:{string.Join(',', m.KeyVersions)}")))));
        var subjects = memberList.Select(m => m.Subject).Distinct(StringComparer.Ordinal).Count();
        var excludedCount = excluded.Count(e => e.Value);

        await lineage.SaveDatasetAsync(
            new DatasetRecord(datasetId, request.Category, request.Purpose, request.Principal, from, to, now, records, subjects, membershipHash, contentHash),
            memberList,
            cancellationToken).ConfigureAwait(false);
        var exportEvent = broker.Event(AuditEventType.Export, request, null, from, to, new Dictionary<string, long>
        {
            ["records"] = records,
            ["subjects"] = subjects,
            ["excludedSubjects"] = excludedCount,
            ["unreadable"] = unreadable,
        });
        await audit.AppendBatchAsync(
            [
                exportEvent with
                {
                    Attributes = new Dictionary<string, string>(exportEvent.Attributes) { ["datasetId"] = datasetId },
                    Hashes = new Dictionary<string, string>(exportEvent.Hashes) { ["content"] = contentHash },
                },
                new AuditEvent
                {
                    Type = AuditEventType.DatasetBuild,
                    Actor = exportEvent.Actor,
                    Category = request.Category,
                    Purpose = request.Purpose,
                    Counts = new Dictionary<string, long> { ["records"] = records, ["subjects"] = subjects, ["directIdentifiers"] = identified },
                    Attributes = new Dictionary<string, string> { ["datasetId"] = datasetId },
                    Hashes = new Dictionary<string, string> { ["membership"] = membershipHash, ["content"] = contentHash },
                },
            ],
            cancellationToken).ConfigureAwait(false);

        content.Position = 0;
        await content.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        return new ExportResult(datasetId, records, subjects, excludedCount, unreadable, contentHash, membershipHash);
    }

    /// <summary>True when the subject objected to AI training: their training scope was shredded, or collection is paused for objection.</summary>
    private async Task<bool> ObjectedAsync(string subject, CancellationToken cancellationToken)
    {
        if ((await keys.GetRingAsync(subject, TrainingScope, cancellationToken).ConfigureAwait(false)).IsShredded)
        {
            return true;
        }

        return (await registry.GetPauseAsync(subject, cancellationToken).ConfigureAwait(false))?.Reason == PauseReason.Objection;
    }
}
