using System.Globalization;

namespace Compliance.Core.Reports;

/// <summary>Where scheduled reports are kept: write-once blobs in container <c>reports</c> (immutable in Azure).</summary>
public interface IReportArchive
{
    Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Stores the report once; the same bytes again is a no-op, different bytes under the same name an error.</summary>
    Task SaveAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default);
}

/// <summary>What one scheduled run wrote, and what it left for a later run.</summary>
public sealed record ScheduledReportResult(IReadOnlyList<string> Written, IReadOnlyList<string> AlreadyThere, IReadOnlyList<string> NotSealedYet);

/// <summary>
/// Weekly and monthly reports, written by a timer (DESIGN section 6): each run looks at the last complete ISO week
/// (Monday to Monday, UTC) and the last complete calendar month, and writes every format of each that is not in
/// the archive yet, under <c>weekly/2026-W48.json</c>, <c>monthly/2026-11.html</c> and so on. A period is written
/// only once a seal made after its end covers it, so an archived report never changes; until then the run leaves it
/// for the next one. Missed runs catch up: the next run writes what is missing.
/// </summary>
public sealed class ScheduledReportService(ReportService reports, IReportArchive archive, TimeProvider clock)
{
    public static readonly IReadOnlyDictionary<string, (string Extension, string ContentType)> Files = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["json"] = (".json", "application/json"),
        ["html"] = (".html", "text/html; charset=utf-8"),
        ["csv"] = (".csv", "text/csv; charset=utf-8"),
        ["oscal"] = (".oscal.json", "application/json"),
    };

    public async Task<ScheduledReportResult> RunAsync(string actor, CancellationToken cancellationToken = default)
    {
        List<string> written = [], there = [], waiting = [];
        foreach (var (name, period) in DuePeriods(clock.GetUtcNow()))
        {
            var names = Files.ToDictionary(f => f.Key, f => name + f.Value.Extension, StringComparer.Ordinal);
            var missing = new List<string>();
            foreach (var (format, file) in names)
            {
                if (await archive.ExistsAsync(file, cancellationToken).ConfigureAwait(false))
                {
                    there.Add(file);
                }
                else
                {
                    missing.Add(format);
                }
            }

            if (missing.Count == 0)
            {
                continue;
            }

            var report = await reports.GenerateAsync(period, cancellationToken).ConfigureAwait(false);
            if (report.Basis.SealedAt < period.To)
            {
                waiting.Add(name);
                continue;
            }

            foreach (var format in missing)
            {
                var rendered = await reports.RenderAsync(report, format, actor, cancellationToken).ConfigureAwait(false);
                await archive.SaveAsync(names[format], rendered.Content, Files[format].ContentType, cancellationToken).ConfigureAwait(false);
                written.Add(names[format]);
            }
        }

        return new ScheduledReportResult(written, there, waiting);
    }

    /// <summary>The last complete ISO week and calendar month before <paramref name="now"/>, with their archive names.</summary>
    public static IReadOnlyList<(string Name, ReportPeriod Period)> DuePeriods(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var weekStart = monday.AddDays(-7);
        var monthStart = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        return
        [
            (
                string.Create(CultureInfo.InvariantCulture, $"weekly/{ISOWeek.GetYear(weekStart.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(weekStart.ToDateTime(TimeOnly.MinValue)):00}"),
                new ReportPeriod(Midnight(weekStart), Midnight(monday))
            ),
            (
                string.Create(CultureInfo.InvariantCulture, $"monthly/{monthStart:yyyy-MM}"),
                new ReportPeriod(Midnight(monthStart), Midnight(monthStart.AddMonths(1)))
            ),
        ];
    }

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
