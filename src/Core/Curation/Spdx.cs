using System.Text.RegularExpressions;

namespace AutoRefiner.Core.Curation;

/// <summary>
/// SPDX licence ids: their canonical spelling, which allow-list entries admit an id or expression, and the Hub's name for
/// one. Ids compare without regard to case (as the SPDX specification says), so <c>mit</c> in a config admits <c>MIT</c>.
/// </summary>
public static partial class Spdx
{
    /// <summary>The id of a licence file or header whose text was not recognised: never assumed permissive.</summary>
    public const string Unknown = "unknown";

    private static readonly string[] Known =
    [
        "MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "0BSD", "ISC", "Zlib", "BSL-1.0", "Unlicense", "MS-PL", "MS-RL",
        "MPL-1.1", "MPL-2.0", "EPL-1.0", "EPL-2.0", "CC0-1.0", "WTFPL", "Artistic-2.0",
        "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later",
        "LGPL-2.0-only", "LGPL-2.0-or-later", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later",
        "AGPL-3.0-only", "AGPL-3.0-or-later", "GPL-1.0-only", "GPL-1.0-or-later", "Artistic-1.0",
        "GFDL-1.1-only", "GFDL-1.1-or-later", "GFDL-1.2-only", "GFDL-1.2-or-later", "GFDL-1.3-only", "GFDL-1.3-or-later",
    ];

    private static readonly Dictionary<string, string> ByLowerCase = Known.ToDictionary(k => k.ToLowerInvariant(), StringComparer.Ordinal);

    /// <summary>The Hub's licence names (its <c>license:</c> list) for the ids that have one.</summary>
    private static readonly Dictionary<string, string> HubNames = new(StringComparer.Ordinal)
    {
        ["MIT"] = "mit", ["Apache-2.0"] = "apache-2.0", ["BSD-2-Clause"] = "bsd-2-clause", ["BSD-3-Clause"] = "bsd-3-clause",
        ["ISC"] = "isc", ["Zlib"] = "zlib", ["BSL-1.0"] = "bsl-1.0", ["Unlicense"] = "unlicense", ["MS-PL"] = "ms-pl",
        ["MPL-2.0"] = "mpl-2.0", ["EPL-1.0"] = "epl-1.0", ["EPL-2.0"] = "epl-2.0", ["CC0-1.0"] = "cc0-1.0", ["WTFPL"] = "wtfpl",
        ["Artistic-2.0"] = "artistic-2.0", ["GPL-2.0-only"] = "gpl-2.0", ["GPL-3.0-only"] = "gpl-3.0", ["LGPL-2.1-only"] = "lgpl-2.1",
        ["LGPL-3.0-only"] = "lgpl-3.0", ["AGPL-3.0-only"] = "agpl-3.0",
    };

    /// <summary>
    /// The canonical spelling of an id or expression (<c>gpl-2.0+</c> → <c>GPL-2.0-or-later</c>, the deprecated bare
    /// <c>GPL-2.0</c> → <c>GPL-2.0-only</c>); an id not in the table is kept as written; empty stays empty.
    /// </summary>
    public static string Canonical(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var trimmed = id.Trim();
        if (trimmed.Length == 0)
        {
            return "";
        }

        return ExpressionToken().Replace(trimmed, m => CanonicalTerm(m.Value));
    }

    private static string CanonicalTerm(string term)
    {
        var lower = term.ToLowerInvariant();
        if (lower is "and" or "or" or "with")
        {
            return lower.ToUpperInvariant();
        }

        if (lower == Unknown)
        {
            return Unknown;
        }

        if (lower.EndsWith('+'))
        {
            lower = lower[..^1] + "-or-later";
        }
        else if (GnuFamily().IsMatch(lower))
        {
            lower += "-only";
        }

        return ByLowerCase.TryGetValue(lower, out var known) ? known : term;
    }

    /// <summary>True for an id in the table of licences the tool knows (in its canonical spelling).</summary>
    public static bool IsKnown(string id) => ByLowerCase.TryGetValue((id ?? "").ToLowerInvariant(), out var known) && known == id;

    /// <summary>True for a licence whose terms travel with the code (GPL, LGPL, AGPL, MPL, EPL, MS-RL).</summary>
    public static bool IsCopyleft(string id) =>
        Terms(Canonical(id)).Any(t => t.StartsWith("GPL-", StringComparison.Ordinal) || t.StartsWith("LGPL-", StringComparison.Ordinal)
            || t.StartsWith("AGPL-", StringComparison.Ordinal) || t.StartsWith("MPL-", StringComparison.Ordinal)
            || t.StartsWith("EPL-", StringComparison.Ordinal) || t == "MS-RL");

    /// <summary>
    /// True when code under <paramref name="id"/> (an id or an SPDX expression) may be used under the ids of
    /// <paramref name="allowed"/>: one side of an <c>OR</c> suffices, every part of an <c>AND</c> is needed, an exception
    /// (<c>WITH</c>) only adds rights. An "or later" licence is admitted by an entry for the same licence at that version
    /// or a later one (GPL-2.0-or-later code may be used under GPL-2.0 or GPL-3.0).
    /// </summary>
    public static bool IsAllowed(string id, IEnumerable<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var list = allowed.Select(Canonical).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var expression = Canonical(id);
        if (!SpdxExpression.IsReadable(expression))
        {
            return false;
        }

        if (list.Contains(expression))
        {
            return true;
        }

        return SpdxExpression.Evaluate(expression, term => TermAllowed(term, list)) == true;
    }

    /// <summary>
    /// True when the text is a well-formed SPDX expression (ids, <c>AND</c>, <c>OR</c>, <c>WITH</c>, brackets); a statement
    /// such as <c>MIT/GPL-3.0</c> or <c>MIT, GPL-3.0-only</c> is not, and must be treated as <see cref="Unknown"/>.
    /// </summary>
    public static bool IsExpression(string text) => SpdxExpression.IsReadable(text ?? "");

    private static bool TermAllowed(string term, HashSet<string> list)
    {
        if (list.Contains(term))
        {
            return true;
        }

        var m = OrLater().Match(term);
        if (!m.Success)
        {
            return false;
        }

        var family = m.Groups["family"].Value;
        var version = decimal.Parse(m.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture);
        return list.Select(e => GnuVersioned().Match(e)).Any(e => e.Success
            && string.Equals(e.Groups["family"].Value, family, StringComparison.OrdinalIgnoreCase)
            && decimal.Parse(e.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture) >= version);
    }

    /// <summary>The ids named in an expression.</summary>
    public static IEnumerable<string> Terms(string expression) =>
        ExpressionToken().Matches(expression).Select(m => m.Value).Where(t => t is not ("AND" or "OR" or "WITH"));

    /// <summary>The Hub's <c>license:</c> name for an id, or null when the Hub has none (then the card says <c>other</c>).</summary>
    public static string? HubName(string id) => HubNames.TryGetValue(Canonical(id), out var name) ? name : null;

    [GeneratedRegex(@"[A-Za-z0-9][A-Za-z0-9.\-]*\+?")]
    private static partial Regex ExpressionToken();

    [GeneratedRegex(@"^(a|l)?gpl-\d\.\d$|^gfdl-\d\.\d$")]
    private static partial Regex GnuFamily();

    [GeneratedRegex(@"^(?<family>A?GPL|LGPL|GFDL|MPL|EPL)-(?<version>\d\.\d)-or-later$", RegexOptions.IgnoreCase)]
    private static partial Regex OrLater();

    [GeneratedRegex(@"^(?<family>A?GPL|LGPL|GFDL|MPL|EPL)-(?<version>\d\.\d)(-only|-or-later)?$", RegexOptions.IgnoreCase)]
    private static partial Regex GnuVersioned();
}
