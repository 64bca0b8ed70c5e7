using System.CommandLine;
using System.Globalization;
using System.Text;
using Compliance.Cli.Demo;
using Compliance.Core.Access;
using Compliance.Core.Erasure;
using Compliance.Core.Lineage;
using Compliance.Core.Policy;
using Compliance.Core.Subjects;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary>
/// <c>compliance demo [--employees N] [--days D] [--out DIR]</c>: the product end to end on a synthetic workforce,
/// on a simulated clock (development key custody only). Policy and storage; employees enrolled, notices
/// acknowledged and some paused; then the clock moves forward <c>D</c> days and their telemetry (with injected
/// flaws) is ingested; a purpose-bound read, a denied read, a training export with lineage; two leavers (one under
/// a legal hold) and one objection to AI training are erased; a month later the retention purge runs (dry run, then
/// for real, with the hold), the hold is released and the deferred erasure completes; every destruction certificate
/// is printed and saved; the audit trail is sealed and verified; finally the compliance report over the run is written
/// in every format, with one employee's transparency statement. Each capability, as it lands, adds its step here.
/// </summary>
internal static class DemoCommand
{
    private const string KeyRotationActor = "job:key-rotation";

    public static Command Create(CommandRuntime runtime)
    {
        var employees = new Option<int>("--employees") { Description = "Synthetic employees (1 to 5000)", HelpName = "N", DefaultValueFactory = _ => 200 };
        var days = new Option<int>("--days") { Description = "Days of telemetry (1 to 90)", HelpName = "D", DefaultValueFactory = _ => 21 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where the demo writes its files (events, dataset)", HelpName = "DIR", DefaultValueFactory = _ => new DirectoryInfo("compliance-demo") };
        var command = new Command("demo", "Run the product end to end on a synthetic workforce and a simulated clock") { employees, days, output };
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(
            parse,
            async context =>
            {
                var n = parse.GetValue(employees);
                var d = parse.GetValue(days);
                if (n is < 1 or > 5000)
                {
                    throw new CliUsageException($"--employees: {n} is outside 1 to 5000");
                }

                if (d is < 1 or > 90)
                {
                    throw new CliUsageException($"--days: {d} is outside 1 to 90");
                }

                var directory = parse.GetValue(output)!;
                directory.Create();
                return await RunAsync(context, n, d, directory, cancellationToken).ConfigureAwait(false);
            },
            simulatedClock: true));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, int employeeCount, int days, DirectoryInfo directory, CancellationToken cancellationToken)
    {
        var clock = (SimulatedTimeProvider)context.Clock;
        var human = !context.Settings.Json;
        var output = context.Console.Out;
        void Say(string line)
        {
            if (human)
            {
                output.WriteLine(line);
            }
        }

        var summary = PolicySummary.From(context.Policy);
        var setup = await InitCommand.InitializeAsync(context, cancellationToken).ConfigureAwait(false);
        var rerun = await InitCommand.InitializeAsync(context, cancellationToken).ConfigureAwait(false);
        Say("== 1. Policy registry: validated against its schema and cross-references");
        if (human)
        {
            PolicyCommands.WriteHuman(output, summary);
            InitCommand.WriteEnvironment(context);
            output.WriteLine();
            output.WriteLine("== 2. Storage: tables, queues and containers (run twice: the second run changes nothing)");
            InitCommand.WriteResources(context, setup);
            output.WriteLine($"Second run: {rerun.CreatedCount} created, {rerun.Resources.Count - rerun.CreatedCount} already present.");
            output.WriteLine();
        }

        // The programme starts: employees are enrolled and acknowledge notices before anything is collected.
        var start = clock.GetUtcNow();
        var collectionStart = new DateTimeOffset(start.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        var workforce = new SyntheticWorkforce(employeeCount, days, collectionStart.AddDays(days));
        var registry = context.Services.GetRequiredService<SubjectRegistry>();
        Say($"== 3. Workforce: {employeeCount} employees enrolled on {start:yyyy-MM-dd} (simulated clock)");
        var notices = new Dictionary<NoticeState, int>();
        var paused = 0;
        foreach (var employee in workforce.Employees)
        {
            notices[employee.Notice] = notices.GetValueOrDefault(employee.Notice) + 1;
            await registry.EnrolAsync(employee.EmployeeId, cancellationToken).ConfigureAwait(false);
            if (employee.Notice != NoticeState.None)
            {
                await registry.AcknowledgeNoticeAsync(employee.EmployeeId, employee.Notice == NoticeState.Full ? "2026-11" : "2026-09", "operator:demo", cancellationToken).ConfigureAwait(false);
            }

            if (employee.Paused)
            {
                await registry.PauseAsync(employee.EmployeeId, paused++ % 2 == 0 ? PauseReason.Objection : PauseReason.Leave, "operator:demo", cancellationToken).ConfigureAwait(false);
            }
        }

        // The privacy office approved the DPIA covering every category before collection starts (controls RSK-1).
        var assessments = context.Services.GetRequiredService<Compliance.Core.Assessments.AssessmentService>();
        await assessments.RecordDpiaAsync("all", "demo-1", start, "user:privacy-office", cancellationToken).ConfigureAwait(false);
        Say($"DPIA demo-1 approved for every category (DPIA audited).");
        Say($"Notices: {notices.GetValueOrDefault(NoticeState.Full)} acknowledged 2026-11 (every category), {notices.GetValueOrDefault(NoticeState.Partial)} only 2026-09 (no transcripts), {notices.GetValueOrDefault(NoticeState.None)} none; {paused} paused (objection or leave).");
        Say("");

        // The calendar moves on: the agents' telemetry for those days arrives.
        clock.Advance(collectionStart.AddDays(days) - clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        var eventsFile = new FileInfo(Path.Combine(directory.FullName, "events.jsonl"));
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await using (var writer = new StreamWriter(eventsFile.FullName, false, new UTF8Encoding(false)))
        {
            foreach (var e in workforce.Events())
            {
                kinds[e.Kind] = kinds.GetValueOrDefault(e.Kind) + 1;
                await writer.WriteLineAsync(e.Line.AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }

        Say($"== 4. Ingestion: {days} days later ({clock.GetUtcNow():yyyy-MM-dd}), {kinds.Values.Sum()} events from the agents ({eventsFile.FullName})");
        Say($"Injected on purpose: {string.Join(", ", kinds.Where(k => !SyntheticEventKind.IsGood(k.Key)).Select(k => $"{k.Value} {k.Key}"))}; {kinds.GetValueOrDefault(SyntheticEventKind.PiiTranscript)} transcripts carry PII.");
        var ingest = await IngestCommand.IngestFileAsync(context, eventsFile, cancellationToken).ConfigureAwait(false);
        Say(ingest.ToHuman(eventsFile.Name, listRejections: false));
        Say("");

        // Reads go through the broker: a permitted one for an employee's access request, a refused one for HR.
        var broker = context.Services.GetRequiredService<AccessBroker>();
        var someone = workforce.Employees.First(e => e.Notice == NoticeState.Full && !e.Paused);
        var read = await broker.ReadAsync(new AccessRequest("privacy-office", "employee-access-request", "keystroke-dynamics", someone.EmployeeId) { Destination = "cli" }, cancellationToken).ConfigureAwait(false);
        string denied;
        try
        {
            await broker.ReadAsync(new AccessRequest("hr-analytics", "hr-performance", "keystroke-dynamics", someone.EmployeeId), cancellationToken).ConfigureAwait(false);
            denied = "NOT DENIED";
        }
        catch (AccessDeniedException ex)
        {
            denied = ex.Reason;
        }

        Say("== 5. Access broker: every read declares a purpose and is audited before data leaves");
        Say($"privacy-office, employee-access-request, keystroke-dynamics of one employee: {read.Records.Count} records of subject {(read.Records.Count > 0 ? read.Records[0].Subject : "(none)")}, audited as READ first.");
        Say($"hr-analytics, hr-performance, keystroke-dynamics of the same employee: denied ({denied}), audited as DENY.");

        var exportTo = clock.GetUtcNow();
        var exportFrom = exportTo.AddDays(-Math.Min(days, 7));
        var datasetFile = Path.Combine(directory.FullName, "dataset.jsonl");
        ExportResult export;
        await using (var stream = new FileStream(datasetFile, FileMode.Create, FileAccess.Write))
        {
            export = await context.Services.GetRequiredService<TrainingExporter>().ExportAsync(
                new AccessRequest("ml-platform", "model-training", "keystroke-dynamics", From: exportFrom, To: exportTo),
                stream,
                cancellationToken).ConfigureAwait(false);
        }

        await context.Services.GetRequiredService<LineageService>().LinkModelAsync("assistant-demo", export.DatasetId, "operator:demo", cancellationToken).ConfigureAwait(false);
        Say($"ml-platform, model-training: dataset {export.DatasetId} with {export.Records} pseudonymous records of {export.Subjects} subjects ({export.ExcludedSubjects} left out: they objected) in {datasetFile}; model assistant-demo linked to it.");
        Say("");

        // Offboarding and objections: erasure destroys keys, so it costs the same however much data there is.
        var holds = context.Services.GetRequiredService<Compliance.Core.Holds.HoldService>();
        var erasure = context.Services.GetRequiredService<ErasureService>();
        var active = workforce.Employees.Where(e => e.Notice == NoticeState.Full && !e.Paused).ToList();
        var (leaver, heldEmployee, objector) = (active[0], active[^1], active[active.Count / 2]);
        await holds.PlaceAsync(heldEmployee.EmployeeId, null, "DEMO-LIT-1", "pending litigation (demo)", "user:legal-demo", cancellationToken).ConfigureAwait(false);
        var erasures = new List<ErasureRecord>
        {
            await erasure.EraseAsync(new ErasureSubmission("demo-hr-offboarding-1", leaver.EmployeeId, ErasureReasons.Offboarding, null, CleanUp: true, "cli"), ErasureCommands.Actor, cancellationToken).ConfigureAwait(false),
            await erasure.EraseAsync(new ErasureSubmission("demo-hr-offboarding-2", heldEmployee.EmployeeId, ErasureReasons.Offboarding, null, CleanUp: false, "cli"), ErasureCommands.Actor, cancellationToken).ConfigureAwait(false),
            await erasure.EraseAsync(new ErasureSubmission("demo-objection-1", objector.EmployeeId, ErasureReasons.Objection, "training", CleanUp: false, "cli"), ErasureCommands.Actor, cancellationToken).ConfigureAwait(false),
        };
        Say("== 6. Erasure: two leavers (one under legal hold DEMO-LIT-1) and one objection to AI training");
        foreach (var request in erasures)
        {
            Say(ErasureCommands.Describe(request));
        }

        Say("");

        // A month on: the daily key rotation has rotated the root key (which sets the shred horizon), and the nightly
        // purge deletes what has expired; the legal hold keeps one employee's data.
        clock.Advance(TimeSpan.FromDays(31));
        var rotated = await context.Services.GetRequiredService<Compliance.Core.SubjectKeys.KeyRotationService>().RotateDueAsync(KeyRotationActor, cancellationToken).ConfigureAwait(false);
        var purge = context.Services.GetRequiredService<Compliance.Core.Retention.PurgeService>();
        var plan = await purge.PlanAsync(cancellationToken).ConfigureAwait(false);
        var purged = await purge.RunAsync(PurgeCommand.Actor, cancellationToken).ConfigureAwait(false);
        Say($"== 7. Retention: 31 days later ({clock.GetUtcNow():yyyy-MM-dd}), with the legal hold (DEMO-LIT-1) still on one leaver");
        Say($"Dry run: {plan.Records} records would be deleted ({plan.Categories.Sum(c => c.Actions.Count(a => a.Kind == Compliance.Core.Retention.PurgeActionKind.DropTable))} whole day tables), {plan.HeldRecords} kept for the hold; categories kept longer ({string.Join(", ", plan.Categories.Where(c => c.Actions.Count == 0).Select(c => c.Category))}) untouched.");
        Say(string.Create(CultureInfo.InvariantCulture, $"Key rotation (daily job): root key {(rotated.Root is { } root ? $"rotated to version {root.NewRootVersion}, {root.Rewrapped} subject keys rewrapped, old versions disabled: copies of the key table from before the first erasures are now unreadable" : "not due")}."));
        Say(PurgeCommand.Describe(purged));

        // The case closes: the deferred erasure completes by itself at the next sweep.
        await holds.ReleaseAsync(heldEmployee.EmployeeId, null, "DEMO-LIT-1", "user:legal-demo", cancellationToken).ConfigureAwait(false);
        clock.Advance(TimeSpan.FromMinutes(15));
        var sweep = await erasure.ProcessOpenAsync("job:erasure-sweep", cancellationToken).ConfigureAwait(false);
        erasures[1] = await erasure.GetAsync(erasures[1].Id, cancellationToken).ConfigureAwait(false) ?? erasures[1];
        var sla = await erasure.GetSlaAsync(cancellationToken).ConfigureAwait(false);
        Say($"DEMO-LIT-1 released; the next erasure sweep completed {sweep.Completed} deferred request:");
        Say(ErasureCommands.Describe(erasures[1]));
        Say(string.Create(CultureInfo.InvariantCulture, $"Erasure SLA: {sla.Completed} completed, p95 {sla.P95?.TotalSeconds:0.#} s and max {sla.Max?.TotalSeconds:0.#} s to keys destroyed (time under legal hold not counted): {(sla.Met ? "met" : "NOT MET")}."));
        // The ML platform rebuilds its dataset (erased and objecting employees are left out), retrains the model on it,
        // evaluates its privacy and promotes it (controls ERA-2 and MDL-1).
        ExportResult rebuilt;
        var rebuiltFile = Path.Combine(directory.FullName, "dataset-rebuilt.jsonl");
        await using (var stream = new FileStream(rebuiltFile, FileMode.Create, FileAccess.Write))
        {
            rebuilt = await context.Services.GetRequiredService<TrainingExporter>().ExportAsync(
                new AccessRequest("ml-platform", "model-training", "app-focus", From: clock.GetUtcNow().AddDays(-35), To: clock.GetUtcNow()),
                stream,
                cancellationToken).ConfigureAwait(false);
        }

        await context.Services.GetRequiredService<LineageService>().LinkModelAsync("assistant-demo-2", rebuilt.DatasetId, "operator:demo", cancellationToken).ConfigureAwait(false);
        string[] evaluations = ["demo-eval-mi", "demo-eval-canary", "demo-eval-pii"];
        (string Id, string Type, double Value, double Threshold)[] privacyTests =
        [
            (evaluations[0], Compliance.Core.Assessments.EvaluationTypes.MembershipInference, 0.52, 0.55), // attack AUC: barely better than chance
            (evaluations[1], Compliance.Core.Assessments.EvaluationTypes.CanaryExtraction, 0, 0), // canaries extracted
            (evaluations[2], Compliance.Core.Assessments.EvaluationTypes.PiiOutputScan, 0, 0), // outputs with personal data
        ];
        foreach (var (id, type, value, threshold) in privacyTests)
        {
            await assessments.RecordEvaluationAsync(id, "assistant-demo-2", type, value, threshold, "user:ml-evaluation", cancellationToken).ConfigureAwait(false);
        }

        await assessments.PromoteModelAsync("assistant-demo-2", evaluations, "user:ml-platform", cancellationToken).ConfigureAwait(false);
        Say($"Dataset rebuilt as {rebuilt.DatasetId} ({rebuilt.Subjects} subjects, {rebuilt.ExcludedSubjects} left out); model assistant-demo-2 trained on it, privacy-evaluated (membership inference, canary extraction, PII in outputs) and promoted.");
        var certificatesDirectory = Directory.CreateDirectory(Path.Combine(directory.FullName, "certificates"));
        var certificates = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var request in erasures)
        {
            var certificate = await erasure.GetCertificateAsync(request.Id, cancellationToken).ConfigureAwait(false);
            if (certificate is null)
            {
                continue;
            }

            var file = Path.Combine(certificatesDirectory.FullName, ErasureCertificate.NameOf(request.Id));
            await File.WriteAllBytesAsync(file, certificate, cancellationToken).ConfigureAwait(false);
            certificates[request.Id] = file;
            Say($"-- destruction certificate {file}");
            Say(Encoding.UTF8.GetString(certificate));
        }

        Say("");

        var seal = await AuditCommands.SealAsync(context, cancellationToken).ConfigureAwait(false);
        var verification = await AuditCommands.VerifyAsync(context, null, null, cancellationToken).ConfigureAwait(false);

        // The compliance report over the whole run, in every format, and one employee's transparency statement.
        var reports = context.Services.GetRequiredService<Compliance.Core.Reports.ReportService>();
        var report = await reports.GenerateAsync(new Compliance.Core.Reports.ReportPeriod(start, seal.Seal.Seal.SealedAt), cancellationToken).ConfigureAwait(false);
        var reportsDirectory = Directory.CreateDirectory(Path.Combine(directory.FullName, "reports"));
        var reportFiles = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var format in Compliance.Core.Reports.ReportService.Formats)
        {
            var rendered = await reports.RenderAsync(report, format, ReportCommand.Actor, cancellationToken).ConfigureAwait(false);
            var file = Path.Combine(reportsDirectory.FullName, "compliance-report" + Compliance.Core.Reports.ScheduledReportService.Files[format].Extension);
            await File.WriteAllBytesAsync(file, rendered.Content, cancellationToken).ConfigureAwait(false);
            reportFiles[format] = file;
        }

        var statements = context.Services.GetRequiredService<Compliance.Core.Reports.StatementService>();
        var statementFile = Path.Combine(reportsDirectory.FullName, "employee-statement.html");
        await File.WriteAllBytesAsync(statementFile, Compliance.Core.Reports.StatementService.Render(await statements.BuildAsync(someone.EmployeeId, cancellationToken).ConfigureAwait(false), "html"), cancellationToken).ConfigureAwait(false);
        if (context.Settings.Json)
        {
            context.Console.WriteJson(new
            {
                command = "demo",
                clock = context.ClockReport,
                policy = summary,
                setup = InitCommand.ToJson("init", context, setup),
                rerun = new { created = rerun.CreatedCount, existing = rerun.Resources.Count - rerun.CreatedCount },
                workforce = new { employees = employeeCount, days, notices, paused, events = kinds },
                ingest = ingest.ToJson(eventsFile.FullName),
                access = new { read = read.Records.Count, denied },
                export = new { dataset = export, file = datasetFile },
                erasure = new { requests = erasures.Select(r => ErasureStatusJson.Request(r)), sla = ErasureStatusJson.Sla(sla), certificates },
                purge = new { dryRun = new { records = plan.Records, held = plan.HeldRecords }, manifestName = purged.ManifestName, manifestSha256 = purged.ManifestSha256, manifest = purged.Manifest },
                seal = AuditCommands.SealJson(seal),
                verification,
                report = new { passed = report.Passed, failed = report.Failed, notApplicable = report.NotApplicable, files = reportFiles, statement = statementFile },
            });
        }
        else
        {
            output.WriteLine("== 8. Audit trail: every step above left hash-chained events; seal them, then verify everything");
            AuditCommands.WriteSeal(context, seal);
            AuditCommands.WriteReport(output, verification);
            output.WriteLine();
            output.WriteLine($"== 9. Compliance report over the run (seal {report.Basis.SealNumber}): {report.Passed} controls passed, {report.Failed} failed, {report.NotApplicable} not applicable");
            foreach (var control in report.Controls.Where(c => c.Status == Compliance.Core.Reports.ControlStatus.Fail))
            {
                output.WriteLine($"  {control.Id} {control.Title}: {control.Summary}");
            }

            foreach (var (format, file) in reportFiles)
            {
                output.WriteLine($"  {format,-6} {file}");
            }

            output.WriteLine($"  employee transparency statement (the employee whose data was read above): {statementFile}");
            output.WriteLine();
            output.WriteLine(verification.Intact ? string.Create(CultureInfo.InvariantCulture, $"Demo complete. Files: {directory.FullName}") : "Demo FAILED: the audit trail does not verify.");
        }

        var purgeMatchesPlan = purged.Manifest.RecordsDeleted == plan.Records && purged.Manifest.RecordsHeld == plan.HeldRecords;
        var erased = erasures.All(r => r.State == ErasureState.Completed && r.ProbeDecrypted == 0) && certificates.Count == erasures.Count;
        return verification.Intact && denied != "NOT DENIED" && purgeMatchesPlan && erased ? ExitCodes.Success : ExitCodes.CheckFailed;
    }
}
