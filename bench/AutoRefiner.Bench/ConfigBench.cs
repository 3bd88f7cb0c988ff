using System.Diagnostics;
using System.Text;
using AutoRefiner.Config;
using AutoRefiner.Core.Config;
using static AutoRefiner.Bench.BenchEnv;

namespace AutoRefiner.Bench;

/// <summary>
/// Loading a <c>harvest.yml</c> that lists many repositories: the time at N and at N/10 in the same run. Linear loading
/// takes about 10× as long for 10× the repositories (the old duplicate check, a list search per item, took ~100×).
/// </summary>
internal static class ConfigBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var repos = args.Length > 0 ? CompileBench.ParsePositive(args[0], "repos") : 100_000;
        var dir = NewTempDir("config");
        try
        {
            var big = await WriteAsync(Path.Combine(dir, "big.yml"), repos);
            var small = await WriteAsync(Path.Combine(dir, "small.yml"), Math.Max(1, repos / 10));
            ConfigLoader.Load(small); // warm-up (JIT)
            var bigTimes = new List<double>();
            var smallTimes = new List<double>();
            for (var run = 0; run < 5; run++)
            {
                Load.WaitForQuiet(TimeSpan.FromSeconds(30));
                var clock = Stopwatch.StartNew();
                var loaded = ConfigLoader.Load(big).Sources.GitHub.Repos.Count;
                bigTimes.Add(clock.Elapsed.TotalSeconds);
                if (loaded != repos)
                {
                    throw new InvalidOperationException($"loaded {loaded} repositories, not {repos}");
                }

                clock.Restart();
                ConfigLoader.Load(small);
                smallTimes.Add(clock.Elapsed.TotalSeconds);
            }

            var bigMedian = Report.Median(bigTimes);
            var smallMedian = Report.Median(smallTimes);
            var sb = new StringBuilder();
            sb.AppendLine("## Configuration loading");
            sb.AppendLine();
            sb.AppendLine(MachineSection());
            sb.AppendLine(Inv($"- command: `dotnet run -c Release --project bench/AutoRefiner.Bench -- config {repos}`"));
            sb.AppendLine(Inv($"- a harvest.yml listing {repos:N0} `sources.github.repos` (and one with {repos / 10:N0}), loaded with `ConfigLoader.Load`; 5 runs after a warm-up, medians"));
            sb.AppendLine();
            sb.Append(Report.Table(
                ["repositories", "load time", "per repository"],
                [
                    [Inv($"{repos:N0}"), Inv($"**{bigMedian * 1000:0} ms**"), Inv($"{bigMedian / repos * 1e6:0.0} µs")],
                    [Inv($"{repos / 10:N0}"), Inv($"{smallMedian * 1000:0} ms"), Inv($"{smallMedian / (repos / 10) * 1e6:0.0} µs")],
                ],
                "rrr"));
            sb.AppendLine();
            sb.AppendLine(Inv($"10× the repositories took {Report.X(bigMedian / smallMedian)} the time (linear: ~10×; quadratic: ~100×). Goal well under a second for {repos:N0}: {(bigMedian < 1 ? "met" : "NOT met")}."));
            Console.Write(sb.ToString());
            return 0;
        }
        finally
        {
            TryDelete(dir);
        }
    }

    private static async Task<string> WriteAsync(string path, int repos)
    {
        var text = new StringBuilder("sources:\n  github:\n    repos:\n");
        for (var i = 0; i < repos; i++)
        {
            text.Append("      - owner").Append(i).Append("/repo").Append(i % 7).Append('\n');
        }

        await File.WriteAllTextAsync(path, text.ToString());
        return path;
    }
}
