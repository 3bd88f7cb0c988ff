using System.Diagnostics;
using System.Globalization;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Harvester.Local;
using AutoRefiner.Harvester.Seeds;
using AutoRefiner.Validator;

namespace AutoRefiner.Bench;

/// <summary>
/// The same work done several times in one process, for the throughput bench's cold/warm split: the first round pays
/// for jitting Roslyn (its NuGet assemblies are IL only) and for reading the reference set, later rounds only for the
/// work itself. Two kinds of work: the bare compilation of <see cref="ThroughputBench.BareCompile"/>, and the harvest's
/// seed extraction (every folder as one local source: projects, closures, units, unit compiles and context checks, with
/// the built-in defaults; no validation, curation or export). Each round prints <c>round wall cpu count</c>: count is
/// the methods compiled (bare) or the seeds extracted, equal in every round.
/// </summary>
internal static class WarmRounds
{
    public static int Run(string[] args, bool extract)
    {
        if (args.Length < 2 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var rounds) || rounds < 1)
        {
            throw new BenchUsageException("usage: rounds-bare|rounds-extract <rounds> <dir>...");
        }

        var folders = args[1..];
        for (var round = 0; round < rounds; round++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var count = extract ? ExtractAsync(folders).GetAwaiter().GetResult() : Bare(folders);
            var seconds = wall.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{round} {seconds:0.000} {cpuSeconds:0.000} {count}"));
        }

        return 0;
    }

    private static long Bare(string[] folders) => ThroughputBench.CompileFolders(folders, countOnly: false).Methods;

    /// <summary>One harvest's seed extraction of the folders, as the CLI wires it (one compiler and its cache for the run).</summary>
    private static async Task<long> ExtractAsync(string[] folders)
    {
        var config = new HarvestConfig();
        var compiler = new CompileResultCache(new RoslynCompiler());
        var source = new LocalSeedSource(new FileWalker(config.Extraction), new SeedExtractor(compiler, config.Extraction), config.Extraction, config.Validation.EffectiveParallelism);
        var stats = new RunStats(TimeProvider.System);
        long seeds = 0;
        foreach (var folder in folders)
        {
            var root = new SourceRoot(Path.GetFullPath(folder), Path.GetFileName(folder.TrimEnd('/')), "", "", "");
            await foreach (var _ in source.HarvestRootAsync(root.RootPath, root, stats, CancellationToken.None))
            {
                seeds++;
            }
        }

        return seeds;
    }
}
