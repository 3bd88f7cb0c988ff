using System.Globalization;

namespace AutoRefiner.Core.Text;

/// <summary>Counted nouns for messages: "1 row", "2 rows", never "1 rows".</summary>
public static class Words
{
    /// <summary>
    /// <paramref name="count"/> and the noun in the number that fits: <paramref name="singular"/> for exactly one, else
    /// <paramref name="plural"/> (by default the singular with an "s"). <paramref name="format"/> formats the number
    /// (invariant culture), e.g. "N0" for thousands separators.
    /// </summary>
    public static string Count(long count, string singular, string? plural = null, string? format = null)
    {
        ArgumentNullException.ThrowIfNull(singular);
        var noun = count == 1 ? singular : plural ?? singular + "s";
        return $"{count.ToString(format, CultureInfo.InvariantCulture)} {noun}";
    }
}
