using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Compliance.Cli.Demo;

/// <summary>Which transparency notice an employee has acknowledged (default policy notices 2026-09 and 2026-11).</summary>
internal enum NoticeState
{
    /// <summary>No notice acknowledged: nothing may be collected.</summary>
    None,

    /// <summary>Acknowledged 2026-09: behavioural telemetry and performance metrics, no transcripts.</summary>
    Partial,

    /// <summary>Acknowledged 2026-11: every category, transcripts included.</summary>
    Full,
}

/// <summary>One synthetic employee: the id as the collection agents send it, the notice acknowledged, and whether monitoring is paused.</summary>
internal sealed record SyntheticEmployee(string EmployeeId, NoticeState Notice, bool Paused);

/// <summary>
/// One line of the synthetic telemetry stream and what it is: <c>good</c>, <c>pii-transcript</c> (a good transcript whose
/// text holds personal data that redaction must catch) or the flaw that was injected (see <see cref="SyntheticEventKind"/>).
/// The kind describes the shape of the line only: whether the employee's notice or a pause allows the collection is for
/// the product to decide from <see cref="SyntheticWorkforce.Employees"/>.
/// </summary>
internal sealed record SyntheticEvent(string Line, string Kind);

/// <summary>The kinds a <see cref="SyntheticEvent"/> can have.</summary>
internal static class SyntheticEventKind
{
    public const string Good = "good";
    public const string PiiTranscript = "pii-transcript";
    public const string MalformedJson = "malformed-json";
    public const string UnknownCategory = "unknown-category";
    public const string MissingField = "missing-field";
    public const string MistypedField = "mistyped-field";
    public const string FutureTimestamp = "future-timestamp";
    public const string OffAllowListFields = "off-allow-list-fields";
    public const string TypedCharacters = "typed-characters";
    public const string PasswordField = "password-field";
    public const string OutsideWindow = "outside-window";
    public const string Oversize = "oversize";
    public const string Duplicate = "duplicate";

    /// <summary>The kinds that are injected flaws (everything but <see cref="Good"/> and <see cref="PiiTranscript"/>).</summary>
    public static readonly IReadOnlyList<string> Flaws =
    [
        MalformedJson, UnknownCategory, MissingField, MistypedField, FutureTimestamp, OffAllowListFields,
        TypedCharacters, PasswordField, OutsideWindow, Oversize, Duplicate,
    ];

    /// <summary>True for the kinds whose line is a well-formed event that satisfies the category's field schema.</summary>
    public static bool IsGood(string kind) => kind is Good or PiiTranscript;
}

/// <summary>
/// A deterministic synthetic workforce and its behavioural telemetry, for the demo: the same (employees, days, end, seed)
/// always gives the same employees and the same lines. Events cover the <c>days</c> days (of 24 hours) ending at <c>end</c>:
/// with <c>end</c> at midnight UTC that is exactly the <c>days</c> calendar days before it. Nothing is captured after
/// <c>end</c> except the <c>future-timestamp</c> flaw. About 3% of events carry an injected flaw.
/// </summary>
/// <remarks>
/// The generator uses its own seeded SplitMix64 rather than <c>System.Random</c>: that type is banned in production
/// code (eng/BannedSymbols.txt), and a fixed algorithm also keeps the output identical across .NET versions.
/// </remarks>
internal sealed class SyntheticWorkforce
{
    public const int DefaultSeed = 20261130;

    /// <summary>Share of events that carry an injected flaw.</summary>
    public const double FlawRate = 0.03;

    /// <summary>Share of good transcripts whose text contains personal data.</summary>
    public const double PiiTranscriptRate = 0.30;

    /// <summary>Length of the transcript text in an <c>oversize</c> event: beyond the schema's 16000 and beyond 32 KiB.</summary>
    public const int OversizeTextLength = 40_000;

    private const int MaxEmployees = 50_000;
    private const int MaxDays = 3_660;
    private const int WindowStartMinute = 7 * 60;
    private const int WindowMinutes = 12 * 60;
    private const int DuplicateMemory = 32;
    private const ulong EventStreamSalt = 0x9E6C_63D0_676A_9A99;

    private const string KeystrokeDynamics = "keystroke-dynamics";
    private const string PointerMovement = "pointer-movement";
    private const string AppFocus = "app-focus";
    private const string Transcript = "transcript";
    private const string PerformanceMetric = "performance-metric";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Agents write raw UTF-8: non-ASCII employee ids and transcript text stay readable in the file.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private static readonly string[] AwkwardIds =
    [
        "contractors/ext#17",
        "Zoë Ångström",
        "team?a%20b",
        "ana.lópez@corp.example",
        "EMP-004217",
        "José Núñez",
        "ops/on-call#3",
        "björn.åkesson@corp.example",
        "Łukasz Wróbel",
        "50% FTE/intern?",
        "priya.sharma@corp.example",
        "Müller, Jürgen",
        "vendor:acme/field#9",
        "Ólafur Þórsson",
        "o'neil@corp.example",
        "王 芳",
        "EMP-1000731",
        "sales emea/temp 4",
    ];

    private static readonly (string Source, int Weight)[] Agents = [("agent-win/4.2", 60), ("agent-mac/4.1", 30), ("agent-linux/4.2", 10)];
    private static readonly (TimeSpan Offset, int Weight)[] Offsets =
    [
        (TimeSpan.Zero, 75), (TimeSpan.FromHours(1), 15), (TimeSpan.FromHours(-5), 5), (new TimeSpan(5, 30, 0), 5),
    ];

    private static readonly string[] InputFieldTypes = ["text", "text", "text", "search", "email", "number", "url", "code", "other"];
    private static readonly string[] ApplicationCategories = ["email", "chat", "meeting", "browser", "office", "development", "design", "terminal", "other"];
    private static readonly string[] SpeakerRoles = ["host", "presenter", "participant", "participant", "participant", "unknown"];
    private static readonly string[] Channels = ["meeting", "meeting", "chat", "chat", "call"];
    private static readonly string[] Languages = ["en", "en-GB", "en-US"];

    private static readonly (string Name, string Unit, double Min, double Max, int Decimals)[] Metrics =
    [
        ("tickets-resolved", "tickets", 4, 42, 0),
        ("review-turnaround", "hours", 1.5, 48, 1),
        ("deployments", "deployments", 0, 12, 0),
        ("on-call-pages", "pages", 0, 9, 0),
        ("customer-satisfaction", "%", 70, 99, 1),
    ];

    private static readonly string[] Sentences =
    [
        "Let's start with a quick round of updates.",
        "The build is green again after this morning's fix.",
        "Can we move the design review to Thursday afternoon?",
        "I'll take the action item on the onboarding checklist.",
        "The customer asked for a revised timeline by the end of the week.",
        "We still need sign-off from legal before we ship.",
        "Thanks everyone, that's a wrap for today.",
        "I think the latency regression comes from the new cache layer.",
        "Could you share your screen so we can walk through the dashboard?",
        "Let's park that and pick it up in the retro.",
        "The migration finished overnight with no errors.",
        "I'm blocked on access to the staging environment.",
        "Sounds good, I'll update the ticket.",
        "We agreed to cut scope rather than slip the date.",
        "The numbers for October look better than forecast.",
        "Please add your estimates to the planning board before Monday.",
        "Who is covering support while Sam is on leave?",
        "The new hire starts on the first, so let's prepare a buddy.",
        "I'll send a summary of the decisions after the call.",
        "Quick reminder that the office is closed on Friday.",
    ];

    private static readonly string[] FirstNames = ["maria", "james", "aisha", "tom", "li", "sofia", "omar", "hannah", "raj", "elena"];
    private static readonly string[] LastNames = ["garcia", "smith", "khan", "oconnor", "chen", "rossi", "haddad", "meyer", "patel", "novak"];
    private static readonly string[] EmailDomains = ["corp.example", "example.com", "mail.example.org"];

    private static readonly string[] WindowTitles =
    [
        "Salary review 2027 - Confidential.xlsx - Excel",
        "Re: my sick leave - Outlook",
        "Senior engineer job offer - Contoso Careers - Chrome",
        "Divorce paperwork (draft).docx - Word",
    ];

    private static readonly string[] DeviceSerials = ["C02XK1ZJH7JY", "PF3B7KQ9", "5CD1234XYZ", "FVFG71QJQ05D"];
    private static readonly string[] TypedTexts = ["hunter2", "meet me at 5 by the car park", "my new PIN is 4921", "sorry, running late"];
    private static readonly string[] UnknownCategories = ["screen-recording", "clipboard", "webcam-presence", "browser-history"];

    private static readonly string OversizeText = BuildOversizeText();

    private readonly DateTimeOffset _start;
    private readonly DateTimeOffset _end;
    private readonly ulong _seed;
    private readonly EmployeeProfile[] _profiles;
    private readonly string[] _employeeNumbers;

    public SyntheticWorkforce(int employees, int days, DateTimeOffset end, int seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(employees, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(employees, MaxEmployees);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);

        _start = end.AddDays(-days);
        _end = end;
        _seed = unchecked((ulong)seed);

        var random = new SplitMix64(_seed);
        var ids = CreateIds(employees, random);
        var notices = CreateNotices(employees, random);
        var paused = CreatePauses(notices, random);

        var list = new SyntheticEmployee[employees];
        _profiles = new EmployeeProfile[employees];
        for (var i = 0; i < employees; i++)
        {
            list[i] = new SyntheticEmployee(ids[i], notices[i], paused[i]);
            _profiles[i] = new EmployeeProfile(
                ids[i],
                Pick(Agents, random),
                Pick(Offsets, random),
                random.Next(5));
        }

        Employees = list;
        _employeeNumbers = [.. ids.Where(id => id.Length == 6 && id[0] == 'E')];
    }

    public IReadOnlyList<SyntheticEmployee> Employees { get; }

    /// <summary>
    /// The event lines in capture order per employee and day, generated as they are enumerated. Every enumeration starts
    /// from the seed again, so it yields the same sequence.
    /// </summary>
    public IEnumerable<SyntheticEvent> Events()
    {
        var random = new SplitMix64(_seed ^ EventStreamSalt);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        var recent = new string[DuplicateMemory];
        var recentCount = 0;
        var slots = new List<Slot>(32);

        var lastDay = DateOnly.FromDateTime(_end.UtcDateTime);
        for (var day = DateOnly.FromDateTime(_start.UtcDateTime); day <= lastDay; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            var dayStart = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var dayStamp = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            var weekday = (int)day.DayOfWeek - 1;

            for (var e = 0; e < _profiles.Length; e++)
            {
                var profile = _profiles[e];
                PlanDay(slots, random, profile.MetricWeekday == weekday);

                for (var n = 0; n < slots.Count; n++)
                {
                    var slot = slots[n];
                    var capturedAt = dayStart.AddSeconds(((WindowStartMinute + slot.Minute) * 60) + slot.Second);
                    if (capturedAt < _start)
                    {
                        continue;
                    }

                    if (capturedAt > _end)
                    {
                        break;
                    }

                    var context = new EventContext(
                        string.Create(CultureInfo.InvariantCulture, $"{e}-{dayStamp}-{n}"),
                        profile,
                        slot.Category,
                        capturedAt,
                        day);

                    var flaw = random.NextDouble() < FlawRate ? (Flaw)(1 + random.Next((int)Flaw.Duplicate)) : Flaw.None;
                    if (flaw == Flaw.Duplicate)
                    {
                        // The slot's own good event, then an exact repeat of an earlier good line.
                        var (goodLine, goodKind) = Write(writer, buffer, random, context, Flaw.None);
                        yield return new SyntheticEvent(goodLine, goodKind);
                        var repeat = recent[random.Next(Math.Min(recentCount, DuplicateMemory))] ?? goodLine;
                        Remember(recent, ref recentCount, goodLine);
                        yield return new SyntheticEvent(repeat, SyntheticEventKind.Duplicate);
                        continue;
                    }

                    var (line, kind) = Write(writer, buffer, random, context, flaw);
                    if (SyntheticEventKind.IsGood(kind))
                    {
                        Remember(recent, ref recentCount, line);
                    }

                    yield return new SyntheticEvent(line, kind);
                }
            }
        }
    }

    private static void Remember(string[] recent, ref int count, string line)
    {
        recent[count % recent.Length] = line;
        count++;
    }

    private static bool IsWorkingDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    private static void PlanDay(List<Slot> slots, SplitMix64 random, bool metricDay)
    {
        slots.Clear();
        AddSlots(slots, random, KeystrokeDynamics, 8 + random.Next(2));
        AddSlots(slots, random, PointerMovement, 8 + random.Next(2));
        AddSlots(slots, random, AppFocus, 5 + random.Next(3));
        AddSlots(slots, random, Transcript, random.Next(3));
        if (metricDay)
        {
            AddSlots(slots, random, PerformanceMetric, 1);
        }

        slots.Sort(static (a, b) => ((a.Minute * 60) + a.Second).CompareTo((b.Minute * 60) + b.Second));
    }

    private static void AddSlots(List<Slot> slots, SplitMix64 random, string category, int count)
    {
        for (var i = 0; i < count; i++)
        {
            // 07:01:00 to 18:58:59 UTC: inside the 07:00-19:00 working-hours window.
            slots.Add(new Slot(1 + random.Next(WindowMinutes - 2), random.Next(60), category));
        }
    }

    private (string Line, string Kind) Write(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, SplitMix64 random, EventContext context, Flaw flaw)
    {
        var category = flaw switch
        {
            Flaw.TypedCharacters or Flaw.PasswordField => KeystrokeDynamics,
            Flaw.Oversize => Transcript,
            Flaw.UnknownCategory => UnknownCategories[random.Next(UnknownCategories.Length)],
            Flaw.OutsideWindow when context.Category == PerformanceMetric => AppFocus, // performance metrics have no window
            _ => context.Category,
        };
        var capturedAt = flaw switch
        {
            Flaw.FutureTimestamp => _end.AddHours(2),
            Flaw.OutsideWindow => OutsideWindow(random, context.Day),
            _ => context.CapturedAt,
        };
        var source = category switch
        {
            Transcript => "transcriber/2.3",
            PerformanceMetric => "hr-metrics/1.4",
            _ => context.Profile.Agent,
        };
        string? dropEnvelope = null;
        if (flaw == Flaw.MissingField && random.Next(4) == 0)
        {
            dropEnvelope = random.Next(4) switch
            {
                0 => "eventId",
                1 => "employeeId",
                2 => "schemaVersion",
                _ => "capturedAt",
            };
        }

        var fieldFlaw = dropEnvelope is null ? flaw : Flaw.None;
        var pii = false;

        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        if (dropEnvelope != "eventId")
        {
            writer.WriteString("eventId", context.EventId);
        }

        if (dropEnvelope != "employeeId")
        {
            writer.WriteString("employeeId", context.Profile.EmployeeId);
        }

        writer.WriteString("category", category);
        if (dropEnvelope != "capturedAt")
        {
            writer.WriteString("capturedAt", FormatTimestamp(capturedAt, context.Profile));
        }

        writer.WriteString("source", source);
        if (dropEnvelope != "schemaVersion")
        {
            writer.WriteNumber("schemaVersion", 1);
        }

        writer.WriteStartObject("fields");
        switch (category)
        {
            case KeystrokeDynamics:
                WriteKeystroke(writer, random, fieldFlaw);
                break;
            case PointerMovement:
                WritePointer(writer, random, fieldFlaw);
                break;
            case AppFocus:
                WriteAppFocus(writer, random, fieldFlaw);
                break;
            case Transcript:
                pii = WriteTranscript(writer, random, fieldFlaw);
                break;
            case PerformanceMetric:
                WritePerformance(writer, random, fieldFlaw, context.Day);
                break;
            default:
                WriteUnknown(writer, random, category);
                break;
        }

        if (fieldFlaw == Flaw.OffAllowListFields)
        {
            WriteOffAllowList(writer, random);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();

        var line = Encoding.UTF8.GetString(buffer.WrittenSpan);
        return flaw switch
        {
            Flaw.None => (line, pii ? SyntheticEventKind.PiiTranscript : SyntheticEventKind.Good),
            Flaw.MalformedJson => (Truncate(line, random), SyntheticEventKind.MalformedJson),
            Flaw.UnknownCategory => (line, SyntheticEventKind.UnknownCategory),
            Flaw.MissingField => (line, SyntheticEventKind.MissingField),
            Flaw.MistypedField => (line, SyntheticEventKind.MistypedField),
            Flaw.FutureTimestamp => (line, SyntheticEventKind.FutureTimestamp),
            Flaw.OffAllowListFields => (line, SyntheticEventKind.OffAllowListFields),
            Flaw.TypedCharacters => (line, SyntheticEventKind.TypedCharacters),
            Flaw.PasswordField => (line, SyntheticEventKind.PasswordField),
            Flaw.OutsideWindow => (line, SyntheticEventKind.OutsideWindow),
            Flaw.Oversize => (line, SyntheticEventKind.Oversize),
            _ => throw new InvalidOperationException($"Unexpected flaw {flaw}."),
        };
    }

    /// <summary>
    /// Daytime on the weekend just before <paramref name="day"/>, or 22:00 on the day or the evening before, whichever of
    /// these lies inside the generated period (the evening before when nothing does).
    /// </summary>
    private DateTimeOffset OutsideWindow(SplitMix64 random, DateOnly day)
    {
        var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var minutes = random.Next(60);
        var back = (int)day.DayOfWeek + random.Next(2); // Sunday or Saturday
        var weekend = midnight.AddDays(-back).AddHours(10 + random.Next(6)).AddMinutes(minutes);
        var evening = midnight.AddHours(22).AddMinutes(minutes);
        var eveningBefore = evening.AddDays(-1);
        ReadOnlySpan<DateTimeOffset> candidates = random.Next(2) == 0 ? [weekend, evening, eveningBefore] : [evening, eveningBefore, weekend];
        foreach (var candidate in candidates)
        {
            if (candidate >= _start && candidate <= _end)
            {
                return candidate;
            }
        }

        return eveningBefore;
    }

    private static string FormatTimestamp(DateTimeOffset instant, EmployeeProfile profile)
    {
        var local = instant.ToOffset(profile.Offset);
        var milliseconds = profile.Agent.StartsWith("agent-mac", StringComparison.Ordinal);
        if (profile.Offset == TimeSpan.Zero)
        {
            return local.ToString(milliseconds ? "yyyy-MM-dd'T'HH:mm:ss.fff'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        return local.ToString(milliseconds ? "yyyy-MM-dd'T'HH:mm:ss.fffzzz" : "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    private static void WriteKeystroke(Utf8JsonWriter writer, SplitMix64 random, Flaw flaw)
    {
        var variant = random.Next(2);
        if (!(flaw == Flaw.MissingField && variant == 0))
        {
            writer.WriteNumber("windowSeconds", 60);
        }

        if (flaw == Flaw.MistypedField)
        {
            writer.WriteString("keyCount", variant == 0 ? "many" : "~200");
        }
        else if (!(flaw == Flaw.MissingField && variant == 1))
        {
            writer.WriteNumber("keyCount", 40 + random.Next(281));
        }

        writer.WriteNumber("dwellMsMean", Round(random.Range(80, 130), 1));
        writer.WriteNumber("dwellMsStdDev", Round(random.Range(12, 45), 1));
        writer.WriteNumber("flightMsMean", Round(random.Range(110, 420), 1));
        writer.WriteNumber("flightMsStdDev", Round(random.Range(35, 170), 1));
        writer.WriteNumber("backspaceRate", Round(random.Range(0.01, 0.15), 3));
        writer.WriteNumber("pauseCount", random.Next(13));
        if (flaw == Flaw.PasswordField)
        {
            writer.WriteString("inputFieldType", "password");
        }
        else if (random.Next(10) < 7)
        {
            writer.WriteString("inputFieldType", InputFieldTypes[random.Next(InputFieldTypes.Length)]);
        }

        if (flaw == Flaw.TypedCharacters)
        {
            if (random.Next(2) == 0)
            {
                writer.WriteString("keyChar", ((char)('a' + random.Next(26))).ToString());
            }
            else
            {
                writer.WriteString("typedText", TypedTexts[random.Next(TypedTexts.Length)]);
            }
        }
    }

    private static void WritePointer(Utf8JsonWriter writer, SplitMix64 random, Flaw flaw)
    {
        var variant = random.Next(2);
        if (flaw == Flaw.MistypedField && variant == 0)
        {
            writer.WriteString("windowSeconds", "60s");
        }
        else if (flaw != Flaw.MissingField)
        {
            writer.WriteNumber("windowSeconds", 60);
        }

        var velocity = random.Range(180, 1400);
        writer.WriteNumber("velocityMean", Round(velocity, 1));
        writer.WriteNumber("velocityStdDev", Round(velocity * random.Range(0.2, 0.7), 1));
        writer.WriteNumber("accelerationMean", Round(random.Range(-450, 450), 1));
        if (flaw == Flaw.MistypedField && variant == 1)
        {
            writer.WriteString("clickCount", "a few");
        }
        else
        {
            writer.WriteNumber("clickCount", random.Next(41));
        }

        writer.WriteNumber("scrollCount", random.Next(61));
        writer.WriteNumber("idleSeconds", Round(random.Range(0, 45), 1));
        writer.WriteNumber("gridCellsVisited", 1 + random.Next(64));
    }

    private static void WriteAppFocus(Utf8JsonWriter writer, SplitMix64 random, Flaw flaw)
    {
        var variant = random.Next(3);
        const int windowSeconds = 300;
        if (!(flaw == Flaw.MissingField && variant == 0))
        {
            writer.WriteNumber("windowSeconds", windowSeconds);
        }

        if (flaw == Flaw.MistypedField && variant != 2)
        {
            writer.WriteNumber("applicationCategory", 3);
        }
        else if (!(flaw == Flaw.MissingField && variant == 1))
        {
            writer.WriteString("applicationCategory", ApplicationCategories[random.Next(ApplicationCategories.Length)]);
        }

        if (flaw == Flaw.MistypedField && variant == 2)
        {
            writer.WriteString("focusSeconds", "most of it");
        }
        else if (!(flaw == Flaw.MissingField && variant == 2))
        {
            writer.WriteNumber("focusSeconds", Round(random.Range(20, windowSeconds), 1));
        }

        writer.WriteNumber("switchCount", random.Next(21));
    }

    /// <returns>True when the text contains personal data.</returns>
    private bool WriteTranscript(Utf8JsonWriter writer, SplitMix64 random, Flaw flaw)
    {
        var pii = flaw == Flaw.None && random.NextDouble() < PiiTranscriptRate;
        if (flaw == Flaw.MistypedField)
        {
            writer.WriteNumber("text", 42);
        }
        else if (flaw == Flaw.Oversize)
        {
            writer.WriteString("text", OversizeText);
        }
        else if (flaw != Flaw.MissingField)
        {
            writer.WriteString("text", TranscriptText(random, pii));
        }

        writer.WriteNumber("durationSeconds", Round(random.Range(4, 900), 1));
        writer.WriteString("speakerRole", SpeakerRoles[random.Next(SpeakerRoles.Length)]);
        writer.WriteString("channel", Channels[random.Next(Channels.Length)]);
        writer.WriteString("language", Languages[random.Next(Languages.Length)]);
        return pii;
    }

    private static void WritePerformance(Utf8JsonWriter writer, SplitMix64 random, Flaw flaw, DateOnly day)
    {
        var variant = random.Next(4);
        var (name, unit, min, max, decimals) = Metrics[random.Next(Metrics.Length)];
        var periodStart = day.AddDays(-((int)day.DayOfWeek - 1) - 7);
        var periodEnd = periodStart.AddDays(6);
        var missing = flaw == Flaw.MissingField ? variant : -1;
        if (missing != 0)
        {
            writer.WriteString("metricName", name);
        }

        if (flaw == Flaw.MistypedField)
        {
            writer.WriteString("value", "n/a");
        }
        else if (missing != 1)
        {
            writer.WriteNumber("value", Round(random.Range(min, max), decimals));
        }

        writer.WriteString("unit", unit);
        if (missing != 2)
        {
            writer.WriteString("periodStart", periodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (missing != 3)
        {
            writer.WriteString("periodEnd", periodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
    }

    private static void WriteUnknown(Utf8JsonWriter writer, SplitMix64 random, string category)
    {
        writer.WriteNumber("windowSeconds", 60);
        switch (category)
        {
            case "screen-recording":
                writer.WriteNumber("frameCount", 60 * (10 + random.Next(21)));
                writer.WriteString("resolution", "1920x1080");
                break;
            case "clipboard":
                writer.WriteNumber("copyCount", random.Next(12));
                writer.WriteNumber("textLength", random.Next(4000));
                break;
            case "webcam-presence":
                writer.WriteBoolean("facePresent", random.Next(5) != 0);
                break;
            default:
                writer.WriteString("url", "https://www.example.com/search?q=jobs");
                break;
        }
    }

    private static void WriteOffAllowList(Utf8JsonWriter writer, SplitMix64 random)
    {
        var first = random.Next(3);
        var count = 1 + random.Next(2);
        for (var i = 0; i < count; i++)
        {
            switch ((first + i) % 3)
            {
                case 0:
                    writer.WriteString("windowTitle", WindowTitles[random.Next(WindowTitles.Length)]);
                    break;
                case 1:
                    writer.WriteString("deviceSerial", DeviceSerials[random.Next(DeviceSerials.Length)]);
                    break;
                default:
                    writer.WriteString("typedText", TypedTexts[random.Next(TypedTexts.Length)]);
                    break;
            }
        }
    }

    private string TranscriptText(SplitMix64 random, bool pii)
    {
        var text = new StringBuilder(256);
        var plain = 1 + random.Next(pii ? 2 : 3);
        var piiAt = pii ? random.Next(plain + 1) : -1;
        for (var i = 0; i <= plain; i++)
        {
            if (i == piiAt)
            {
                Append(text, PiiSentence(random, random.Next(4)));
                if (random.Next(3) == 0)
                {
                    Append(text, PiiSentence(random, random.Next(4)));
                }
            }

            if (i < plain)
            {
                Append(text, Sentences[random.Next(Sentences.Length)]);
            }
        }

        return text.ToString();

        static void Append(StringBuilder text, string sentence)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(sentence);
        }
    }

    private string PiiSentence(SplitMix64 random, int type) => type switch
    {
        0 => random.Next(2) == 0
            ? $"Can you send the deck to {Email(random)} before Friday?"
            : $"Reply to {Email(random)} and copy me in.",
        1 => random.Next(2) == 0
            ? $"Call me on {Phone(random)} after the stand-up."
            : $"My mobile is {Phone(random)} if the bridge drops.",
        2 => $"Put the offsite on card {CardNumber(random)}, expiry 09/28.",
        _ => $"Please loop in {EmployeeNumber(random)}, they own the rollout.",
    };

    private static string Email(SplitMix64 random) =>
        $"{FirstNames[random.Next(FirstNames.Length)]}.{LastNames[random.Next(LastNames.Length)]}@{EmailDomains[random.Next(EmailDomains.Length)]}";

    private static string Phone(SplitMix64 random)
    {
        var digits = random.Next(10_000);
        return random.Next(4) switch
        {
            0 => string.Create(CultureInfo.InvariantCulture, $"+44 20 7946 0{digits % 1000:D3}"),
            1 => string.Create(CultureInfo.InvariantCulture, $"(555) 010-{digits:D4}"),
            2 => string.Create(CultureInfo.InvariantCulture, $"+1-202-555-01{digits % 100:D2}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"+49 30 901820{digits % 100:D2}"),
        };
    }

    /// <summary>A 16-digit, Luhn-valid number starting with 4, grouped in fours with spaces, dashes or nothing.</summary>
    private static string CardNumber(SplitMix64 random)
    {
        Span<char> digits = stackalloc char[16];
        digits[0] = '4';
        for (var i = 1; i < 15; i++)
        {
            digits[i] = (char)('0' + random.Next(10));
        }

        var sum = 0;
        for (var i = 14; i >= 0; i--)
        {
            var digit = digits[i] - '0';
            if ((14 - i) % 2 == 0)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        digits[15] = (char)('0' + ((10 - (sum % 10)) % 10));
        var separator = random.Next(3) switch
        {
            0 => " ",
            1 => "-",
            _ => "",
        };
        return string.Join(separator, new string(digits[..4]), new string(digits[4..8]), new string(digits[8..12]), new string(digits[12..]));
    }

    private string EmployeeNumber(SplitMix64 random) =>
        _employeeNumbers.Length > 0
            ? _employeeNumbers[random.Next(_employeeNumbers.Length)]
            : string.Create(CultureInfo.InvariantCulture, $"E{10_000 + random.Next(90_000)}");

    private static string Truncate(string line, SplitMix64 random)
    {
        // A proper prefix of a JSON object never parses: the closing brace is missing at least.
        var cut = (line.Length / 4) + random.Next(line.Length / 2);
        if (char.IsHighSurrogate(line[cut - 1]))
        {
            cut--;
        }

        return line[..cut];
    }

    private static string[] CreateIds(int count, SplitMix64 random)
    {
        // Mostly E + 5 digits; about one in eight (and never fewer than the first four templates, which between them
        // hold '/', '#', '?', '%', a space and non-ASCII letters) is an email, a path-like or a personal name.
        var awkward = Math.Min(count, Math.Max(4, count / 8));
        var ids = new string[count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var k = 0; k < awkward; k++)
        {
            var template = AwkwardIds[k % AwkwardIds.Length];
            var cycle = k / AwkwardIds.Length;
            var id = cycle == 0 ? template : Suffix(template, cycle + 1);
            ids[k] = seen.Add(id) ? id : throw new InvalidOperationException($"Duplicate synthetic employee id '{id}'.");
        }

        for (var k = awkward; k < count; k++)
        {
            string id;
            do
            {
                id = string.Create(CultureInfo.InvariantCulture, $"E{10_000 + random.Next(90_000)}");
            }
            while (!seen.Add(id));
            ids[k] = id;
        }

        Shuffle(ids, random);
        return ids;

        static string Suffix(string template, int n)
        {
            var at = template.IndexOf('@', StringComparison.Ordinal);
            return at < 0
                ? string.Create(CultureInfo.InvariantCulture, $"{template}~{n}")
                : string.Create(CultureInfo.InvariantCulture, $"{template[..at]}+{n}{template[at..]}");
        }
    }

    private static NoticeState[] CreateNotices(int count, SplitMix64 random)
    {
        var none = (int)Math.Round(count * 0.07, MidpointRounding.AwayFromZero);
        var partial = (int)Math.Round(count * 0.08, MidpointRounding.AwayFromZero);
        var notices = new NoticeState[count];
        for (var i = 0; i < count; i++)
        {
            notices[i] = i < none ? NoticeState.None : i < none + partial ? NoticeState.Partial : NoticeState.Full;
        }

        Shuffle(notices, random);
        return notices;
    }

    private static bool[] CreatePauses(NoticeState[] notices, SplitMix64 random)
    {
        var full = Enumerable.Range(0, notices.Length).Where(i => notices[i] == NoticeState.Full).ToArray();
        Shuffle(full, random);
        var paused = new bool[notices.Length];
        var count = Math.Min(full.Length, (int)Math.Round(notices.Length * 0.03, MidpointRounding.AwayFromZero));
        foreach (var i in full.AsSpan(0, count))
        {
            paused[i] = true;
        }

        return paused;
    }

    private static void Shuffle<T>(T[] items, SplitMix64 random)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static T Pick<T>((T Value, int Weight)[] choices, SplitMix64 random)
    {
        var roll = random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (roll < weight)
            {
                return value;
            }

            roll -= weight;
        }

        return choices[^1].Value;
    }

    private static double Round(double value, int decimals) => Math.Round(value, decimals, MidpointRounding.AwayFromZero);

    private static string BuildOversizeText()
    {
        var text = new StringBuilder(OversizeTextLength + 128);
        for (var i = 0; text.Length < OversizeTextLength; i++)
        {
            text.Append(Sentences[i % Sentences.Length]).Append(' ');
        }

        return text.ToString(0, OversizeTextLength);
    }

    private enum Flaw
    {
        None,
        MalformedJson,
        UnknownCategory,
        MissingField,
        MistypedField,
        FutureTimestamp,
        OffAllowListFields,
        TypedCharacters,
        PasswordField,
        OutsideWindow,
        Oversize,
        Duplicate,
    }

    private readonly record struct Slot(int Minute, int Second, string Category);

    private sealed record EmployeeProfile(string EmployeeId, string Agent, TimeSpan Offset, int MetricWeekday);

    private readonly record struct EventContext(string EventId, EmployeeProfile Profile, string Category, DateTimeOffset CapturedAt, DateOnly Day);

    /// <summary>SplitMix64 (Steele, Lea and Flood 2014): small, fast and the same on every runtime.</summary>
    private sealed class SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public ulong NextUInt64()
        {
            var z = _state += 0x9E37_79B9_7F4A_7C15;
            z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
            z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in [0, <paramref name="maxExclusive"/>), by Lemire's multiply-shift.</summary>
        public int Next(int maxExclusive) => (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);

        /// <summary>Uniform in [0, 1).</summary>
        public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

        public double Range(double min, double max) => min + (NextDouble() * (max - min));
    }
}
