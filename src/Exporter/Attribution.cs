using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AutoRefiner.Exporter;

/// <summary>
/// <c>ATTRIBUTION.md</c>: every project the rows were made from, with its licence, upstream, version, row count and the
/// notices its licence asks to keep. Everything that comes from outside (names, notices, URLs) is escaped, and only an
/// http(s) address is ever a link.
/// </summary>
internal static partial class Attribution
{
    /// <summary>
    /// The repository's link at the commit, from a row's file permalink: GitHub's <c>…/blob/&lt;sha&gt;/path#L1-L2</c> gives
    /// <c>…/tree/&lt;sha&gt;</c>, GitLab's <c>…/-/blob/&lt;sha&gt;/…</c> gives <c>…/-/tree/&lt;sha&gt;</c>, Bitbucket's
    /// <c>…/src/&lt;sha&gt;/…</c> gives <c>…/src/&lt;sha&gt;</c>.
    /// </summary>
    public static string RepositoryUrl(string fileUrl)
    {
        if (!IsWebUrl(fileUrl))
        {
            return "";
        }

        var (marker, tree) = fileUrl.Contains("/-/blob/", StringComparison.Ordinal) ? ("/-/blob/", "/-/tree/")
            : fileUrl.Contains("/blob/", StringComparison.Ordinal) ? ("/blob/", "/tree/")
            : Uri.TryCreate(fileUrl, UriKind.Absolute, out var u) && u.Host.Equals("bitbucket.org", StringComparison.OrdinalIgnoreCase) ? ("/src/", "/src/")
            : ("", "");
        var blob = marker.Length > 0 ? fileUrl.IndexOf(marker, StringComparison.Ordinal) : -1;
        if (blob < 0)
        {
            return "";
        }

        var afterSha = fileUrl.IndexOf('/', blob + marker.Length);
        if (afterSha < 0)
        {
            return "";
        }

        var repository = fileUrl[..blob] + tree + fileUrl[(blob + marker.Length)..afterSha];

        // An upstream has a host and an owner/name: a URL made of an origin like file:///etc/passwd has neither.
        return Uri.TryCreate(repository, UriKind.Absolute, out var uri) && uri.Host.Length > 0 && !uri.Host.Equals("file", StringComparison.OrdinalIgnoreCase)
            && uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Length >= 4 && repository.IndexOf("//", 8, StringComparison.Ordinal) < 0
            ? repository
            : "";
    }

    /// <summary>True for an http(s) URL made only of characters that need no escaping in markdown or HTML.</summary>
    public static bool IsWebUrl(string url) => SafeUrl().IsMatch(url);

    public static string Write(SourceTally tally)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("# Attribution\n\nThe rows of this dataset were made from the source code below. Each row's `source_repo`, `source_path`, ")
          .Append("`source_lines`, `source_commit`, `source_license` and `source_url` name the exact file and lines; this file lists each ")
          .Append("project once, with its licence (SPDX id), its upstream when known, and how many rows came from it, followed by the ")
          .Append("notices its licence asks to keep with the code. Reproduce or redistribute under the terms of those licences.\n\n");
        var projects = tally.Projects.ToList();
        if (projects.Count == 0)
        {
            return sb.Append("No rows, so no sources.\n").ToString();
        }

        sb.Append("| project | version | commit | licence | upstream | rows |\n|---|---|---|---|---|---:|\n");
        foreach (var p in projects)
        {
            sb.Append(inv, $"| {Escape(p.Repo)} | {(p.Version.Length > 0 ? Escape(p.Version) : "")} | ")
              .Append(p.Commit.Length > 0 ? $"`{Escape(p.Commit)}`" : "(not a git checkout)")
              .Append(" | ").Append(Escape(p.LicenseSummary))
              .Append(" | ").Append(IsWebUrl(p.Upstream) ? $"<{p.Upstream}>" : "")
              .Append(inv, $" | {p.Rows:N0} |\n");
        }

        var withNotices = projects.Where(p => p.Notices.Count > 0).ToList();
        if (withNotices.Count > 0)
        {
            sb.Append("\n## Notices\n\nCopyright lines and NOTICE files of the code the rows were made from, as their licences ask.\n");
            foreach (var p in withNotices)
            {
                sb.Append("\n### ").Append(Escape(p.Repo)).Append("\n\n");
                foreach (var notice in p.Notices)
                {
                    // An indented block: shown verbatim, never read as markdown or HTML.
                    sb.Append(string.Concat(notice.ReplaceLineEndings("\n").Split('\n').Select(l => $"    {l}\n"))).Append('\n');
                }

                if (p.NoticesLeftOut)
                {
                    sb.Append("More notices of this project are in the rows' `source_notice`.\n\n");
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>Text from outside, safe in a markdown table cell: markdown punctuation and HTML are escaped, lines joined.</summary>
    public static string Escape(string text) =>
        MarkdownSpecial().Replace(text.ReplaceLineEndings(" "), m => m.Value switch
        {
            "<" => "&lt;",
            ">" => "&gt;",
            "&" => "&amp;",
            var c => "\\" + c,
        });

    [GeneratedRegex(@"[\\`*_{}\[\]()#+!|<>&~]")]
    private static partial Regex MarkdownSpecial();

    [GeneratedRegex(@"^https?://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~%/+-]*)?(#[A-Za-z0-9:-]*)?$")]
    private static partial Regex SafeUrl();
}
