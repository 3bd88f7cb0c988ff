using System.Text.RegularExpressions;
using System.Xml.Linq;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;

namespace AutoRefiner.Harvester.Local;

/// <summary>
/// The provenance of each file of one source root. A file belongs to the nearest git checkout above it (named by its
/// origin when that is an upstream) and, in a folder that is not a checkout, to the nearest folder with a licence file,
/// so a folder holding several projects gives one name per project. Its licence is the one its own header states, else
/// that of the nearest licence file above it within the root, else the root's (GitHub's) licence. Directories are
/// looked at once each.
/// </summary>
internal sealed partial class ProjectLayout(SourceRoot root, ProjectNames names)
{
    private const int MaxNoticeChars = 4000;

    private readonly Dictionary<string, Project> _projects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LicenseInfo?> _licenses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GitIndex?> _indexes = new(StringComparer.Ordinal);

    /// <summary>A root with an upstream (a git checkout, a GitHub download) is one project, whatever licence files it holds.</summary>
    private bool Plain => root.Commit.Length == 0 && root.WebUrl.Length == 0;

    /// <summary>Provenance of the file at <paramref name="path"/> (absolute) whose text is <paramref name="text"/>.</summary>
    public Provenance Of(string path, string text)
    {
        var dir = Path.GetDirectoryName(path)!;
        var project = ProjectOf(dir);
        var relative = Path.GetRelativePath(project.Directory, path).Replace('\\', '/');
        var projectLicense = LicenseOf(dir);
        var header = LicenseText.Header(text);
        var own = LicenseText.FromHeader(text);
        // A header that names the project's own licence keeps the project's copyright lines too: the licence asks for
        // the notice of the licence file, which the header does not repeat.
        var (license, origin, notice) = own.Length > 0
            ? (own, "file", Notice(
                [.. LicenseText.CopyrightLines(header).Concat(projectLicense is { } same && same.Id == own ? same.Copyright : []).Distinct(StringComparer.Ordinal)],
                projectLicense?.NoticeFile ?? ""))
            : projectLicense is { } p ? (p.Id, "project", Notice(p.Copyright, p.NoticeFile))
            : root.License.Length > 0 ? (Spdx.Canonical(root.License), "project", "")
            : ("", "", "");
        // A file changed since the commit, or never added, is not what the commit holds: no commit, no link.
        // (A downloaded snapshot has no checkout: it is the commit as downloaded.)
        var commit = project.Commit.Length > 0
            && (!SourceRootReader.IsGitTop(project.Directory) || IndexOf(project)?.IsAsCommitted(relative, path) == true) ? project.Commit : "";
        var url = project.WebUrl.Length > 0 && commit.Length > 0
            ? Permalink.File(project.WebUrl, commit, relative)
            : "";
        return new Provenance(project.Repo, relative, commit, license, url)
        {
            LicenseOrigin = origin,
            Version = VersionOf(dir, project.Directory),
            Notice = notice,
        };
    }

    private GitIndex? IndexOf(Project project)
    {
        if (!_indexes.TryGetValue(project.Directory, out var index))
        {
            index = GitIndex.Read(project.Directory, project.Commit.Length / 2);
            _indexes[project.Directory] = index;
        }

        return index;
    }

    private static string Notice(IReadOnlyList<string> copyright, string noticeFile)
    {
        var text = string.Join('\n', copyright.Append(noticeFile.Trim()).Where(s => s.Length > 0));
        return text.Length > MaxNoticeChars ? text[..MaxNoticeChars] : text;
    }

    private sealed record Project(string Directory, string Repo, string Commit, string WebUrl);

    private sealed record LicenseInfo(string Id, IReadOnlyList<string> Copyright, string NoticeFile);

    private Project ProjectOf(string dir)
    {
        if (_projects.TryGetValue(dir, out var known))
        {
            return known;
        }

        Project project;
        var atRoot = string.Equals(dir, root.RootPath, StringComparison.Ordinal) || !IsInside(dir, root.RootPath);
        if (atRoot)
        {
            project = root.WebUrl.Length > 0
                ? new Project(root.RootPath, root.Repo, root.Commit, root.WebUrl)
                : new Project(root.RootPath, names.Of(root.RootPath, root.Repo), root.Commit, "");
        }
        else if (SourceRootReader.IsGitTop(dir))
        {
            // A checkout inside the folder (a submodule, or one of several clones side by side).
            var (repo, web, commit) = SourceRootReader.ReadGit(dir);
            project = new Project(dir, web.Length > 0 ? repo : names.Of(dir, repo), commit, web);
        }
        else if (Plain && SourceRootReader.FindLicense(dir) is not null)
        {
            project = new Project(dir, names.Of(dir, Path.GetFileName(dir)), "", "");
        }
        else
        {
            project = ProjectOf(Path.GetDirectoryName(dir)!);
        }

        _projects[dir] = project;
        return project;
    }

    private LicenseInfo? LicenseOf(string dir)
    {
        if (_licenses.TryGetValue(dir, out var known))
        {
            return known;
        }

        LicenseInfo? info = null;
        if (SourceRootReader.FindLicense(dir) is { } found)
        {
            info = new LicenseInfo(found.Id, LicenseText.CopyrightLines(found.Text), ReadNotice(dir));
        }
        else if (!string.Equals(dir, root.RootPath, StringComparison.Ordinal) && IsInside(dir, root.RootPath))
        {
            info = LicenseOf(Path.GetDirectoryName(dir)!);
        }

        _licenses[dir] = info;
        return info;
    }

    /// <summary>The NOTICE file of a directory (Apache's licence asks that it travel with the code), or empty.</summary>
    private static string ReadNotice(string dir)
    {
        foreach (var name in new[] { "NOTICE", "NOTICE.txt", "NOTICE.md" })
        {
            var file = Path.Combine(dir, name);
            try
            {
                var info = new FileInfo(file);
                if (info.Exists && info.LinkTarget is null && info.Length is > 0 and < 64 * 1024)
                {
                    return File.ReadAllText(file);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // An unreadable notice is a notice we cannot reproduce.
            }
        }

        return "";
    }

    /// <summary>
    /// The version the nearest .csproj, .props or .nuspec file states (a literal <c>Version</c>, <c>VersionPrefix</c>,
    /// <c>PackageVersion</c> or nuspec <c>version</c>), from the file's folder up to the project's, where the nuspec of a
    /// packaging folder one level down (<c>Build/</c>, <c>nuget/</c>) counts too; empty when none does.
    /// </summary>
    private string VersionOf(string dir, string projectDir)
    {
        if (_versions.TryGetValue(dir, out var known))
        {
            return known;
        }

        var version = StatedVersion(ProjectFiles(dir));
        if (version.Length == 0)
        {
            version = string.Equals(dir, projectDir, StringComparison.Ordinal) || !IsInside(dir, projectDir)
                ? StatedVersion(SubfolderNuspecs(dir))
                : VersionOf(Path.GetDirectoryName(dir)!, projectDir);
        }

        _versions[dir] = version;
        return version;
    }

    private static IEnumerable<string> ProjectFiles(string dir)
    {
        try
        {
            return [.. Directory.EnumerateFiles(dir)
                .Where(f => f.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".props", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static IEnumerable<string> SubfolderNuspecs(string dir)
    {
        try
        {
            return [.. Directory.EnumerateDirectories(dir)
                .Where(d => new DirectoryInfo(d).LinkTarget is null)
                .SelectMany(d => Directory.EnumerateFiles(d, "*.nuspec"))
                .Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string StatedVersion(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            try
            {
                if (new FileInfo(file).Length > 1024 * 1024)
                {
                    continue;
                }

                var stated = XDocument.Load(file).Descendants()
                    .Where(e => e.Name.LocalName is "Version" or "VersionPrefix" or "PackageVersion" or "version" && !e.HasElements
                        && e.Parent?.Name.LocalName is "PropertyGroup" or "metadata")
                    .Select(e => e.Value.Trim())
                    .FirstOrDefault(v => LiteralVersion().IsMatch(v));
                if (stated is not null)
                {
                    return stated;
                }
            }
            catch (Exception e) when (e is IOException or System.Xml.XmlException or UnauthorizedAccessException)
            {
                // A project file we cannot read states no version.
            }
        }

        return "";
    }

    private static bool IsInside(string dir, string top) =>
        dir.StartsWith(top.EndsWith(Path.DirectorySeparatorChar) ? top : top + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>A version as written, not an MSBuild expression (<c>$(Major).1</c>) nor a nuspec token (<c>$version$</c>).</summary>
    [GeneratedRegex(@"^\d+(\.\d+){0,3}([-+][0-9A-Za-z.-]+)?$")]
    private static partial Regex LiteralVersion();
}
