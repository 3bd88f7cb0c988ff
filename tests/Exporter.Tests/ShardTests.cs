using System.Globalization;
using System.Text.RegularExpressions;
using AutoRefiner.Core.Config;
using AutoRefiner.Exporter.Tests.Support;

namespace AutoRefiner.Exporter.Tests;

/// <summary>Parquet shards: Hub names (<c>train-00000-of-0000N.parquet</c>), row groups, no leftovers.</summary>
public sealed partial class ShardTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // Below the loader's minimums (100 / 100) on purpose for the record itself: the writer must not depend on them.
    private HarvestConfig Config(double testSplit, int rowGroupRows = 100, int shardRows = 250) => Export.Config(_dir.Path, new ExportConfig
    {
        Out = "out", Compression = ParquetCodec.Snappy, RowGroupRows = rowGroupRows, ShardRows = shardRows, TestSplit = testSplit,
    });

    [GeneratedRegex(@"^(train|test)-(\d{5})-of-(\d{5})\.parquet$")]
    private static partial Regex ShardName();

    [Fact]
    public async Task CompleteAsync_ThousandRowsAndSmallShards_WritesFourNumberedReadableShards()
    {
        var config = Config(testSplit: 0);
        await Export.WriteAsync(config, Samples.PassedRange(1000));

        var output = Export.OutOf(config);
        var names = Directory.GetFiles(Path.Combine(output, "data")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["train-00000-of-00004.parquet", "train-00001-of-00004.parquet", "train-00002-of-00004.parquet", "train-00003-of-00004.parquet"],
            names);

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var shard in Files.Shards(output, "train"))
        {
            var rows = await Files.ReadParquetAsync(shard);
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.True(ids.Add(r.Id), "row in two shards: " + r.Id));
        }

        Assert.Equal(1000, ids.Count);
    }

    [Fact]
    public async Task CompleteAsync_ThousandRowsAndSmallShards_RowGroupsHoldAtMostRowGroupRows()
    {
        var config = Config(testSplit: 0);
        await Export.WriteAsync(config, Samples.PassedRange(1000));

        var groups = new List<long>();
        foreach (var shard in Files.Shards(Export.OutOf(config), "train"))
        {
            await using var reader = await Files.OpenReaderAsync(shard);
            groups.AddRange(reader.Metadata!.RowGroups.Select(g => g.NumRows));
        }

        Assert.Equal(1000, groups.Sum());
        Assert.All(groups, n => Assert.InRange(n, 1, 100));
        Assert.True(groups.Count >= 10, $"{groups.Count} row groups");
    }

    [Fact]
    public async Task CompleteAsync_ShardRowsNotAMultipleOfRowGroupRows_NoShardHoldsMoreThanShardRows()
    {
        // harvest.yml: "shard-rows: rows per Parquet file". 1000 rows at 250 per file = four files of 250.
        var config = Config(testSplit: 0);
        await Export.WriteAsync(config, Samples.PassedRange(1000));

        var counts = new List<long>();
        foreach (var shard in Files.Shards(Export.OutOf(config), "train"))
        {
            await using var reader = await Files.OpenReaderAsync(shard);
            counts.Add(reader.Metadata!.NumRows);
        }

        Assert.Equal(1000, counts.Sum());
        Assert.All(counts, n => Assert.True(n <= 250, $"a shard holds {n} rows; shard-rows is 250 (all: {string.Join(", ", counts)})"));
    }

    [Fact]
    public async Task CompleteAsync_BothSplitsSharded_NamesCountEachSplitsOwnShardsAndTotalsMatchManifest()
    {
        var config = Config(testSplit: 0.4);
        await Export.WriteAsync(config, Samples.PassedRange(1000));

        var output = Export.OutOf(config);
        var manifestRows = Files.ReadJson(Path.Combine(output, "manifest.json")).GetProperty("counts").GetProperty("rows");
        long total = 0;
        foreach (var split in new[] { "train", "test" })
        {
            var shards = Files.Shards(output, split);
            Assert.True(shards.Length >= 2, $"{split}: {shards.Length} shard(s)");
            for (var i = 0; i < shards.Length; i++)
            {
                var match = ShardName().Match(Path.GetFileName(shards[i]));
                Assert.True(match.Success, shards[i]);
                Assert.Equal(split, match.Groups[1].Value);
                Assert.Equal(i, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
                Assert.Equal(shards.Length, int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
            }

            var rows = (await Files.ReadParquetAsync(shards)).Count;
            Assert.Equal(rows, manifestRows.GetProperty(split).GetInt64());
            total += rows;
        }

        Assert.Equal(1000, total);
    }

    [Fact]
    public async Task CompleteAsync_AfterWriting_NoPartialFilesOrStagingFoldersRemain()
    {
        var config = Config(testSplit: 0.3);
        await Export.WriteAsync(config, Samples.PassedRange(1000));

        var output = Export.OutOf(config);
        Assert.Empty(Directory.GetFiles(output, "*.partial", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetDirectories(output, ".staging-*", SearchOption.AllDirectories));
        Assert.All(Directory.GetFiles(Path.Combine(output, "data")), f => Assert.Matches(ShardName(), Path.GetFileName(f)));
    }

    [Fact]
    public async Task CompleteAsync_RowGroupRowsLargerThanShardRows_EveryRowIsWrittenOnce()
    {
        var config = Config(testSplit: 0, rowGroupRows: 64, shardRows: 10);
        await Export.WriteAsync(config, Samples.PassedRange(200));

        var rows = await Files.ReadParquetAsync(Files.Shards(Export.OutOf(config), "train"));

        Assert.Equal(200, rows.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
    }
}
