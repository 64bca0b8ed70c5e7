using System.Diagnostics;
using Compliance.Core.Ingestion;
using CsCheck;

namespace Compliance.Core.Tests.Ingestion;

public sealed class PiiRedactorTests
{
    private static readonly PiiRedactor Redactor = new(["^[Ee][0-9]{5,8}$", "^EMP-[0-9]{4,10}$"]);

    private static readonly Gen<string> Text = Gen.String[0, 40];

    /// <summary>Fragments that make the steps meet: digits, separators, '@', placeholders, ids, unicode.</summary>
    private static readonly Gen<string> Fragments = Gen.OneOf(
        "a", "Z", "é", "ж", "李", "@", ".", "-", "+", " ", "(", ")", "0", "1", "4", "9", "12", "555", "4111", "2026", ":", ",", "/", "%", "$", "€",
        "[email]", "[phone]", "[card]", "[identifier]", "[", "]", "E12345", "EMP-", "x.com", "'", "\"", "\t", "\n", "T", "_", "\u0301", "٣", "😀")
        .Array[0, 30].Select(parts => string.Concat(parts));

    private static readonly Gen<string> Emails = Gen.Select(
        Gen.Char["abcxyzABCXYZ0189éüжλ李"].Array[1, 8].Select(c => new string(c)),
        Gen.OneOf(".", "+", "-", "_", ".x.", "+tag-"),
        Gen.Char["abcxyz0189äöж"].Array[1, 6].Select(c => new string(c)),
        Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"].Array[1, 10].Select(c => new string(c)),
        Gen.OneOf("", "mail.", "a-b.", "eu.mail."),
        Gen.Char["abcdefghijklmnopqrstuvwxyzäö"].Array[2, 6].Select(c => new string(c)),
        (local1, separator, local2, domain, subdomain, tld) => $"{local1}{separator}{local2}@{subdomain}{domain}.{tld}");

    private static readonly Gen<string> Cards = Gen.Select(
        Gen.Char['0', '9'].Array[15].Select(c => WithCheckDigit(new string(c))),
        Gen.OneOf("", " ", "-"),
        (card, separator) => string.Join(separator, card.Chunk(4).Select(c => new string(c))));

    // Emails

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("alice.smith@example.com")]
    [InlineData("alice.smith+hr@mail.example.co.uk")]
    [InlineData("first-last@sub.domain.example.org")]
    [InlineData("user_name%tag@x-y.example.com")]
    [InlineData("o'brien@example.ie")]
    [InlineData("ALICE@EXAMPLE.COM")]
    [InlineData("a@b.co")]
    [InlineData("e12345@corp.example")]
    [InlineData("müller@bücher.de")]
    [InlineData("josé.garcía@empresa.es")]
    [InlineData("иван.петров@пример.рф")]
    [InlineData("李雷@例子.中国")]
    [InlineData("user@xn--bcher-kva.example")]
    [InlineData("user@mail.xn--p1ai")]
    public void Redact_EmailAddress_ReplacedWithEmailPlaceholder(string email)
    {
        var result = Redactor.Redact($"Please write to {email} before Friday.");

        Assert.Equal("Please write to [email] before Friday.", result.Text);
        Assert.Equal(Counts(("email", 1)), result.Counts);
    }

    [Theory]
    [InlineData("user@localhost")]
    [InlineData("alice@")]
    [InlineData("@example.com")]
    [InlineData("alice@example.c")]
    [InlineData("alice@example.123")]
    [InlineData("alice@.com")]
    [InlineData("alice at example dot com")]
    [InlineData("@@ @ @.")]
    [InlineData("@alice on the channel")]
    public void Redact_NotAnEmailAddress_Unchanged(string text)
    {
        var result = Redactor.Redact(text);

        Assert.Equal(text, result.Text);
        Assert.Empty(result.Counts);
    }

    [Theory]
    [InlineData("<alice@example.com>", "<[email]>")]
    [InlineData("(alice@example.com)", "([email])")]
    [InlineData("'alice@example.com'", "'[email]'")]
    [InlineData("\"alice@example.com\",", "\"[email]\",")]
    [InlineData("[alice@example.com]", "[[email]]")]
    [InlineData("alice@example.com.", "[email].")]
    [InlineData("alice@example.com;bob@example.org", "[email];[email]")]
    [InlineData("mailto:alice@example.com", "mailto:[email]")]
    [InlineData("https://example.com/profile?user=alice@example.com", "https://example.com/profile?user=[email]")]
    [InlineData("Alice Smith <alice.smith@example.com>", "Alice Smith <[email]>")]
    [InlineData("«müller@bücher.de»", "«[email]»")]
    public void Redact_EmailAddressInPunctuation_OnlyTheAddressReplaced(string text, string expected)
    {
        Assert.Equal(expected, Redactor.Redact(text).Text);
    }

    // Payment cards

    [Theory]
    [InlineData("4111111111111111")]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("4111-1111-1111-1111")]
    [InlineData("5555555555554444")]
    [InlineData("5555 5555 5555 4444")]
    [InlineData("6011 0009 9013 9424")]
    [InlineData("378282246310005")]
    [InlineData("3782 822463 10005")]
    [InlineData("3056 930902 5904")]
    [InlineData("4222222222222")]
    [InlineData("4111 1111 1111 1111 003")]
    public void Redact_LuhnValidCardNumber_ReplacedWithCardPlaceholder(string card)
    {
        var result = Redactor.Redact($"My card is {card}, expiry next year.");

        Assert.Equal("My card is [card], expiry next year.", result.Text);
        Assert.Equal(Counts(("card", 1)), result.Counts);
    }

    [Fact]
    public void Redact_NineteenDigitLuhnValidNumber_ReplacedWithCardPlaceholder()
    {
        var card = WithCheckDigit("627390000000000000");

        Assert.Equal("card [card] ok", Redactor.Redact($"card {card} ok").Text);
    }

    [Theory]
    [InlineData("4111 1111 1111 1112")]
    [InlineData("4111-1111-1111-1112")]
    [InlineData("4111111111111112")]
    [InlineData("1234567812345678")]
    [InlineData("1234 5678 1234 5678")]
    [InlineData("411111111111")]
    public void Redact_DigitsFailingLuhn_NotACard(string digits)
    {
        var result = Redactor.Redact($"Reference {digits} attached.");

        Assert.DoesNotContain("[card]", result.Text, StringComparison.Ordinal);
        Assert.False(result.Counts.ContainsKey("card"));
    }

    [Fact]
    public void Redact_LuhnValidButTwentyDigits_Unchanged()
    {
        var text = $"Order {WithCheckDigit("4111111111111111111")} shipped";

        Assert.Equal(text, Redactor.Redact(text).Text);
    }

    [Fact]
    public void Redact_LuhnValidButTwelveDigits_NotACard()
    {
        var result = Redactor.Redact($"Call {WithCheckDigit("49301234567")} now");

        Assert.Equal("Call [phone] now", result.Text);
        Assert.Equal(Counts(("phone", 1)), result.Counts);
    }

    [Fact]
    public void Redact_LuhnValidThirteenDigitsThatCouldBeAPhoneNumber_CardCheckedFirst()
    {
        var result = Redactor.Redact("Call 4222222222222 now");

        Assert.Equal("Call [card] now", result.Text);
        Assert.Equal(Counts(("card", 1)), result.Counts);
    }

    [Fact]
    public void Redact_CardNextToOtherNumbers_OnlyTheCardReplaced()
    {
        Assert.Equal("Room 101 [card] and 12-[card]", Redactor.Redact("Room 101 4111 1111 1111 1111 and 12-4111-1111-1111-1111").Text);
    }

    [Fact]
    public void Redact_CardFollowedByPercentOrCurrency_StillACard()
    {
        Assert.Equal("[card] % and $ [card]", Redactor.Redact("4111111111111111 % and $ 4111 1111 1111 1111").Text);
    }

    // Phone numbers

    [Theory]
    [InlineData("+49 30 1234567")]
    [InlineData("(555) 123-4567")]
    [InlineData("(555)123-4567")]
    [InlineData("555-123-4567")]
    [InlineData("555.123.4567")]
    [InlineData("555 123 4567")]
    [InlineData("+1.555.123.4567")]
    [InlineData("+1 (555) 123-4567")]
    [InlineData("+1-555-123-4567")]
    [InlineData("+15551234567")]
    [InlineData("07700 900123")]
    [InlineData("+44 7700 900123")]
    [InlineData("+44 (0)20 7946 0958")]
    [InlineData("+33 1 23 45 67 89")]
    [InlineData("01 23 45 67 89")]
    [InlineData("01.23.45.67.89")]
    [InlineData("+7 495 123-45-67")]
    [InlineData("+86 10 1234 5678")]
    [InlineData("1-800-555-1234")]
    [InlineData("1 800 555 1234")]
    [InlineData("555-1234")]
    [InlineData("5551234567")]
    [InlineData("030 1234567")]
    public void Redact_PhoneNumber_ReplacedWithPhonePlaceholder(string phone)
    {
        var result = Redactor.Redact($"Call me on {phone} tomorrow.");

        Assert.Equal("Call me on [phone] tomorrow.", result.Text);
        Assert.Equal(Counts(("phone", 1)), result.Counts);
    }

    [Theory]
    [InlineData("2026-11-30")]
    [InlineData("2026-11-30T09:00:00Z")]
    [InlineData("2026-11-30T09:00:00+01:00")]
    [InlineData("2026-11-30 10:30")]
    [InlineData("2026-11-30 09:00:00")]
    [InlineData("10:30")]
    [InlineData("10:30:15")]
    [InlineData("30.11.2026")]
    [InlineData("11-30-2026")]
    [InlineData("2026.11.30")]
    [InlineData("1.2.3")]
    [InlineData("10.0.19041.1")]
    [InlineData("v2.14.1234567")]
    [InlineData("42")]
    [InlineData("2026")]
    [InlineData("20261130")]
    [InlineData("1234567")]
    [InlineData("1,234.56")]
    [InlineData("1,234,567.89")]
    [InlineData("1.234.567")]
    [InlineData("1234567.89")]
    [InlineData("1 234 567,89 €")]
    [InlineData("$1,234.56")]
    [InlineData("$5551234567")]
    [InlineData("5551234567 €")]
    [InlineData("12.5%")]
    [InlineData("40 %")]
    [InlineData("1234567890%")]
    [InlineData("3.14159265358979")]
    [InlineData("192.168.100.200")]
    [InlineData("2019-2026")]
    [InlineData("1 2 3 4 5 6 7 8")]
    [InlineData("CASE-2026-0042")]
    [InlineData("ticket-5551234567")]
    [InlineData("3f2b8c1e-0d4a-4c1b-9a6e-2b7d5e8f9a01")]
    [InlineData("sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    public void Redact_NumberThatIsNotAPhoneNumber_Unchanged(string value)
    {
        var text = $"Noted {value} in the minutes.";

        var result = Redactor.Redact(text);

        Assert.Equal(text, result.Text);
        Assert.Empty(result.Counts);
    }

    [Theory]
    [InlineData("Call 555-123-4567.", "Call [phone].")]
    [InlineData("Call 555-123-4567, or 555-987-6543!", "Call [phone], or [phone]!")]
    [InlineData("(+49 30 1234567)", "([phone])")]
    [InlineData("tel:+15551234567", "tel:[phone]")]
    [InlineData("555-123-4567 555-987-6543", "[phone] [phone]")]
    [InlineData("at 10:30 call 555-123-4567 on 2026-11-30", "at 10:30 call [phone] on 2026-11-30")]
    [InlineData("2026-11-30 555-123-4567", "2026-11-30 [phone]")]
    [InlineData("10:30 555-123-4567", "10:30 [phone]")]
    [InlineData("\"07700 900123\"", "\"[phone]\"")]
    public void Redact_PhoneNumberAmongPunctuationAndOtherNumbers_OnlyThePhoneNumberReplaced(string text, string expected)
    {
        Assert.Equal(expected, Redactor.Redact(text).Text);
    }

    // Identifiers

    [Theory]
    [InlineData("E12345", "[identifier]")]
    [InlineData("e12345678", "[identifier]")]
    [InlineData("EMP-0042", "[identifier]")]
    [InlineData("EMP-1234567890", "[identifier]")]
    [InlineData("E12345,", "[identifier],")]
    [InlineData("E12345.", "[identifier].")]
    [InlineData("E12345;", "[identifier];")]
    [InlineData("E12345:", "[identifier]:")]
    [InlineData("E12345?!", "[identifier]?!")]
    [InlineData("(E12345)", "([identifier])")]
    [InlineData("[E12345]", "[[identifier]]")]
    [InlineData("{EMP-0042}.", "{[identifier]}.")]
    [InlineData("\"E12345\"", "\"[identifier]\"")]
    [InlineData("'e1234567',", "'[identifier]',")]
    [InlineData("((E12345)),", "(([identifier])),")]
    [InlineData("“E12345”", "“[identifier]”")]
    [InlineData("«E12345»", "«[identifier]»")]
    [InlineData("「E12345」。", "「[identifier]」。")]
    [InlineData("#E12345", "#[identifier]")]
    [InlineData("@e12345:", "@[identifier]:")]
    [InlineData("*EMP-0042*", "*[identifier]*")]
    [InlineData("<E12345>", "<[identifier]>")]
    public void Redact_IdentifierToken_StrippedPartReplaced(string token, string expected)
    {
        var result = Redactor.Redact($"Ask {token} later");

        Assert.Equal($"Ask {expected} later", result.Text);
        Assert.Equal(Counts(("identifier", 1)), result.Counts);
    }

    [Theory]
    [InlineData("E1234")]
    [InlineData("E123456789")]
    [InlineData("X12345")]
    [InlineData("xE12345")]
    [InlineData("E12345x")]
    [InlineData("E12345-1")]
    [InlineData("E12345's")]
    [InlineData("E12345/E23456")]
    [InlineData("EMP-042")]
    [InlineData("emp-0042")]
    [InlineData("EMP-0042-B")]
    [InlineData("E 12345")]
    [InlineData("Е12345")]
    public void Redact_NotAnIdentifierToken_Unchanged(string token)
    {
        var text = $"Ask {token} later";

        var result = Redactor.Redact(text);

        Assert.Equal(text, result.Text);
        Assert.Empty(result.Counts);
    }

    [Fact]
    public void Redact_IdentifiersInUnicodeText_ReplacedWithoutTouchingTheText()
    {
        var result = Redactor.Redact("Réunion avec E12345 à 10:30 — 会议 EMP-0042。 Straße\u00A0e1234567\tok, EMP-0042、Straße");

        Assert.Equal("Réunion avec [identifier] à 10:30 — 会议 [identifier]。 Straße\u00A0[identifier]\tok, EMP-0042、Straße", result.Text);
        Assert.Equal(Counts(("identifier", 3)), result.Counts);
    }

    [Fact]
    public void Redact_NoIdentifierPatterns_IdentifiersKept()
    {
        var redactor = new PiiRedactor([]);

        Assert.Equal("E12345 wrote to [email]", redactor.Redact("E12345 wrote to alice@example.com").Text);
    }

    [Fact]
    public void Redact_IdentifierPatternTimesOut_CountsAsNoMatch()
    {
        var redactor = new PiiRedactor(["^(a+)+$", "^[Ee][0-9]{5,8}$"]);
        var slow = new string('a', 40) + "b";

        var result = redactor.Redact($"{slow} E12345");

        Assert.Equal($"{slow} [identifier]", result.Text);
        Assert.Equal(Counts(("identifier", 1)), result.Counts);
    }

    [Fact]
    public void Constructor_InvalidPattern_Throws()
    {
        Assert.ThrowsAny<ArgumentException>(() => new PiiRedactor(["^[E"]));
    }

    [Fact]
    public void Constructor_NullPatterns_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new PiiRedactor(null!));
    }

    // Counts, placeholders, edge cases

    [Fact]
    public void Redact_EveryKind_CountedPerKind()
    {
        const string text = """
            [10:30] E12345: mail alice@example.com or bob.jones@corp.example.org, card 4111 1111 1111 1111,
            phone +49 30 1234567. EMP-0042 and e1234567 agree. Version 1.2.3 ships 2026-11-30.
            """;

        var result = Redactor.Redact(text);

        Assert.Equal(Counts(("email", 2), ("card", 1), ("phone", 1), ("identifier", 3)), result.Counts);
        Assert.Equal(7, result.Total);
        Assert.Equal(
            """
            [10:30] [identifier]: mail [email] or [email], card [card],
            phone [phone]. [identifier] and [identifier] agree. Version 1.2.3 ships 2026-11-30.
            """,
            result.Text);
    }

    [Fact]
    public void Redact_NothingToRedact_NoCounts()
    {
        const string text = "Привет! The Q3 review is on 2026-11-30 at 10:30; 42 people, 12.5% growth, v1.2.3 😀";

        var result = Redactor.Redact(text);

        Assert.Equal(text, result.Text);
        Assert.Empty(result.Counts);
        Assert.Equal(0, result.Total);
    }

    [Fact]
    public void Redact_EmptyString_EmptyWithNoCounts()
    {
        var result = Redactor.Redact(string.Empty);

        Assert.Equal(string.Empty, result.Text);
        Assert.Empty(result.Counts);
        Assert.Equal(0, result.Total);
    }

    [Fact]
    public void Redact_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Redactor.Redact(null!));
    }

    [Fact]
    public void Redact_PlaceholdersInTheInput_NeitherReRedactedNorCounted()
    {
        var redactor = new PiiRedactor(["^[a-z]+$"]);

        var result = redactor.Redact("[email] [phone] [card] [identifier], ([email]). email");

        Assert.Equal("[email] [phone] [card] [identifier], ([email]). [identifier]", result.Text);
        Assert.Equal(Counts(("identifier", 1)), result.Counts);
    }

    [Theory]
    [InlineData("Contact E12345 at e12345@corp.example or 555-123-4567.")]
    [InlineData("alice@example.com5551234567 and a.b@x.com.5551234567")]
    [InlineData("[email]5551234567 [phone]+49 30 1234567")]
    [InlineData("x@y.com%%911@x.com 912555102026+4111.121111")]
    [InlineData("4111 1111 1111 1112 and 555-123-4567 555")]
    [InlineData("")]
    public void Redact_AlreadyRedacted_Unchanged(string text)
    {
        var once = Redactor.Redact(text);
        var twice = Redactor.Redact(once.Text);

        Assert.Equal(once.Text, twice.Text);
        Assert.Empty(twice.Counts);
    }

    [Fact]
    public void Redact_LongAdversarialInput_FinishesInLinearTime()
    {
        const int length = 200_000;
        string[] inputs =
        [
            string.Concat(Enumerable.Repeat("a.", length / 2)),
            string.Concat(Enumerable.Repeat("a@", length / 2)),
            string.Concat(Enumerable.Repeat("a@b.", length / 4)),
            string.Concat(Enumerable.Repeat("1 ", length / 2)),
            string.Concat(Enumerable.Repeat("1-", length / 2)),
            string.Concat(Enumerable.Repeat("(1)", length / 3)),
            string.Concat(Enumerable.Repeat("+1", length / 2)),
            new string('1', length),
            new string('x', length),
        ];

        var stopwatch = Stopwatch.StartNew();
        foreach (var input in inputs)
        {
            Redactor.Redact(input);
        }

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
    }

    // Properties

    [Fact]
    public void Redact_AnyEmailInRandomText_EmailGone()
    {
        Gen.Select(Text, Emails, Text).Sample((before, email, after) =>
        {
            var result = Redactor.Redact($"{before} {email} {after}");

            Assert.DoesNotContain(email, result.Text, StringComparison.Ordinal);
            Assert.True(result.Counts.GetValueOrDefault("email") >= 1);
        });
    }

    [Fact]
    public void Redact_AnyLuhnValidSixteenDigitNumberInRandomText_NumberGone()
    {
        Gen.Select(Text, Cards, Text).Sample((before, card, after) =>
        {
            var result = Redactor.Redact($"{before} {card} {after}");

            Assert.DoesNotContain(card, result.Text, StringComparison.Ordinal);
            Assert.True(result.Counts.GetValueOrDefault("card") >= 1);
        });
    }

    [Fact]
    public void Redact_RandomString_Idempotent()
    {
        Gen.OneOf<string>(Gen.String, Fragments).Sample(text =>
        {
            var once = Redactor.Redact(text);
            var twice = Redactor.Redact(once.Text);

            Assert.Equal(once.Text, twice.Text);
            Assert.Empty(twice.Counts);
        });
    }

    [Fact]
    public void Redact_RandomString_NeverThrowsAndCountsMatchPlaceholders()
    {
        Gen.OneOf<string>(Gen.String, Fragments).Sample(text =>
        {
            var result = Redactor.Redact(text);

            Assert.NotNull(result.Text);
            Assert.All(result.Counts, count => Assert.True(count.Value > 0));
            foreach (var kind in (string[])["email", "phone", "card", "identifier"])
            {
                var placeholder = $"[{kind}]";
                Assert.Equal(Occurrences(text, placeholder) + result.Counts.GetValueOrDefault(kind), Occurrences(result.Text, placeholder));
            }
        });
    }

    private static Dictionary<string, int> Counts(params (string Kind, int Count)[] counts) =>
        counts.ToDictionary(c => c.Kind, c => c.Count, StringComparer.Ordinal);

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Appends the Luhn check digit to <paramref name="digits"/>.</summary>
    private static string WithCheckDigit(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[^(i + 1)] - '0';
            if (i % 2 == 0)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return digits + (char)('0' + ((10 - (sum % 10)) % 10));
    }
}
