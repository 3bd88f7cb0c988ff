using System.Text;
using System.Text.Json;
using static AutoRefiner.Bench.BenchEnv;

namespace AutoRefiner.Bench;

/// <summary>
/// <c>memory [methods]</c>: peak resident memory and throughput of the real CLI (Release, child process) on synthetic
/// trees of 2,000, 5,000 and <c>methods</c> documented methods, so growth with seed count is visible.
/// </summary>
internal static class MemoryBench
{
    private const long GoalBytes = 1_500L * 1024 * 1024;

    private sealed record Row(
        int Methods, int Files, int Projects, double Wall, long PeakRss, long ManifestPeak, long Documented, long SelfContained,
        double Yield, long Rows, string Rejected, double SeedsSeconds, double CpuSeconds, double OtherLoad);

    public static async Task<int> RunAsync(string[] args)
    {
        var max = args.Length > 0 ? CompileBench.ParsePositive(args[0], "methods") : 20_000;
        var sizes = new[] { 2_000, 5_000, max }.Where(s => s <= max).Distinct().Order().ToList();
        var rows = new List<Row>();
        foreach (var size in sizes)
        {
            var tmp = NewTempDir("memory");
            try
            {
                var tree = Path.Combine(tmp, "tree");
                Directory.CreateDirectory(tree);
                var (files, projects) = SyntheticTree.Write(tree, size);
                Report.Progress($"{size} methods: {files} files in {projects} projects; running the CLI");
                var outDir = Path.Combine(tmp, "out");
                Load.WaitForQuiet(TimeSpan.FromSeconds(30));
                var meter = new Load.Meter();
                var r = Child.RunCli(
                    ["harvest", "--lang", "csharp", "--source", tree, "--out", outDir, "--config", Path.Combine(RepoRoot, "harvest.yml")],
                    tmp,
                    TimeSpan.FromMinutes(30));
                var otherLoad = meter.Stop(r.CpuSeconds).OtherCores;
                if (r.ExitCode != 0)
                {
                    throw new InvalidOperationException($"harvest failed ({r.ExitCode}):\n{r.Stdout}\n{r.Stderr}");
                }

                using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "manifest.json")));
                var m = manifest.RootElement;
                var counts = m.GetProperty("counts");
                var row = new Row(
                    size,
                    files,
                    projects,
                    r.Elapsed.TotalSeconds,
                    r.PeakRssBytes,
                    m.GetProperty("peak_working_set_bytes").GetInt64(),
                    counts.GetProperty("documented_methods").GetInt64(),
                    counts.GetProperty("self_contained").GetInt64(),
                    counts.GetProperty("seed_yield").GetDouble(),
                    counts.GetProperty("rows").EnumerateObject().Sum(p => p.Value.GetInt64()),
                    string.Join(", ", counts.GetProperty("seeds_rejected").EnumerateObject().Select(p => Inv($"{p.Name} {p.Value.GetInt64()}"))),
                    m.GetProperty("timings_seconds").GetProperty("seeds").GetDouble(),
                    r.CpuSeconds,
                    otherLoad);
                rows.Add(row);
                Report.Progress(Inv($"{size} methods: {row.Wall:0.0} s, peak RSS {Report.Mb(row.PeakRss)}, {row.SelfContained}/{row.Documented} self-contained"));
            }
            finally
            {
                TryDelete(tmp);
            }
        }

        var sb = new StringBuilder();
        sb.AppendLine("## Memory and throughput of a whole harvest");
        sb.AppendLine();
        sb.AppendLine(MachineSection());
        sb.AppendLine(Inv($"- command: `dotnet run -c Release --project bench/AutoRefiner.Bench -- memory {max}`"));
        sb.AppendLine(Inv($"- input: synthetic tree (20 documented methods per file, 10 projects: `Common` + modules referencing it, Directory.Build.props with `<Using Include=\"System.Text\"/>`; closures over constants, static fields, helpers, the file's enum, a nested record struct, instance fields, another documented method and a `Common` helper type; 2 in 10 methods call Newtonsoft.Json / Microsoft.Extensions.Logging, which must be rejected, so 80 % is the expected yield)"));
        sb.AppendLine("- run: `dotnet AutoRefiner.Cli.dll harvest --lang csharp --source <tree> --out <tmp> --config harvest.yml` (Release, child process, no LLM → doc-comment pairs); peak RSS = GNU time `%M` of the process (the kernel's VmHWM); manifest peak = `peak_working_set_bytes` the CLI records itself");
        sb.AppendLine();
        sb.Append(Report.Table(
            ["documented methods", "files / projects", "wall", "CPU", "methods/s", "seeds/s", "peak RSS", "manifest peak", "self-contained", "yield", "rows", "rejected", "other load (cores)"],
            rows.Select(r => (IReadOnlyList<string>)
            [
                Report.N(r.Methods),
                Inv($"{r.Files} / {r.Projects}"),
                Inv($"{r.Wall:0.0} s"),
                Inv($"{r.CpuSeconds:0.0} s"),
                Report.N(r.Documented / r.Wall, 1),
                Report.N(r.SelfContained / r.Wall, 1),
                Report.Mb(r.PeakRss),
                Report.Mb(r.ManifestPeak),
                Report.N(r.SelfContained),
                Report.Pct(r.Yield),
                Report.N(r.Rows),
                r.Rejected,
                Inv($"{r.OtherLoad:0.00}"),
            ]),
            "l"));
        sb.AppendLine();
        if (rows.Count >= 2)
        {
            var first = rows[0];
            var last = rows[^1];
            var perThousand = (last.PeakRss - first.PeakRss) / 1e6 / ((last.Methods - first.Methods) / 1000.0);
            sb.AppendLine(Inv($"Growth: {Report.Mb(first.PeakRss)} at {Report.N(first.Methods)} methods → {Report.Mb(last.PeakRss)} at {Report.N(last.Methods)} ({Report.X((double)last.PeakRss / first.PeakRss)} for {Report.X((double)last.Methods / first.Methods)} the methods; {perThousand:0.0} MB per 1,000 more methods). Baseline: the {Report.N(first.Methods)}-method run of this same invocation."));
            sb.AppendLine();
        }

        var goal = rows[^1].PeakRss < GoalBytes;
        sb.AppendLine(Inv($"Goal < 1.5 GB (1,536 MiB) peak RSS at {Report.N(rows[^1].Methods)} methods: {(goal ? "met" : "NOT met")} ({rows[^1].PeakRss / 1024.0 / 1024.0:0} MiB)."));
        sb.AppendLine(Inv($"Documented methods found = methods written: {(rows.All(r => r.Documented == r.Methods) ? "yes for every size" : "NO: " + string.Join(", ", rows.Select(r => $"{r.Documented}/{r.Methods}")))}."));
        Console.WriteLine(sb.ToString());
        return goal ? 0 : 1;
    }
}
