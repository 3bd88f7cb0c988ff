using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;
using AutoRefiner.Validator;
using static AutoRefiner.Bench.BenchEnv;

namespace AutoRefiner.Bench;

/// <summary>
/// <c>compile &lt;dir&gt;... [--n N] [--k K]</c>: throughput of the real compile validator (CompileValidator over
/// OrderedParallel, one compilation per core) on n real self-contained units harvested from the given code bases (clones
/// of public repositories, wherever they are on this machine), against a fresh <c>dotnet build</c> per sample for k of them.
/// </summary>
internal static class CompileBench
{
    private const int Runs = 5;

    private const int WarmupPasses = 3;

    private const double WarmupSeconds = 10;

    /// <summary>A timed pass during which other processes used more than this many cores is discarded and repeated.</summary>
    internal const double MaxOtherLoad = 0.5;

    /// <summary>How many disturbed passes may be repeated per variant.</summary>
    private const int MaxRetries = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var (sources, options) = BenchArgs.Split(args, ["--n", "--k"]);
        var n = options.TryGetValue("--n", out var nText) ? ParsePositive(nText, "n") : 400;
        var k = options.TryGetValue("--k", out var kText) ? ParsePositive(kText, "k") : 5;
        if (sources.Count == 0)
        {
            throw new BenchUsageException("compile needs the folders of the code bases to harvest samples from (clones of public repositories, e.g. morelinq/MoreLINQ and Humanizr/Humanizer)");
        }

        var tmp = NewTempDir("compile");
        try
        {
            // 1. Real self-contained units: the response blocks of a harvest of real code bases.
            Report.Progress($"harvesting {string.Join(", ", sources)} for sample units");
            var outDir = Path.Combine(tmp, "harvest");
            var cliArgs = new List<string> { "harvest", "--lang", "csharp", "--out", outDir, "--config", Path.Combine(RepoRoot, "harvest.yml") };
            foreach (var src in sources)
            {
                cliArgs.AddRange(["--source", src]);
            }

            var harvest = Child.RunCli(cliArgs, tmp, TimeSpan.FromMinutes(20));
            if (harvest.ExitCode != 0)
            {
                throw new InvalidOperationException($"harvest failed:\n{harvest.Stdout}\n{harvest.Stderr}");
            }

            var units = ReadUnits(Path.Combine(outDir, "jsonl"));
            if (units.Count < n)
            {
                Report.Progress($"only {units.Count} units available; using them all");
                n = units.Count;
            }

            // A deterministic spread over both code bases: ordered by content hash.
            var sample = units.OrderBy(u => ContentHash.Of(u), StringComparer.Ordinal).Take(n).ToList();
            var candidates = sample.Select((code, i) => new Candidate
            {
                Task = "doc-comments",
                Instruction = "bench",
                Response = CodeBlocks.Fence(code),
                Generator = "bench",
                PromptVersion = "bench",
                Provenance = new Provenance("bench", $"unit{i}.cs", "", "", ""),
                SeedId = i.ToString(CultureInfo.InvariantCulture),
            }).ToList();
            var lines = sample.Select(u => u.Count(c => c == '\n')).ToList();

            // 2. Ours: the real validator, ordered parallel map with one compilation per core.
            var degree = Environment.ProcessorCount;
            var validator = new CompileValidator(new RoslynCompiler());
            // Tiered JIT and dynamic PGO keep speeding Roslyn up over the first thousands of compilations, so the
            // warm-up runs at least WarmupPasses passes and WarmupSeconds.
            var compiler = new RoslynCompiler();
            var warmClock = Stopwatch.StartNew();
            for (var w = 0; w < WarmupPasses || warmClock.Elapsed.TotalSeconds < WarmupSeconds; w++)
            {
                var wsw = Stopwatch.StartNew();
                await ValidateAllAsync(validator, candidates, degree);
                Report.Progress(Inv($"warm-up pass {w + 1}: {n / wsw.Elapsed.TotalSeconds:0} samples/s"));
            }

            var passed = 0;
            var ours = await MeasureAsync("ours (CompileValidator + OrderedParallel)", n, async () => passed = (await ValidateAllAsync(validator, candidates, degree)).Passed);
            var pf = await MeasureAsync("Parallel.ForEach", n, () =>
            {
                Parallel.ForEach(sample, new ParallelOptions { MaxDegreeOfParallelism = degree }, code => compiler.Compile(code, CancellationToken.None));
                return Task.CompletedTask;
            });
            var single = new List<double>();
            var seq = await MeasureAsync("one thread", n, () =>
            {
                single.Clear();
                foreach (var code in sample)
                {
                    var sw = Stopwatch.StartNew();
                    compiler.Compile(code, CancellationToken.None);
                    single.Add(sw.Elapsed.TotalMilliseconds);
                }

                return Task.CompletedTask;
            });
            var runs = ours.Runs.Select(r => r.Wall).ToList();
            var cpus = ours.Runs.Select(r => r.Cpu).ToList();
            var loads = ours.Runs.Select(r => r.Other).ToList();
            var pfRuns = pf.Runs.Select(r => r.Wall).ToList();
            var pfCpus = pf.Runs.Select(r => r.Cpu).ToList();
            var seqRuns = seq.Runs.Select(r => r.Wall).ToList();
            var seqCpus = seq.Runs.Select(r => r.Cpu).ToList();
            var seqLoads = seq.Runs.Select(r => r.Other).ToList();

            var trivial = new List<double>();
            for (var i = 0; i < 200; i++)
            {
                var sw = Stopwatch.StartNew();
                compiler.Compile($"public class C{i} {{ }}", CancellationToken.None);
                trivial.Add(sw.Elapsed.TotalMilliseconds);
            }

            var medianSeconds = Report.Median(runs);
            var oursRate = n / medianSeconds;

            // 3. Baseline: a fresh classlib per sample and `dotnet build`, as a user would check a sample by hand.
            Report.Progress($"baseline: dotnet build of {k} fresh projects (+1 warm-up)");
            var buildDir = Path.Combine(tmp, "builds");
            var warmBuild = DotnetBuild(buildDir, "warmup", sample[0]);
            Report.Progress(Inv($"warm-up build: {warmBuild.Seconds:0.00} s (exit {warmBuild.ExitCode})"));
            var builds = new List<(double Seconds, int ExitCode)>();
            var buildLoads = new List<double>();
            for (var i = 0; i < k; i++)
            {
                buildLoads.Add(Load.WaitForQuiet(TimeSpan.FromSeconds(45)));
                var b = DotnetBuild(buildDir, $"s{i}", sample[i % sample.Count]);
                builds.Add(b);
                Report.Progress(Inv($"build {i + 1}: {b.Seconds:0.00} s (exit {b.ExitCode})"));
            }

            var buildMedian = Report.Median(builds.Select(b => b.Seconds));
            var buildRate = 1 / buildMedian;

            var sb = new StringBuilder();
            sb.AppendLine("## Compile validation throughput");
            sb.AppendLine();
            sb.AppendLine(MachineSection());
            sb.AppendLine(Inv($"- command: `dotnet run -c Release --project bench/AutoRefiner.Bench -- compile{string.Concat(sources.Select(f => " <" + Path.GetFileName(f.TrimEnd('/')) + ">"))} --n {n} --k {k}`"));
            sb.AppendLine(Inv($"- samples: {n} self-contained units (response blocks of `autorefiner harvest` on {string.Join(" + ", sources.Select(s => $"{Path.GetFileName(s)}@{GitHead(s)[..Math.Min(12, GitHead(s).Length)]}"))}; {units.Count} available, first {n} by content hash); lines per unit: median {Report.Median(lines.Select(l => (double)l)):0}, max {lines.Max()}"));
            sb.AppendLine(Inv($"- ours: `CompileValidator(RoslynCompiler)` over `OrderedParallel.SelectAsync`, degree {degree} (= cores); warm-up ≥ {WarmupPasses} passes and ≥ {WarmupSeconds:0} s, then {Runs} timed passes over all {n}; then the same compilations through `Parallel.ForEach` and on one thread, {Runs} passes each. Each pass waits first (at most 45 s) for other processes to use < 0.25 core; a pass during which they used > {MaxOtherLoad} core is repeated (at most {MaxRetries} times, and while the command's waiting budget lasts; waited/repeated {Load.SpentSeconds:0} s in all; repeated: ours {ours.Discarded}, Parallel.ForEach {pf.Discarded}, one thread {seq.Discarded})"));
            sb.AppendLine(Inv($"- baseline: per sample a fresh net10.0 classlib (ImplicitUsings, Nullable, no packages) in a temp dir, `dotnet build` timed whole (implicit restore included); one untimed warm-up build first (build servers up, as for a user who builds often), then {k} timed"));
            sb.AppendLine();
            var cpuMs = Report.Median(cpus) * 1000 / n;
            sb.Append(Report.Table(
                ["approach", "samples", "median wall", "samples/s", "ms per sample (wall)", "CPU ms per sample", "passed", "vs dotnet build", "other load (cores)"],
                [
                    [
                        Inv($"ours: Roslyn in memory, {degree} in parallel"),
                        Report.N(n),
                        Inv($"{medianSeconds:0.000} s"),
                        Inv($"**{Report.N(oursRate, 1)}** (best {Report.N(n / runs.Min(), 1)})"),
                        Inv($"{medianSeconds * 1000 / n:0.00}"),
                        Inv($"{cpuMs:0.00}"),
                        Inv($"{passed}/{n}"),
                        Inv($"**{Report.X(oursRate / buildRate)}**"),
                        Inv($"{Report.Median(loads):0.00}"),
                    ],
                    [
                        Inv($"same compilations, `Parallel.ForEach` ({degree})"),
                        Report.N(n),
                        Inv($"{Report.Median(pfRuns):0.000} s"),
                        Report.N(n / Report.Median(pfRuns), 1),
                        Inv($"{Report.Median(pfRuns) * 1000 / n:0.00}"),
                        Inv($"{Report.Median(pfCpus) * 1000 / n:0.00}"),
                        "",
                        Report.X(n / Report.Median(pfRuns) / buildRate),
                        "",
                    ],
                    [
                        "same compilations, one thread",
                        Report.N(n),
                        Inv($"{Report.Median(seqRuns):0.000} s"),
                        Report.N(n / Report.Median(seqRuns), 1),
                        Inv($"{Report.Median(seqRuns) * 1000 / n:0.00} (per compile: median {Report.Median(single):0.00}, p90 {Percentile(single, 0.9):0.00}, max {single.Max():0.0})"),
                        Inv($"{Report.Median(seqCpus) * 1000 / n:0.00}"),
                        "",
                        Report.X(n / Report.Median(seqRuns) / buildRate),
                        Inv($"{Report.Median(seqLoads):0.00}"),
                    ],
                    [
                        "fixed cost: empty class, one thread",
                        "200",
                        "",
                        "",
                        Inv($"{Report.Median(trivial):0.00} median"),
                        "",
                        "",
                        "",
                        "",
                    ],
                    [
                        "baseline: `dotnet build` per sample",
                        Report.N(k),
                        Inv($"{buildMedian:0.00} s per sample"),
                        Inv($"{buildRate:0.000}"),
                        Inv($"{buildMedian * 1000:0}"),
                        "",
                        Inv($"{builds.Count(b => b.ExitCode == 0)}/{k}"),
                        "1×",
                        Inv($"{Report.Median(buildLoads):0.00} (before each build)"),
                    ],
                ],
                "l"));
            sb.AppendLine();
            sb.AppendLine(Inv($"Timed passes (s): {string.Join(", ", runs.Select(r => r.ToString("0.000", CultureInfo.InvariantCulture)))}, other load during each (cores): {string.Join(", ", loads.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}; dotnet build per sample (s): {string.Join(", ", builds.Select(b => b.Seconds.ToString("0.00", CultureInfo.InvariantCulture)))} (warm-up {warmBuild.Seconds:0.00})."));
            sb.AppendLine();
            var goalRate = oursRate >= 200;
            var goalRatio = oursRate / buildRate >= 100;
            sb.AppendLine(Inv($"Goal ≥ 200 samples/s: {(goalRate ? "met" : "NOT met")} ({oursRate:0}); goal ≥ 100× dotnet build: {(goalRatio ? "met" : "NOT met")} ({Report.X(oursRate / buildRate)})."));
            Console.WriteLine(sb.ToString());
            return passed == n && goalRate && goalRatio ? 0 : 1;
        }
        finally
        {
            TryDelete(tmp);
        }
    }

    /// <summary>
    /// Times <paramref name="pass"/> until <see cref="Runs"/> passes ran undisturbed (other processes below
    /// <see cref="MaxOtherLoad"/> cores), repeating disturbed ones at most <see cref="MaxRetries"/> times.
    /// </summary>
    private static async Task<(List<(double Wall, double Cpu, double Other)> Runs, int Discarded)> MeasureAsync(string name, int n, Func<Task> pass)
    {
        var clean = new List<(double Wall, double Cpu, double Other)>();
        var discarded = 0;
        while (clean.Count < Runs)
        {
            Load.WaitForQuiet(TimeSpan.FromSeconds(45));
            var meter = new Load.Meter();
            await pass();
            var (wall, cpu, other) = meter.Stop();
            var keep = other <= MaxOtherLoad || discarded >= MaxRetries || !Load.CanRetry;
            Report.Progress(Inv($"{name}: {n / wall:0} samples/s, {cpu * 1000 / n:0.00} CPU ms per sample, other load {other:0.00} cores{(keep ? "" : " (disturbed: repeated)")}"));
            if (keep)
            {
                clean.Add((wall, cpu, other));
            }
            else
            {
                discarded++;
                Load.Charge(TimeSpan.FromSeconds(wall));
            }
        }

        return (clean, discarded);
    }

    private static async Task<(TimeSpan Elapsed, int Passed)> ValidateAllAsync(CompileValidator validator, List<Candidate> candidates, int degree)
    {
        var sw = Stopwatch.StartNew();
        var passed = 0;
        await foreach (var judged in candidates.ToAsyncEnumerable().SelectAsync(degree, validator.ValidateAsync))
        {
            if (judged.Verdict == Verdict.Passed)
            {
                passed++;
            }
        }

        return (sw.Elapsed, passed);
    }

    /// <summary>Writes a fresh classlib with the unit and times <c>dotnet build</c> on it.</summary>
    private static (double Seconds, int ExitCode) DotnetBuild(string root, string name, string code)
    {
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Sample.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir, "Sample.cs"), code);
        var r = Child.Run("dotnet", ["build"], dir, TimeSpan.FromMinutes(5));
        if (r.ExitCode != 0)
        {
            Console.Error.WriteLine(r.Stdout);
        }

        return (r.Elapsed.TotalSeconds, r.ExitCode);
    }

    /// <summary>The first C# block of every response in the jsonl files.</summary>
    private static List<string> ReadUnits(string jsonlDir)
    {
        var units = new List<string>();
        foreach (var file in Directory.EnumerateFiles(jsonlDir, "*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file).Where(l => l.Length > 0))
            {
                using var row = JsonDocument.Parse(line);
                if (CodeBlocks.FirstCSharp(row.RootElement.GetProperty("response").GetString() ?? "") is { } code)
                {
                    units.Add(code);
                }
            }
        }

        return units;
    }

    private static double Percentile(List<double> values, double p)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v[Math.Min(v.Length - 1, (int)Math.Ceiling(p * v.Length) - 1)];
    }

    internal static int ParsePositive(string s, string name) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new BenchUsageException($"{name} must be a positive integer, got '{s}'");
}
