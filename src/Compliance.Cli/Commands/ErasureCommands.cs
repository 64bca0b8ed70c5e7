using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Compliance.Core.Erasure;
using Compliance.Core.Subjects;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary>
/// <c>compliance erase --employee E [--scope S] --reason R [--request-id ID] [--clean-up]</c> and
/// <c>compliance erasure status|certificate|process</c>: the erasure service by hand, the same one the queue, HTTP
/// and sweep functions run.
/// </summary>
internal static class ErasureCommands
{
    public const string Actor = "operator:cli";

    public static Command CreateErase(CommandRuntime runtime)
    {
        var employee = new Option<string>("--employee") { Description = "The employee to erase", HelpName = "E", Required = true };
        var scope = new Option<string?>("--scope") { Description = "One key scope (for example training for an objection to AI training); default all of the employee's data", HelpName = "S" };
        var reason = new Option<string>("--reason") { Description = $"Why: {string.Join(", ", ErasureReasons.All)}", HelpName = "R", Required = true };
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key (for example the HR ticket); default derived from employee, scope and reason, so rerunning resumes the same request", HelpName = "ID" };
        var cleanUp = new Option<bool>("--clean-up") { Description = "Also delete the rows the shred made unreadable (audited)" };
        var command = new Command("erase", "Erase an employee's data by destroying their keys, and issue a destruction certificate") { employee, scope, reason, requestId, cleanUp };
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var erasure = Service(context);
            var id = parse.GetValue(requestId) ?? await DefaultRequestIdAsync(context, parse.GetValue(employee)!, parse.GetValue(scope), parse.GetValue(reason)!, cancellationToken).ConfigureAwait(false);
            var submission = new ErasureSubmission(id, parse.GetValue(employee)!, parse.GetValue(reason)!, parse.GetValue(scope), parse.GetValue(cleanUp), "cli");
            ErasureRecord record;
            try
            {
                record = await erasure.EraseAsync(submission, Actor, cancellationToken).ConfigureAwait(false);
            }
            catch (ErasureConflictException ex)
            {
                throw new CliUsageException("--request-id: " + ex.Message);
            }
            catch (ErasureVerificationException ex)
            {
                context.Console.WriteError(ex.Message);
                return ExitCodes.CheckFailed;
            }

            var certificate = await erasure.GetCertificateAsync(record.Id, cancellationToken).ConfigureAwait(false);
            context.WriteResult(
                new JsonObject { ["command"] = "erase", ["erasure"] = ErasureStatusJson.Request(record), ["certificate"] = certificate is null ? null : JsonNode.Parse(certificate) },
                Describe(record));
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command CreateErasure(CommandRuntime runtime)
    {
        var employee = new Option<string?>("--employee") { Description = "Only this employee's requests", HelpName = "E" };
        var id = new Option<string?>("--id") { Description = "Only this request (era-…)", HelpName = "ID" };
        var check = new Option<bool>("--check") { Description = "Exit 1 when the SLA is not met (p95 or maximum exceeded, or a request open past the maximum)" };
        var status = new Command("status", "Erasure requests, where each stands, and the SLA (p95 and maximum time to keys destroyed)") { employee, id, check };
        status.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var erasure = Service(context);
            IReadOnlyList<ErasureRecord> records = parse.GetValue(id) is { } one
                ? await erasure.GetAsync(one, cancellationToken).ConfigureAwait(false) is { } found ? [found] : throw new CliUsageException($"--id: no erasure request has the id '{one}'")
                : await erasure.ListAsync(parse.GetValue(employee), cancellationToken).ConfigureAwait(false);
            var sla = await erasure.GetSlaAsync(cancellationToken).ConfigureAwait(false);
            context.WriteResult(
                new JsonObject { ["command"] = "erasure status", ["sla"] = ErasureStatusJson.Sla(sla), ["requests"] = new JsonArray([.. records.Select(r => (JsonNode)ErasureStatusJson.Request(r))]) },
                DescribeStatus(records, sla));
            return parse.GetValue(check) && !sla.Met ? ExitCodes.CheckFailed : ExitCodes.Success;
        }));

        var certificateId = new Option<string>("--id") { Description = "The request (era-…)", HelpName = "ID", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "Write the certificate to this file instead of stdout", HelpName = "FILE" };
        var certificate = new Command("certificate", "Print or save the destruction certificate of a completed request") { certificateId, output };
        certificate.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var bytes = await Service(context).GetCertificateAsync(parse.GetValue(certificateId)!, cancellationToken).ConfigureAwait(false)
                ?? throw new CliUsageException($"--id: no completed erasure request has the id '{parse.GetValue(certificateId)}'");
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllBytesAsync(file.FullName, bytes, cancellationToken).ConfigureAwait(false);
                context.WriteResult(new { command = "erasure certificate", file = file.FullName }, $"Certificate written to {file.FullName}");
            }
            else
            {
                context.Console.Out.WriteLine(Encoding.UTF8.GetString(bytes));
            }

            return ExitCodes.Success;
        }));

        var process = new Command("process", "Take every open request as far as it can go (what the ErasureSweep function does every 15 minutes)");
        process.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var result = await Service(context).ProcessOpenAsync(Actor, cancellationToken).ConfigureAwait(false);
            context.WriteResult(
                new JsonObject
                {
                    ["command"] = "erasure process",
                    ["completed"] = result.Completed,
                    ["held"] = result.Held,
                    ["failed"] = result.Failed,
                    ["requests"] = new JsonArray([.. result.Requests.Select(r => (JsonNode)ErasureStatusJson.Request(r))]),
                },
                string.Create(CultureInfo.InvariantCulture, $"Erasure sweep: {result.Completed} completed, {result.Held} held by legal holds, {result.Failed} failed (see erasure status)."));
            return result.Failed > 0 ? ExitCodes.DependencyFailed : ExitCodes.Success;
        }));

        return new Command("erasure", "Erasure requests: status, certificates, processing") { status, certificate, process };
    }

    /// <summary>One line per fact, the way an operator reads an erasure.</summary>
    public static string Describe(ErasureRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var lines = new List<string> { $"Erasure {record.Id} ({record.Reason}, scope {record.ScopeLabel}): {record.State.ToName()}" };
        if (record.State == ErasureState.Held)
        {
            lines.Add($"  held by legal hold {string.Join(", ", record.HoldCases)} since {Instant(record.HeldSince)}; it completes by itself once released");
        }

        if (record.KeysDestroyedAt is { } destroyed)
        {
            lines.Add($"  keys destroyed {Instant(destroyed)}: {(record.KeyIds.Count == 0 ? "none existed" : string.Join(", ", record.KeyIds))}; tombstones on {string.Join(", ", record.Scopes)}");
            lines.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"  probe: {record.ProbeDecrypted} of {record.ProbeSampled} sampled records decrypted; {(record.RootRotationOverdue ? $"stale copies of the key table stay readable until the OVERDUE root rotation (due {Instant(record.ShredHorizon)}) runs: compliance keys rotate --root" : $"stale copies unreadable by {Instant(record.ShredHorizon)} (shred horizon)")}"));
        }

        if (record.CleanUpRows is { } rows)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  clean-up: {rows} unreadable rows deleted"));
        }

        if (record.Datasets.Count + record.Models.Count > 0)
        {
            lines.Add($"  needs disposition: datasets {string.Join(", ", record.Datasets)}; models {(record.Models.Count == 0 ? "none" : string.Join(", ", record.Models))}");
        }

        if (record.CertificateName is { } name)
        {
            lines.Add($"  certificate erasure-certificates/{name}, SHA-256 {record.CertificateSha256} (in ERASURE_DONE)");
        }

        if (record.LastError is { } error)
        {
            lines.Add($"  last attempt failed ({error}) at {Instant(record.FailedAt)}; the sweep retries it");
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string DescribeStatus(IReadOnlyList<ErasureRecord> records, ErasureSla sla)
    {
        var lines = new List<string>
        {
            string.Create(
                CultureInfo.InvariantCulture,
                $"SLA: {sla.Completed} completed; time to keys destroyed p95 {Hours(sla.P95)}, max {Hours(sla.Max)} (target p95 {sla.Target.TotalHours:0} h, maximum {sla.Maximum.TotalDays:0} days): {(sla.Met ? "met" : "NOT MET")}"),
            string.Create(CultureInfo.InvariantCulture, $"     {sla.Open} open ({sla.Held} held by legal holds, {sla.Failed} failing), {sla.OpenPastTarget.Count} open past the target, {sla.OpenPastMaximum.Count} past the maximum"),
        };
        lines.Add(records.Count == 0 ? "No erasure requests." : "");
        lines.AddRange(records.Select(Describe));
        return string.Join(Environment.NewLine, lines).TrimEnd();
    }

    /// <summary>
    /// The request id when none is given: derived from the employee's keyed lookup hash, the scope and the reason, so
    /// the same command run again resumes the same request, and the employee id appears nowhere.
    /// </summary>
    private static async Task<string> DefaultRequestIdAsync(CommandContext context, string employeeId, string? scope, string reason, CancellationToken cancellationToken)
    {
        var lookup = await context.Services.GetRequiredService<SubjectRegistry>().LookupKeyAsync(employeeId, cancellationToken).ConfigureAwait(false);
        var what = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"{scope ?? "all"}\n{reason}")));
        return $"cli:{lookup[..32]}:{what[..16]}";
    }

    private static string Instant(DateTimeOffset? value) => value is { } v ? Core.Time.IsoInstant.Format(v) : "-";

    private static string Hours(TimeSpan? value) => value is { } v ? v.TotalHours.ToString("0.###", CultureInfo.InvariantCulture) + " h" : "-";

    private static ErasureService Service(CommandContext context) => context.Services.GetRequiredService<ErasureService>();
}
