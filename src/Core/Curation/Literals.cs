using System.Collections.Frozen;
using System.Globalization;

namespace AutoRefiner.Core.Curation;

/// <summary>
/// The literals of a text, in order, as hashes of their values: numbers by value whatever their suffix or form
/// (<c>1.0f</c>, <c>1.0</c>, <c>1L</c> and <c>1</c> are one value; a leading minus sign counts), strings by content.
/// Booleans and null are left out: they are how an assert is written, not the data a test holds.
/// </summary>
internal static class Literals
{
    /// <summary>The literal hashes of <paramref name="text"/>.</summary>
    public static List<uint> Of(string text)
    {
        var result = new List<uint>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                var negative = IsSign(text, i);
                var start = i;
                var point = false;

                // One decimal point at most: "1.2.3" (a version in a string or a comment) is 1.2, then .3.
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || (!point && text[i] == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))))
                {
                    point |= text[i] == '.';
                    i++;
                }

                var digits = text.AsSpan(start, i - start);
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++; // suffixes (f, L, UL, m), hex and exponents: the value before them is what is compared
                }

                var value = double.Parse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                result.Add(CodeTokens.Hash("n" + (negative ? -value : value).ToString("R", CultureInfo.InvariantCulture)));
                continue;
            }

            if (c == '"')
            {
                var start = ++i;
                while (i < text.Length && text[i] != '"' && text[i] != '\n')
                {
                    i += text[i] == '\\' ? 2 : 1;
                }

                var end = Math.Min(i, text.Length);
                result.Add(CodeTokens.Hash("s" + text[start..end]));
                i = end + 1;
                continue;
            }

            i++;
        }

        return result;
    }

    /// <summary>
    /// Whether a literal is one any code is full of: an integer from -10 to 10. A run made only of such values (1, 2, 3,
    /// 4, 5, 1 — a test writing [1, 2, 3, 4, 5] twice) says nothing about where the data came from.
    /// </summary>
    public static bool IsCommon(uint literal) => Common.Contains(literal);

    private static readonly FrozenSet<uint> Common = Enumerable.Range(-10, 21)
        .Select(v => CodeTokens.Hash("n" + ((double)v).ToString("R", CultureInfo.InvariantCulture)))
        .ToFrozenSet();

    /// <summary>Whether a minus sign right before the number at <paramref name="at"/> belongs to it (not a subtraction).</summary>
    private static bool IsSign(string text, int at)
    {
        if (at == 0 || text[at - 1] != '-')
        {
            return false;
        }

        // "(long)-4L" is a cast of a negative number; "x - 4" and "x-4" are subtractions.
        if (at >= 2 && text[at - 2] == ')')
        {
            return true;
        }

        var j = at - 2;
        while (j >= 0 && text[j] == ' ')
        {
            j--;
        }

        return j < 0 || text[j] is '(' or ',' or '{' or '[' or '=' or ':' or '\n' or '>' or '<' or '?' or '|' or '&' or '!';
    }
}
