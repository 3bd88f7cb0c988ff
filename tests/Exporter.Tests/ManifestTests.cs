using System.Security.Cryptography;
using System.Text.Json;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Exporter.Tests.Support;

namespace AutoRefiner.Exporter.Tests;

/// <summary><c>manifest.json</c>: counts, files with sizes and hashes, and how the run was made.</summary>
public sealed class ManifestTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private HarvestConfig Config() => Export.Config(_dir.Path, new ExportConfig
    {
        Out = "out", Compression = ParquetCodec.Zstd, RowGroupRows = 100, ShardRows = 250, TestSplit = 0.3,
    });

    private static List<Judged> Input() =>
    [
        .. Samples.PassedRange(600),
        Samples.Rejected(1000, Verdict.CompileError, "error CS0103"),
        Samples.Rejected(1001, Verdict.CompileError, "error CS0246"),
        Samples.Rejected(1002, Verdict.Timeout, "10 s"),
    ];

    private JsonElement Manifest() => Files.ReadJson(Path.Combine(_dir.Path, "out", "manifest.json"));

    [Fact]
    public async Task CompleteAsync_Manifest_CountsEveryVerdictNameIncludingZeros()
    {
        await Export.WriteAsync(Config(), Input());

        var verdicts = Manifest().GetProperty("counts").GetProperty("verdicts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);

        Assert.Equal(
            ["banned-api", "compile-error", "contaminated", "crashed", "duplicate", "license", "missing-dependency", "passed", "secret", "test-failed", "timeout", "unparseable", "weak-tests"],
            verdicts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(600, verdicts["passed"]);
        Assert.Equal(2, verdicts["compile-error"]);
        Assert.Equal(1, verdicts["timeout"]);
        Assert.Equal(603, verdicts.Values.Sum());
        Assert.Equal(0, verdicts["banned-api"]);
        Assert.Equal(0, verdicts["unparseable"]);
    }

    [Fact]
    public async Task CompleteAsync_Manifest_AddsUpTheRowsMutationCountsAndWeakTests()
    {
        await Export.WriteAsync(Config(), [.. Input(), Samples.Rejected(1003, Verdict.WeakTests, "the tests kill 1 of 20 mutants")]);
        var tested = Samples.PassedRange(600).Where(j => j.Mutants is not null).ToList();

        var mutation = Manifest().GetProperty("mutation");

        Assert.Equal(20, mutation.GetProperty("mutants_per_sample").GetInt32());
        Assert.Equal(0.5, mutation.GetProperty("min_score").GetDouble());
        Assert.Equal(tested.Count, mutation.GetProperty("rows").GetInt64());
        Assert.Equal(tested.Count(j => j.Mutants == 0), mutation.GetProperty("rows_without_mutants").GetInt64());
        Assert.Equal(tested.Sum(j => j.Mutants!.Value), mutation.GetProperty("mutants").GetInt64());
        Assert.Equal(tested.Sum(j => j.MutantsKilled!.Value), mutation.GetProperty("killed").GetInt64());
        Assert.Equal(1, mutation.GetProperty("weak_tests").GetInt64());
    }

    [Fact]
    public async Task CompleteAsync_NoRowMutationTested_HasNoMutationPart()
    {
        await Export.WriteAsync(Config(), [.. Samples.PassedRange(30).Select(j => j with { Mutants = null, MutantsKilled = null })]);

        Assert.Equal(JsonValueKind.Null, Manifest().GetProperty("mutation").ValueKind);
    }

    [Fact]
    public async Task CompleteAsync_Report_HasAHistogramOfMutationScores()
    {
        var config = Config();
        await Export.WriteAsync(config, [.. Input(), Samples.Passed(5000) with { Mutants = 0, MutantsKilled = 0 }]);

        var page = await File.ReadAllTextAsync(Path.Combine(Export.OutOf(config), "report.html"));
        var chart = page[page.IndexOf("<svg id=\"mutation-score\"", StringComparison.Ordinal)..];
        chart = chart[..chart.IndexOf("</svg>", StringComparison.Ordinal)];
        var tested = Samples.PassedRange(600).Where(j => j.Mutants is not null).ToList();

        Assert.Contains("Mutation score (mutants killed / mutants)", page, StringComparison.Ordinal);
        Assert.Contains("<title>no mutant (nothing to mutate): 1</title>", chart, StringComparison.Ordinal);
        Assert.Contains($"<title>0.4–0.49: {tested.Count(j => j.Mutants > 0 && j.MutantsKilled * 10 / j.Mutants == 4)}</title>", chart, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_Manifest_ListsEveryDataFileWithItsSizeHashAndRows()
    {
        var config = Config();
        await Export.WriteAsync(config, Input());

        var output = Export.OutOf(config);
        var files = Manifest().GetProperty("files").EnumerateArray().ToList();
        var listed = files.Select(f => f.GetProperty("path").GetString()!).ToList();
        var onDisk = Directory.GetFiles(output, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(output, p).Replace('\\', '/'))
            .Where(p => p is not "manifest.json" and not "README.md")
            .Order(StringComparer.Ordinal);

        Assert.Equal(onDisk, listed.Order(StringComparer.Ordinal));
        Assert.Contains("rejected.jsonl", listed);
        Assert.Contains("jsonl/train.jsonl", listed);
        Assert.Contains("jsonl/test.jsonl", listed);
        Assert.Contains("ATTRIBUTION.md", listed);
        Assert.Contains("report.html", listed); // staged and published with the data
        Assert.Contains(listed, p => p.StartsWith("data/train-00000-of-", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var path = Path.Combine(output, file.GetProperty("path").GetString()!);
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.Equal(bytes.LongLength, file.GetProperty("bytes").GetInt64());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.GetProperty("sha256").GetString());
            if (file.GetProperty("rows").ValueKind == System.Text.Json.JsonValueKind.Null)
            {
                Assert.Contains(file.GetProperty("path").GetString(), new[] { "ATTRIBUTION.md", "report.html" }); // the files that hold no rows
                continue;
            }

            var rows = file.GetProperty("rows").GetInt64();
            var actual = path.EndsWith(".parquet", StringComparison.Ordinal)
                ? (await Files.ReadParquetAsync(path)).Count
                : File.ReadLines(path).Count();
            Assert.Equal(actual, rows);
        }
    }

    [Fact]
    public async Task CompleteAsync_Manifest_RecordsRunDescriptionGeneratorsAndTokens()
    {
        var input = Input();
        await Export.WriteAsync(Config(), input);

        var manifest = Manifest();

        Assert.Equal("autorefiner", manifest.GetProperty("tool").GetString());
        Assert.Equal(Export.Run.ToolVersion, manifest.GetProperty("tool_version").GetString());
        Assert.Equal(Export.Run.ConfigHash, manifest.GetProperty("config_hash").GetString());
        Assert.Equal(Export.Run.Command, manifest.GetProperty("command").GetString());
        Assert.Equal(Export.Run.Sources, manifest.GetProperty("sources").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.Null, manifest.GetProperty("model").ValueKind);
        Assert.Equal("csharp", manifest.GetProperty("lang").GetString());
        Assert.Equal("doc-comments/1", manifest.GetProperty("prompt_versions").GetProperty("doc-comments").GetString());
        var tokens = manifest.GetProperty("token_usage");
        Assert.Equal(input.Sum(j => (long)j.Candidate.PromptTokens), tokens.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(input.Sum(j => (long)j.Candidate.CompletionTokens), tokens.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(Export.Now, manifest.GetProperty("started_at").GetDateTimeOffset());
        Assert.Equal(Export.Now, manifest.GetProperty("finished_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task CompleteAsync_Manifest_RowsPerSplitMatchTheRowsWritten()
    {
        var config = Config();
        var stats = await Export.WriteAsync(config, Input());

        var output = Export.OutOf(config);
        var rows = Manifest().GetProperty("counts").GetProperty("rows");

        Assert.Equal(["test", "train"], rows.EnumerateObject().Select(p => p.Name));
        Assert.Equal(600, rows.EnumerateObject().Sum(p => p.Value.GetInt64()));
        Assert.Equal(Files.ReadJsonl(Path.Combine(output, "jsonl", "train.jsonl")).Count, rows.GetProperty("train").GetInt64());
        Assert.Equal(Files.ReadJsonl(Path.Combine(output, "jsonl", "test.jsonl")).Count, rows.GetProperty("test").GetInt64());
        Assert.Equal(rows.GetProperty("train").GetInt64(), stats.Splits["train"]);
        Assert.Equal(rows.GetProperty("test").GetInt64(), stats.Splits["test"]);
    }

    [Fact]
    public async Task CompleteAsync_RowsWritten_ExportedStageCountsThem()
    {
        // RunStats.Exported is documented as "Rows written"; progress displays and the manifest's timings read it.
        var stats = await Export.WriteAsync(Config(), Input());

        Assert.True(stats.Exported.IsFinished);
        Assert.Equal(600, stats.Exported.Count);
    }

    [Fact]
    public async Task AddAsync_ThroughFactory_CountsPassedRowsInExportedStageAsTheyArrive()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Export.Now);
        var stats = new Core.Pipeline.RunStats(time);
        await using var writer = Export.OpenThroughFactory(Config(), stats, time);

        foreach (var judged in Samples.PassedRange(5))
        {
            await writer.AddAsync(judged, CancellationToken.None);
        }

        await writer.AddAsync(Samples.Rejected(99, Verdict.CompileError, "CS0103"), CancellationToken.None);

        Assert.Equal(5, stats.Exported.Count);
        Assert.False(stats.Exported.IsFinished);
    }
}
