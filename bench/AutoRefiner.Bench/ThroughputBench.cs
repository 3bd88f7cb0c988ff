using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AutoRefiner.CSharp;
using AutoRefiner.Harvester.Seeds;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static AutoRefiner.Bench.BenchEnv;

namespace AutoRefiner.Bench;

/// <summary>
/// <c>throughput &lt;dir&gt;... [--runs N] [--copies K] [--warm R]</c>: a harvest without an LLM of the given folders (clones of public
/// repositories, wherever they are on this machine) by this build's CLI and by a baseline CLI (<c>AUTOREFINER_CLI</c>),
/// side by side with one bare Roslyn compilation of the same folders (parse plus <c>GetDiagnostics</c>, one compilation
/// per folder, no emit), all in the same run, in rotating order. Then the peak memory of both CLIs on K copies of the
/// folders (a corpus of more than 20,000 methods). Row ids of the two CLIs are compared run by run.
/// </summary>
internal static class ThroughputBench
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    private static readonly string[] WarmKinds = ["bare", "extract"];

    private sealed record Sample(string Variant, double Wall, double Cpu, long PeakRss, double OtherLoad, long Files, long Documented, List<string> Ids);

    public static async Task<int> RunAsync(string[] args)
    {
        var (sources, options) = BenchArgs.Split(args, ["--runs", "--copies", "--warm"]);
        var runs = options.TryGetValue("--runs", out var r) ? CompileBench.ParsePositive(r, "runs") : 3;
        var copies = options.TryGetValue("--copies", out var c) ? int.Parse(c, CultureInfo.InvariantCulture) : 5;
        var warm = options.TryGetValue("--warm", out var w) ? int.Parse(w, CultureInfo.InvariantCulture) : 4;
        if (warm is 1 or < 0)
        {
            throw new BenchUsageException("--warm takes the rounds of the cold/warm split: 0 (skip it), or 2 and more");
        }
        if (sources.Count == 0)
        {
            throw new BenchUsageException("throughput needs the folders to harvest (clones of public repositories, e.g. JamesNK/Newtonsoft.Json, 0xd4d/dnlib, morelinq/MoreLINQ)");
        }

        var baseline = Environment.GetEnvironmentVariable("AUTOREFINER_CLI") is { Length: > 0 } b
            ? Path.GetFullPath(b)
            : throw new BenchUsageException("throughput compares with a baseline CLI: set AUTOREFINER_CLI to its AutoRefiner.Cli(.dll), e.g. a `dotnet publish` of the commit before");
        var ours = Path.Combine(RepoRoot, "src", "Cli", "bin", Configuration, "net10.0", "AutoRefiner.Cli.dll");
        foreach (var cli in new[] { ours, baseline })
        {
            if (!File.Exists(cli))
            {
                throw new BenchUsageException($"the CLI is not built at {cli}");
            }
        }

        var tmp = NewTempDir("throughput");
        try
        {
            var samples = new List<Sample>();
            Sample Run(string variant, IReadOnlyList<string> folders, int round)
            {
                Load.WaitForQuiet(TimeSpan.FromSeconds(20));
                var dir = Path.Combine(tmp, $"{variant}-{round}");
                Directory.CreateDirectory(dir);
                var meter = new Load.Meter();
                var sample = variant == "bare"
                    ? Bare(folders, dir, RuntimeSettingsOf(ours))
                    : Harvest(variant, variant == "ours" ? ours : baseline, folders, dir);
                var (wall, _, other) = meter.Stop(sample.Cpu);
                sample = sample with { Wall = wall, OtherLoad = other };
                Report.Progress(Inv($"{variant} run {round + 1}: {wall:0.0} s wall, {sample.Cpu:0.0} s CPU, {Report.Mb(sample.PeakRss)}, {sample.Files} files, {sample.Ids.Count} rows, other load {other:0.00}"));
                TryDelete(dir);
                return sample;
            }

            // Rotating order (ours, baseline, bare; baseline, bare, ours; …): a busy spell weighs on every variant alike.
            string[] variants = ["ours", "baseline", "bare"];
            for (var round = 0; round < runs; round++)
            {
                for (var k = 0; k < variants.Length; k++)
                {
                    samples.Add(Run(variants[(k + round) % variants.Length], sources, round));
                }
            }

            // Memory at scale: K copies of the folders, each its own source, one run of each CLI.
            var large = new List<Sample>();
            var corpusMethods = (Files: 0L, Methods: 0L, Documented: 0L);
            if (copies > 0)
            {
                var corpus = new List<string>();
                for (var i = 0; i < copies; i++)
                {
                    foreach (var source in sources)
                    {
                        var target = Path.Combine(tmp, "corpus", $"copy{i}", Path.GetFileName(source.TrimEnd('/')));
                        CopyTree(source, target);
                        corpus.Add(target);
                    }
                }

                var counted = Bare(corpus, tmp, countOnly: true);
                corpusMethods = (counted.Files, counted.Ids.Count, counted.Documented);
                large.Add(Run("ours", corpus, runs));
                large.Add(Run("baseline", corpus, runs));
            }

            Console.Write(Markdown(sources, samples, large, corpusMethods, copies, runs, warm));
            if (warm > 0)
            {
                Console.Write(WarmSplit(sources, warm, RuntimeSettingsOf(ours), tmp));
            }

            return 0;
        }
        finally
        {
            TryDelete(tmp);
        }
    }

    /// <summary>One harvest by a CLI in a fresh folder, with a fresh state store (nothing reused from another run).</summary>
    private static Sample Harvest(string variant, string cli, IReadOnlyList<string> folders, string dir)
    {
        var args = new List<string> { "harvest", "--lang", "csharp", "--out", Path.Combine(dir, "out"), "--state", Path.Combine(dir, "state.db") };
        foreach (var folder in folders)
        {
            args.AddRange(["--source", folder]);
        }

        var result = TimedChild.Run(cli, args, dir, Timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{variant} harvest failed (exit {result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
        }

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", "manifest.json")));
        var counts = manifest.RootElement.GetProperty("counts");
        var ids = new List<string>();
        foreach (var split in new[] { "train", "test" })
        {
            var file = Path.Combine(dir, "out", "jsonl", $"{split}.jsonl");
            if (!File.Exists(file))
            {
                continue;
            }

            foreach (var line in File.ReadLines(file))
            {
                using var row = JsonDocument.Parse(line);
                ids.Add($"{split}:{row.RootElement.GetProperty("id").GetString()}");
            }
        }

        return new Sample(variant, 0, result.CpuSeconds, result.PeakRssBytes, 0, counts.GetProperty("files").GetInt64(), counts.GetProperty("documented_methods").GetInt64(), ids);
    }

    /// <summary>
    /// The runtime settings the CLI runs with (its runtimeconfig.json: server GC, tiered compilation, dynamic PGO), as
    /// environment variables, so the bare compilation runs under the same ones: Roslyn's NuGet assemblies are IL only,
    /// and with tiering a compilation of these folders takes nearly twice the CPU it takes without.
    /// </summary>
    private static List<string> RuntimeSettingsOf(string cliDll)
    {
        var config = Path.ChangeExtension(cliDll, ".runtimeconfig.json");
        var settings = new List<string>();
        if (!File.Exists(config))
        {
            return settings;
        }

        using var json = JsonDocument.Parse(File.ReadAllText(config));
        if (json.RootElement.TryGetProperty("runtimeOptions", out var options) && options.TryGetProperty("configProperties", out var properties))
        {
            foreach (var (property, variable) in new[] { ("System.GC.Server", "DOTNET_gcServer"), ("System.GC.Concurrent", "DOTNET_gcConcurrent"), ("System.Runtime.TieredCompilation", "DOTNET_TieredCompilation"), ("System.Runtime.TieredPGO", "DOTNET_TieredPGO") })
            {
                if (properties.TryGetProperty(property, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    settings.Add($"{variable}={(value.ValueKind == JsonValueKind.True ? 1 : 0)}");
                }
            }
        }

        return settings;
    }

    /// <summary>The bare compilation, in a child process of this bench (so its start-up and memory count as the CLI's do).</summary>
    private static Sample Bare(IReadOnlyList<string> folders, string dir, IReadOnlyList<string>? environment = null, bool countOnly = false)
    {
        var self = typeof(ThroughputBench).Assembly.Location;
        string[] command = [countOnly ? "bare-count" : "bare-compile", .. folders];
        var result = environment is { Count: > 0 }
            ? TimedChild.Run("/usr/bin/env", [.. environment, "dotnet", self, .. command], dir, Timeout)
            : TimedChild.Run(self, command, dir, Timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"bare compilation failed (exit {result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
        }

        var f = result.Stdout.Trim().Split('\n')[^1].Split(' ');
        long N(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);

        // Ids stand for the methods here: only their number is used.
        return new Sample("bare", 0, result.CpuSeconds, result.PeakRssBytes, 0, N(0), N(2), [.. Enumerable.Repeat("", (int)N(1))]);
    }

    /// <summary>
    /// The child side of <see cref="Bare"/>: per folder, its C# files (outside bin/obj/.git) parsed in parallel into one
    /// compilation against the same reference set the harvest uses (concurrent build, as Roslyn's default), then <c>GetDiagnostics</c>; no emit. Prints
    /// <c>files methods documented errors</c>. With <paramref name="countOnly"/>, parses and counts without compiling.
    /// </summary>
    public static int BareCompile(string[] folders, bool countOnly)
    {
        var (files, methods, documented, errors) = CompileFolders(folders, countOnly);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{files} {methods} {documented} {errors}"));
        return 0;
    }

    /// <summary>The work of <see cref="BareCompile"/>: files, methods, documented methods and errors of the folders.</summary>
    public static (long Files, long Methods, long Documented, long Errors) CompileFolders(IReadOnlyList<string> folders, bool countOnly)
    {
        long files = 0, methods = 0, documented = 0, errors = 0;
        foreach (var folder in folders)
        {
            var paths = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(s => s is "bin" or "obj" or ".git"))
                .Order(StringComparer.Ordinal)
                .ToArray();
            var trees = new SyntaxTree[paths.Length];
            Parallel.For(0, paths.Length, i => trees[i] = CSharpSyntaxTree.ParseText(File.ReadAllText(paths[i]), ReferenceSet.AnalysisParseOptions, path: paths[i]));
            files += paths.Length;
            foreach (var tree in trees)
            {
                var root = tree.GetRoot();
                methods += root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax>().LongCount();
                documented += SeedExtractor.DocumentedMembers(root).LongCount();
            }

            if (!countOnly)
            {
                var compilation = CSharpCompilation.Create(Path.GetFileName(folder), [ReferenceSet.ImplicitUsingsTree, .. trees], ReferenceSet.SourceReferences, ReferenceSet.LibraryOptions.WithConcurrentBuild(true));
                errors += compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
            }
        }

        return (files, methods, documented, errors);
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(s => s is ".git" or "bin" or "obj"))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string Markdown(List<string> sources, List<Sample> samples, List<Sample> large, (long Files, long Methods, long Documented) corpus, int copies, int runs, int warm)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## Harvest throughput: this build vs the baseline CLI vs a bare Roslyn compilation");
        sb.AppendLine();
        sb.AppendLine(MachineSection());
        sb.AppendLine(Inv($"- command: `AUTOREFINER_CLI=<baseline AutoRefiner.Cli> dotnet run -c Release --project bench/AutoRefiner.Bench -- throughput{string.Concat(sources.Select(f => " <" + Path.GetFileName(f.TrimEnd('/')) + ">"))} --runs {runs} --copies {copies} --warm {warm}`"));
        sb.AppendLine(Inv($"- sources: {string.Join(", ", sources.Select(s => $"{Path.GetFileName(s.TrimEnd('/'))}@{Short(GitHead(s))}"))}"));
        sb.AppendLine("- each harvest: `harvest --lang csharp --source <each folder> --out <fresh> --state <fresh>`, built-in defaults, no LLM (doc-comment pairs), as a child process; wall clock, CPU and peak RSS by GNU time (`%U %S %M`)");
        sb.AppendLine("- bare compilation: a child process of the bench, with the runtime settings of this build's CLI (its runtimeconfig.json: server GC, tiered compilation, dynamic PGO, as `DOTNET_*` variables); per folder, its .cs files (outside bin/obj/.git) parsed in parallel into one `CSharpCompilation` against the harvest's reference set (its options, with Roslyn's default concurrent build), then `GetDiagnostics()`; no emit");
        sb.AppendLine(Inv($"- {runs} rounds in rotating order (ours, baseline, bare; baseline, bare, ours; …), each run after waiting (≤ 20 s) for other processes to use < 0.25 core; medians"));
        sb.AppendLine();

        var byVariant = samples.GroupBy(s => s.Variant).ToDictionary(g => g.Key, g => g.ToList());
        double Med(string v, Func<Sample, double> f) => Report.Median(byVariant[v].Select(f));
        var files = byVariant["ours"][0].Files;
        var oursRate = files / Med("ours", s => s.Wall);
        var baseRate = byVariant["baseline"][0].Files / Med("baseline", s => s.Wall);
        var bareRate = byVariant["bare"][0].Files / Med("bare", s => s.Wall);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var v in new[] { "ours", "baseline", "bare" })
        {
            var list = byVariant[v];
            var rate = list[0].Files / Med(v, s => s.Wall);
            rows.Add([
                v switch { "ours" => "this build: harvest", "baseline" => "baseline CLI: harvest", _ => "bare Roslyn compilation" },
                Report.N(list[0].Files),
                string.Join(", ", list.Select(s => s.Wall.ToString("0.0", CultureInfo.InvariantCulture))) + " s",
                Inv($"**{Med(v, s => s.Wall):0.0} s**"),
                Inv($"**{Report.N(rate, 1)}**"),
                Inv($"{Med(v, s => s.Cpu):0.0} s"),
                Report.Mb((long)Med(v, s => s.PeakRss)),
                Inv($"{Med(v, s => s.OtherLoad):0.00}"),
            ]);
        }

        sb.Append(Report.Table(["variant", "files", "wall per run", "median wall", "files/s", "median CPU", "median peak RSS", "other load (cores)"], rows, "l"));
        sb.AppendLine();
        var oursIds = byVariant["ours"].Select(s => s.Ids).ToList();
        var baseIds = byVariant["baseline"].Select(s => s.Ids).ToList();
        var same = oursIds.All(i => i.SequenceEqual(baseIds[0])) && baseIds.All(i => i.SequenceEqual(baseIds[0]));
        sb.AppendLine(Inv($"- this build vs baseline: **{Report.X(oursRate / baseRate)}** files/s (goal ≥ 2×: {(oursRate / baseRate >= 2 ? "met" : "NOT met")}); CPU {Med("ours", s => s.Cpu) / Med("baseline", s => s.Cpu):P0} of the baseline's"));
        sb.AppendLine(Inv($"- this build vs one bare compilation: **{Med("ours", s => s.Wall) / Med("bare", s => s.Wall):0.00}×** its wall time (goal ≤ 1×: {(Med("ours", s => s.Wall) <= Med("bare", s => s.Wall) ? "met" : "NOT met")}); bare compilation {Report.N(bareRate, 1)} files/s"));
        // On a shared machine wall time carries the other processes' load; CPU time much less so.
        sb.AppendLine(Inv($"- by CPU time (files per CPU second): this build {files / Med("ours", s => s.Cpu):0.0}, baseline {byVariant["baseline"][0].Files / Med("baseline", s => s.Cpu):0.0}, bare compilation {byVariant["bare"][0].Files / Med("bare", s => s.Cpu):0.0}: **{Med("baseline", s => s.Cpu) / Med("ours", s => s.Cpu):0.00}×** the baseline, **{Med("ours", s => s.Cpu) / Med("bare", s => s.Cpu):0.00}×** the bare compilation's CPU"));
        sb.AppendLine(Inv($"- row ids (train and test JSONL, in order): {oursIds[0].Count} rows; {(same ? "**identical** in every run of both CLIs" : "**DIFFERENT**")}"));
        if (large.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine(Inv($"Memory at scale: {copies} copies of the folders (each its own `--source`), {Report.N(corpus.Files)} C# files, {Report.N(corpus.Methods)} methods/constructors/operators of which {Report.N(corpus.Documented)} documented, one run of each CLI:"));
            sb.AppendLine();
            sb.Append(Report.Table(
                ["variant", "documented methods", "wall", "files/s", "CPU", "peak RSS", "rows", "other load (cores)"],
                large.Select(s => (IReadOnlyList<string>)[
                    s.Variant == "ours" ? "this build" : "baseline CLI",
                    Report.N(s.Documented),
                    Inv($"{s.Wall:0.0} s"),
                    Report.N(s.Files / s.Wall, 1),
                    Inv($"{s.Cpu:0.0} s"),
                    Inv($"**{Report.Mb(s.PeakRss)}**"),
                    Report.N(s.Ids.Count),
                    Inv($"{s.OtherLoad:0.00}"),
                ]),
                "l"));
            var peak = large.First(s => s.Variant == "ours").PeakRss;
            sb.AppendLine();
            sb.AppendLine(Inv($"- peak RSS of this build: {Report.Mb(peak)} (goal ≤ 1.5 GB: {(peak <= 1_500_000_000 ? "met" : "NOT met")}); row ids {(large[0].Ids.SequenceEqual(large[1].Ids) ? "identical" : "DIFFERENT")} between the two CLIs"));
        }

        return sb.ToString();
    }

    /// <summary>
    /// The cold/warm split: the bare compilation and this build's seed extraction, each repeated in one child process
    /// (<see cref="WarmRounds"/>) under the CLI's runtime settings. The first round is what a run pays; later rounds,
    /// with Roslyn jitted and the references read, are the work itself.
    /// </summary>
    private static string WarmSplit(IReadOnlyList<string> sources, int rounds, IReadOnlyList<string> environment, string dir)
    {
        var self = typeof(ThroughputBench).Assembly.Location;
        var result = new Dictionary<string, List<(double Wall, double Cpu, long Count)>>(StringComparer.Ordinal);
        foreach (var kind in WarmKinds)
        {
            Load.WaitForQuiet(TimeSpan.FromSeconds(20));
            var child = TimedChild.Run("/usr/bin/env", [.. environment, "dotnet", self, $"rounds-{kind}", Inv($"{rounds}"), .. sources], dir, Timeout);
            if (child.ExitCode != 0)
            {
                throw new InvalidOperationException($"rounds-{kind} failed (exit {child.ExitCode}):\n{child.Stdout}\n{child.Stderr}");
            }

            result[kind] = [.. child.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => line.Split(' ')).Select(f => (
                double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture), long.Parse(f[3], CultureInfo.InvariantCulture)))];
            Report.Progress(Inv($"rounds-{kind}: {string.Join("; ", result[kind].Select(x => Inv($"{x.Wall:0.0} s wall, {x.Cpu:0.0} s CPU")))}"));
        }

        (double Wall, double Cpu) Cold(string kind) => (result[kind][0].Wall, result[kind][0].Cpu);
        (double Wall, double Cpu) Warm(string kind) => (Report.Median(result[kind].Skip(1).Select(x => x.Wall)), Report.Median(result[kind].Skip(1).Select(x => x.Cpu)));
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine(Inv($"Cold and warm: each repeated {rounds} times in one process with the CLI's runtime settings (`rounds-bare`, `rounds-extract`); round 1 pays for jitting Roslyn and reading the references, the median of rounds 2–{rounds} is the work alone. The extraction is the harvest's seed extraction of every folder (projects, closures, units, unit compiles and context checks, built-in defaults), without validation, curation or export:"));
        sb.AppendLine();
        sb.Append(Report.Table(
            ["work", "count", "round 1 (cold) wall", "round 1 CPU", "warm wall (median)", "warm CPU (median)", "cold − warm CPU"],
            WarmKinds.Select(k => (IReadOnlyList<string>)[
                k == "bare" ? "bare Roslyn compilation" : "this build: seed extraction",
                k == "bare" ? Inv($"{Report.N(result[k][0].Count)} methods") : Inv($"{Report.N(result[k][0].Count)} seeds"),
                Inv($"{Cold(k).Wall:0.0} s"),
                Inv($"{Cold(k).Cpu:0.0} s"),
                Inv($"**{Warm(k).Wall:0.0} s**"),
                Inv($"**{Warm(k).Cpu:0.0} s**"),
                Inv($"{Cold(k).Cpu - Warm(k).Cpu:0.0} s"),
            ]),
            "l"));
        sb.AppendLine();
        sb.AppendLine(Inv($"- the bare compilation's first round is {Cold("bare").Cpu / Math.Max(0.001, Warm("bare").Cpu):0.0}× the CPU of a warm one: {1 - Warm("bare").Cpu / Math.Max(0.001, Cold("bare").Cpu):P0} of a cold bare compilation is start-up (jitting, reading references), not compiling"));
        sb.AppendLine(Inv($"- seed extraction vs bare compilation: **{Cold("extract").Wall / Cold("bare").Wall:0.00}×** wall cold, **{Warm("extract").Wall / Warm("bare").Wall:0.00}×** wall warm ({Warm("extract").Cpu / Warm("bare").Cpu:0.00}× CPU warm)"));
        sb.AppendLine(Inv($"- counts equal in every round: {(result.Values.All(l => l.All(x => x.Count == l[0].Count)) ? "yes" : "**NO**")}"));
        return sb.ToString();
    }

    private static string Short(string sha) => sha.Length >= 8 && !sha.StartsWith('(') ? sha[..8] : sha;
}
