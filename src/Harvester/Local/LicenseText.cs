using System.Text.RegularExpressions;
using AutoRefiner.Core.Curation;

namespace AutoRefiner.Harvester.Local;

/// <summary>
/// Recognises licences by their wording, as SPDX ids: in licence files (full texts and the usual short forms) and in the
/// header of a source file (an <c>SPDX-License-Identifier:</c> line or the notice a licence asks to put atop each file).
/// GNU licences are told "only" from "or later" by what the project says of the version, never by the licence text's own
/// "How to apply" appendix, which always shows the "or later" wording.
/// </summary>
internal static partial class LicenseText
{
    /// <summary>How much of a file's top is read as its header.</summary>
    private const int HeaderLines = 120;

    /// <summary>The SPDX id of a licence text, or empty when its wording is not recognised.</summary>
    public static string Classify(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (SpdxLine().Match(text) is { Success: true } spdx)
        {
            return SpdxId(spdx.Groups["id"].Value);
        }

        if (ShortForm(text) is { Length: > 0 } shortForm)
        {
            return shortForm;
        }

        // A licence file often ends with third-party notices under other licences: the licence named first is the
        // project's own.
        var best = "";
        var bestAt = int.MaxValue;
        foreach (var (marker, id) in Markers)
        {
            var at = marker.Match(text) is { Success: true } m ? m.Index : -1;
            if (at >= 0 && at < bestAt && id(text) is { Length: > 0 } found)
            {
                (best, bestAt) = (found, at);
            }
        }

        return best;
    }

    /// <summary>
    /// The licence the header of a C# file states (its leading comments, with the directives among them such as
    /// <c>#region License</c>), or empty when it states none.
    /// </summary>
    /// <remarks>
    /// A statement the tool cannot read is <c>unknown</c>, never "none": an SPDX line whose value is no expression, an SPDX
    /// line further down (after the <c>using</c> lines, within the first lines of the file), or wording that says the file
    /// is licensed or names the GPL without a licence recognised. Falling back to the project's licence there would
    /// label a file MIT that says it is something else.
    /// </remarks>
    public static string FromHeader(string fileText)
    {
        ArgumentNullException.ThrowIfNull(fileText);
        var header = Header(fileText);
        var id = Classify(header);
        if (id.Length == 0 && SpdxLine().Match(FirstLines(fileText, SpdxSearchLines)) is { Success: true } spdx)
        {
            id = SpdxId(spdx.Groups["id"].Value);
        }

        return id.Length == 0 && header.Split('\n').Any(IsUnreadStatement) ? Spdx.Unknown : id;
    }

    /// <summary>How far into a file an SPDX line below the header is still looked for.</summary>
    private const int SpdxSearchLines = 40;

    private static string FirstLines(string text, int count)
    {
        var at = 0;
        for (var i = 0; i < count && at >= 0; i++)
        {
            at = text.IndexOf('\n', at + (i == 0 ? 0 : 1));
        }

        return at < 0 ? text : text[..at];
    }

    private static string SpdxId(string value)
    {
        var trimmed = string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return trimmed.Length > 0 && Spdx.IsExpression(trimmed) ? Spdx.Canonical(trimmed) : Spdx.Unknown;
    }

    /// <summary>
    /// A header line that states a licence (not one that only points at the project's licence file).
    /// </summary>
    private static bool IsUnreadStatement(string line) =>
        LicenceStatement().IsMatch(line) && !PointsAtProjectFile().IsMatch(line);

    /// <summary>
    /// The short forms a licence file may hold instead of a text (<c>MIT</c>, <c>Apache License 2.0</c>, <c>GPLv3</c>,
    /// <c>LGPL-2.1</c>): a file of one short line. Longer texts go through the wording markers.
    /// </summary>
    private static string ShortForm(string text)
    {
        var t = text.Trim().TrimEnd('.');
        if (t.Length == 0 || t.Length > 60 || t.Contains('\n', StringComparison.Ordinal))
        {
            return "";
        }

        if (Spdx.IsExpression(t) && Spdx.Terms(Spdx.Canonical(t)).All(Spdx.IsKnown))
        {
            return Spdx.Canonical(t);
        }

        return "";
    }

    /// <summary>The leading comment block of a file (and the directive lines among it).</summary>
    public static string Header(string fileText)
    {
        ArgumentNullException.ThrowIfNull(fileText);
        var lines = new List<string>();
        var inBlock = false;
        using var reader = new StringReader(fileText);
        while (lines.Count < HeaderLines && reader.ReadLine() is { } line)
        {
            var t = line.Trim();
            if (inBlock)
            {
                lines.Add(line);
                inBlock = !t.Contains("*/", StringComparison.Ordinal);
                continue;
            }

            // Directives (#region License, #if NET20) often wrap or precede the notice.
            if (t.Length == 0 || t.StartsWith("//", StringComparison.Ordinal) || t.StartsWith('#'))
            {
                lines.Add(line);
                continue;
            }

            if (t.StartsWith("/*", StringComparison.Ordinal))
            {
                lines.Add(line);
                inBlock = !t[2..].Contains("*/", StringComparison.Ordinal);
                continue;
            }

            break;
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// The copyright lines of a header or licence file (never those of the licence text itself, such as the Free Software
    /// Foundation's, nor template lines such as <c>Copyright (C) &lt;year&gt; &lt;name of author&gt;</c>), at most ten.
    /// </summary>
    public static IReadOnlyList<string> CopyrightLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var region = IsFullGnuText(text) ? text[..text.IndexOf("Preamble", StringComparison.Ordinal)] : text;
        return [.. region.Split('\n')
            .Select(l => CommentPrefix().Replace(l, "").Trim())
            .Where(l => l.Length < 300 && CopyrightLine().IsMatch(l) && !Placeholder().IsMatch(l)
                && !l.Contains("Free Software Foundation", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .Take(10)];
    }

    private static bool IsFullGnuText(string text) =>
        text.Contains("Preamble", StringComparison.Ordinal) && text.Contains("TERMS AND CONDITIONS", StringComparison.Ordinal);

    private static readonly (Regex Marker, Func<string, string> Id)[] Markers =
    [
        (Rx("Permission is hereby granted, free of charge"), _ => "MIT"),
        (Rx(@"\bMIT License\b|\bMIT licen[cs]e\b|\bLicensed under the MIT\b|\bunder the MIT\b"), _ => "MIT"),
        (Rx(@"Apache License,?\s+(Version\s+|v\.?\s*)?2\.0|Apache License\s*\n\s*Version 2\.0|\bApache[ -]2\.0\b"), _ => "Apache-2.0"),
        (Rx(@"\bNew BSD License\b|\bModified BSD License\b|\bBSD[- ]3[- ]Clause\b"), _ => "BSD-3-Clause"),
        (Rx(@"\bSimplified BSD License\b|\bFreeBSD License\b|\bBSD[- ]2[- ]Clause\b"), _ => "BSD-2-Clause"),
        (Rx("Redistribution and use in source and binary forms"), t => Has(t, "Neither the name") || Has(t, "names of its contributors") ? "BSD-3-Clause" : "BSD-2-Clause"),
        (Rx(@"GNU (Lesser|Library) General Public License|\bLGPL\b|\bLGPL-?v?\d"), t => Gnu(t, "LGPL")),
        (Rx(@"GNU Affero General Public License|\bAGPL\b|\bAGPL-?v?\d"), t => Gnu(t, "AGPL")),
        (Rx(@"GNU General Public License|\bGPL\b|\bGPL-?v?\d"), t => Gnu(t, "GPL")),
        (Rx(@"GNU Free Documentation License"), t => Gnu(t, "GFDL", GfdlVersion().Match(t) is { Success: true } v ? v.Groups[1].Value : "1.3")),
        (Rx(@"The Artistic License 2\.0"), _ => "Artistic-2.0"),
        (Rx(@"The ""Artistic License"""), _ => "Artistic-1.0"),
        (Rx(@"Mozilla Public License,?\s+(v\.?|Version)\s*2\.0"), _ => "MPL-2.0"),
        (Rx(@"Mozilla Public License,?\s+(v\.?|Version)\s*1\.1"), _ => "MPL-1.1"),
        (Rx(@"Eclipse Public License\s*(-\s*)?v(ersion)?\s*2\.0"), _ => "EPL-2.0"),
        (Rx(@"Eclipse Public License\s*(-\s*)?v(ersion)?\s*1\.0"), _ => "EPL-1.0"),
        (Rx("This is free and unencumbered software released into the public domain"), _ => "Unlicense"),
        (Rx("Microsoft Public License"), _ => "MS-PL"),
        (Rx("Microsoft Reciprocal License"), _ => "MS-RL"),
        (Rx("Boost Software License"), _ => "BSL-1.0"),
        (Rx(@"Permission to use, copy, modify, and(/or)? distribute this software for any\s+purpose with or without fee"), _ => "ISC"),
        (Rx(@"altered source versions must be plainly marked"), _ => "Zlib"),
        (Rx(@"CC0 1\.0 Universal"), _ => "CC0-1.0"),
    ];

    private static Regex Rx(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static bool Has(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A GNU licence id: the version the text states (its title, <c>v3</c>, <c>version 3</c>, <c>3.0</c>), "or later" when
    /// the project's own words say so, else "only"; <c>unknown</c> when no version is stated (the GPL has three, and
    /// guessing one mislabels the code). The Affero licence has one GNU version.
    /// </summary>
    private static string Gnu(string text, string family, string? stated = null)
    {
        // In a full licence text only what comes before it (the project's statement) counts.
        var statement = IsFullGnuText(text) ? text[..text.IndexOf("Preamble", StringComparison.Ordinal)] : text;
        var version = stated ?? StatedVersion(statement, family) ?? (family == "AGPL" ? "3.0" : null);
        if (OrLater().Match(statement) is { Success: true } m)
        {
            var said = m.Groups["v"].Success && m.Groups["v"].Value.Length > 0 ? m.Groups["v"].Value : m.Groups["w"].Value;
            if (Normalise(said, family, statement) is { } later)
            {
                version = later;
            }

            return version is null ? Spdx.Unknown : $"{family}-{version}-or-later";
        }

        return version is null ? Spdx.Unknown : $"{family}-{version}-only";
    }

    private static string? StatedVersion(string statement, string family)
    {
        foreach (var rx in new[] { TitleVersion(), OfTheLicense() })
        {
            foreach (Match m in rx.Matches(statement))
            {
                if (Normalise(m.Groups["v"].Value, family, statement) is { } v)
                {
                    return v;
                }
            }
        }

        return null;
    }

    /// <summary>"3" is 3.0; a bare LGPL "2" is 2.0 for the Library licence and 2.1 for the Lesser; only versions the family has.</summary>
    private static string? Normalise(string stated, string family, string statement)
    {
        if (stated.Length == 0)
        {
            return null;
        }

        if (!stated.Contains('.', StringComparison.Ordinal))
        {
            stated += family == "LGPL" && stated == "2" && !Has(statement, "Library General Public") ? ".1" : ".0";
        }

        // "version 1.3 or any later" in a documentation licence is no GPL version: only a version the family has counts.
        return GnuVersions[family].Contains(stated) ? stated : null;
    }

    private static readonly Dictionary<string, string[]> GnuVersions = new(StringComparer.Ordinal)
    {
        ["GPL"] = ["1.0", "2.0", "3.0"], ["LGPL"] = ["2.0", "2.1", "3.0"], ["AGPL"] = ["3.0"], ["GFDL"] = ["1.1", "1.2", "1.3"],
    };


    [GeneratedRegex(@"SPDX-License-Identifier:[ \t]*(?<id>[^\r\n]*?)[ \t]*(\*/|-->)?[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex SpdxLine();

    [GeneratedRegex(@"((version|\bv\.?)\s*(?<v>\d(\.\d)?)\s+of\s+the\s+License,?\s+or\s*\(at\s+your\s+option\)\s*any\s+later\s+version|(version|\bv\.?)\s*(?<v>\d(\.\d)?),?\s+or\s+(\(at\s+your\s+option\)\s+)?(any\s+)?later|\b(L|A)?GPL\s*-?v?(?<w>\d(\.\d)?)(\+|\s+or\s+later|-or-later))", RegexOptions.IgnoreCase)]
    private static partial Regex OrLater();

    /// <summary>A version right after the licence's name: <c>GNU GENERAL PUBLIC LICENSE Version 3</c>, <c>… License v3.0</c>, <c>…, version 3</c>, <c>GPLv3</c>, <c>LGPL-2.1</c>.</summary>
    [GeneratedRegex(@"(General\s+Public\s+Licen[cs]e|\b[AL]?GPL)[\s,:()]*(\(?[AL]?GPL\)?[\s,]*)?(-\s*|v\.?\s*|version\s+)?(?<v>\d(\.\d)?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TitleVersion();

    [GeneratedRegex(@"version\s+(?<v>\d(\.\d)?)\s+of\s+the\s+(GNU\s+)?((Lesser|Library|Affero)\s+)?(General\s+Public\s+)?Licen[cs]e", RegexOptions.IgnoreCase)]
    private static partial Regex OfTheLicense();

    /// <summary>Words that state a licence.</summary>
    [GeneratedRegex(@"\blicen[cs]ed\s+(to\s+you\s+)?under\b|\bunder\s+the\s+terms\s+of\b|\b[AL]?GPL|General\s+Public\s+Licen[cs]e|SPDX-License-Identifier|\breleased\s+under\b", RegexOptions.IgnoreCase)]
    private static partial Regex LicenceStatement();

    /// <summary>A line that only sends the reader to the project's licence file.</summary>
    [GeneratedRegex(@"\bLICEN[CS]E(\.\w+)?\s+file\b|\bproject\s+root\b|\b(in|see)\s+(the\s+)?LICEN[CS]E(\.(txt|md))?\b", RegexOptions.IgnoreCase)]
    private static partial Regex PointsAtProjectFile();

    [GeneratedRegex(@"Free Documentation License\s+Version (1\.[123])", RegexOptions.IgnoreCase)]
    private static partial Regex GfdlVersion();

    [GeneratedRegex(@"^\s*(//+|/\*+|\*+|#)?")]
    private static partial Regex CommentPrefix();

    [GeneratedRegex(@"\bCopyright\b\s*(\([cC]\)|©|(19|20)\d\d\b)")]
    private static partial Regex CopyrightLine();

    /// <summary>A template's blank (<c>&lt;year&gt;</c>, <c>&lt;name of author&gt;</c>, <c>[yyyy]</c>).</summary>
    [GeneratedRegex(@"[<\[]\s*(year|yyyy|name|owner|copyright|fullname)", RegexOptions.IgnoreCase)]
    private static partial Regex Placeholder();
}
