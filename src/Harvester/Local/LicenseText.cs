using System.Text.RegularExpressions;
using AutoRefiner.Core.Curation;

namespace AutoRefiner.Harvester.Local;

/// <summary>
/// Recognises licences by their wording, as SPDX ids: in licence files (full texts and the usual short forms) and in the
/// header of a source file (an <c>SPDX-License-Identifier:</c> line or the notice a licence asks to put atop each file).
/// GNU licences are told "only" from "or later" by what the project says of the version, never by the licence text's own
/// "How to apply" appendix, which always shows the "or later" wording.
/// </summary>
public static partial class LicenseText
{
    /// <summary>How much of a file's top is read as its header.</summary>
    private const int HeaderLines = 120;

    /// <summary>The SPDX id of a licence text, or empty when its wording is not recognised.</summary>
    public static string Classify(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (SpdxLine().Match(text) is { Success: true } spdx)
        {
            return Spdx.Canonical(spdx.Groups["id"].Value);
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
    public static string FromHeader(string fileText) => Classify(Header(fileText));

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
        (Rx(@"Apache License,?\s+Version 2\.0|Apache License\s*\n\s*Version 2\.0|\bApache[ -]2\.0\b"), _ => "Apache-2.0"),
        (Rx(@"\bNew BSD License\b|\bModified BSD License\b|\bBSD[- ]3[- ]Clause\b"), _ => "BSD-3-Clause"),
        (Rx(@"\bSimplified BSD License\b|\bFreeBSD License\b|\bBSD[- ]2[- ]Clause\b"), _ => "BSD-2-Clause"),
        (Rx("Redistribution and use in source and binary forms"), t => Has(t, "Neither the name") || Has(t, "names of its contributors") ? "BSD-3-Clause" : "BSD-2-Clause"),
        (Rx(@"GNU (Lesser|Library) General Public License"), t => Gnu(t, "LGPL", LgplVersion(t))),
        (Rx(@"GNU Affero General Public License"), t => Gnu(t, "AGPL", "3.0")),
        (Rx(@"GNU General Public License"), t => Gnu(t, "GPL", GplVersion(t))),
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

    /// <summary>A GNU licence id: "or later" when the project's own words say so, else "only".</summary>
    private static string Gnu(string text, string family, string version)
    {
        // In a full licence text only what comes before it (the project's statement) counts.
        var statement = IsFullGnuText(text) ? text[..text.IndexOf("Preamble", StringComparison.Ordinal)] : text;
        if (OrLater().Match(statement) is { Success: true } m)
        {
            var stated = m.Groups["v"].Success && m.Groups["v"].Value.Length > 0 ? m.Groups["v"].Value : m.Groups["w"].Value;
            if (stated.Length > 0)
            {
                stated = stated.Contains('.', StringComparison.Ordinal) ? stated : stated + (family == "LGPL" && stated == "2" ? ".1" : ".0");

                // "version 1.3 or any later" in a documentation licence is no GPL version: only a version the family has counts.
                if (GnuVersions[family].Contains(stated))
                {
                    version = stated;
                }
            }

            return $"{family}-{version}-or-later";
        }

        return $"{family}-{version}-only";
    }

    private static readonly Dictionary<string, string[]> GnuVersions = new(StringComparer.Ordinal)
    {
        ["GPL"] = ["1.0", "2.0", "3.0"], ["LGPL"] = ["2.0", "2.1", "3.0"], ["AGPL"] = ["3.0"], ["GFDL"] = ["1.1", "1.2", "1.3"],
    };

    private static string GplVersion(string text) => GplV3().IsMatch(text) ? "3.0" : GplV1().IsMatch(text) ? "1.0" : "2.0";

    private static string LgplVersion(string text) => LesserV3().IsMatch(text) ? "3.0" : Has(text, "Library General Public") ? "2.0" : "2.1";

    [GeneratedRegex(@"SPDX-License-Identifier:\s*(?<id>[A-Za-z0-9.+\-() ]+?)\s*(\*/|-->|$)", RegexOptions.Multiline)]
    private static partial Regex SpdxLine();

    [GeneratedRegex(@"(version\s+(?<v>\d(\.\d)?)\s+of\s+the\s+License,?\s+or\s*\(at\s+your\s+option\)\s*any\s+later\s+version|version\s+(?<v>\d(\.\d)?),?\s+or\s+(\(at\s+your\s+option\)\s+)?(any\s+)?later|\b(L|A)?GPL\s*-?v?(?<w>\d(\.\d)?)(\+|\s+or\s+later|-or-later))", RegexOptions.IgnoreCase)]
    private static partial Regex OrLater();

    [GeneratedRegex(@"GENERAL PUBLIC LICENSE\s+Version 3|version 3 of the License|GPL-?v?3", RegexOptions.IgnoreCase)]
    private static partial Regex GplV3();

    [GeneratedRegex(@"GENERAL PUBLIC LICENSE\s+Version 1,", RegexOptions.IgnoreCase)]
    private static partial Regex GplV1();

    [GeneratedRegex(@"Free Documentation License\s+Version (1\.[123])", RegexOptions.IgnoreCase)]
    private static partial Regex GfdlVersion();

    [GeneratedRegex(@"LESSER GENERAL PUBLIC LICENSE\s+Version 3|version 3 of the License|LGPL-?v?3", RegexOptions.IgnoreCase)]
    private static partial Regex LesserV3();

    [GeneratedRegex(@"^\s*(//+|/\*+|\*+|#)?")]
    private static partial Regex CommentPrefix();

    [GeneratedRegex(@"\bCopyright\b\s*(\([cC]\)|©|(19|20)\d\d\b)")]
    private static partial Regex CopyrightLine();

    /// <summary>A template's blank (<c>&lt;year&gt;</c>, <c>&lt;name of author&gt;</c>, <c>[yyyy]</c>).</summary>
    [GeneratedRegex(@"[<\[]\s*(year|yyyy|name|owner|copyright|fullname)", RegexOptions.IgnoreCase)]
    private static partial Regex Placeholder();
}
