using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Exporter.Tests.Support;

namespace AutoRefiner.Exporter.Tests;

/// <summary>The train/test split is decided by the row's source file alone.</summary>
public sealed class SplitTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private HarvestConfig Config(string outName, double testSplit = 0.3) => Export.Config(_dir.Path, new ExportConfig
    {
        Out = outName, Compression = ParquetCodec.Snappy, RowGroupRows = 100, ShardRows = 1000, TestSplit = testSplit,
    });

    private static async Task<Dictionary<string, string>> SplitsOf(string output)
    {
        var splits = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var split in new[] { "train", "test" })
        {
            foreach (var row in await Files.ReadParquetAsync(Files.Shards(output, split)))
            {
                splits.Add(row.Id, split);
            }

            var jsonl = Path.Combine(output, "jsonl", split + ".jsonl");
            if (File.Exists(jsonl))
            {
                Assert.All(Files.ReadJsonl(jsonl), r => Assert.Equal(split, splits[r.Id]));
            }
        }

        return splits;
    }

    [Fact]
    public async Task CompleteAsync_SameRowsWrittenTwiceInAnotherOrder_LandInTheSameSplits()
    {
        var input = Samples.PassedRange(400).ToList();
        var first = Config("first");
        var second = Config("second");
        await Export.WriteAsync(first, input);
        await Export.WriteAsync(second, Enumerable.Reverse(input));

        var a = await SplitsOf(Export.OutOf(first));
        var b = await SplitsOf(Export.OutOf(second));

        Assert.Equal(400, a.Count);
        Assert.Contains("test", a.Values);
        Assert.Contains("train", a.Values);
        Assert.Equal(a.OrderBy(kv => kv.Key, StringComparer.Ordinal), b.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task CompleteAsync_EveryRow_LandsInTheSplitOfItsSourceFile()
    {
        var input = Samples.PassedRange(400).ToList();
        var config = Config("out");
        await Export.WriteAsync(config, input);

        var splits = await SplitsOf(Export.OutOf(config));

        Assert.Equal(input.Select(j => SampleId.Of(j.Candidate)).Order(StringComparer.Ordinal), splits.Keys.Order(StringComparer.Ordinal));
        var byId = input.ToDictionary(j => SampleId.Of(j.Candidate), j => j.Candidate, StringComparer.Ordinal);
        Assert.All(splits, kv => Assert.Equal(SampleId.SplitOf(byId[kv.Key], kv.Key, 0.3), kv.Value));
        var testShare = splits.Values.Count(s => s == "test") / 400.0;
        Assert.InRange(testShare, 0.2, 0.4);
    }

    [Fact]
    public async Task CompleteAsync_TestSplitZero_WritesOnlyTheTrainSplit()
    {
        var config = Config("out", testSplit: 0);
        await Export.WriteAsync(config, Samples.PassedRange(100));

        var output = Export.OutOf(config);
        Assert.Empty(Files.Shards(output, "test"));
        Assert.False(File.Exists(Path.Combine(output, "jsonl", "test.jsonl")));
        Assert.Equal(100, (await Files.ReadParquetAsync(Files.Shards(output, "train"))).Count);
    }
}
