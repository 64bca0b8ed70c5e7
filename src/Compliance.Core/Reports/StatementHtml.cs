using System.Globalization;
using System.Net;
using System.Text;
using Compliance.Core.Time;

namespace Compliance.Core.Reports;

/// <summary>
/// An employee statement as one self-contained HTML5 page for the employee to read and print: inline CSS, no
/// scripts, no fonts or images by URL (a Content-Security-Policy forbids any request), every piece of text
/// HTML-encoded. Like <see cref="StatementJson"/> it is a pure function of the statement: no time of generation,
/// invariant culture, <c>\n</c> line ends, so the same statement always gives the same bytes. Stable hooks:
/// <c>id="categories"</c>, <c>id="access"</c>, <c>id="erasures"</c>, and <c>data-category="NAME"</c> on each
/// category's row.
/// </summary>
public static class StatementHtml
{
    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

    private const string Css = """
        :root { color-scheme: light; }
        body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d232a; background: #f5f6f8; margin: 0; }
        main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 3rem; background: #fff; }
        h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
        h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #d8dde3; padding-bottom: .25rem; }
        p.lead { color: #4a5561; margin-top: 0; }
        dl.basis { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 1rem 0; }
        dl.basis dt { font-weight: 600; }
        dl.basis dd { margin: 0; }
        .hash, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em; word-break: break-all; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
        th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #e3e7eb; }
        th { background: #f0f2f5; font-weight: 600; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .tag { display: inline-block; padding: 0 .4rem; border-radius: .25rem; font-size: .85em; }
        .tag.ok { background: #e3f4e8; color: #145c2c; }
        .tag.warn { background: #fdf1d8; color: #7a4b00; }
        .tag.gone { background: #fde4e4; color: #8a1c1c; }
        .note { color: #4a5561; font-size: .9em; }
        footer { margin-top: 2.5rem; color: #4a5561; font-size: .85em; }
        @media print { body { background: #fff; } main { padding: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }

        """;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Renders <paramref name="statement"/> as UTF-8 HTML (no byte-order mark).</summary>
    public static byte[] Write(EmployeeStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var html = new StringBuilder(16 * 1024);
        var b = statement.Basis;
        Line(html, "<!DOCTYPE html>");
        Line(html, "<html lang=\"en\">");
        Line(html, "<head>");
        Line(html, "<meta charset=\"utf-8\">");
        Line(html, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        Line(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"" + ContentSecurityPolicy + "\">");
        html.Append("<meta name=\"statement-format\" content=\"").Append(Encode(EmployeeStatement.Format)).Append("\">\n");
        html.Append("<title>Statement of data held, as of ").Append(Encode(IsoInstant.Format(b.SealedAt))).Append("</title>\n");
        html.Append("<style>\n").Append(Css).Append("</style>\n");
        Line(html, "</head>");
        Line(html, "<body>");
        Line(html, "<main>");

        html.Append("<h1>Statement of the data held about you</h1>\n");
        html.Append("<p class=\"lead\">As of ").Append(Encode(IsoInstant.Format(b.SealedAt))).Append(" (UTC). This statement is about ")
            .Append(Encode(EmployeeStatement.IdentifiedBy)).Append(".</p>\n");
        html.Append("<dl class=\"basis\">\n");
        Term(html, "You appear as", statement.Subject is { } subject ? "<code>" + Encode(subject) + "</code> (a random pseudonym; your name and employee id are never stored with your data)" : "nobody: you were never enrolled");
        Term(html, "Status", Encode(statement.Status) + (statement.EnrolledAt is { } enrolled ? ", enrolled " + Encode(IsoInstant.Format(enrolled)) : ""));
        Term(html, "Policy", Encode(b.PolicyId) + "<br><span class=\"hash\">version " + Encode(b.PolicyVersion) + "</span>");
        Term(html, "Audit seal", "No. " + Number(b.SealNumber) + ", sealed " + Encode(IsoInstant.Format(b.SealedAt)) + "<br><span class=\"hash\">" + Encode(b.SealHash) + "</span>");
        Term(html, "Audit trail", (b.TrailIntact ? "<span class=\"tag ok\">verified</span>" : "<span class=\"tag gone\">did not verify</span>") + " " + Number(b.EventsRead) + " events read");
        Term(html, "Key custody", Encode(b.KeyCustody));
        Line(html, "</dl>");

        WriteSummary(html, statement);
        WriteNotices(html, statement);
        WriteCategories(html, statement);
        WriteAccess(html, statement);
        WriteErasures(html, statement);

        html.Append("<footer><p>Reads are counted from the audit events of seal No. ").Append(Number(b.SealNumber))
            .Append(" that name you; what is held is counted from the stored records' keys, without decrypting them. ")
            .Append("Anyone can re-verify the seal with <code>compliance audit verify</code>.</p></footer>\n");
        Line(html, "</main>");
        Line(html, "</body>");
        Line(html, "</html>");
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(html.ToString());
    }

    private static void WriteSummary(StringBuilder html, EmployeeStatement s)
    {
        html.Append("<section id=\"summary\">\n<h2>In short</h2>\n<p>");
        if (!s.Enrolled)
        {
            html.Append("Nothing is held about you: you were never enrolled, so no telemetry about you was ever collected.");
        }
        else if (s.Erased)
        {
            html.Append("Your data was erased: the keys it was encrypted under were destroyed, so no one can read what remains stored (")
                .Append(Number(s.RecordsHeld)).Append(" records, unreadable). The destruction certificates are listed below.");
        }
        else if (s.Categories.Count == 0)
        {
            html.Append("No telemetry about you is held.");
        }
        else
        {
            html.Append(Number(s.RecordsHeld)).Append(" records in ").Append(Number(s.Categories.Count)).Append(s.Categories.Count == 1 ? " category are" : " categories are")
                .Append(" held about you; they were read ").Append(Number(s.Access.Reads)).Append(s.Access.Reads == 1 ? " time" : " times")
                .Append(" in requests that named you, and went into ").Append(Number(s.Access.Exports)).Append(s.Access.Exports == 1 ? " training dataset." : " training datasets.");
        }

        html.Append("</p>\n");
        if (s.Pause is { } pause)
        {
            html.Append("<p>Collection is <span class=\"tag warn\">paused</span> (").Append(Encode(pause.Reason)).Append(") since ")
                .Append(Encode(IsoInstant.Format(pause.Since))).Append(".</p>\n");
        }

        Line(html, "</section>");
    }

    private static void WriteNotices(StringBuilder html, EmployeeStatement s)
    {
        html.Append("<section id=\"notices\">\n<h2>Notices you acknowledged</h2>\n");
        if (s.Notices.Count == 0)
        {
            Line(html, "<p>None.</p>");
        }
        else
        {
            Line(html, "<table><thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Acknowledged</th><th scope=\"col\">Categories it covers</th></tr></thead><tbody>");
            foreach (var n in s.Notices)
            {
                html.Append("<tr><td>").Append(Encode(n.Version)).Append("</td><td>").Append(Encode(IsoInstant.Format(n.AcknowledgedAt)))
                    .Append("</td><td>").Append(Encode(string.Join(", ", n.Categories))).Append("</td></tr>\n");
            }

            Line(html, "</tbody></table>");
        }

        Line(html, "</section>");
    }

    private static void WriteCategories(StringBuilder html, EmployeeStatement s)
    {
        html.Append("<section id=\"categories\">\n<h2>What is held, for which purposes, until when</h2>\n");
        if (s.Categories.Count == 0)
        {
            Line(html, "<p>Nothing.</p>");
            Line(html, "</section>");
            return;
        }

        Line(html, "<table><thead><tr><th scope=\"col\">Category</th><th scope=\"col\">Records</th><th scope=\"col\">Captured</th><th scope=\"col\">Held until</th><th scope=\"col\">May be read for</th><th scope=\"col\">Key scope</th></tr></thead><tbody>");
        foreach (var c in s.Categories)
        {
            html.Append("<tr data-category=\"").Append(Encode(c.Category)).Append("\"><th scope=\"row\">").Append(Encode(c.Category))
                .Append("<br><span class=\"note\">").Append(Encode(c.Description)).Append("</span></th>");
            html.Append("<td class=\"num\">").Append(Number(c.Records)).Append("</td>");
            html.Append("<td>").Append(Encode(IsoInstant.Format(c.OldestCapture))).Append(" to ").Append(Encode(IsoInstant.Format(c.NewestCapture))).Append("</td>");
            html.Append("<td>").Append(Encode(IsoInstant.Format(c.HeldUntil))).Append("<br><span class=\"note\">each record ")
                .Append(Number(c.RetentionDays)).Append(" days after capture; the newest until ").Append(Encode(IsoInstant.Format(c.NewestHeldUntil))).Append("</span>");
            if (c.KeptLongerUnderLegalHold)
            {
                html.Append("<br><span class=\"tag warn\">kept longer under legal hold</span> (")
                    .Append(Number(c.LegalHoldCases)).Append(c.LegalHoldCases == 1 ? " case)" : " cases)");
            }

            html.Append("</td>");
            html.Append("<td>").Append(Encode(string.Join(", ", c.Purposes))).Append("</td>");
            html.Append("<td><code>").Append(Encode(c.KeyScope)).Append("</code> ")
                .Append(c.Readable ? "<span class=\"tag ok\">readable</span>" : "<span class=\"tag gone\">unreadable: keys destroyed</span>")
                .Append("</td></tr>\n");
        }

        Line(html, "</tbody></table>");
        Line(html, "</section>");
    }

    private static void WriteAccess(StringBuilder html, EmployeeStatement s)
    {
        var a = s.Access;
        html.Append("<section id=\"access\">\n<h2>Who read your data, and why</h2>\n");
        html.Append("<p>").Append(Number(a.Reads)).Append(a.Reads == 1 ? " read" : " reads").Append(" named you; ")
            .Append(Number(a.Denied)).Append(a.Denied == 1 ? " attempt was" : " attempts were").Append(" refused.</p>\n");
        CountTable(html, "Purpose", "Reads", a.ReadsByPurpose);
        CountTable(html, "Principal", "Reads", a.ReadsByPrincipal);
        html.Append("<p>").Append(Number(a.Exports)).Append(a.Exports == 1 ? " training dataset holds" : " training datasets hold").Append(" some of your data.</p>\n");
        if (s.Datasets.Count > 0)
        {
            Line(html, "<table><thead><tr><th scope=\"col\">Dataset</th><th scope=\"col\">Category</th><th scope=\"col\">Purpose</th><th scope=\"col\">Principal</th><th scope=\"col\">Built</th></tr></thead><tbody>");
            foreach (var d in s.Datasets)
            {
                html.Append("<tr><td><code>").Append(Encode(d.Id)).Append("</code></td><td>").Append(Encode(d.Category)).Append("</td><td>")
                    .Append(Encode(d.Purpose)).Append("</td><td>").Append(Encode(d.Principal)).Append("</td><td>")
                    .Append(Encode(IsoInstant.Format(d.CreatedAt))).Append("</td></tr>\n");
            }

            Line(html, "</tbody></table>");
        }

        if (s.Models.Count > 0)
        {
            html.Append("<p>Models trained on those datasets: ").Append(string.Join(", ", s.Models.Select(m => "<code>" + Encode(m) + "</code>"))).Append(".</p>\n");
        }

        Line(html, "</section>");
    }

    private static void WriteErasures(StringBuilder html, EmployeeStatement s)
    {
        html.Append("<section id=\"erasures\">\n<h2>Erasure requests and destruction certificates</h2>\n");
        if (s.ShreddedScopes.Count > 0)
        {
            html.Append("<p>Key scopes destroyed: ").Append(string.Join(", ", s.ShreddedScopes.Select(x => "<code>" + Encode(x) + "</code>"))).Append(".</p>\n");
        }

        if (s.Erasures.Count == 0)
        {
            Line(html, "<p>None.</p>");
            Line(html, "</section>");
            return;
        }

        Line(html, "<table><thead><tr><th scope=\"col\">Request</th><th scope=\"col\">State</th><th scope=\"col\">Reason and scope</th><th scope=\"col\">Requested</th><th scope=\"col\">Keys destroyed</th><th scope=\"col\">Certificate (SHA-256)</th></tr></thead><tbody>");
        foreach (var e in s.Erasures)
        {
            html.Append("<tr><td><code>").Append(Encode(e.Id)).Append("</code></td><td>").Append(Encode(e.State)).Append("</td><td>")
                .Append(Encode(e.Reason)).Append(", ").Append(Encode(e.Scope)).Append("</td><td>").Append(Encode(IsoInstant.Format(e.RequestedAt))).Append("</td><td>")
                .Append(e.KeysDestroyedAt is { } destroyed ? Encode(IsoInstant.Format(destroyed)) : "&mdash;").Append("</td><td>");
            if (e.CertificateSha256 is { } sha)
            {
                html.Append("<code>").Append(Encode(e.CertificateName)).Append("</code><br><span class=\"hash\">").Append(Encode(sha)).Append("</span>");
            }
            else
            {
                html.Append("&mdash;");
            }

            html.Append("</td></tr>\n");
        }

        Line(html, "</tbody></table>");
        Line(html, "</section>");
    }

    private static void CountTable(StringBuilder html, string name, string what, IReadOnlyList<StatementCount> counts)
    {
        if (counts.Count == 0)
        {
            return;
        }

        html.Append("<table><thead><tr><th scope=\"col\">").Append(name).Append("</th><th scope=\"col\">").Append(what).Append("</th></tr></thead><tbody>\n");
        foreach (var c in counts)
        {
            html.Append("<tr><td>").Append(Encode(c.Name)).Append("</td><td class=\"num\">").Append(Number(c.Count)).Append("</td></tr>\n");
        }

        Line(html, "</tbody></table>");
    }

    private static void Term(StringBuilder html, string encodedTerm, string encodedDefinition) =>
        html.Append("<dt>").Append(encodedTerm).Append("</dt><dd>").Append(encodedDefinition).Append("</dd>\n");

    private static void Line(StringBuilder html, string text) => html.Append(text).Append('\n');

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string Number(long value) => value.ToString("#,0", Invariant);
}
