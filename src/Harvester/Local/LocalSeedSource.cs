using System.Runtime.CompilerServices;
using System.Xml.Linq;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Harvester.Seeds;

namespace AutoRefiner.Harvester.Local;

/// <summary>
/// Seeds from one local tree at a time (a directory, a git checkout, or a fetched GitHub repository); the stage that
/// resolves the sources is <see cref="SourceHarvester"/>. Files are grouped by the project (<c>.csproj</c>) they belong to
/// and analysed one group at a time, together with the files of the projects it references, so memory is bounded by
/// the largest project and its references, not by the tree.
/// </summary>
internal sealed class LocalSeedSource(FileWalker walker, SeedExtractor extractor, ExtractionConfig config, int parallelism)
{
    /// <summary>The run's project names: the same folder name in two sources still names two projects apart.</summary>
    private readonly ProjectNames _names = new();

    /// <summary>
    /// Seeds of one tree (<paramref name="path"/>, inside <paramref name="root"/>), project by project; adds its files
    /// to the run's expected total.
    /// </summary>
    public async IAsyncEnumerable<Seed> HarvestRootAsync(
        string path, SourceRoot root, RunStats stats, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(stats);
        var paths = walker.FindFiles(path, stats, cancellationToken).ToList();
        var groups = ProjectGroup.Find(path, paths);
        var byDir = groups.ToDictionary(g => g.Directory, StringComparer.Ordinal);
        var layout = new ProjectLayout(root, _names);
        stats.Files.SetTotal((stats.Files.Total ?? 0) + paths.Count);
        stats.Files.Start();
        foreach (var group in groups)
        {
            // Each referenced project's files are read with its own build's symbols.
            var context = new List<SourceFile>();
            foreach (var referenced in group.ReferencedDirectories(byDir).Select(d => byDir[d]))
            {
                var room = config.MaxFilesPerCompilation - context.Count;
                if (room <= 0)
                {
                    break;
                }

                context.AddRange(ReadAll(referenced.Paths.Take(room), root, layout, referenced.Symbols, stats: null, cancellationToken));
            }

            foreach (var chunk in group.Paths.Chunk(config.MaxFilesPerCompilation))
            {
                var files = ReadAll(chunk, root, layout, group.Symbols, stats, cancellationToken);

                var work = new SeedExtractor.Group(files, group.Usings) { Context = context };
                await foreach (var seed in extractor.ExtractAsync(work, stats, parallelism, cancellationToken))
                {
                    yield return seed;
                }
            }
        }
    }

    /// <summary>Reads files; with <paramref name="stats"/>, counts each and its skip reason.</summary>
    private List<SourceFile> ReadAll(
        IEnumerable<string> paths, SourceRoot root, ProjectLayout layout, IReadOnlyList<string>? symbols, RunStats? stats, CancellationToken cancellationToken)
    {
        var files = new List<SourceFile>();
        foreach (var path in paths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (text, skip) = walker.Read(path);
            stats?.Files.Add();
            if (skip is not null)
            {
                stats?.SkipFile(skip);
                continue;
            }

            files.Add(new SourceFile(Path.GetRelativePath(root.RootPath, path).Replace('\\', '/'), text!, root) { Origin = layout.Of(path, text!), PreprocessorSymbols = symbols });
        }

        return files;
    }

    /// <summary>The files of one project directory, with what its project files say.</summary>
    /// <param name="Directory">The folder of its project file (or the root, for files under none).</param>
    /// <param name="Paths">Its C# files.</param>
    /// <param name="Usings">Its <c>Using</c> items, as using directive bodies.</param>
    /// <param name="References">The folders of the projects it references.</param>
    /// <param name="Symbols">The preprocessor symbols of its project's build (<see cref="BuildSymbols"/>); null without a project file.</param>
    private sealed record ProjectGroup(string Directory, List<string> Paths, IReadOnlyList<string> Usings, IReadOnlyList<string> References, IReadOnlyList<string>? Symbols)
    {
        private static readonly string[] BuildFiles = ["Directory.Build.props", "Directory.Build.targets"];

        /// <summary>Groups files by the nearest directory above them (up to the root) that holds a .csproj.</summary>
        public static List<ProjectGroup> Find(string root, List<string> paths)
        {
            var projectDirs = new Dictionary<string, string?>(StringComparer.Ordinal);
            var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var path in paths)
            {
                var key = ProjectDirOf(System.IO.Path.GetDirectoryName(path)!, root, projectDirs) ?? root;
                if (!groups.TryGetValue(key, out var list))
                {
                    groups[key] = list = [];
                    order.Add(key);
                }

                list.Add(path);
            }

            return [.. order.Select(dir => Read(dir, root, groups[dir]))];
        }

        /// <summary>Directories of the projects this one references, directly or not, that are in <paramref name="known"/>.</summary>
        public IEnumerable<string> ReferencedDirectories(Dictionary<string, ProjectGroup> known)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal) { Directory };
            var pending = new Stack<string>(References);
            while (pending.Count > 0)
            {
                var dir = pending.Pop();
                if (!seen.Add(dir) || !known.TryGetValue(dir, out var group))
                {
                    continue;
                }

                yield return dir;
                foreach (var next in group.References)
                {
                    pending.Push(next);
                }
            }
        }

        private static string? ProjectDirOf(string dir, string root, Dictionary<string, string?> cache)
        {
            if (cache.TryGetValue(dir, out var known))
            {
                return known;
            }

            string? result;
            try
            {
                result = System.IO.Directory.EnumerateFiles(dir, "*.csproj").Any() ? dir : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                result = null;
            }

            if (result is null && !string.Equals(dir, root, StringComparison.Ordinal) && System.IO.Path.GetDirectoryName(dir) is { } parent && parent.Length >= root.Length)
            {
                result = ProjectDirOf(parent, root, cache);
            }

            cache[dir] = result;
            return result;
        }

        /// <summary>What follows <c>global using</c> for an MSBuild <c>Using</c> item (plain, <c>Alias</c> or <c>Static</c>).</summary>
        private static string DirectiveBody(string include, string? alias, string? isStatic) =>
            alias is { Length: > 0 } ? $"{alias} = global::{include}"
            : string.Equals(isStatic, "true", StringComparison.OrdinalIgnoreCase) ? $"static global::{include}"
            : $"global::{include}";

        /// <summary>
        /// Reads the project file and the Directory.Build.props/.targets above it (up to the root): its
        /// <c>&lt;Using&gt;</c> items (as using directive bodies) and its project references. The SDK's implicit usings are always assumed, since
        /// samples are compiled with them and <c>ImplicitUsings</c> often comes from an imported file.
        /// </summary>
        private static ProjectGroup Read(string dir, string root, List<string> paths)
        {
            var project = System.IO.Directory.Exists(dir) ? MainProject(dir, System.IO.Directory.GetFiles(dir, "*.csproj")) : null;
            var files = new List<string>();
            if (project is not null)
            {
                files.Add(project);
                for (var d = new DirectoryInfo(dir); d is not null && d.FullName.Length >= root.Length; d = d.Parent)
                {
                    files.AddRange(BuildFiles
                        .Select(n => System.IO.Path.Combine(d.FullName, n))
                        .Where(File.Exists));
                }
            }

            var usings = new List<string>();
            var removed = new List<string>();
            var references = new List<string>();
            foreach (var file in files)
            {
                try
                {
                    var elements = XDocument.Load(file).Descendants().ToList();
                    foreach (var e in elements.Where(e => e.Name.LocalName == "Using"))
                    {
                        if ((string?)e.Attribute("Include") is { } include)
                        {
                            usings.Add(DirectiveBody(include, (string?)e.Attribute("Alias"), (string?)e.Attribute("Static")));
                        }

                        if ((string?)e.Attribute("Remove") is { } remove)
                        {
                            removed.Add(DirectiveBody(remove, null, null));
                        }
                    }

                    if (file == project)
                    {
                        references.AddRange(elements
                            .Where(e => e.Name.LocalName == "ProjectReference")
                            .Select(e => (string?)e.Attribute("Include"))
                            .OfType<string>()
                            .Select(r => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(r.Replace('\\', '/'), dir))!));
                    }
                }
                catch (Exception e) when (e is IOException or System.Xml.XmlException or UnauthorizedAccessException)
                {
                    // A project file we cannot read only costs seeds.
                }
            }

            // Namespaces only: MSBuild properties ($(RootNamespace)) cannot be evaluated here.
            var kept = usings.Except(removed).Where(u => !u.Contains('$', StringComparison.Ordinal)).Distinct().ToList();
            return new ProjectGroup(dir, paths, kept, references, project is null ? null : BuildSymbols.Of(project, root));
        }

        /// <summary>
        /// The project a folder's files are read as when it holds several (<c>Newtonsoft.Json.csproj</c> beside
        /// <c>Newtonsoft.Json.Net20.csproj</c>): the one named like its folder, else the shortest name (variants add a
        /// suffix), else the first in ordinal order.
        /// </summary>
        internal static string? MainProject(string dir, IEnumerable<string> projects)
        {
            var folder = System.IO.Path.GetFileName(dir.TrimEnd(System.IO.Path.DirectorySeparatorChar));
            return projects
                .OrderBy(p => string.Equals(System.IO.Path.GetFileNameWithoutExtension(p), folder, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
                .ThenBy(p => System.IO.Path.GetFileName(p).Length)
                .ThenBy(p => p, StringComparer.Ordinal)
                .FirstOrDefault();
        }
    }
}
