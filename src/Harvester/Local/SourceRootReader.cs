using System.Text.RegularExpressions;
using AutoRefiner.Core;
using AutoRefiner.Core.Model;

namespace AutoRefiner.Harvester.Local;

/// <summary>
/// Describes a local directory as a <see cref="SourceRoot"/>: when it lies in a git checkout, the repository
/// (from the <c>origin</c> remote), the HEAD commit and the licence file of the checkout's top.
/// </summary>
public static partial class SourceRootReader
{
    /// <summary>Reads what is known of <paramref name="path"/>; a missing path or a file is a usage error.</summary>
    public static SourceRoot Read(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw AutoRefinerException.Usage("a source is empty; give a directory, a local git checkout or owner/name");
        }

        var full = Path.GetFullPath(path);
        var shown = Core.Text.Redact.Credentials(path);
        if (File.Exists(full))
        {
            throw AutoRefinerException.Usage($"source '{shown}' is a file; give a directory or a local git checkout");
        }

        if (!Directory.Exists(full))
        {
            throw AutoRefinerException.Usage(path.Contains("://", StringComparison.Ordinal)
                ? $"source '{shown}' is neither a local directory nor a GitHub repository URL (https://github.com/owner/name)"
                : $"source '{shown}' does not exist (looked for {full})");
        }

        // A tree that cannot even be listed would only be counted as one skip and give an empty dataset: say so instead.
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(full).GetEnumerator();
            entries.MoveNext();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw AutoRefinerException.Usage(
                $"source '{shown}' cannot be read ({(e is UnauthorizedAccessException ? "permission denied" : "the system refuses to list it")}); give a directory this user can read");
        }

        var gitTop = FindGitTop(full);
        var top = gitTop ?? LicensedTop(full);
        var (repo, web) = gitTop is null ? (new DirectoryInfo(top).Name, "") : ReadOrigin(gitTop);
        var commit = gitTop is null ? "" : ReadHead(gitTop);
        return new SourceRoot(top, repo, commit, DetectLicense(top), web);
    }

    /// <summary>
    /// The top of the project a folder outside any git checkout belongs to: the nearest folder at or above it with a licence
    /// file (so <c>--source app/src</c> takes <c>app/LICENSE</c> and is named <c>app</c>), looking no higher than the
    /// user's home (a home folder is nobody's project) or the filesystem root; the folder itself when none has one.
    /// </summary>
    private static string LicensedTop(string full)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        for (var dir = new DirectoryInfo(full); dir is not null; dir = dir.Parent)
        {
            if (home.Length > 0 && string.Equals(Path.TrimEndingDirectorySeparator(dir.FullName), Path.TrimEndingDirectorySeparator(home), StringComparison.Ordinal))
            {
                break;
            }

            if (FindLicense(dir.FullName) is not null)
            {
                return dir.FullName;
            }
        }

        return full;
    }

    /// <summary>True when <paramref name="directory"/> is the top of a git checkout (it holds <c>.git</c>).</summary>
    public static bool IsGitTop(string directory)
    {
        var git = Path.Combine(directory, ".git");
        return Directory.Exists(git) || File.Exists(git);
    }

    /// <summary>
    /// The repository (owner/name of a GitHub-like origin, else the folder's name), its web address (empty when the
    /// origin is not an upstream) and the HEAD commit of the checkout whose top is <paramref name="top"/>.
    /// </summary>
    public static (string Repo, string WebUrl, string Commit) ReadGit(string top)
    {
        var (repo, web) = ReadOrigin(top);
        return (repo, web, ReadHead(top));
    }

    /// <summary>
    /// The SPDX id of the licence file of <paramref name="directory"/> (<c>LICENSE</c>, <c>License.txt</c>,
    /// <c>LICENCE.md</c>, <c>COPYING</c>, … in any case, in the directory or its <c>doc</c>/<c>docs</c> folder):
    /// <c>unknown</c> when there is one but its text is not recognised, empty when there is none.
    /// </summary>
    public static string DetectLicense(string directory) => FindLicense(directory)?.Id ?? "";

    /// <summary>
    /// The licence file(s) of a directory (see <see cref="DetectLicense"/>) with their id, or null when there is none. Several
    /// recognised files side by side (<c>LICENSE-MIT</c> and <c>LICENSE-APACHE</c>) are the project's choice of licences:
    /// <c>MIT OR Apache-2.0</c>. By the GNU convention <c>COPYING.LESSER</c> next to <c>COPYING</c> adds permissions to the
    /// GPL, so the project is under the LGPL alone. An empty licence file, or one that is a link (never followed), is a
    /// licence the tool cannot read: <c>unknown</c>, never "no licence".
    /// </summary>
    public static (string Id, string Path, string Text)? FindLicense(string directory)
    {
        (string, string, string)? unrecognised = null;
        var found = new List<(string Id, string Path, string Text)>();
        foreach (var file in LicenseFiles(directory))
        {
            try
            {
                var info = new FileInfo(file);
                if (info.LinkTarget is not null || info.Length is 0 or >= 256 * 1024)
                {
                    unrecognised ??= (Core.Curation.Spdx.Unknown, file, "");
                    continue;
                }

                var text = File.ReadAllText(file);
                if (LicenseText.Classify(text) is { Length: > 0 } id && id != Core.Curation.Spdx.Unknown)
                {
                    found.Add((id, file, text));
                    continue;
                }

                unrecognised ??= (Core.Curation.Spdx.Unknown, file, text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // An unreadable licence file is a licence we do not know.
                unrecognised ??= (Core.Curation.Spdx.Unknown, file, "");
            }
        }

        return found.Count == 0 ? unrecognised : (Combine(found.Select(f => f.Id)), found[0].Path, string.Join('\n', found.Select(f => f.Text)));
    }

    private static string Combine(IEnumerable<string> ids)
    {
        var distinct = ids.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Any(i => i.StartsWith("LGPL-", StringComparison.Ordinal)))
        {
            distinct.RemoveAll(i => i.StartsWith("GPL-", StringComparison.Ordinal));
        }

        return distinct.Count == 1
            ? distinct[0]
            : string.Join(" OR ", distinct.Select(i => i.Contains(' ', StringComparison.Ordinal) ? $"({i})" : i));
    }

    private static readonly string[] DocFolders = ["doc", "docs", "documentation"];
    private static readonly string[] NotLicenceExtensions = [".cs", ".csproj", ".xml", ".json", ".resx", ".png", ".ico", ".dll", ".exe", ".config", ".xaml", ".yml", ".yaml", ".props", ".targets", ".sln"];

    private static IEnumerable<string> LicenseFiles(string directory)
    {
        IEnumerable<string> In(string dir) => Directory.EnumerateFiles(dir)
            .Where(f => LicenseName().IsMatch(Path.GetFileName(f)) && !NotLicenceExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        string[] own, docs;
        try
        {
            own = [.. In(directory)];
            docs = own.Length > 0 ? [] : [.. Directory.EnumerateDirectories(directory)
                .Where(d => DocFolders.Contains(Path.GetFileName(d), StringComparer.OrdinalIgnoreCase) && new DirectoryInfo(d).LinkTarget is null)
                .Order(StringComparer.Ordinal)
                .SelectMany(In)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        return own.Concat(docs);
    }

    /// <summary>Recognises the common licence texts by their wording (see <see cref="LicenseText.Classify"/>).</summary>
    public static string Classify(string text) => LicenseText.Classify(text);

    private static string? FindGitTop(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (IsGitTop(dir.FullName))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    internal static string GitDir(string top)
    {
        var git = Path.Combine(top, ".git");
        if (File.Exists(git))
        {
            // Worktrees and submodules: ".git" is a file "gitdir: <path>".
            var line = File.ReadAllText(git).Trim();
            if (line.StartsWith("gitdir:", StringComparison.Ordinal))
            {
                return Path.GetFullPath(line["gitdir:".Length..].Trim(), top);
            }
        }

        return git;
    }

    /// <summary>The HEAD commit, or empty when the metadata is missing, odd or hostile (never a file outside .git).</summary>
    private static string ReadHead(string top)
    {
        try
        {
            var gitDir = GitDir(top);
            var head = File.ReadAllText(Path.Combine(gitDir, "HEAD")).Trim();
            if (!head.StartsWith("ref:", StringComparison.Ordinal))
            {
                return Sha().IsMatch(head) ? head : "";
            }

            var name = head[4..].Trim();
            if (!RefName().IsMatch(name) || name.Contains("..", StringComparison.Ordinal))
            {
                return "";
            }

            foreach (var dir in new[] { gitDir, CommonDir(gitDir) })
            {
                var loose = Path.Combine(dir, name);
                if (File.Exists(loose))
                {
                    var sha = File.ReadAllText(loose).Trim();
                    return Sha().IsMatch(sha) ? sha : "";
                }

                var packed = Path.Combine(dir, "packed-refs");
                if (File.Exists(packed))
                {
                    foreach (var line in File.ReadLines(packed))
                    {
                        var parts = line.Split(' ', 2);
                        if (parts.Length == 2 && parts[1] == name && Sha().IsMatch(parts[0]))
                        {
                            return parts[0];
                        }
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // Odd git metadata costs the commit, never the run.
        }

        return "";
    }

    private static string CommonDir(string gitDir)
    {
        var common = Path.Combine(gitDir, "commondir");
        return File.Exists(common) ? Path.GetFullPath(File.ReadAllText(common).Trim(), gitDir) : gitDir;
    }

    private static (string Repo, string WebUrl) ReadOrigin(string top)
    {
        var fallback = (new DirectoryInfo(top).Name, "");
        try
        {
            var config = Path.Combine(CommonDir(GitDir(top)), "config");
            if (!File.Exists(config))
            {
                return fallback;
            }

            var inOrigin = false;
            foreach (var raw in File.ReadLines(config))
            {
                var line = raw.Trim();
                if (line.StartsWith('['))
                {
                    inOrigin = line == "[remote \"origin\"]";
                }
                else if (inOrigin && line.StartsWith("url", StringComparison.Ordinal) && line.Contains('=', StringComparison.Ordinal))
                {
                    return ParseRemote(line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim()) ?? fallback;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // Odd git metadata costs the remote, never the run.
        }

        return fallback;
    }

    /// <summary>
    /// The repository name and the web URL of a remote (<c>https://host/owner/name(.git)</c>, <c>ssh://…</c>, <c>git://…</c> or
    /// <c>git@host:owner/name(.git)</c>); credentials in the URL are never kept. On github.com, or the GitHub Enterprise host
    /// of <c>GITHUB_SERVER_URL</c>, the name is <c>owner/name</c>; on gitlab.com and bitbucket.org it keeps its host
    /// (<c>gitlab.com/owner/name</c>), so a GitLab and a GitHub project of the same name stay apart; on any other host the
    /// host-qualified name is kept but there is no web URL (so no permalink is guessed). Anything else — a <c>file://</c>
    /// URL, a local path, a host or path with characters no forge uses — is not an upstream: null.
    /// </summary>
    public static (string Repo, string WebUrl)? ParseRemote(string url) =>
        ParseRemote(url, Environment.GetEnvironmentVariable("GITHUB_SERVER_URL"));

    /// <summary>As <see cref="ParseRemote(string)"/>, with the GitHub Enterprise server given (null or empty: none).</summary>
    public static (string Repo, string WebUrl)? ParseRemote(string url, string? githubServer)
    {
        ArgumentNullException.ThrowIfNull(url);
        var m = Remote().Match(url.Trim());
        if (!m.Success)
        {
            return null;
        }

        var host = m.Groups["host"].Value.ToLowerInvariant();
        var path = m.Groups["path"].Value.TrimEnd('/');
        if (path.EndsWith(".git", StringComparison.Ordinal))
        {
            path = path[..^4];
        }

        var segments = path.Split('/');
        if (segments.Length < 2 || !segments.All(s => RepoSegment().IsMatch(s) && s is not ("." or "..")))
        {
            return null;
        }

        var enterprise = Uri.TryCreate(githubServer, UriKind.Absolute, out var server) ? server.Host.ToLowerInvariant() : "";
        return host switch
        {
            "github.com" or "www.github.com" => (path, $"https://github.com/{path}"),
            _ when host == enterprise => (path, $"https://{host}/{path}"),
            "gitlab.com" or "bitbucket.org" => ($"{host}/{path}", $"https://{host}/{path}"),
            _ => ($"{host}/{path}", ""),
        };
    }

    [GeneratedRegex("^[0-9a-f]{40}([0-9a-f]{24})?$")]
    private static partial Regex Sha();

    /// <summary>A branch or tag ref: refs/… with ordinary segments (no "..", no absolute path).</summary>
    [GeneratedRegex(@"^refs/[A-Za-z0-9._/+-]+$")]
    private static partial Regex RefName();

    [GeneratedRegex(@"^(licen[cs]e|copying|unlicense)([.\-_].*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex LicenseName();

    /// <summary>A URL form (http, https, ssh, git) or the scp form, which needs its user (<c>git@host:owner/name</c>).</summary>
    [GeneratedRegex(@"^(?:(?:https?|ssh|git)://(?:[^@/\s]+@)?(?<host>[A-Za-z0-9][A-Za-z0-9.-]*)(?::\d+)?/|[A-Za-z0-9._-]+@(?<host>[A-Za-z0-9][A-Za-z0-9.-]*):)(?<path>[^?#\s]+)$")]
    private static partial Regex Remote();

    [GeneratedRegex(@"^[A-Za-z0-9._-]+$")]
    private static partial Regex RepoSegment();
}
