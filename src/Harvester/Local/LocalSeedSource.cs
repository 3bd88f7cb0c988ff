using System.Runtime.CompilerServices;
using System.Xml.Linq;
using AutoRefiner.Core;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Harvester.Seeds;

namespace AutoRefiner.Harvester.Local;

/// <summary>
/// Seeds from local directories and git checkouts. Files are grouped by the project (<c>.csproj</c>) they belong to
/// and analysed one group at a time, so memory is bounded by the largest project, not by the tree.
/// </summary>
public sealed class LocalSeedSource(FileWalker walker, SeedExtractor extractor, ExtractionConfig config, int parallelism) : ISeedSource
{
    /// <inheritdoc />
    public async IAsyncEnumerable<Seed> HarvestAsync(HarvestRequest request, RunStats stats, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stats);

        // Every source is checked before any work starts, so a typo fails at once.
        var roots = request.Sources.Select(s => (Path: Path.GetFullPath(s), Root: SourceRootReader.Read(s))).ToList();
        var plan = new List<(SourceRoot Root, List<string> Paths, ProjectInfo Project)>();
        long total = 0;
        foreach (var (path, root) in roots)
        {
            var paths = walker.FindFiles(path, stats).ToList();
            total += paths.Count;
            foreach (var group in GroupByProject(path, paths))
            {
                plan.Add((root, group.Paths, group.Project));
            }
        }

        stats.Files.SetTotal(total);
        stats.Files.Start();
        foreach (var (root, paths, project) in plan)
        {
            foreach (var chunk in paths.Chunk(config.MaxFilesPerCompilation))
            {
                var files = new List<SourceFile>(chunk.Length);
                foreach (var path in chunk)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var (text, skip) = walker.Read(path);
                    stats.Files.Add();
                    if (skip is not null)
                    {
                        stats.SkipFile(skip);
                        continue;
                    }

                    files.Add(new SourceFile(Path.GetRelativePath(root.RootPath, path).Replace('\\', '/'), text!, root));
                }

                var group = new SeedExtractor.Group(files, project.ImplicitUsings, project.Usings);
                await foreach (var seed in extractor.ExtractAsync(group, stats, parallelism, cancellationToken))
                {
                    yield return seed;
                }
            }
        }

        stats.Files.Finish();
        if (total == 0)
        {
            stats.Notice($"no C# files found in {string.Join(", ", request.Sources)}");
        }
    }

    private sealed record ProjectInfo(bool ImplicitUsings, IReadOnlyList<string> Usings);

    private static IEnumerable<(List<string> Paths, ProjectInfo Project)> GroupByProject(string root, List<string> paths)
    {
        var projectDirs = new Dictionary<string, string?>(StringComparer.Ordinal);
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var path in paths)
        {
            var key = ProjectDirOf(Path.GetDirectoryName(path)!, root, projectDirs) ?? root;
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
                order.Add(key);
            }

            list.Add(path);
        }

        foreach (var key in order)
        {
            yield return (groups[key], ReadProject(key, root));
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
            result = Directory.EnumerateFiles(dir, "*.csproj").Any() ? dir : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            result = null;
        }

        if (result is null && !string.Equals(dir, root, StringComparison.Ordinal) && Path.GetDirectoryName(dir) is { } parent && parent.Length >= root.Length)
        {
            result = ProjectDirOf(parent, root, cache);
        }

        cache[dir] = result;
        return result;
    }

    /// <summary>
    /// What the project file says about usings: <c>ImplicitUsings</c> (also from a Directory.Build.props above it)
    /// and <c>&lt;Using Include&gt;</c> items. Without a project file, implicit usings are assumed (modern SDK style).
    /// </summary>
    private static ProjectInfo ReadProject(string dir, string root)
    {
        var files = Directory.Exists(dir) ? Directory.GetFiles(dir, "*.csproj") : [];
        if (files.Length == 0)
        {
            return new ProjectInfo(true, []);
        }

        var implicitUsings = false;
        var usings = new List<string>();
        var candidates = new List<string> { files[0] };
        for (var d = new DirectoryInfo(dir); d is not null && d.FullName.Length >= root.Length; d = d.Parent)
        {
            var props = Path.Combine(d.FullName, "Directory.Build.props");
            if (File.Exists(props))
            {
                candidates.Add(props);
            }
        }

        foreach (var file in candidates)
        {
            try
            {
                var xml = XDocument.Load(file);
                implicitUsings |= xml.Descendants().Any(e => e.Name.LocalName == "ImplicitUsings" && e.Value.Trim() is "enable" or "true");
                usings.AddRange(xml.Descendants()
                    .Where(e => e.Name.LocalName == "Using" && e.Attribute("Alias") is null && e.Attribute("Static") is null)
                    .Select(e => (string?)e.Attribute("Include"))
                    .OfType<string>());
            }
            catch (Exception e) when (e is IOException or System.Xml.XmlException or UnauthorizedAccessException)
            {
                // A project file we cannot read only costs seeds.
            }
        }

        return new ProjectInfo(implicitUsings, usings.Distinct().ToList());
    }
}
