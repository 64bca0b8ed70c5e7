using System.CommandLine;
using Compliance.Core.Subjects;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary>
/// <c>compliance subjects notice-ack|pause|resume|re-enrol</c>: notice acknowledgements, pauses and re-enrolment of an
/// erased employee, recorded under the employee's surrogate and audited. Outputs name the surrogate, never the employee id.
/// </summary>
internal static class SubjectCommands
{
    public const string Actor = "operator:cli";

    public static Command Create(CommandRuntime runtime)
    {
        var noticeAck = new Command("notice-ack", "Record that an employee acknowledged a notice version");
        var employee = EmployeeOption();
        var notice = new Option<string>("--notice") { Description = "Notice version from the policy", HelpName = "V", Required = true };
        noticeAck.Options.Add(employee);
        noticeAck.Options.Add(notice);
        noticeAck.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var ack = await Registry(context).AcknowledgeNoticeAsync(parse.GetValue(employee)!, parse.GetValue(notice)!, Actor, cancellationToken).ConfigureAwait(false);
            context.WriteResult(new { command = "subjects notice-ack", subject = ack.Surrogate, noticeVersion = ack.NoticeVersion, categories = ack.Categories },
                $"Notice {ack.NoticeVersion} acknowledged for subject {ack.Surrogate}; collection allowed for: {string.Join(", ", ack.Categories)}");
            return ExitCodes.Success;
        }));

        var pause = new Command("pause", "Pause collection for an employee (objection, leave or other)");
        var pauseEmployee = EmployeeOption();
        var reason = new Option<PauseReason>("--reason") { Description = "objection, leave or other", HelpName = "R", Required = true };
        pause.Options.Add(pauseEmployee);
        pause.Options.Add(reason);
        pause.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var paused = await Registry(context).PauseAsync(parse.GetValue(pauseEmployee)!, parse.GetValue(reason), Actor, cancellationToken).ConfigureAwait(false);
            context.WriteResult(new { command = "subjects pause", subject = paused.Surrogate, reason = paused.Reason, since = paused.Since },
                $"Collection paused for subject {paused.Surrogate} ({paused.Reason.ToString().ToLowerInvariant()}) since {paused.Since:O}");
            return ExitCodes.Success;
        }));

        var resume = new Command("resume", "Resume collection for a paused employee");
        var resumeEmployee = EmployeeOption();
        resume.Options.Add(resumeEmployee);
        resume.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var registry = Registry(context);
            var resumed = await registry.ResumeAsync(parse.GetValue(resumeEmployee)!, Actor, cancellationToken).ConfigureAwait(false);
            context.WriteResult(new { command = "subjects resume", resumed },
                resumed ? "Collection resumed." : "The employee was not paused; nothing changed.");
            return ExitCodes.Success;
        }));

        var reenrol = new Command("re-enrol", "Enrol an erased employee again (for example a rehire), under a new surrogate, with an audited reason; their old data stays destroyed");
        var reenrolEmployee = EmployeeOption();
        var reenrolReason = new Option<ReenrolReason>("--reason") { Description = "rehire or other", HelpName = "R", Required = true };
        var reference = new Option<string?>("--reference") { Description = "Ticket id recorded with the event (1 to 64 letters, digits, . _ : -; never a name)", HelpName = "ID" };
        reenrol.Options.Add(reenrolEmployee);
        reenrol.Options.Add(reenrolReason);
        reenrol.Options.Add(reference);
        reenrol.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var subject = await context.Services.GetRequiredService<ReenrolmentService>()
                .ReenrolAsync(parse.GetValue(reenrolEmployee)!, parse.GetValue(reenrolReason), parse.GetValue(reference), Actor, cancellationToken).ConfigureAwait(false);
            context.WriteResult(new { command = "subjects re-enrol", subject = subject.Surrogate, status = subject.Status, enrolledAt = subject.EnrolledAt },
                $"Enrolled again as subject {subject.Surrogate}. Nothing is collected until they acknowledge a notice (subjects notice-ack); their data from before the erasure stays destroyed.");
            return ExitCodes.Success;
        }));

        return new Command("subjects", "Notice acknowledgements, pauses and re-enrolment of pseudonymous subjects") { noticeAck, pause, resume, reenrol };
    }

    private static Option<string> EmployeeOption() =>
        new("--employee") { Description = "Employee id (never stored: only its keyed hash is)", HelpName = "E", Required = true };

    private static SubjectRegistry Registry(CommandContext context) => context.Services.GetRequiredService<SubjectRegistry>();
}
