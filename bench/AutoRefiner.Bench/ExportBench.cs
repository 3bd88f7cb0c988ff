using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Exporter;
using Parquet;
using Parquet.Serialization;
using static AutoRefiner.Bench.BenchEnv;

namespace AutoRefiner.Bench;

/// <summary>
/// <c>export [rows]</c>: the real <see cref="DatasetWriter"/> (Parquet shards + JSONL + manifest + card, staged and
/// published) per codec of <c>export.compression</c> and per format set, then Parquet.Net's Zstd default level
/// (SmallestSize) against Optimal on fewer rows.
/// </summary>
internal static class ExportBench
{
    private const int Runs = 3;

    private const int MaxRetries = 3;

    private sealed class NamedGenerator : ISampleGenerator
    {
        public string Task => "doc-comments";

        public string PromptVersion => "doc-comments/1";

        public IAsyncEnumerable<Candidate> GenerateAsync(Seed seed, CancellationToken cancellationToken) => AsyncEnumerable.Empty<Candidate>();
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? CompileBench.ParsePositive(args[0], "rows") : 100_000;
        var smallCount = Math.Min(count, 10_000);
        Report.Progress($"synthesising {count} rows");
        var rows = SyntheticRows.Make(count);
        var avgInstruction = rows.Average(r => r.Candidate.Instruction.Length);
        var avgResponse = rows.Average(r => r.Candidate.Response.Length);

        var tmp = NewTempDir("export");
        try
        {
            // Warm-up (JIT, Parquet.Net's reflection-built serialisers): a small run, not timed.
            await WriteAsync(rows.Take(2_000).ToList(), "zstd", ["parquet", "jsonl"], Path.Combine(tmp, "warm"));

            var codecs = ExportConfig.KnownCompressions;
            var discarded = 0;
            string[][] formatSets = [["parquet", "jsonl"], ["parquet"]];
            var results = new List<(string Codec, string Formats, double RowsPerSec, double Seconds, long ParquetBytes, long JsonlBytes, double Load)>();
            foreach (var formats in formatSets)
            {
                foreach (var codec in codecs.Keys)
                {
                    var times = new List<double>();
                    var loads = new List<double>();
                    long parquetBytes = 0, jsonlBytes = 0;
                    var retries = 0;
                    while (times.Count < Runs)
                    {
                        GC.Collect();
                        GC.WaitForPendingFinalizers();
                        Load.WaitForQuiet(TimeSpan.FromSeconds(10));
                        var meter = new Load.Meter();
                        var r = await WriteAsync(rows, codec, formats, Path.Combine(tmp, $"{codec}-{formats.Length}-{times.Count}-{retries}"));
                        var other = meter.Stop().OtherCores;
                        var keep = other <= CompileBench.MaxOtherLoad || retries >= MaxRetries || !Load.CanRetry;
                        Report.Progress(Inv($"{codec} [{string.Join('+', formats)}]: {count / r.Seconds:0} rows/s, parquet {Report.Mb(r.ParquetBytes)}, jsonl {Report.Mb(r.JsonlBytes)}, other load {other:0.00}{(keep ? "" : " (disturbed: repeated)")}"));
                        if (!keep)
                        {
                            retries++;
                            discarded++;
                            Load.Charge(TimeSpan.FromSeconds(r.Seconds));
                            continue;
                        }

                        loads.Add(other);
                        times.Add(r.Seconds);
                        (parquetBytes, jsonlBytes) = (r.ParquetBytes, r.JsonlBytes);
                    }

                    var median = Report.Median(times);
                    results.Add((codec, string.Join(" + ", formats), count / median, median, parquetBytes, jsonlBytes, Report.Median(loads)));
                }
            }

            // Parquet.Net's own default Zstd level against the level DatasetWriter sets, on fewer rows.
            Report.Progress($"Zstd levels on {smallCount} rows (ParquetSerializer directly)");
            var now = DateTime.UtcNow;
            var small = rows.Take(smallCount).Select(j => DatasetRow.From(j, SampleId.Of(j.Candidate), "csharp", now)).ToList();
            var levelRows = new List<(string Name, double Seconds, long Bytes)>();
            foreach (var (name, method, level, runs) in new[]
            {
                ("Zstd Optimal (DatasetWriter)", CompressionMethod.Zstd, CompressionLevel.Optimal, Runs),
                ("Zstd SmallestSize (Parquet.Net default)", CompressionMethod.Zstd, CompressionLevel.SmallestSize, 1),
                ("Zstd Fastest", CompressionMethod.Zstd, CompressionLevel.Fastest, Runs),
                ("Snappy", CompressionMethod.Snappy, CompressionLevel.Optimal, Runs),
            })
            {
                var times = new List<double>();
                long bytes = 0;
                for (var run = 0; run < runs; run++)
                {
                    Load.WaitForQuiet(TimeSpan.FromSeconds(10));
                    var path = Path.Combine(tmp, $"level-{run}.parquet");
                    var sw = Stopwatch.StartNew();
                    await using (var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
                    {
                        await ParquetSerializer.SerializeAsync(small, stream, new ParquetOptions { CompressionMethod = method, CompressionLevel = level });
                    }

                    times.Add(sw.Elapsed.TotalSeconds);
                    bytes = new FileInfo(path).Length;
                    File.Delete(path);
                }

                levelRows.Add((name, Report.Median(times), bytes));
                Report.Progress(Inv($"{name}: {Report.Median(times):0.000} s, {Report.Mb(bytes)}"));
            }

            var sb = new StringBuilder();
            sb.AppendLine("## Export: Parquet + JSONL");
            sb.AppendLine();
            sb.AppendLine(MachineSection());
            sb.AppendLine(Inv($"- command: `dotnet run -c Release --project bench/AutoRefiner.Bench -- export {count}`"));
            sb.AppendLine(Inv($"- rows: {Report.N(count)} synthetic passed doc-comment samples (instruction {avgInstruction:0} chars on average, response {avgResponse:0} chars holding a C# unit, messages, GitHub provenance, empty tests), written through the real `DatasetWriter` (row groups of 10,000, 5 % test split, staging + publish, manifest with SHA-256 of every file, dataset card); wall time from opening the writer to the end of `CompleteAsync`, median of {Runs}; each run waits first (at most 10 s) for other processes to use < 0.25 core, and a run during which they used > {CompileBench.MaxOtherLoad} core is repeated (at most {MaxRetries} times per line, and while the command's waiting budget lasts; runs repeated: {discarded}, {Load.SpentSeconds:0} s spent waiting or repeating)"));
            sb.AppendLine();
            var zstdBoth = results.First(r => r.Codec == "zstd" && r.Formats.Contains("jsonl", StringComparison.Ordinal));
            var zstdParquet = results.First(r => r.Codec == "zstd" && !r.Formats.Contains("jsonl", StringComparison.Ordinal));
            sb.Append(Report.Table(
                ["codec", "formats", "rows/s (median)", "vs zstd", "wall (median)", "Parquet bytes", "vs uncompressed", "JSONL bytes", "other load (cores)"],
                results.Select(r =>
                {
                    var zstd = r.Formats.Contains("jsonl", StringComparison.Ordinal) ? zstdBoth : zstdParquet;
                    var none = results.First(x => x.Codec == "none" && x.Formats == r.Formats);
                    return (IReadOnlyList<string>)
                    [
                        r.Codec == "zstd" ? "**zstd (Optimal, default)**" : r.Codec,
                        r.Formats,
                        Report.N(r.RowsPerSec),
                        Report.X(r.RowsPerSec / zstd.RowsPerSec),
                        Inv($"{r.Seconds:0.00} s"),
                        Report.Mb(r.ParquetBytes),
                        Inv($"{(double)r.ParquetBytes / none.ParquetBytes:0.000}"),
                        r.JsonlBytes > 0 ? Report.Mb(r.JsonlBytes) : "—",
                        Inv($"{r.Load:0.00}"),
                    ];
                }),
                "ll"));
            sb.AppendLine();
            var optimal = levelRows[0];
            sb.AppendLine(Inv($"Zstd compression level, {Report.N(smallCount)} rows in one `ParquetSerializer.SerializeAsync` call (SmallestSize timed once, the others median of {Runs}):"));
            sb.AppendLine();
            sb.Append(Report.Table(
                ["codec / level", "seconds", "slower than Optimal", "bytes", "size vs Optimal"],
                levelRows.Select(l => (IReadOnlyList<string>)
                [
                    l.Name,
                    Inv($"{l.Seconds:0.000}"),
                    Report.X(l.Seconds / optimal.Seconds),
                    Report.Mb(l.Bytes),
                    Inv($"{(double)l.Bytes / optimal.Bytes:0.000}"),
                ]),
                "l"));
            Console.WriteLine(sb.ToString());
            return 0;
        }
        finally
        {
            TryDelete(tmp);
        }
    }

    private static async Task<(double Seconds, long ParquetBytes, long JsonlBytes)> WriteAsync(List<Judged> rows, string codec, string[] formats, string outDir)
    {
        var config = new HarvestConfig
        {
            BaseDirectory = outDir,
            Export = new ExportConfig { Out = outDir, Compression = ExportConfig.KnownCompressions[codec], Formats = [.. formats.Select(f => ExportConfig.KnownFormats[f])] },
        };
        var run = new RunDescription("bench", "bench", ["bench"], null, "autorefiner bench export");
        var stats = new RunStats(TimeProvider.System);
        var sw = Stopwatch.StartNew();
        await using (var writer = new DatasetWriter(config, run, [new NamedGenerator()], TimeProvider.System))
        {
            foreach (var row in rows)
            {
                await writer.AddAsync(row, CancellationToken.None);
            }

            await writer.CompleteAsync(stats, CancellationToken.None);
        }

        var seconds = sw.Elapsed.TotalSeconds;
        long Sum(string sub, string pattern) => Directory.Exists(Path.Combine(outDir, sub))
            ? Directory.EnumerateFiles(Path.Combine(outDir, sub), pattern).Sum(f => new FileInfo(f).Length)
            : 0;
        var result = (seconds, Sum("data", "*.parquet"), Sum("jsonl", "*.jsonl"));
        TryDelete(outDir);
        return result;
    }
}

