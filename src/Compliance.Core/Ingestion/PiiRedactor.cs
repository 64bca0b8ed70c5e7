using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Compliance.Core.Ingestion;

/// <summary>
/// What redaction replaced, by kind: "email", "phone", "card", "identifier" (only kinds with a count > 0).
/// </summary>
/// <param name="Text">The redacted text.</param>
/// <param name="Counts">How many spans of each kind were replaced.</param>
public sealed record RedactionResult(string Text, IReadOnlyDictionary<string, int> Counts)
{
    /// <summary>How many spans were replaced in all.</summary>
    public int Total => Counts.Values.Sum();
}

/// <summary>
/// Replaces e-mail addresses, payment card numbers, phone numbers and the organisation's employee identifiers in
/// meeting and chat transcripts with <c>[email]</c>, <c>[card]</c>, <c>[phone]</c> and <c>[identifier]</c>.
/// </summary>
/// <remarks>
/// <para>
/// A pass works in this order: placeholders already in the text are left alone (never re-redacted or counted);
/// identifiers (whole whitespace-separated tokens, leading and trailing punctuation stripped, matched against the
/// policy's anchored patterns); e-mail addresses; then runs of digits, where card numbers (13 to 19 digits that pass
/// the Luhn check) are taken before phone numbers. Nothing a pass has claimed is looked at again by a later step.
/// </para>
/// <para>
/// Redaction runs to a fixed point: passes repeat until one replaces nothing. A replacement can change the
/// context of its neighbours (a digit run next to a letter is part of a word, next to a placeholder it is not),
/// and repeating makes <c>Redact(Redact(x).Text).Text == Redact(x).Text</c> hold by construction. Every pass that
/// replaces something turns at least one character of free text into a placeholder, so the loop ends; for
/// ordinary text the second pass finds nothing. The fixed patterns are linear: their loops are atomic and their
/// lookbehinds keep a match from starting inside a run an earlier attempt already scanned.
/// </para>
/// </remarks>
public sealed partial class PiiRedactor
{
    private const string EmailKind = "email";
    private const string PhoneKind = "phone";
    private const string CardKind = "card";
    private const string IdentifierKind = "identifier";

    private const int MinCardDigits = 13;
    private const int MaxCardDigits = 19;
    private const int MinPhoneDigits = 7;
    private const int MaxPhoneDigits = 15;

    /// <summary>A national number written without any separator is only a phone number from this many digits (as the audit guard).</summary>
    private const int MinBarePhoneDigits = 9;

    private static readonly TimeSpan IdentifierMatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex[] _identifierPatterns;

    /// <summary>Creates a redactor for the policy's <c>identifierPatterns</c>.</summary>
    /// <param name="identifierPatterns">
    /// Regular expressions for the organisation's employee numbers, anchored and meant for whole tokens, such as
    /// <c>^[Ee][0-9]{5,8}$</c>. Each is compiled culture-invariant with a 100 ms match timeout; a timeout counts as
    /// no match.
    /// </param>
    public PiiRedactor(IEnumerable<string> identifierPatterns)
    {
        ArgumentNullException.ThrowIfNull(identifierPatterns);
        _identifierPatterns = [.. identifierPatterns.Select(p => new Regex(p, RegexOptions.CultureInvariant, IdentifierMatchTimeout))];
    }

    /// <summary>Redacts <paramref name="text"/>. Never throws for a non-null string.</summary>
    public RedactionResult Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var current = text;
        while (new Pass(this, current).Run(counts) is { } next)
        {
            current = next;
        }

        return new RedactionResult(current, counts.AsReadOnly());
    }

    private bool IsIdentifier(ReadOnlySpan<char> candidate)
    {
        foreach (var pattern in _identifierPatterns)
        {
            try
            {
                if (pattern.IsMatch(candidate))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pattern that takes too long on this token does not match it.
            }
        }

        return false;
    }

    /// <summary>A placeholder this redactor writes; found in the input, it is kept as it is.</summary>
    [GeneratedRegex(@"\[(?:email|phone|card|identifier)\]", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    /// <summary>A token: a maximal run of non-whitespace.</summary>
    [GeneratedRegex(@"\S+", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    /// <summary>
    /// An e-mail address candidate: a local part (letters and digits of any script, <c>. _ % + ' -</c>) that starts a
    /// run, an <c>@</c>, and a domain of at least two labels. Both sides are atomic and a local part may only start
    /// where a run starts, so the scan is linear. The code then trims the local part and checks the top-level domain.
    /// </summary>
    [GeneratedRegex(@"(?<![\p{L}\p{M}\p{N}_%+'.\-])(?>[\p{L}\p{M}\p{N}_%+'.\-]+)@(?>[\p{L}\p{M}\p{N}\-]+(?:\.[\p{L}\p{M}\p{N}\-]+)+)", RegexOptions.CultureInvariant)]
    private static partial Regex EmailCandidate();

    /// <summary>
    /// A run of ASCII digit groups, each bare or in parentheses, separated by at most one space, dot or hyphen, with
    /// an optional leading <c>+</c>, not starting inside a word or another number. Atomic, so linear; the code
    /// decides which groups are cards, phone numbers, dates or something else.
    /// </summary>
    [GeneratedRegex(@"(?<![\p{L}\p{M}\p{N}_+])(?>\+?(?:\([0-9]+\)|[0-9]+)(?:[ .\-]?(?:\([0-9]+\)|[0-9]+))*)", RegexOptions.CultureInvariant)]
    private static partial Regex NumberRun();

    /// <summary>One group of digits in a number run: <c>Start..End</c> includes parentheses, <c>Separator</c> is the character before it.</summary>
    private readonly record struct DigitGroup(int Start, int End, int DigitsStart, int DigitsEnd, char Separator)
    {
        public int Digits => DigitsEnd - DigitsStart;

        public bool Parenthesised => Start != DigitsStart;
    }

    private readonly record struct Replacement(int Start, int End, string Kind);

    /// <summary>One pass over one text: every step sees the same input and skips what an earlier step claimed.</summary>
    private sealed class Pass(PiiRedactor redactor, string text)
    {
        private readonly PiiRedactor _redactor = redactor;
        private readonly string _text = text;
        private readonly bool[] _claimed = new bool[text.Length];
        private readonly List<Replacement> _replacements = [];

        /// <summary>Returns the redacted text and adds to <paramref name="counts"/>, or returns null when nothing was replaced.</summary>
        public string? Run(Dictionary<string, int> counts)
        {
            if (_text.Length == 0)
            {
                return null;
            }

            KeepPlaceholders();
            RedactIdentifiers();
            RedactEmails();
            RedactNumbers();
            if (_replacements.Count == 0)
            {
                return null;
            }

            _replacements.Sort((a, b) => a.Start.CompareTo(b.Start));
            var builder = new StringBuilder(_text.Length);
            var position = 0;
            foreach (var replacement in _replacements)
            {
                builder.Append(_text, position, replacement.Start - position).Append('[').Append(replacement.Kind).Append(']');
                position = replacement.End;
                counts[replacement.Kind] = counts.GetValueOrDefault(replacement.Kind) + 1;
            }

            return builder.Append(_text, position, _text.Length - position).ToString();
        }

        private void KeepPlaceholders()
        {
            foreach (var match in Placeholder().EnumerateMatches(_text))
            {
                Array.Fill(_claimed, true, match.Index, match.Length);
            }
        }

        private void RedactIdentifiers()
        {
            if (_redactor._identifierPatterns.Length == 0)
            {
                return;
            }

            foreach (var token in Token().EnumerateMatches(_text))
            {
                var start = token.Index;
                var end = token.Index + token.Length;
                while (start < end && IsTokenPunctuation(_text[start]))
                {
                    start++;
                }

                while (end > start && IsTokenPunctuation(_text[end - 1]))
                {
                    end--;
                }

                // A token holding a placeholder is never an identifier: the placeholder is not re-redacted.
                if (start < end && !IsClaimed(token.Index, token.Index + token.Length) && _redactor.IsIdentifier(_text.AsSpan(start, end - start)))
                {
                    Claim(start, end, IdentifierKind);
                }
            }
        }

        private void RedactEmails()
        {
            var match = EmailCandidate().Match(_text);
            while (match.Success)
            {
                var at = _text.IndexOf('@', match.Index, match.Length);
                var start = match.Index;
                while (start < at && _text[start] is '.' or '%' or '+' or '\'' or '-')
                {
                    start++;
                }

                var end = DomainEnd(at + 1, match.Index + match.Length);
                var next = match.Index + match.Length;
                if (start == at || end < 0 || !Claim(start, end, EmailKind))
                {
                    // The rejected candidate's domain may be the local part of the next address.
                    next = at + 1;
                }

                match = EmailCandidate().Match(_text, next);
            }
        }

        /// <summary>The end of the longest run of at least two labels whose last label is a top-level domain, or -1.</summary>
        private int DomainEnd(int start, int end)
        {
            var best = -1;
            var labelStart = start;
            var labels = 0;
            for (var i = start; i <= end; i++)
            {
                if (i == end || _text[i] == '.')
                {
                    labels++;
                    if (labels >= 2 && IsTopLevelDomain(_text.AsSpan(labelStart, i - labelStart)))
                    {
                        best = i;
                    }

                    labelStart = i + 1;
                }
            }

            return best;
        }

        private void RedactNumbers()
        {
            foreach (var run in NumberRun().EnumerateMatches(_text))
            {
                RedactNumberRun(run.Index, run.Index + run.Length);
            }
        }

        private void RedactNumberRun(int start, int end)
        {
            var plus = _text[start] == '+';
            var international = plus && !_claimed[start];
            var groups = ParseGroups(plus ? start + 1 : start, end);
            var blocked = new bool[groups.Count];
            for (var i = 0; i < groups.Count; i++)
            {
                blocked[i] = IsClaimed(groups[i].Start, groups[i].End);
            }

            BlockGlued(start, end, groups, blocked);
            BlockDates(groups, blocked);

            for (var i = 0; i < groups.Count;)
            {
                var last = LongestCard(groups, blocked, i);
                if (last < 0)
                {
                    i++;
                    continue;
                }

                Claim(groups[i].Start, groups[last].End, CardKind);
                Array.Fill(blocked, true, i, last - i + 1);
                i = last + 1;
            }

            if (IsAmount(start, end))
            {
                return;
            }

            // A percentage (12.5%, 40 %) ends in a number, not a phone number; a card number is a card whatever follows.
            if (CharAt(end) is '%' or '‰' || (CharAt(end) == ' ' && CharAt(end + 1) is '%' or '‰'))
            {
                blocked[^1] = true;
            }

            for (var i = 0; i < groups.Count;)
            {
                var withPlus = international && i == 0;
                var last = LongestPhone(groups, blocked, i, withPlus);
                if (last < 0)
                {
                    i++;
                    continue;
                }

                Claim(withPlus ? start : groups[i].Start, groups[last].End, PhoneKind);
                i = last + 1;
            }
        }

        private List<DigitGroup> ParseGroups(int position, int end)
        {
            var groups = new List<DigitGroup>();
            var separator = '\0';
            while (position < end)
            {
                var groupStart = position;
                var parenthesised = _text[position] == '(';
                if (parenthesised)
                {
                    position++;
                }

                var digitsStart = position;
                while (position < end && char.IsAsciiDigit(_text[position]))
                {
                    position++;
                }

                var digitsEnd = position;
                if (parenthesised)
                {
                    position++;
                }

                groups.Add(new DigitGroup(groupStart, position, digitsStart, digitsEnd, separator));
                separator = '\0';
                if (position < end && _text[position] is ' ' or '.' or '-')
                {
                    separator = _text[position];
                    position++;
                }
            }

            return groups;
        }

        /// <summary>
        /// A first or last group glued to its neighbour belongs to something else: a time (10:30), an amount (1,234.56),
        /// a fraction or a word (EMP-1234567, 2026-11-30T09, 12km).
        /// </summary>
        private void BlockGlued(int start, int end, List<DigitGroup> groups, bool[] blocked)
        {
            var before = CharAt(start - 1);
            var beforeThat = CharAt(start - 2);
            if ((before is ',' or '.' or ':' or '/' && char.IsDigit(beforeThat)) || (before == '-' && IsWordCharacter(beforeThat)))
            {
                blocked[0] = true;
            }

            var after = CharAt(end);
            var afterThat = CharAt(end + 1);
            if (IsWordCharacter(after) || (after is ',' or '.' or ':' or '/' && char.IsDigit(afterThat)) || (after == '-' && IsWordCharacter(afterThat)))
            {
                blocked[^1] = true;
            }
        }

        /// <summary>Dates are never phone or card digits: 2026-11-30, 2026.11.30, 30.11.2026, 11-30-2026.</summary>
        private void BlockDates(List<DigitGroup> groups, bool[] blocked)
        {
            for (var i = 0; i + 2 < groups.Count; i++)
            {
                var (a, b, c) = (groups[i], groups[i + 1], groups[i + 2]);
                if (a.Parenthesised || b.Parenthesised || c.Parenthesised || b.Separator is not ('-' or '.') || c.Separator != b.Separator)
                {
                    continue;
                }

                var (x, y, z) = (Value(a), Value(b), Value(c));
                var isDate = a.Digits == 4 && b.Digits is 1 or 2 && c.Digits is 1 or 2
                    ? y is >= 1 and <= 12 && z is >= 1 and <= 31
                    : a.Digits is 1 or 2 && b.Digits is 1 or 2 && c.Digits == 4
                        && ((x is >= 1 and <= 31 && y is >= 1 and <= 12) || (x is >= 1 and <= 12 && y is >= 1 and <= 31));
                if (isDate)
                {
                    Array.Fill(blocked, true, i, 3);
                }
            }
        }

        /// <summary>The last group of the longest card number starting at group <paramref name="first"/>, or -1.</summary>
        private int LongestCard(List<DigitGroup> groups, bool[] blocked, int first)
        {
            var longest = -1;
            var digits = 0;
            for (var i = first; i < groups.Count && !blocked[i] && !groups[i].Parenthesised; i++)
            {
                if (i > first && (groups[i].Separator is not (' ' or '-') || groups[i].Separator != groups[first + 1].Separator))
                {
                    break;
                }

                digits += groups[i].Digits;
                if (digits > MaxCardDigits)
                {
                    break;
                }

                if (digits >= MinCardDigits && IsCardLayout(groups, first, i) && PassesLuhn(groups, first, i))
                {
                    longest = i;
                }
            }

            return longest;
        }

        /// <summary>
        /// One run of digits, or the layouts cards are printed in: a group of four, then groups of three to six
        /// (4-4-4-4, 4-4-4-4-3, 4-6-5, 4-6-4). This keeps lists of small numbers from passing for cards.
        /// </summary>
        private static bool IsCardLayout(List<DigitGroup> groups, int first, int last)
        {
            if (first == last)
            {
                return true;
            }

            if (groups[first].Digits != 4)
            {
                return false;
            }

            for (var i = first + 1; i <= last; i++)
            {
                if (groups[i].Digits is < 3 or > 6)
                {
                    return false;
                }
            }

            return true;
        }

        private bool PassesLuhn(List<DigitGroup> groups, int first, int last)
        {
            var sum = 0;
            var doubled = false;
            for (var i = last; i >= first; i--)
            {
                for (var p = groups[i].DigitsEnd - 1; p >= groups[i].DigitsStart; p--)
                {
                    var digit = _text[p] - '0';
                    if (doubled)
                    {
                        digit *= 2;
                        if (digit > 9)
                        {
                            digit -= 9;
                        }
                    }

                    sum += digit;
                    doubled = !doubled;
                }
            }

            return sum % 10 == 0;
        }

        /// <summary>
        /// The last group of the longest phone number starting at group <paramref name="first"/>, or -1. Inside a run a
        /// phone number starts and ends only at a space, so 555-123-4567 555-987-6543 is two numbers, not one.
        /// </summary>
        private int LongestPhone(List<DigitGroup> groups, bool[] blocked, int first, bool international)
        {
            if (first > 0 && groups[first].Separator != ' ')
            {
                return -1;
            }

            var longest = -1;
            var digits = 0;
            for (var i = first; i < groups.Count && !blocked[i]; i++)
            {
                digits += groups[i].Digits;
                if (digits > MaxPhoneDigits)
                {
                    break;
                }

                var endsHere = i == groups.Count - 1 || groups[i + 1].Separator == ' ';
                if (digits >= MinPhoneDigits && endsHere && IsPhoneLayout(groups, first, i, international))
                {
                    longest = i;
                }
            }

            return longest;
        }

        private bool IsPhoneLayout(List<DigitGroup> groups, int first, int last, bool international)
        {
            if (first == last)
            {
                return !groups[first].Parenthesised && (international || groups[first].Digits >= MinBarePhoneDigits);
            }

            // Parentheses only around an area code or a trunk prefix: first, or right after the country code.
            // Single digits only there too (+33 1 23 45 67 89, 1 800 555 1234, +44 (0)20 7946 0958).
            var separator = '\0';
            for (var i = first; i <= last; i++)
            {
                var leading = i == first || (international && i == first + 1);
                if ((groups[i].Parenthesised || groups[i].Digits == 1) && !leading)
                {
                    return false;
                }

                // Past the country code and any parentheses, one kind of separator, though spaces may come before
                // the other kind: 555-123-4567 and +7 495 123-45-67, but not 555-123-4567 555.
                var exempt = i == first || (international && i == first + 1) || groups[i].Parenthesised || groups[i - 1].Parenthesised;
                if (!exempt)
                {
                    if (separator is not ('\0' or ' ') && groups[i].Separator != separator)
                    {
                        return false;
                    }

                    separator = groups[i].Separator;
                }
            }

            return international || IsNationalLayout(groups, first, last, separator);
        }

        /// <summary>What a national number is not: a version, an IPv4 address, dotted thousands or a range of years.</summary>
        private bool IsNationalLayout(List<DigitGroup> groups, int first, int last, char separator)
        {
            var count = last - first + 1;
            if (separator == '.')
            {
                var smallGroups = true;
                var thousands = groups[first].Digits <= 3;
                for (var i = first; i <= last; i++)
                {
                    if (groups[i].Digits < 2)
                    {
                        return false;
                    }

                    smallGroups &= groups[i].Digits <= 3;
                    thousands &= i == first || groups[i].Digits == 3;
                }

                if (count < 3 || (count == 4 && smallGroups) || thousands)
                {
                    return false;
                }
            }

            return !(count == 2 && IsYear(groups[first]) && IsYear(groups[last]));
        }

        private bool IsYear(DigitGroup group) => group.Digits == 4 && !group.Parenthesised && Value(group) is >= 1900 and <= 2099;

        /// <summary>Replaces <c>start..end</c> unless part of it is already claimed: replacements never overlap.</summary>
        private bool Claim(int start, int end, string kind)
        {
            if (IsClaimed(start, end))
            {
                return false;
            }

            Array.Fill(_claimed, true, start, end - start);
            _replacements.Add(new Replacement(start, end, kind));
            return true;
        }

        private bool IsClaimed(int start, int end) => _claimed.AsSpan(start, end - start).Contains(true);

        /// <summary>Money: a currency sign right before or after the run, with at most one space.</summary>
        private bool IsAmount(int start, int end) =>
            IsCurrency(CharAt(start - 1)) || (CharAt(start - 1) == ' ' && IsCurrency(CharAt(start - 2)))
            || IsCurrency(CharAt(end)) || (CharAt(end) == ' ' && IsCurrency(CharAt(end + 1)));

        private char CharAt(int index) => index >= 0 && index < _text.Length ? _text[index] : '\0';

        private int Value(DigitGroup group) =>
            group.Digits > 4 ? int.MaxValue : int.Parse(_text.AsSpan(group.DigitsStart, group.Digits), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static bool IsTopLevelDomain(ReadOnlySpan<char> label)
    {
        if (label.Length >= 5 && label.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (label.Length < 2 || !char.IsLetter(label[0]))
        {
            return false;
        }

        foreach (var c in label)
        {
            if (!char.IsLetter(c) && !IsMark(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// What is stripped from either end of a token before the identifier patterns see it: brackets, quotes and other
    /// punctuation of any script (<c>. , ; : ! ? ( ) [ ] { } " ' « » “ ” 「 」 。 、 # @ *</c>), and <c>` &lt; &gt;</c>.
    /// Hyphens and underscores stay: they can be part of an identifier.
    /// </summary>
    private static bool IsTokenPunctuation(char c) =>
        c is '`' or '<' or '>'
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    private static bool IsWordCharacter(char c) => char.IsLetterOrDigit(c) || c == '_' || IsMark(c);

    private static bool IsMark(char c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static bool IsCurrency(char c) => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol;
}
