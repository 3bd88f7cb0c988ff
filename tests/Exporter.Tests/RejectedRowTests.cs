using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;
using AutoRefiner.Exporter.Tests.Support;

namespace AutoRefiner.Exporter.Tests;

/// <summary><c>rejected.jsonl</c>: every rejected candidate with its verdict and why, and nothing else.</summary>
public sealed class RejectedRowTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private HarvestConfig Config() => Export.Config(_dir.Path, new ExportConfig
    {
        Out = "out", Compression = ParquetCodec.Snappy, RowGroupRows = 100, ShardRows = 1000, TestSplit = 0.3,
    });

    private static List<Judged> Mixed()
    {
        var input = new List<Judged>();
        var rejectedVerdicts = VerdictNames.All.Where(v => v != Verdict.Passed).ToList();
        for (var i = 0; i < 60; i++)
        {
            input.Add(i % 3 == 0
                ? Samples.Rejected(i, rejectedVerdicts[i / 3 % rejectedVerdicts.Count], $"(3,5): error CS0103: The name 'x{i}' does not exist — ünïcödé")
                : Samples.Passed(i));
        }

        return input;
    }

    [Fact]
    public async Task CompleteAsync_RejectedCandidates_AreInRejectedJsonlWithKebabVerdictAndDetail()
    {
        var config = Config();
        var input = Mixed();
        await Export.WriteAsync(config, input);

        var lines = Files.ReadJsonlElements(Path.Combine(Export.OutOf(config), "rejected.jsonl"));
        var rejected = input.Where(j => j.Verdict != Verdict.Passed).ToList();

        Assert.Equal(rejected.Count, lines.Count);
        for (var i = 0; i < rejected.Count; i++)
        {
            var expected = rejected[i];
            var line = lines[i];
            Assert.Equal(SampleId.Of(expected.Candidate), line.GetProperty("id").GetString());
            Assert.Equal(expected.Verdict.ToWire(), line.GetProperty("verdict").GetString());
            Assert.Equal(expected.Detail, line.GetProperty("detail").GetString());
            Assert.Equal(expected.Candidate.Instruction, line.GetProperty("instruction").GetString());
            Assert.Equal(expected.Candidate.Response, line.GetProperty("response").GetString());
            Assert.Equal(expected.Candidate.Provenance.Repo, line.GetProperty("source_repo").GetString());
            Assert.Equal(expected.Candidate.Provenance.License, line.GetProperty("source_license").GetString());
            Assert.Equal(expected.Candidate.SeedId, line.GetProperty("seed_id").GetString());
            Assert.Equal(expected.TestsRun, line.GetProperty("tests_run").GetInt32());
            Assert.Equal(expected.TestsPassed, line.GetProperty("tests_passed").GetInt32());
        }

        // Every rejecting verdict appears, under its kebab-case wire name.
        Assert.Equal(
            ["banned-api", "compile-error", "contaminated", "crashed", "duplicate", "license", "missing-dependency", "secret", "test-failed", "timeout", "unparseable", "weak-tests"],
            lines.Select(l => l.GetProperty("verdict").GetString()!).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CompleteAsync_PassedCandidates_NeverAppearInRejectedJsonl()
    {
        var config = Config();
        var input = Mixed();
        await Export.WriteAsync(config, input);

        var output = Export.OutOf(config);
        var rejectedIds = Files.ReadJsonlElements(Path.Combine(output, "rejected.jsonl")).Select(l => l.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);
        var rowIds = (await Files.ReadParquetAsync([.. Files.Shards(output, "train"), .. Files.Shards(output, "test")])).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(input.Count(j => j.Verdict == Verdict.Passed), rowIds.Count);
        Assert.DoesNotContain("passed", Files.ReadJsonlElements(Path.Combine(output, "rejected.jsonl")).Select(l => l.GetProperty("verdict").GetString()));
        Assert.Empty(rejectedIds.Intersect(rowIds));
    }

    [Fact]
    public async Task CompleteAsync_NoRejections_WritesAnEmptyRejectedJsonl()
    {
        var config = Config();
        await Export.WriteAsync(config, Samples.PassedRange(10));

        var path = Path.Combine(Export.OutOf(config), "rejected.jsonl");

        Assert.True(File.Exists(path));
        Assert.Equal(0, new FileInfo(path).Length);
    }
}
