using System.Diagnostics;
using System.Text.RegularExpressions;
using Compliance.Core.Reports;
using Compliance.TestSupport;

namespace Compliance.IntegrationTests.Reports;

/// <summary>
/// The HTML report as a browser renders it: headless Chromium (Debian's <c>chromium</c>; <c>scripts/test.sh</c>
/// installs it) loads the page from a file, dumps the DOM it built and takes a screenshot, kept at
/// <c>artifacts/report-screenshots/report.png</c> for people to look at.
/// </summary>
public sealed partial class HtmlReportBrowserTests
{
    private static readonly TimeSpan ChromiumTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Chromium_RendersTheReport_WithSummaryChartsAndEveryControl_AndNoConsoleMessages()
    {
        var chromium = FindChromium();
        var report = SampleReports.Full();
        using var temp = new TemporaryDirectory();
        var page = temp.File("report.html");
        await File.WriteAllBytesAsync(page, HtmlReportWriter.Write(report));
        var url = new Uri(page).AbsoluteUri;

        var dom = await RunAsync(chromium, temp.File("profile-dom"), "--dump-dom", url);
        var screenshot = temp.File("report.png");
        var shot = await RunAsync(chromium, temp.File("profile-shot"), "--window-size=1280,2000", "--screenshot=" + screenshot, url);

        // The DOM the browser built (not the bytes written): the summary, a chart per series, a section per control.
        Assert.Contains("<section id=\"summary\">", dom.Output, StringComparison.Ordinal);
        Assert.Equal(report.Trends.Count, Regex.Count(dom.Output, "<svg class=\"chart\""));
        Assert.Equal(
            report.Controls.Select(c => $"{ReportJson.StatusName(c.Status)} {c.Id}"),
            ControlSection().Matches(dom.Output).Select(m => $"{m.Groups["status"].Value} {m.Groups["id"].Value}"));

        // The page has no script, so any console message (a blocked request, a CSP violation, an error) is a fault.
        Assert.Empty(ConsoleLines(dom.Error));
        Assert.Empty(ConsoleLines(shot.Error));

        Assert.True(File.Exists(screenshot), $"Chromium wrote no screenshot. Its output:\n{shot.Output}\n{shot.Error}");
        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 10_000, $"The screenshot is only {png.Length} bytes.");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var kept = RepositoryPaths.Combine("artifacts", "report-screenshots", "report.png");
        Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
        File.Copy(screenshot, kept, overwrite: true);
    }

    [Fact]
    public void ConsoleLines_MatchChromiumsConsoleLog_NotItsOwnDiagnostics()
    {
        // As Chromium 156 prints them with --enable-logging=stderr --v=0 (the level of console.log and console.error alike is INFO).
        const string stderr = """
            /usr/bin/chromium: 9: [: 25276510208: unexpected operator
            [1586:1615:1130/074643.339068:ERROR:dbus/bus.cc:405] Failed to connect to the bus: Failed to connect to socket /run/dbus/system_bus_socket: No such file or directory
            [1628:1628:1130/074643.405242:WARNING:media/gpu/vaapi/vaapi_wrapper.cc:1655] drmGetDevices2() has not found any devices
            [1586:1586:1130/074644.150798:INFO:CONSOLE:1] "boom", source: file:///tmp/bad.html (1)
            [1586:1586:1130/074644.151092:INFO:CONSOLE(12)] "Uncaught ReferenceError: nosuch is not defined", source: file:///tmp/bad.html (12)
            [1995:1995:1130/074656.449794:INFO:CONSOLE:0] "Loading the image 'https://example.com/x.png' violates the following Content Security Policy directive", source: file:///tmp/bad.html (0)
            12687 bytes written to file /tmp/bad.png
            """;

        var lines = ConsoleLines(stderr);

        Assert.Equal(3, lines.Count);
        Assert.Contains("boom", lines[0], StringComparison.Ordinal);
        Assert.Contains("Uncaught", lines[1], StringComparison.Ordinal);
        Assert.Contains("Content Security Policy", lines[2], StringComparison.Ordinal);
    }

    /// <summary>The console messages in Chromium's log: <c>[pid:tid:time:LEVEL:CONSOLE:line]</c> (older builds: <c>CONSOLE(line)</c>), or an uncaught error however printed.</summary>
    private static List<string> ConsoleLines(string stderr) =>
        [.. stderr.Split('\n').Where(line => ConsoleLine().IsMatch(line) || line.Contains("Uncaught", StringComparison.Ordinal))];

    private static string FindChromium()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "chromium"))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            Assert.Fail(
                "Chromium is not installed (no 'chromium' on PATH), and the HTML report must be checked in a browser. "
                + "Run ./scripts/test.sh, which installs it, or: apt-get update && apt-get install -y --no-install-recommends chromium");
        }

        return path;
    }

    /// <summary>Runs headless Chromium once with its own profile; kills it and everything it started if it outlives the timeout.</summary>
    private static async Task<(string Output, string Error)> RunAsync(string chromium, string profile, params string[] arguments)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=2000",
            "--no-first-run", "--user-data-dir=" + profile, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{chromium} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ChromiumTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"Chromium ({string.Join(' ', arguments)}) did not finish within {ChromiumTimeout.TotalSeconds} s and was killed.\n{await error}");
        }

        var (stdout, stderr) = (await output, await error);
        Assert.True(process.ExitCode == 0, $"Chromium ({string.Join(' ', arguments)}) exited with {process.ExitCode}:\n{stderr}");
        return (stdout, stderr);
    }

    [GeneratedRegex(@"^\[[^\]]*:CONSOLE[:(]\d+\)?\]")]
    private static partial Regex ConsoleLine();

    [GeneratedRegex("<section class=\"control (?<status>pass|fail|not-applicable)\" id=\"control-(?<id>[A-Z]+-[0-9]+)\" data-control=\"\\k<id>\">")]
    private static partial Regex ControlSection();
}
