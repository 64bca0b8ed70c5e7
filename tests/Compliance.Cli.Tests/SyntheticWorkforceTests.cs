using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Compliance.Cli.Demo;
using Compliance.Core.Policy;
using Json.Schema;

namespace Compliance.Cli.Tests;

public sealed partial class SyntheticWorkforceTests
{
    // Monday 2026-11-30 11:00 UTC, given with an offset: 14 days back is Monday 2026-11-16 11:00 UTC.
    private static readonly DateTimeOffset End = new(2026, 11, 30, 12, 0, 0, TimeSpan.FromHours(1));
    private static readonly DateTimeOffset Start = End.AddDays(-14);
    private static readonly string[] EnvelopeProperties = ["eventId", "employeeId", "category", "capturedAt", "source", "schemaVersion", "fields"];

    private static readonly char[] AwkwardCharacters = ['/', '#', '?', '%', ' '];
    private static readonly Lazy<CompliancePolicy> Policy = new(() => PolicyDocument.LoadDefault().Policy);
    private static readonly Lazy<SyntheticWorkforce> Workforce = new(() => new SyntheticWorkforce(50, 14, End));
    private static readonly Lazy<List<SyntheticEvent>> Sample = new(() => [.. Workforce.Value.Events()]);

    private static IEnumerable<SyntheticEvent> GoodEvents => Sample.Value.Where(e => e.Kind is "good" or "pii-transcript");

    [Fact]
    public void Events_SameArguments_IdenticalLines()
    {
        var first = new SyntheticWorkforce(20, 7, End);
        var second = new SyntheticWorkforce(20, 7, End);

        Assert.Equal(first.Employees, second.Employees);
        Assert.Equal(first.Events().ToList(), second.Events().ToList());
        Assert.Equal(first.Events().ToList(), first.Events().ToList());
    }

    [Fact]
    public void Events_DifferentSeed_DifferentEmployeesAndLines()
    {
        var first = new SyntheticWorkforce(20, 7, End, seed: 1);
        var second = new SyntheticWorkforce(20, 7, End, seed: 2);

        Assert.NotEqual(first.Employees.Select(e => e.EmployeeId), second.Employees.Select(e => e.EmployeeId));
        Assert.NotEqual(first.Events().Select(e => e.Line), second.Events().Select(e => e.Line));
    }

    [Fact]
    public void Events_FiftyEmployeesFourteenDays_EveryKindAppears()
    {
        var kinds = Sample.Value.Select(e => e.Kind).ToHashSet(StringComparer.Ordinal);

        Assert.Contains(SyntheticEventKind.Good, kinds);
        Assert.Contains(SyntheticEventKind.PiiTranscript, kinds);
        Assert.All(SyntheticEventKind.Flaws, flaw => Assert.Contains(flaw, kinds));
        Assert.Equal(SyntheticEventKind.Flaws.Count + 2, kinds.Count);
    }

    [Fact]
    public void Events_GoodEvents_CompleteEnvelopeAndFieldsValidAgainstPolicy()
    {
        var options = new EvaluationOptions { OutputFormat = OutputFormat.Flag };
        foreach (var good in GoodEvents)
        {
            var root = JsonNode.Parse(good.Line)!.AsObject();

            Assert.Equal(EnvelopeProperties, root.Select(p => p.Key));
            Assert.Equal(JsonValueKind.String, root["eventId"]!.GetValueKind());
            Assert.Equal(JsonValueKind.String, root["employeeId"]!.GetValueKind());
            Assert.Equal(JsonValueKind.String, root["capturedAt"]!.GetValueKind());
            Assert.Matches(SourcePattern(), root["source"]!.GetValue<string>());
            Assert.Equal(1, root["schemaVersion"]!.GetValue<int>());
            Assert.Matches(TimestampPattern(), root["capturedAt"]!.GetValue<string>());

            var category = Assert.Contains(root["category"]!.GetValue<string>(), Policy.Value.Categories);
            var fields = Assert.IsType<JsonObject>(root["fields"]);
            Assert.All(fields, field => Assert.Contains(field.Key, category.AllowedFields));
            Assert.True(category.CompiledFieldSchema.Evaluate(JsonDocument.Parse(fields.ToJsonString()).RootElement, options).IsValid, good.Line);
        }
    }

    [Fact]
    public void Events_GoodEvents_CapturedInsideMonitoringWindowAndNotAfterEnd()
    {
        var days = new HashSet<DateOnly>();
        foreach (var good in GoodEvents)
        {
            var capturedAt = CapturedAt(good.Line)!.Value.UtcDateTime;
            var day = DateOnly.FromDateTime(capturedAt);
            days.Add(day);

            Assert.InRange(capturedAt, Start.UtcDateTime, End.UtcDateTime);
            Assert.True(capturedAt.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday), good.Line);
            Assert.InRange(capturedAt.TimeOfDay, TimeSpan.FromHours(7), TimeSpan.FromHours(19) - TimeSpan.FromTicks(1));
        }

        // Eleven working days: 2026-11-16 from 11:00 UTC, 17-20, 23-27, and 30 up to 11:00 UTC.
        Assert.Equal(11, days.Count);
    }

    [Fact]
    public void Events_GoodEvents_UniqueEventIdsWithoutEmployeeId()
    {
        var ids = GoodEvents.Select(e => JsonNode.Parse(e.Line)!).Select(n => (Id: n["eventId"]!.GetValue<string>(), Employee: n["employeeId"]!.GetValue<string>())).ToList();

        Assert.Equal(ids.Count, ids.Select(i => i.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, i => Assert.Matches(EventIdPattern(), i.Id));
        Assert.All(ids, i => Assert.DoesNotContain(i.Employee, i.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void Employees_Ids_UniqueAndAwkward()
    {
        var ids = Workforce.Value.Employees.Select(e => e.EmployeeId).ToList();

        Assert.Equal(50, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ids.Count, ids.Select(i => i.Normalize(NormalizationForm.FormC)).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(AwkwardCharacters, c => Assert.Contains(ids, id => id.Contains(c, StringComparison.Ordinal)));
        Assert.Contains(ids, id => id.Any(c => c > 127 && char.IsLetter(c)));
        Assert.Contains(ids, id => id.Contains('@', StringComparison.Ordinal));
        Assert.InRange(ids.Count(id => EmployeeNumberPattern().IsMatch(id)), 40, 46);
    }

    [Fact]
    public void Employees_Notices_RoughlyAsSpecified()
    {
        var employees = new SyntheticWorkforce(1000, 1, End).Employees;

        double Share(Func<SyntheticEmployee, bool> predicate) => employees.Count(predicate) / (double)employees.Count;
        Assert.InRange(Share(e => e.Notice == NoticeState.Full), 0.83, 0.87);
        Assert.InRange(Share(e => e.Notice == NoticeState.Partial), 0.06, 0.10);
        Assert.InRange(Share(e => e.Notice == NoticeState.None), 0.05, 0.09);
        Assert.InRange(Share(e => e.Paused), 0.02, 0.04);
        Assert.All(employees.Where(e => e.Paused), e => Assert.Equal(NoticeState.Full, e.Notice));
    }

    [Fact]
    public void Events_MalformedLines_DoNotParse()
    {
        var malformed = Sample.Value.Where(e => e.Kind == SyntheticEventKind.MalformedJson).ToList();

        Assert.NotEmpty(malformed);
        Assert.All(malformed, e => Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(e.Line)));
    }

    [Fact]
    public void Events_FlawedLines_CarryTheirFlaw()
    {
        var options = new EvaluationOptions { OutputFormat = OutputFormat.Flag };
        var earlier = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in Sample.Value)
        {
            var root = e.Kind == SyntheticEventKind.MalformedJson ? null : JsonNode.Parse(e.Line)!.AsObject();
            var fields = root?["fields"]?.AsObject();
            var categoryName = root?["category"]?.GetValue<string>();
            var category = categoryName is null ? null : Policy.Value.Categories.GetValueOrDefault(categoryName);
            bool SchemaValid() => category!.CompiledFieldSchema.Evaluate(JsonDocument.Parse(fields!.ToJsonString()).RootElement, options).IsValid;

            switch (e.Kind)
            {
                case SyntheticEventKind.UnknownCategory:
                    Assert.Null(category);
                    break;
                case SyntheticEventKind.MissingField:
                    Assert.True(EnvelopeProperties.Any(p => !root!.ContainsKey(p)) || !SchemaValid(), e.Line);
                    break;
                case SyntheticEventKind.MistypedField:
                    Assert.False(SchemaValid(), e.Line);
                    break;
                case SyntheticEventKind.FutureTimestamp:
                    Assert.Equal(End.AddHours(2), CapturedAt(e.Line));
                    break;
                case SyntheticEventKind.OutsideWindow:
                    var utc = CapturedAt(e.Line)!.Value.UtcDateTime;
                    Assert.True(utc.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || utc.Hour == 22, e.Line);
                    Assert.InRange(utc, Start.UtcDateTime, End.UtcDateTime);
                    Assert.NotNull(category!.MonitoringWindow);
                    break;
                case SyntheticEventKind.OffAllowListFields:
                    Assert.Contains(fields!, f => !category!.AllowedFields.Contains(f.Key));
                    break;
                case SyntheticEventKind.TypedCharacters:
                    Assert.Equal("keystroke-dynamics", categoryName);
                    Assert.True(fields!.ContainsKey("keyChar") || fields.ContainsKey("typedText"), e.Line);
                    break;
                case SyntheticEventKind.PasswordField:
                    Assert.Equal("keystroke-dynamics", categoryName);
                    Assert.Equal("password", fields!["inputFieldType"]!.GetValue<string>());
                    break;
                case SyntheticEventKind.Oversize:
                    Assert.Equal(40_000, fields!["text"]!.GetValue<string>().Length);
                    Assert.True(Encoding.UTF8.GetByteCount(e.Line) > 32 * 1024);
                    break;
                case SyntheticEventKind.Duplicate:
                    Assert.Contains(e.Line, earlier);
                    break;
                default:
                    break;
            }

            if (SyntheticEventKind.IsGood(e.Kind))
            {
                earlier.Add(e.Line);
            }
        }
    }

    [Fact]
    public void Events_PiiTranscripts_ContainEveryKindOfPersonalData()
    {
        var texts = Sample.Value.Where(e => e.Kind == SyntheticEventKind.PiiTranscript)
            .Select(e => JsonNode.Parse(e.Line)!["fields"]!["text"]!.GetValue<string>()).ToList();
        var plain = Sample.Value.Where(e => e.Kind == SyntheticEventKind.Good && e.Line.Contains("\"category\":\"transcript\"", StringComparison.Ordinal))
            .Select(e => JsonNode.Parse(e.Line)!["fields"]!["text"]!.GetValue<string>()).ToList();

        Assert.InRange(texts.Count / (double)(texts.Count + plain.Count), 0.25, 0.35);
        Assert.All(texts, t => Assert.True(ContainsPii(t), t));
        Assert.All(plain, t => Assert.False(ContainsPii(t), t));
        Assert.Contains(texts, t => EmailPattern().IsMatch(t));
        Assert.Contains(texts, t => PhonePattern().IsMatch(t));
        Assert.Contains(texts, t => EmployeeNumberInTextPattern().IsMatch(t));
        Assert.Contains(texts, ContainsLuhnCard);
    }

    [Fact]
    public void Events_TwoHundredEmployeesThreeWeeks_SeventyToNinetyThousandWithAboutThreePercentFlawed()
    {
        var end = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
        var counts = new SyntheticWorkforce(200, 21, end).Events().CountBy(e => e.Kind).ToDictionary(StringComparer.Ordinal);
        var total = counts.Values.Sum();
        var flawed = total - counts[SyntheticEventKind.Good] - counts[SyntheticEventKind.PiiTranscript];

        Assert.InRange(total, 70_000, 90_000);
        Assert.InRange(flawed / (double)total, 0.02, 0.04);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticWorkforce(0, 1, End));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticWorkforce(1, 0, End));
    }

    private static DateTimeOffset? CapturedAt(string line) =>
        JsonNode.Parse(line)!["capturedAt"] is { } node ? DateTimeOffset.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture) : null;

    private static bool ContainsPii(string text) =>
        EmailPattern().IsMatch(text) || PhonePattern().IsMatch(text) || EmployeeNumberInTextPattern().IsMatch(text) || ContainsLuhnCard(text);

    private static bool ContainsLuhnCard(string text) =>
        CardPattern().Matches(text).Any(m => IsLuhnValid(m.Value.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal)));

    private static bool IsLuhnValid(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                digit = digit * 2 > 9 ? (digit * 2) - 9 : digit * 2;
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex TimestampPattern();

    [GeneratedRegex(@"^\d+-\d{8}-\d+$")]
    private static partial Regex EventIdPattern();

    [GeneratedRegex(@"^[a-z-]+/\d+\.\d+$")]
    private static partial Regex SourcePattern();

    [GeneratedRegex(@"^E\d{5}$")]
    private static partial Regex EmployeeNumberPattern();

    [GeneratedRegex(@"\bE\d{5}\b")]
    private static partial Regex EmployeeNumberInTextPattern();

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(\+\d[\d -]{8,}\d|\(\d{3}\) \d{3}-\d{4})")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"\b\d{4}([ -]?\d{4}){3}\b")]
    private static partial Regex CardPattern();
}
