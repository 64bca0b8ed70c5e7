using System.CommandLine;
using Compliance.Core.Policy;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance policy show|schema</c>: what the policy in force says, and the schema policies are checked against.</summary>
internal static class PolicyCommands
{
    public static Command Create(CommandRuntime runtime)
    {
        var show = new Command("show", "Validate the policy and print its version and each category's terms");
        show.SetAction((parse, _) => runtime.RunAsync(parse, context =>
        {
            Write(context, PolicySummary.From(context.Policy));
            return Task.FromResult(ExitCodes.Success);
        }));

        var schema = new Command("schema", "Print the JSON Schema every policy document must satisfy");
        schema.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine(PolicyDocument.SchemaText);
            return ExitCodes.Success;
        });

        return new Command("policy", "Inspect the policy registry") { show, schema };
    }

    public static void Write(CommandContext context, PolicySummary summary)
    {
        if (context.Settings.Json)
        {
            context.Console.WriteJson(new { command = "policy show", policy = summary });
            return;
        }

        WriteHuman(context.Console.Out, summary);
    }

    public static void WriteHuman(TextWriter output, PolicySummary summary)
    {
        output.WriteLine($"Policy {summary.PolicyId}");
        output.WriteLine($"  version  {summary.Version}");
        output.WriteLine($"  source   {summary.Source}");
        output.WriteLine($"  {"category",-20} {"retention",9}  {"key scope",-12} purposes");
        foreach (var category in summary.Categories)
        {
            var content = category.ContainsContent ? " (content, redacted)" : "";
            output.WriteLine($"  {category.Name,-20} {category.RetentionDays,5} days  {category.KeyScope,-12} {string.Join(", ", category.AllowedPurposes)}{content}");
        }
    }
}
