using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Compliance.Core.Subjects;

/// <summary>
/// The random id that stands for an employee everywhere outside the subject registry (DESIGN invariant 2):
/// <c>sub_</c> and 26 base32 characters, 130 random bits. It carries nothing of the employee id.
/// </summary>
public static partial class SubjectSurrogate
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string New()
    {
        Span<byte> random = stackalloc byte[26];
        RandomNumberGenerator.Fill(random);
        return string.Create(30, random.ToArray(), (chars, bytes) =>
        {
            "sub_".CopyTo(chars);
            for (var i = 0; i < 26; i++)
            {
                chars[4 + i] = Alphabet[bytes[i] & 31];
            }
        });
    }

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex("^sub_[a-z2-7]{26}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
