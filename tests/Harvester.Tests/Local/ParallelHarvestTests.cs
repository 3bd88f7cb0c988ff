using System.Text;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Harvester.Local;
using AutoRefiner.Harvester.Seeds;
using AutoRefiner.Validator;

namespace AutoRefiner.Harvester.Tests.Local;

/// <summary>
/// Projects analysed at the same time give the seeds, counts and examples of a run that analyses them one after the
/// other; each file is parsed once for every project that compiles it.
/// </summary>
public sealed class ParallelHarvestTests : IDisposable
{
    private const string MitText = "MIT License\n\nCopyright (c) 2020 Ada Example\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n";

    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    /// <summary>A class of documented methods that each become a seed (a loop of real work, a doc that says more than the names).</summary>
    private static string Methods(string ns, string type, int count, int seed)
    {
        var sb = new StringBuilder($"namespace {ns};\n\npublic static class {type}\n{{\n");
        for (var i = 0; i < count; i++)
        {
            var k = seed + i + 3;
            sb.Append(
                $$"""
                    /// <summary>Adds up the squares of the odd values below the limit, leaving out every multiple of {{k}}.</summary>
                    public static long SquaresBelow{{i}}(int limit)
                    {
                        long total = 0;
                        for (var v = 1; v < limit; v += 2)
                        {
                            if (v % {{k}} == 0)
                            {
                                continue;
                            }

                            total += (long)v * v;
                        }

                        return total;
                    }


                """);
        }

        return sb.Append("}\n").ToString();
    }

    /// <summary>
    /// Five projects: a large one first (it finishes last when projects run together), small ones after it, one that
    /// references the large one with other build symbols, and two folders of the same name (named in the order met).
    /// </summary>
    private void WriteProjects()
    {
        _tree.Write("a/lib/LICENSE", MitText);
        _tree.Write("a/lib/Big/Big.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework><DefineConstants>$(DefineConstants);BIG</DefineConstants></PropertyGroup></Project>");
        for (var f = 0; f < 4; f++)
        {
            _tree.Write($"a/lib/Big/Part{f}.cs", Methods("Big", $"Part{f}", 12, f * 20));
        }

        _tree.Write("b/lib/LICENSE", MitText);
        _tree.Write("b/lib/Small/Small.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
        _tree.Write("b/lib/Small/Few.cs", Methods("Small", "Few", 2, 100));

        _tree.Write("c/App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><ProjectReference Include="../../a/lib/Big/Big.csproj" /></ItemGroup>
            </Project>
            """);
        _tree.Write("c/App/Uses.cs", Methods("App", "Uses", 3, 200));
        _tree.Write("d/Tools/Tools.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
        _tree.Write("d/Tools/One.cs", Methods("Tools", "One", 1, 300));
        _tree.Write("e/Loose.cs", Methods("Loose", "Loose", 2, 400));
    }

    private async Task<(List<Seed> Seeds, RunStats Stats, LocalSeedSource Local)> HarvestAsync(int parallelism, HarvestConcurrency? concurrency = null)
    {
        var config = new ExtractionConfig();
        var local = new LocalSeedSource(new FileWalker(config), new SeedExtractor(new RoslynCompiler(), config), config, parallelism, concurrency);
        var harvester = new SourceHarvester(local, new HarvestConfig { Extraction = config, BaseDirectory = _tree.Root }, TimeProvider.System, _ => null);
        var stats = new RunStats(TimeProvider.System);
        var seeds = await harvester.HarvestAsync(new HarvestRequest([_tree.Root], null), stats, default).ToListAsync();
        return (seeds, stats, local);
    }

    private static string Describe(Seed s) => $"{s.Id} {s.Provenance.Repo} {s.Provenance.Path} {s.Provenance.Lines} {s.Name}";

    private static string Counts(RunStats stats) =>
        $"{stats.Files.Count} {stats.DocumentedMethods} {stats.SelfContained} "
        + string.Join(",", stats.FileSkips.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}")) + " "
        + string.Join(",", stats.SeedRejects.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}")) + " "
        + string.Join("|", stats.SeedRejectExamples.SelectMany(k => k.Value.Select(v => $"{k.Key}:{v}")));

    [Fact]
    public async Task Harvest_ProjectsAnalysedTogether_SameSeedsInTheSameOrderAsOneAtATime()
    {
        WriteProjects();

        var (sequential, sequentialStats, _) = await HarvestAsync(parallelism: 1, new HarvestConcurrency(1, long.MaxValue));
        Assert.Equal(48 + 2 + 3 + 1 + 2, sequential.Count);
        Assert.Equal(["lib", "lib-2"], sequential.Select(s => s.Provenance.Repo).Where(r => r.StartsWith("lib", StringComparison.Ordinal)).Distinct());
        var expected = sequential.Select(Describe).ToList();
        for (var run = 0; run < 3; run++)
        {
            var (parallel, stats, _) = await HarvestAsync(parallelism: 4, new HarvestConcurrency(4, long.MaxValue));
            Assert.Equal(expected, parallel.Select(Describe));
            Assert.Equal(Counts(sequentialStats), Counts(stats));
        }
    }

    [Fact]
    public async Task Harvest_MoreWorkersThanTheOrderedWindow_SameSeedsInTheSameOrder()
    {
        // tests.parallelism takes up to 256, and a machine may have more cores than the extractor's window of members.
        WriteProjects();

        var (sequential, sequentialStats, _) = await HarvestAsync(parallelism: 1, new HarvestConcurrency(1, long.MaxValue));
        var (wide, stats, _) = await HarvestAsync(parallelism: SeedExtractor.Window + 36, new HarvestConcurrency(4, long.MaxValue));

        Assert.Equal(sequential.Select(Describe), wide.Select(Describe));
        Assert.Equal(Counts(sequentialStats), Counts(stats));
    }

    [Fact]
    public async Task Harvest_DefaultConcurrency_SameSeedsInTheSameOrderOverRepeatedRuns()
    {
        WriteProjects();

        var first = (await HarvestAsync(parallelism: 3)).Seeds.Select(Describe).ToList();
        for (var run = 0; run < 3; run++)
        {
            Assert.Equal(first, (await HarvestAsync(parallelism: 3)).Seeds.Select(Describe));
        }
    }

    [Fact]
    public async Task Harvest_ProjectReferencesAnother_EachFileIsParsedOnce()
    {
        WriteProjects();

        var (seeds, _, local) = await HarvestAsync(parallelism: 2);

        // 8 C# files; Big's 4 are in Big's compilation and App's, parsed once with Big's symbols for both.
        Assert.Equal(56, seeds.Count);
        Assert.Equal(8, local.FilesParsed);
    }
}
