using Compliance.Core.Assessments;
using Compliance.Core.Audit;
using Compliance.Core.Ingestion;
using Compliance.Core.Time;

namespace Compliance.Core.Tests.Reports;

/// <summary>A trail of events a minute apart in stream s00, built fluently, for the control tests.</summary>
internal sealed class ReportTrail
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    public const string Ana = "sub_aaaaaaaaaaaaaaaaaaaaaaaaaa";

    private readonly List<AuditRecord> _records = [];

    private ReportTrail(DateTimeOffset start) => Now = start;

    public DateTimeOffset Now { get; private set; }

    public static ReportTrail New(DateTimeOffset? start = null) => new(start ?? Start.AddHours(1));

    public ReportTrail At(DateTimeOffset at)
    {
        Now = at;
        return this;
    }

    public ReportTrail Add(AuditEvent e)
    {
        _records.Add(new AuditRecord("s00", _records.Count + 1, Now, AuditHashing.Genesis, null, e));
        Now = Now.AddMinutes(1);
        return this;
    }

    public ReportTrail Ack(string subject, string notice = "2026-11") =>
        Add(new AuditEvent { Type = AuditEventType.NoticeAck, Actor = "operator:test", Subject = subject, Attributes = new Dictionary<string, string> { ["noticeVersion"] = notice } });

    public ReportTrail Pause(string subject, string state) =>
        Add(new AuditEvent { Type = AuditEventType.Pause, Actor = "operator:test", Subject = subject, ReasonCode = "OBJECTION", Attributes = new Dictionary<string, string> { ["state"] = state } });

    public ReportTrail Ingest(string subject, string category, params string[] fields) =>
        Add(new AuditEvent { Type = AuditEventType.Ingest, Actor = "job:test", Subject = subject, Category = category, Fields = fields.Length == 0 ? ["keyCount", "windowSeconds"] : fields });

    public ReportTrail Ingest(string subject, string category, DateTimeOffset capturedAt) =>
        Add(new AuditEvent
        {
            Type = AuditEventType.Ingest,
            Actor = "job:test",
            Subject = subject,
            Category = category,
            Fields = ["keyCount"],
            Attributes = new Dictionary<string, string> { ["firstCapturedAt"] = Time.IsoInstant.Format(capturedAt), ["lastCapturedAt"] = Time.IsoInstant.Format(capturedAt) },
        });

    public ReportTrail Purge() =>
        Add(new AuditEvent { Type = AuditEventType.Purge, Actor = "job:retention-purge", Attributes = new Dictionary<string, string> { ["runId"] = "r1", ["phase"] = "completed" } });

    public ReportTrail Policy(string version) =>
        Add(new AuditEvent { Type = AuditEventType.Policy, Actor = "operator:test", Hashes = new Dictionary<string, string> { ["policy"] = version } });

    public ReportTrail DatasetBuilt(long? directIdentifiers = null) => Add(new AuditEvent
    {
        Type = AuditEventType.DatasetBuild,
        Actor = "principal:ml-platform",
        Category = "keystroke-dynamics",
        Counts = directIdentifiers is { } found ? new Dictionary<string, long> { ["records"] = 10, ["directIdentifiers"] = found } : new Dictionary<string, long> { ["records"] = 10 },
    });

    public ReportTrail Sealed(string subject, string category, string scope, string version) =>
        Add(new AuditEvent
        {
            Type = AuditEventType.Ingest,
            Actor = "job:test",
            Subject = subject,
            Category = category,
            Fields = ["keyCount"],
            Attributes = new Dictionary<string, string> { ["keyScope"] = scope, ["keyVersion"] = version },
        });

    public ReportTrail ModelTrained() => Add(new AuditEvent { Type = AuditEventType.ModelTrain, Actor = "operator:test", Attributes = new Dictionary<string, string> { ["modelId"] = "assistant-v3" } });

    public ReportTrail Key(string subject, string scope) =>
        Add(new AuditEvent { Type = AuditEventType.KeyCreate, Actor = "job:keys", Subject = subject, Attributes = new Dictionary<string, string> { ["scope"] = scope, ["version"] = "1" } });

    public ReportTrail RootRotated() =>
        Add(new AuditEvent { Type = AuditEventType.KeyRotate, Actor = "job:key-rotation", Attributes = new Dictionary<string, string> { ["rootKey"] = "subject-keys", ["version"] = "v2" } });

    public ReportTrail Shredded(string subject, string scope) =>
        Add(new AuditEvent { Type = AuditEventType.KeyShred, Actor = "job:erasure", Subject = subject, Attributes = new Dictionary<string, string> { ["scope"] = scope } });

    public ReportTrail Dropped(string category, string field) =>
        Add(new AuditEvent { Type = AuditEventType.Reject, Actor = "job:test", Category = category, ReasonCode = IngestReasons.FieldNotAllowed, Fields = [field], Counts = new Dictionary<string, long> { ["dropped." + field] = 1 } });

    public ReportTrail Read(string principal, string? purpose, string category) =>
        Add(new AuditEvent { Type = AuditEventType.Read, Actor = "principal:" + principal, Purpose = purpose, Category = category });

    public ReportTrail ErasureRequested(string id) =>
        Add(new AuditEvent { Type = AuditEventType.ErasureReq, Actor = "job:erasure", Subject = Ana, ReasonCode = "OFFBOARDING", Attributes = new Dictionary<string, string> { ["erasureId"] = id } });

    public ReportTrail ErasureHeld(string id, string caseId = "CASE-1") =>
        Add(new AuditEvent { Type = AuditEventType.ErasureHeld, Actor = "job:erasure", Subject = Ana, ReasonCode = "LEGAL_HOLD", Attributes = new Dictionary<string, string> { ["erasureId"] = id, ["case.0"] = caseId } });

    public ReportTrail HoldReleased(string caseId) =>
        Add(new AuditEvent { Type = AuditEventType.Hold, Actor = "user:legal", Subject = Ana, Attributes = new Dictionary<string, string> { ["caseId"] = caseId, ["action"] = "released" } });

    public ReportTrail ErasureDone(string id, long seconds, long held, long datasets = 0, long models = 0) =>
        Add(new AuditEvent
        {
            Type = AuditEventType.ErasureDone,
            Actor = "job:erasure",
            Subject = Ana,
            ReasonCode = "OFFBOARDING",
            Counts = new Dictionary<string, long> { ["secondsToKeysDestroyed"] = seconds, ["secondsHeld"] = held, ["datasets"] = datasets, ["models"] = models },
            Attributes = new Dictionary<string, string> { ["erasureId"] = id },
        });

    /// <summary>A DPIA recorded now, approved <paramref name="approvedDaysEarlier"/> days before.</summary>
    public ReportTrail Dpia(string scope, string version, string policyHash, int approvedDaysEarlier = 0) =>
        Add(new AuditEvent
        {
            Type = AuditEventType.Dpia,
            Actor = "operator:test",
            Attributes = new Dictionary<string, string> { ["scope"] = scope, ["version"] = version, ["approvedAt"] = IsoInstant.Format(Now.AddDays(-approvedDaysEarlier)) },
            Hashes = new Dictionary<string, string> { ["policy"] = policyHash },
        });

    public ReportTrail SchemaChange(string category) =>
        Add(new AuditEvent { Type = AuditEventType.SchemaChange, Actor = "operator:test", Category = category });

    public ReportTrail DatasetBuilt(string datasetId, string category) =>
        Add(new AuditEvent { Type = AuditEventType.DatasetBuild, Actor = "principal:ml-platform", Category = category, Purpose = "model-training", Attributes = new Dictionary<string, string> { ["datasetId"] = datasetId } });

    public ReportTrail ModelTrained(string modelId, string datasetId) =>
        Add(new AuditEvent { Type = AuditEventType.ModelTrain, Actor = "operator:test", Attributes = new Dictionary<string, string> { ["modelId"] = modelId, ["datasetId"] = datasetId } });

    public ReportTrail Eval(string evalId, string modelId, string type, double value, double threshold) =>
        Add(new AuditEvent
        {
            Type = AuditEventType.Eval,
            Actor = "operator:test",
            Counts = new Dictionary<string, long> { ["valueMicros"] = MicroUnits.From(value), ["thresholdMicros"] = MicroUnits.From(threshold) },
            Attributes = new Dictionary<string, string> { ["evalId"] = evalId, ["modelId"] = modelId, ["type"] = type },
        });

    public ReportTrail Promote(string modelId, params string[] evalIds) =>
        Add(new AuditEvent
        {
            Type = AuditEventType.ModelPromote,
            Actor = "operator:test",
            Attributes = new Dictionary<string, string>(evalIds.Select((id, i) => KeyValuePair.Create($"eval.{i + 1}", id))) { ["modelId"] = modelId },
        });

#pragma warning disable CS1998 // an in-memory trail streams synchronously
    public async IAsyncEnumerable<AuditRecord> ReadAsync()
#pragma warning restore CS1998
    {
        foreach (var record in _records)
        {
            yield return record;
        }
    }
}
