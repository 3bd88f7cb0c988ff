using System.Runtime.CompilerServices;
using System.Threading.Channels;
using System.Xml.Linq;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Harvester.Seeds;

namespace AutoRefiner.Harvester.Local;

/// <summary>
/// Seeds from one local tree at a time (a directory, a git checkout, or a fetched GitHub repository); the stage that
/// resolves the sources is <see cref="SourceHarvester"/>. Files are grouped by the project (<c>.csproj</c>) they belong to
/// and each group is analysed together with the files of the projects it references. Groups are analysed at the same
/// time, as many as <see cref="HarvestConcurrency"/> allows (one per core, within a memory budget), and each file is
/// parsed once per tree for all the groups that take it; the seeds come out in the order of a run that analyses the
/// groups one after the other, so rows and their ids do not depend on the parallelism.
/// </summary>
/// <param name="walker">Finds and reads the files.</param>
/// <param name="extractor">Turns a group's documented members into seeds.</param>
/// <param name="config">The extraction settings.</param>
/// <param name="parallelism">Members (and projects) analysed at once: one per core by default; 1 analyses one at a time.</param>
/// <param name="concurrency">Projects at once and their memory budget; null: <see cref="HarvestConcurrency.Default"/> of <paramref name="parallelism"/>.</param>
internal sealed class LocalSeedSource(FileWalker walker, SeedExtractor extractor, ExtractionConfig config, int parallelism, HarvestConcurrency? concurrency = null)
{
    /// <summary>The run's project names: the same folder name in two sources still names two projects apart.</summary>
    private readonly ProjectNames _names = new();

    private readonly HarvestConcurrency _concurrency = concurrency ?? HarvestConcurrency.Default(parallelism);

    private long _filesParsed;

    /// <summary>Files parsed so far by this source's harvests (a file read with two projects' different symbols counts twice).</summary>
    public long FilesParsed => Interlocked.Read(ref _filesParsed);

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

        // A project's trees are kept while a group that compiles them (its own, or one that references it) is still to
        // finish, and dropped after the last one.
        var trees = new SyntaxTreeCache();
        var plans = new List<GroupPlan>();
        foreach (var g in groups)
        {
            plans.Add(new GroupPlan(g, [.. g.ReferencedDirectories(byDir).Select(d => byDir[d])], plans.Count == 0 ? Task.CompletedTask : plans[^1].Read.Task));
        }

        var users = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var dir in plans.SelectMany(p => p.Directories))
        {
            users[dir] = users.GetValueOrDefault(dir) + 1;
        }

        void Finished(GroupPlan plan)
        {
            List<ProjectGroup> unused;
            lock (users)
            {
                unused = [.. plan.Directories.Where(d => --users[d] == 0).Select(d => byDir[d])];
            }

            foreach (var group in unused)
            {
                trees.Release(root.RootPath, group.Paths.Select(p => Path.GetRelativePath(root.RootPath, p).Replace('\\', '/')));
            }
        }

        using var cores = new SemaphoreSlim(Math.Max(1, parallelism));
        var seeds = OrderedConcurrentRuns.RunAsync<GroupPlan, Seed, RunStats>(
            plans,
            plan => HarvestConcurrency.EstimateBytes(plan.SourceBytes(config.MaxFilesPerCompilation)),
            _concurrency.Projects,
            _concurrency.MemoryBudgetBytes,
            async (plan, output, ct) =>
            {
                try
                {
                    return await AnalyseAsync(plan, root, layout, trees, cores, stats, output, ct).ConfigureAwait(false);
                }
                finally
                {
                    Finished(plan);
                }
            },
            counted => DeferredStats.AddTo(stats, counted),
            cancellationToken);
        try
        {
            await foreach (var seed in seeds.ConfigureAwait(false))
            {
                yield return seed;
            }
        }
        finally
        {
            Interlocked.Add(ref _filesParsed, trees.Parsed);
        }
    }

    /// <summary>
    /// One group's seeds, written to <paramref name="output"/> in source order; returns what it counted, for the run's
    /// counts in its turn.
    /// </summary>
    private async Task<RunStats> AnalyseAsync(
        GroupPlan plan, SourceRoot root, ProjectLayout layout, SyntaxTreeCache trees, SemaphoreSlim cores, RunStats run, ChannelWriter<Seed> output, CancellationToken cancellationToken)
    {
        var stats = DeferredStats.For(run);
        var group = plan.Group;

        // Groups read their files in their order, one after the other: a file's provenance names its project, and
        // project names are handed out in the order they are first met (lib, then lib-2).
        var context = new List<SourceFile>();
        var chunks = new List<List<SourceFile>>();
        await plan.PreviousRead.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Each referenced project's files are read with its own build's symbols.
            foreach (var referenced in plan.Referenced)
            {
                var room = config.MaxFilesPerCompilation - context.Count;
                if (room <= 0)
                {
                    break;
                }

                context.AddRange(ReadAll(referenced.Paths.Take(room), root, layout, referenced.Symbols, stats: null, cancellationToken));
            }

            // Files read and skipped are plain counts, so they go to the run's counters at once (its progress moves).
            chunks.AddRange(group.Paths.Chunk(config.MaxFilesPerCompilation).Select(chunk => ReadAll(chunk, root, layout, group.Symbols, run, cancellationToken)));
        }
        finally
        {
            plan.Read.TrySetResult();
        }

        foreach (var files in chunks)
        {
            var work = new SeedExtractor.Group(files, group.Usings) { Context = context, Trees = trees, Cores = cores };
            await foreach (var seed in extractor.ExtractAsync(work, stats, parallelism, cancellationToken).ConfigureAwait(false))
            {
                await output.WriteAsync(seed, cancellationToken).ConfigureAwait(false);
            }
        }

        return stats;
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

    /// <summary>One group's analysis: the group, the projects it references (its context), and when the group before it has read its files.</summary>
    private sealed record GroupPlan(ProjectGroup Group, List<ProjectGroup> Referenced, Task PreviousRead)
    {
        /// <summary>Set once this group has read its files: the next may read its own.</summary>
        public TaskCompletionSource Read { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The folders of the projects whose trees it compiles: its own and the ones it references.</summary>
        public IEnumerable<string> Directories => Referenced.Select(r => r.Directory).Prepend(Group.Directory);

        /// <summary>The size on disk of what one of its compilations takes: a chunk of its files and its context.</summary>
        public long SourceBytes(int maxFiles) =>
            Size(Group.Paths.Take(maxFiles)) + Size(Referenced.SelectMany(r => r.Paths).Take(maxFiles));

        private static long Size(IEnumerable<string> paths)
        {
            long total = 0;
            foreach (var path in paths)
            {
                try
                {
                    total += new FileInfo(path).Length;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A file that cannot be measured is most likely skipped when read.
                }
            }

            return total;
        }
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
