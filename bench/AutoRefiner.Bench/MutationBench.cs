using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AutoRefiner.Core.Text;
using AutoRefiner.Validator;
using AutoRefiner.Validator.Mutation;
using AutoRefiner.Validator.Sandbox;
using static AutoRefiner.Bench.BenchEnv;

namespace AutoRefiner.Bench;

/// <summary>
/// <c>mutation [n] [--jsonl file] [--mutants m]</c>: what mutation testing costs per sample, against what the sample
/// costs today, measured in the same run on the same samples, one sample at a time: (a) compiling solution + tests and
/// running the tests once in the sandbox pool; (b) full mutation testing — the mutant schemata compiled and the tests run
/// once per mutant (up to m, default 20), the assembly kept loaded where the tests allow; and (c) the same mutants with a
/// fresh load per mutant, to show what keeping the assembly saves. Samples are real tested code — exercism's reference
/// solutions and tests (<c>bench/exercism/make-jsonl.py</c>) when a JSONL file is given — or the sandbox bench's
/// exercises otherwise; only samples whose tests pass are measured (only they are mutation-tested).
/// </summary>
internal static class MutationBench
{
    private const int Rounds = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        var n = 30;
        string? jsonl = null;
        var mutants = 20;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--jsonl" when i + 1 < args.Length:
                    jsonl = args[++i];
                    break;
                case "--mutants" when i + 1 < args.Length:
                    mutants = CompileBench.ParsePositive(args[++i], "mutants");
                    break;
                default:
                    n = CompileBench.ParsePositive(args[i], "n");
                    break;
            }
        }

        var samples = jsonl is null
            ? [.. Enumerable.Range(0, n).Select(i => (Name: $"exercise {i}", Sample: SandboxBench.Exercises.Make(i)))]
            : Read(jsonl).Take(n).ToList();
        await using var pool = new SandboxPool(new SandboxOptions { Workers = Environment.ProcessorCount });
        var tester = new MutationTester(pool, mutants, 0.5);

        // Which samples pass today (only those are mutation-tested), and a warm-up of every path.
        Report.Progress($"checking {samples.Count} samples");
        var passing = new List<(string Name, string Solution, string Tests)>();
        foreach (var (name, (solution, tests)) in samples)
        {
            var (_, outcome) = await CompileAndRunAsync(pool, solution, tests);
            if (outcome is { End: SandboxEnd.Completed, Response: { Error: null, LeftRunning: false } r } && r.Tests.Count > 0 && r.Tests.All(t => t.Outcome is "passed" or "skipped"))
            {
                passing.Add((name, solution, tests));
            }
            else
            {
                Report.Progress($"left out {name}: its tests do not pass here ({outcome?.Detail ?? "does not compile"})");
            }
        }

        foreach (var (_, solution, tests) in passing.Take(3))
        {
            var (_, outcome) = await CompileAndRunAsync(pool, solution, tests);
            await tester.ScoreAsync(solution, tests, outcome!.Response!.Tests, null, CancellationToken.None);
            await FreshLoadsAsync(pool, solution, tests, mutants, outcome.Response.Tests);
        }

        var results = new List<Row>();
        foreach (var (name, solution, tests) in passing)
        {
            Load.WaitForQuiet(TimeSpan.FromSeconds(20));
            var once = new List<double>();
            var full = new List<double>();
            var fresh = new List<double>();
            MutationScore? score = null;
            bool reusable = true;
            for (var r = 0; r < Rounds; r++)
            {
                var sw = Stopwatch.StartNew();
                var (_, outcome) = await CompileAndRunAsync(pool, solution, tests);
                once.Add(sw.Elapsed.TotalMilliseconds);

                sw.Restart();
                score = await tester.ScoreAsync(solution, tests, outcome!.Response!.Tests, null, CancellationToken.None);
                full.Add(sw.Elapsed.TotalMilliseconds);

                sw.Restart();
                reusable = await FreshLoadsAsync(pool, solution, tests, mutants, outcome.Response.Tests);
                fresh.Add(sw.Elapsed.TotalMilliseconds);
            }

            var row = new Row(name, Report.Median(once), Report.Median(full), Report.Median(fresh), score!.Mutants, score.Killed, reusable);
            results.Add(row);
            Report.Progress(Inv($"{name}: once {row.Once:0} ms, mutation {row.Full:0} ms ({row.Full / row.Once:0.00}×), fresh loads {row.Fresh:0} ms; {row.Killed}/{row.Mutants} killed{(row.Reusable ? "" : " (static state: fresh loads)")}"));
        }

        Console.Write(Describe(results, jsonl, n, mutants, pool.Isolation));
        return 0;
    }

    private sealed record Row(string Name, double Once, double Full, double Fresh, int Mutants, int Killed, bool Reusable);

    private static string Describe(List<Row> rows, string? jsonl, int n, int mutants, string isolation)
    {
        var once = Report.Median(rows.Select(r => r.Once));
        var full = Report.Median(rows.Select(r => r.Full));
        var fresh = Report.Median(rows.Select(r => r.Fresh));
        var ratios = rows.Select(r => r.Full / r.Once).Order().ToList();
        var ratio = Report.Median(ratios);
        var sumRatio = rows.Sum(r => r.Full) / rows.Sum(r => r.Once);
        var sb = new StringBuilder();
        sb.AppendLine("## Mutation testing cost (mutation)");
        sb.AppendLine();
        sb.AppendLine(MachineSection());
        sb.AppendLine(Inv($"- command: `dotnet run -c Release --project bench/AutoRefiner.Bench -- mutation {n}{(jsonl is null ? "" : " --jsonl exercism.jsonl")} --mutants {mutants}`"));
        sb.AppendLine(jsonl is null
            ? Inv($"- samples: {rows.Count} of the sandbox bench's instruct-style exercises whose tests pass")
            : Inv($"- samples: {rows.Count} exercism/csharp practice exercises whose reference solution passes its own tests here, no NuGet package needed (`bench/exercism/make-jsonl.py`)"));
        sb.AppendLine(Inv($"- one sample at a time, {Rounds} rounds each (a, b, c interleaved), per-sample medians; sandbox: {isolation}"));
        sb.AppendLine("- (a) once: `TestAssemblyBuilder.Build` (solution + tests, deny-list, emit) + `SandboxPool.RunAsync` — what validating a sample costs today");
        sb.AppendLine(Inv($"- (b) mutation: `MutationTester.ScoreAsync` — mutant schemata built and compiled once, the tests run once per mutant (≤ {mutants}) in one worker, the assembly kept loaded unless the code has mutable static state"));
        sb.AppendLine("- (c) the same mutants, each loaded afresh (what (b) would cost without keeping the assembly)");
        sb.AppendLine();
        sb.Append(Report.Table(
            ["", "median ms per sample", "vs (a)"],
            [
                ["(a) compile + run tests once", Inv($"{once:0.0}"), "1×"],
                [Inv($"(b) mutation testing, ≤ {mutants} mutants"), Inv($"**{full:0.0}**"), Inv($"**{Report.X(full / once)}**")],
                ["(c) the same, a fresh load per mutant", Inv($"{fresh:0.0}"), Report.X(fresh / once)],
            ],
            "lrr"));
        sb.AppendLine();
        sb.AppendLine(Inv($"Per-sample ratio (b)/(a): median {Report.X(ratio)}, 90th percentile {Report.X(ratios[(int)(0.9 * (ratios.Count - 1))])}, max {Report.X(ratios[^1])}; total (b) / total (a): {Report.X(sumRatio)}."));
        sb.AppendLine(Inv($"Mutants per sample: median {Report.Median(rows.Select(r => (double)r.Mutants)):0}, {rows.Count(r => r.Mutants == 0)} samples with none; killed {rows.Sum(r => r.Killed)} of {rows.Sum(r => r.Mutants)} ({Report.Pct(rows.Sum(r => (double)r.Killed) / Math.Max(1, rows.Sum(r => r.Mutants)))}); {rows.Count(r => r.Mutants > 0 && r.Killed * 2 < r.Mutants)} samples below the 0.5 bar; {rows.Count(r => !r.Reusable)} with mutable static state (fresh loads)."));
        sb.AppendLine();
        sb.AppendLine(Inv($"Goal (b) ≤ 3× (a) per sample (median): {(ratio <= 3 ? "met" : "NOT met")} ({Report.X(ratio)})."));
        sb.AppendLine();
        sb.AppendLine("| sample | (a) ms | (b) ms | (b)/(a) | (c) ms | mutants | killed |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            sb.AppendLine(Inv($"| {r.Name}{(r.Reusable ? "" : " (static state)")} | {r.Once:0} | {r.Full:0} | {r.Full / r.Once:0.00} | {r.Fresh:0} | {r.Mutants} | {r.Killed} |"));
        }

        return sb.ToString();
    }

    private static async Task<(TestAssemblyBuilder.Result Built, SandboxOutcome? Outcome)> CompileAndRunAsync(SandboxPool pool, string solution, string tests)
    {
        var built = TestAssemblyBuilder.Build(solution, tests, CancellationToken.None);
        return built.Image is { } image ? (built, await pool.RunAsync(image, CancellationToken.None)) : (built, null);
    }

    /// <summary>(c): the mutants of (b), each on a fresh load; returns whether (b) could keep the assembly loaded.</summary>
    private static async Task<bool> FreshLoadsAsync(SandboxPool pool, string solution, string tests, int mutants, IReadOnlyList<AutoRefiner.Sandbox.TestResult> original)
    {
        var built = MutantSchemata.Build(solution, tests, mutants, null, CancellationToken.None);
        if (built.Image is { } image)
        {
            var slowest = original.Count == 0 ? 0 : original.Max(t => t.Milliseconds);
            var limit = TimeSpan.FromMilliseconds(Math.Max(1000, (slowest * 10) + 500));
            await pool.RunMutantsAsync(image, [.. built.Mutants.Select(m => m.Id)], limit, reuse: false, CancellationToken.None);
        }

        return built.Reusable;
    }

    /// <summary>Rows of <c>make-jsonl.py</c>'s output that need no package: the solution (the first C# block of <c>output</c>) and the tests.</summary>
    private static IEnumerable<(string Name, (string Solution, string Tests) Sample)> Read(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var row = JsonDocument.Parse(line);
            var root = row.RootElement;
            if (root.TryGetProperty("packages", out var packages) && packages.GetArrayLength() > 0)
            {
                continue;
            }

            var solution = CodeBlocks.FirstCSharp(root.GetProperty("output").GetString() ?? "");
            var tests = root.GetProperty("tests").GetString() ?? "";
            if (solution is not null && tests.Length > 0)
            {
                yield return (root.GetProperty("id").GetString() ?? "?", (solution, tests));
            }
        }
    }
}
