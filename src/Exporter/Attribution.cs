using System.Globalization;
using System.Text;

namespace AutoRefiner.Exporter;

/// <summary><c>ATTRIBUTION.md</c>: every source repository and commit the rows were made from, with its licence and row count.</summary>
internal static class Attribution
{
    /// <summary>The repository's link at the commit, from a row's file permalink (<c>…/blob/&lt;sha&gt;/path#L1-L2</c>).</summary>
    public static string RepositoryUrl(string fileUrl)
    {
        var blob = fileUrl.IndexOf("/blob/", StringComparison.Ordinal);
        if (blob < 0)
        {
            return "";
        }

        var afterSha = fileUrl.IndexOf('/', blob + "/blob/".Length);
        return afterSha < 0 ? fileUrl : fileUrl[..blob] + "/tree/" + fileUrl[(blob + "/blob/".Length)..afterSha];
    }

    public static string Write(IReadOnlyDictionary<(string Repo, string Commit, string License, string Url), long> sources)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("# Attribution\n\nThe rows of this dataset were made from the source code below. Each row's `source_repo`, `source_path`, ")
          .Append("`source_commit`, `source_license` and `source_url` name the exact file and lines; this file lists each repository and commit ")
          .Append("once, with its licence (SPDX id) and how many rows came from it. Reproduce or redistribute under the terms of those licences.\n\n");
        if (sources.Count == 0)
        {
            return sb.Append("No rows, so no sources.\n").ToString();
        }

        sb.Append("| repository | commit | licence | rows |\n|---|---|---|---:|\n");
        foreach (var ((repo, commit, license, url), rows) in sources.OrderBy(kv => kv.Key.Repo, StringComparer.Ordinal).ThenBy(kv => kv.Key.Commit, StringComparer.Ordinal))
        {
            var name = url.Length > 0 ? $"[{Escape(repo)}]({url})" : Escape(repo);
            sb.Append(inv, $"| {name} | {(commit.Length > 0 ? $"`{commit}`" : "(not a git checkout)")} | {(license.Length > 0 ? license : "unknown")} | {rows:N0} |\n");
        }

        return sb.ToString();
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);
}
