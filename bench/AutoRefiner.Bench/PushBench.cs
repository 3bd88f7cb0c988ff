using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AutoRefiner.Exporter.Tests.Hub;
using static AutoRefiner.Bench.BenchEnv;

namespace AutoRefiner.Bench;

/// <summary>
/// <c>push [megabytes]</c>: peak resident memory of the real CLI (<c>autorefiner push</c>, a child process measured by
/// GNU time) uploading an output folder of the given size (default 2048 MB, in four Parquet shards) to the tests' fake
/// Hub on 127.0.0.1, which keeps what it receives on disk; against the same command on a 1 MB folder (the baseline, in
/// the same run); then a second push of the unchanged folder.
/// </summary>
internal static class PushBench
{
    private const string Token = "hf_benchToken000000000000000000000000000";

    public static async Task<int> RunAsync(string[] args)
    {
        var megabytes = args.Length > 0 ? CompileBench.ParsePositive(args[0], "megabytes") : 2048;
        var tmp = NewTempDir("push");
        try
        {
            await using var hub = new FakeHubServer { MultipartThreshold = 64L << 20, ChunkSize = 32L << 20 };
            hub.Tokens[Token] = true;
            var env = new Dictionary<string, string> { ["HF_ENDPOINT"] = hub.Endpoint.ToString(), ["HF_TOKEN"] = Token };

            Report.Progress("writing the small folder (baseline)");
            var small = WriteFolder(Path.Combine(tmp, "small"), 1, shards: 1);
            Report.Progress($"writing {megabytes} MB of dataset files");
            var large = WriteFolder(Path.Combine(tmp, "large"), megabytes, shards: 4);

            var baseline = Push(small, "me/small", env);
            Report.Progress(Inv($"baseline push: {baseline.Elapsed.TotalSeconds:0.0} s, peak RSS {Report.Mb(baseline.PeakRssBytes)}"));
            var before = hub.LfsBytesReceived;
            var first = Push(large, "me/large", env);
            var uploaded = hub.LfsBytesReceived - before;
            Report.Progress(Inv($"large push: {first.Elapsed.TotalSeconds:0.0} s, peak RSS {Report.Mb(first.PeakRssBytes)}, {uploaded / 1e6:0} MB uploaded"));
            before = hub.LfsBytesReceived;
            var second = Push(large, "me/large", env);
            var again = hub.LfsBytesReceived - before;
            Report.Progress(Inv($"second push: {second.Elapsed.TotalSeconds:0.0} s, peak RSS {Report.Mb(second.PeakRssBytes)}, {again} bytes uploaded"));

            var identical = hub.Files("me/large").Count(kv => kv.Key.EndsWith(".parquet", StringComparison.Ordinal));
            var sb = new StringBuilder();
            sb.AppendLine("## Push memory");
            sb.AppendLine();
            sb.AppendLine(MachineSection());
            sb.AppendLine(Inv($"- command: `dotnet run -c Release --project bench/AutoRefiner.Bench -- push {megabytes}`"));
            sb.AppendLine(Inv($"- what: `autorefiner push --repo me/large --out <folder>` (the CLI built beside the bench, a child process; peak RSS by GNU time `%M`) to the tests' fake Hub on 127.0.0.1 (`FakeHubServer`, objects kept on disk; multipart above 64 MB in 32 MB parts) — a folder of {megabytes} MB of Parquet shards (4 files of random bytes) + manifest + card"));
            sb.AppendLine("- baseline, same run: the same command on a folder of 1 MB");
            sb.AppendLine();
            sb.Append(Report.Table(
                ["push", "folder", "wall", "LFS bytes uploaded", "peak RSS", "exit"],
                [
                    ["baseline: small folder", "1 MB", Inv($"{baseline.Elapsed.TotalSeconds:0.0} s"), "", Report.Mb(baseline.PeakRssBytes), Inv($"{baseline.ExitCode}")],
                    ["first push", Inv($"{megabytes:N0} MB"), Inv($"{first.Elapsed.TotalSeconds:0.0} s"), Inv($"{uploaded:N0}"), Inv($"**{Report.Mb(first.PeakRssBytes)}**"), Inv($"{first.ExitCode}")],
                    ["second push, unchanged", Inv($"{megabytes:N0} MB"), Inv($"{second.Elapsed.TotalSeconds:0.0} s"), Inv($"{again:N0}"), Report.Mb(second.PeakRssBytes), Inv($"{second.ExitCode}")],
                ],
                "lrrrrr"));
            sb.AppendLine();
            sb.AppendLine(Inv($"Peak RSS of the {megabytes:N0} MB push minus the 1 MB push: {Report.Mb(first.PeakRssBytes - baseline.PeakRssBytes)}; the Hub holds {identical} shards afterwards."));
            sb.AppendLine();
            sb.AppendLine(Inv($"Goal: peak memory under 300 MB while pushing a 2 GB dataset: {(first.PeakRssBytes < 300L * 1000 * 1000 && first.ExitCode == 0 ? "met" : "NOT met")} ({Report.Mb(first.PeakRssBytes)})."));
            Console.Write(sb.ToString());
            return 0;
        }
        finally
        {
            TryDelete(tmp);
        }
    }

    private static ChildResult Push(string folder, string repo, Dictionary<string, string> env)
    {
        var args = new[] { "push", "--repo", repo, "--out", folder };
        var r = File.Exists("/usr/bin/time")
            ? TimedCli(args, env)
            : Child.Run("dotnet", [CliDll, .. args], Path.GetTempPath(), TimeSpan.FromMinutes(20), env, measureRss: true);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"push failed:\n{r.Stdout}\n{r.Stderr}");
        }

        return r;
    }

    private static ChildResult TimedCli(string[] args, Dictionary<string, string> env)
    {
        var timeFile = Path.Combine(Path.GetTempPath(), $"ar-bench-time-{Guid.NewGuid():N}.txt");
        try
        {
            var r = Child.Run("/usr/bin/time", ["-f", "%M", "-o", timeFile, "dotnet", CliDll, .. args], Path.GetTempPath(), TimeSpan.FromMinutes(20), env);
            var kb = long.Parse(File.ReadAllText(timeFile).Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
            return r with { PeakRssBytes = kb * 1024 };
        }
        finally
        {
            File.Delete(timeFile);
        }
    }

    /// <summary>An output folder as AutoRefiner writes it, with <paramref name="megabytes"/> MB of shards.</summary>
    private static string WriteFolder(string dir, int megabytes, int shards)
    {
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        var files = new JsonArray();
        var random = new Random(megabytes);
        var buffer = new byte[1 << 20];
        for (var s = 0; s < shards; s++)
        {
            var name = $"data/train-{s:D5}-of-{shards:D5}.parquet";
            using (var file = File.Create(Path.Combine(dir, name)))
            {
                for (var m = 0; m < megabytes / shards; m++)
                {
                    random.NextBytes(buffer);
                    file.Write(buffer);
                }
            }

            files.Add(new JsonObject { ["path"] = name, ["bytes"] = new FileInfo(Path.Combine(dir, name)).Length, ["sha256"] = "" });
        }

        File.WriteAllText(Path.Combine(dir, "README.md"), "---\nlicense: mit\n---\n# bench\n");
        File.WriteAllText(Path.Combine(dir, "manifest.json"), new JsonObject { ["tool"] = "autorefiner", ["files"] = files }.ToJsonString());
        return dir;
    }
}
