using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AutoRefiner.Exporter.Report;
using static AutoRefiner.Bench.BenchEnv;

namespace AutoRefiner.Bench;

/// <summary>
/// <c>report [rows]</c>: the report of a run with 100,000 rows (default) — how long writing it takes, how large the page
/// is, and how long headless Chromium takes to load and lay it out, against an empty page loaded the same way (the
/// browser's own start-up) in the same run.
/// </summary>
internal static class ReportBench
{
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? CompileBench.ParsePositive(args[0], "rows") : 100_000;
        var tmp = NewTempDir("report");
        try
        {
            var outDir = Path.Combine(tmp, "out");
            Report.Progress($"writing an output folder of {rows:N0} rows");
            var jsonlBytes = WriteFolder(outDir, rows);

            var writes = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                var clock = Stopwatch.StartNew();
                await ReportWriter.WriteAsync(outDir, CancellationToken.None);
                writes.Add(clock.Elapsed.TotalSeconds);
            }

            var page = Path.Combine(outDir, "report.html");
            var size = new FileInfo(page).Length;
            var blank = Path.Combine(tmp, "blank.html");
            await File.WriteAllTextAsync(blank, "<!doctype html><html><head><meta charset=\"utf-8\"><title>blank</title></head><body></body></html>");
            var opens = new List<double>();
            var blanks = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                Load.WaitForQuiet(TimeSpan.FromSeconds(30));
                blanks.Add(Open(blank, tmp));
                opens.Add(Open(page, tmp));
            }

            var open = Report.Median(opens);
            var baseline = Report.Median(blanks);
            var sb = new StringBuilder();
            sb.AppendLine("## Report of a large run");
            sb.AppendLine();
            sb.AppendLine(MachineSection());
            sb.AppendLine(Inv($"- command: `dotnet run -c Release --project bench/AutoRefiner.Bench -- report {rows}`"));
            sb.AppendLine(Inv($"- output folder: {rows:N0} rows in jsonl/ ({jsonlBytes / 1e6:0} MB; instructions ~300 characters, responses ~1,200, tests, 40 repositories, 3 licences), 5,000 rejections, a manifest"));
            sb.AppendLine("- open: `chromium --headless --no-sandbox --disable-gpu --dump-dom file://…` timed from start to exit (load, parse, style, layout); baseline: the same on an empty page, in the same run; 5 runs each, medians");
            sb.AppendLine();
            sb.Append(Report.Table(
                ["what", "figure"],
                [
                    ["writing report.html (median of 3)", Inv($"{Report.Median(writes):0.00} s")],
                    ["size of report.html", Inv($"**{size / 1e6:0.000} MB** ({size:N0} bytes)")],
                    ["headless Chromium, report.html", Inv($"{open:0.00} s")],
                    ["headless Chromium, empty page (baseline)", Inv($"{baseline:0.00} s")],
                    ["the report's own share", Inv($"**{Math.Max(0, open - baseline):0.00} s**")],
                ],
                "lr"));
            sb.AppendLine();
            sb.AppendLine(Inv($"Runs (s): report {string.Join(", ", opens.Select(o => o.ToString("0.00", CultureInfo.InvariantCulture)))}; empty page {string.Join(", ", blanks.Select(o => o.ToString("0.00", CultureInfo.InvariantCulture)))}."));
            sb.AppendLine();
            sb.AppendLine(Inv($"Goals: under 5 MB — {(size < 5_000_000 ? "met" : "NOT met")}; opens in under 2 s — {(open < 2 ? "met" : "NOT met")} ({open:0.00} s with the browser's start-up, {Math.Max(0, open - baseline):0.00} s of it the page)."));
            Console.Write(sb.ToString());
            return 0;
        }
        finally
        {
            TryDelete(tmp);
        }
    }

    private static double Open(string page, string tmp)
    {
        var profile = Path.Combine(tmp, "chromium-" + Guid.NewGuid().ToString("N"));
        var r = Child.Run("chromium", ["--headless", "--no-sandbox", "--disable-gpu", $"--user-data-dir={profile}", "--disable-background-networking", "--no-first-run", "--dump-dom", new Uri(page).AbsoluteUri], tmp, TimeSpan.FromMinutes(2));
        if (r.ExitCode != 0 || !r.Stdout.Contains("</html>", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"chromium failed: {r.Stderr}");
        }

        return r.Elapsed.TotalSeconds;
    }

    private static long WriteFolder(string outDir, int rows)
    {
        Directory.CreateDirectory(Path.Combine(outDir, "jsonl"));
        var random = new Random(7);
        var path = Path.Combine(outDir, "jsonl", "train.jsonl");
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            for (var i = 0; i < rows; i++)
            {
                var instruction = $"Write a method `Compute{i}` that " + string.Concat(Enumerable.Repeat("combines the inputs carefully and returns the result ", random.Next(3, 8)));
                var code = $"public static class Exercise{i}\n{{\n" + string.Concat(Enumerable.Range(0, random.Next(10, 40)).Select(k => $"    public static int Step{k}(int x) => x * {k} + {i % 97};\n")) + "}\n";
                writer.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["id"] = i.ToString("x32", CultureInfo.InvariantCulture), ["task"] = i % 3 == 0 ? "doc-comments" : "instruct", ["instruction"] = instruction,
                    ["response"] = $"Here is the method.\n\n```csharp\n{code}```", ["tests"] = "public class T { [Fact] public void A() => Assert.True(true); }",
                    ["source_repo"] = $"org{i % 40}/repo{i % 40}", ["source_path"] = $"src/File{i % 500}.cs", ["source_license"] = (i % 3) switch { 0 => "mit", 1 => "apache-2.0", _ => "bsd-3-clause" },
                    ["source_url"] = $"https://github.com/org{i % 40}/repo{i % 40}/blob/abc/src/File{i % 500}.cs#L1-L9", ["tests_run"] = random.Next(0, 8), ["repair_rounds"] = random.Next(0, 4) == 0 ? 1 : 0,
                }));
            }
        }

        using (var writer = new StreamWriter(Path.Combine(outDir, "rejected.jsonl"), false, new UTF8Encoding(false)))
        {
            string[] verdicts = ["compile-error", "test-failed", "unparseable", "duplicate", "timeout"];
            for (var i = 0; i < 5000; i++)
            {
                writer.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["verdict"] = verdicts[i % verdicts.Length], ["detail"] = "Solution.cs(3,5): error CS0103: The name 'x' does not exist in the current context",
                    ["instruction"] = "Write something.", ["response"] = "```csharp\npublic class Broken { int F() => x; }\n```",
                }));
            }
        }

        var manifest = new
        {
            tool = "autorefiner", tool_version = "0.1.0", command = "autorefiner harvest --lang csharp", sources = new[] { "GitHub search: stars:>=50" }, model = "bench-model",
            finished_at = DateTimeOffset.UtcNow,
            counts = new
            {
                files = 250_000, seeds = rows + 20_000, candidates = rows + 5000, documented_methods = 400_000, self_contained = 180_000, seed_yield = 0.45,
                verdicts = new Dictionary<string, long> { ["passed"] = rows, ["compile-error"] = 1000, ["test-failed"] = 1000, ["unparseable"] = 1000, ["duplicate"] = 1000, ["timeout"] = 1000 },
                rows = new Dictionary<string, long> { ["train"] = rows },
            },
            timings_seconds = new Dictionary<string, double> { ["files"] = 600, ["seeds"] = 900, ["candidates"] = 3600, ["validated"] = 3700, ["exported"] = 3710 },
            token_usage = new Dictionary<string, long> { ["prompt_tokens"] = 120_000_000, ["completion_tokens"] = 60_000_000 },
            run = new { kind = "harvest" },
            files = Array.Empty<object>(),
        };
        File.WriteAllText(Path.Combine(outDir, "manifest.json"), JsonSerializer.Serialize(manifest, SnakeCase));
        return new FileInfo(path).Length;
    }
}
