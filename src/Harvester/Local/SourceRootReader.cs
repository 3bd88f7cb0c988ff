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
        var top = gitTop ?? full;
        var (repo, web) = gitTop is null ? (new DirectoryInfo(full).Name, "") : ReadOrigin(gitTop);
        var commit = gitTop is null ? "" : ReadHead(gitTop);
        return new SourceRoot(top, repo, commit, DetectLicense(top), web);
    }

    /// <summary>
    /// The SPDX id of the licence file at the top of <paramref name="directory"/> (<c>LICENSE</c>, <c>License.txt</c>,
    /// <c>LICENCE.md</c>, <c>COPYING</c>, … in any case), or empty when there is none or it is not recognised.
    /// </summary>
    public static string DetectLicense(string directory)
    {
        try
        {
            var files = Directory.EnumerateFiles(directory)
                .Where(f => LicenseName().IsMatch(Path.GetFileName(f)))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var info = new FileInfo(file);
                if (info.LinkTarget is null && info.Length is > 0 and < 256 * 1024 && Classify(File.ReadAllText(file)) is { Length: > 0 } id)
                {
                    return id;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable licence file is an unknown licence.
        }

        return "";
    }

    /// <summary>Recognises the common licence texts by their wording.</summary>
    public static string Classify(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // A licence file often ends with third-party notices under other licences: the licence named first is the
        // project's own.
        var best = "";
        var bestAt = int.MaxValue;
        foreach (var (marker, id) in LicenseMarkers)
        {
            var at = text.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && at < bestAt)
            {
                (best, bestAt) = (id(text), at);
            }
        }

        return best;
    }

    private static readonly (string Marker, Func<string, string> Id)[] LicenseMarkers =
    [
        ("Permission is hereby granted, free of charge", _ => "mit"),
        ("Apache License", t => Has(t, "2.0") ? "apache-2.0" : ""),
        ("Apache 2.0", _ => "apache-2.0"),
        ("Apache-2.0", _ => "apache-2.0"),
        ("Redistribution and use in source and binary forms", t => Has(t, "Neither the name") || Has(t, "names of its contributors") ? "bsd-3-clause" : "bsd-2-clause"),
        ("GNU LESSER GENERAL PUBLIC LICENSE", t => Has(t, "Version 3") ? "lgpl-3.0" : "lgpl-2.1"),
        ("GNU AFFERO GENERAL PUBLIC LICENSE", _ => "agpl-3.0"),
        ("GNU GENERAL PUBLIC LICENSE", t => Has(t, "Version 3") ? "gpl-3.0" : "gpl-2.0"),
        ("Mozilla Public License", t => Has(t, "2.0") ? "mpl-2.0" : ""),
        ("This is free and unencumbered software released into the public domain", _ => "unlicense"),
        ("Microsoft Public License", _ => "ms-pl"),
    ];

    private static bool Has(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);

    private static string? FindGitTop(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var git = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string GitDir(string top)
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
    /// owner/name and the web URL of a remote (<c>https://host/owner/name(.git)</c> or <c>git@host:owner/name(.git)</c>);
    /// credentials in the URL are never kept.
    /// </summary>
    public static (string Repo, string WebUrl)? ParseRemote(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var m = Remote().Match(url);
        if (!m.Success)
        {
            return null;
        }

        var host = m.Groups["host"].Value;
        var path = m.Groups["path"].Value.TrimEnd('/');
        if (path.EndsWith(".git", StringComparison.Ordinal))
        {
            path = path[..^4];
        }

        return path.Split('/').Length >= 2 ? (path, $"https://{host}/{path}") : null;
    }

    [GeneratedRegex("^[0-9a-f]{40}([0-9a-f]{24})?$")]
    private static partial Regex Sha();

    /// <summary>A branch or tag ref: refs/… with ordinary segments (no "..", no absolute path).</summary>
    [GeneratedRegex(@"^refs/[A-Za-z0-9._/+-]+$")]
    private static partial Regex RefName();

    [GeneratedRegex(@"^(licen[cs]e|copying|unlicense)([.\-_].*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex LicenseName();

    [GeneratedRegex(@"^(?:(?:https?|ssh|git)://(?:[^@/]+@)?(?<host>[^/:]+)(?::\d+)?/|(?:[^@]+@)?(?<host>[^:/]+):)(?<path>[^?#]+)$")]
    private static partial Regex Remote();
}
