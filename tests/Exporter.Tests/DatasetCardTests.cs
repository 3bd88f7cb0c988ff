using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Exporter.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace AutoRefiner.Exporter.Tests;

/// <summary>The dataset card: Hub YAML front matter (licence, task, size, configs) written beside the data.</summary>
public sealed class DatasetCardTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private HarvestConfig Config(IReadOnlyList<string>? formats = null, double testSplit = 0.3) => Export.Config(_dir.Path, new ExportConfig
    {
        Out = "out", Formats = formats is null ? [ExportFormat.Parquet, ExportFormat.Jsonl] : [.. formats.Select(f => ExportConfig.KnownFormats[f])], Compression = ParquetCodec.Snappy, RowGroupRows = 100, ShardRows = 1000, TestSplit = testSplit,
    });

    private string Output => Path.Combine(_dir.Path, "out");

    /// <summary>The YAML between the leading '---' line and the next '---' line, parsed.</summary>
    internal static YamlMappingNode FrontMatter(string card)
    {
        var lines = card.Split('\n');
        Assert.Equal("---", lines[0]);
        var end = Array.IndexOf(lines, "---", 1);
        Assert.True(end > 1, "no closing '---' line");
        var yaml = new YamlStream();
        using var reader = new StringReader(string.Join('\n', lines[1..end]));
        yaml.Load(reader);
        return Assert.IsType<YamlMappingNode>(Assert.Single(yaml.Documents).RootNode);
    }

    private YamlMappingNode ReadFrontMatter() => FrontMatter(File.ReadAllText(Path.Combine(Output, "README.md")));

    private static string Scalar(YamlNode node) => Assert.IsType<YamlScalarNode>(node).Value!;

    private static List<string> Sequence(YamlNode node) => [.. Assert.IsType<YamlSequenceNode>(node).Children.Select(Scalar)];

    private static List<(string Split, string Path)> DataFiles(YamlMappingNode front)
    {
        var config = Assert.IsType<YamlMappingNode>(Assert.Single(Assert.IsType<YamlSequenceNode>(front["configs"]).Children));
        Assert.Equal("default", Scalar(config["config_name"]));
        return [.. Assert.IsType<YamlSequenceNode>(config["data_files"]).Children
            .Cast<YamlMappingNode>()
            .Select(m => (Scalar(m["split"]), Scalar(m["path"])))];
    }

    [Fact]
    public async Task CompleteAsync_AllRowsOneLicense_LicenseIsThatSingleId()
    {
        await Export.WriteAsync(Config(), Samples.PassedRange(20, "apache-2.0"));

        Assert.Equal("apache-2.0", Scalar(ReadFrontMatter()["license"]));
    }

    [Fact]
    public async Task CompleteAsync_SeveralLicenses_LicenseIsOtherWithATableOfRowsPerLicence()
    {
        await Export.WriteAsync(Config(), [.. Samples.PassedRange(10, "MIT"), Samples.Passed(100, "GPL-2.0-or-later"), Samples.Passed(101, "BSD-3-Clause")]);

        var front = ReadFrontMatter();
        Assert.Equal("other", Scalar(front["license"]));
        Assert.Equal("multiple", Scalar(front["license_name"]));
        var card = File.ReadAllText(Path.Combine(Output, "README.md"));
        Assert.Contains("| MIT | 10 |\n", card, StringComparison.Ordinal);
        Assert.Contains("| GPL-2.0-or-later | 1 |\n", card, StringComparison.Ordinal);
        Assert.Contains("| BSD-3-Clause | 1 |\n", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_OneLicenseAndRowsWithout_LicenseIsOther()
    {
        await Export.WriteAsync(Config(), [.. Samples.PassedRange(10, "mit"), Samples.Passed(100, "")]);

        Assert.Equal("other", Scalar(ReadFrontMatter()["license"]));
    }

    [Theory]
    [InlineData("MIT", "mit")]
    [InlineData("Apache-2.0", "apache-2.0")]
    [InlineData("GPL-3.0-only", "gpl-3.0")]
    public async Task CompleteAsync_OneSpdxId_LicenseIsTheHubsNameForIt(string id, string hub)
    {
        await Export.WriteAsync(Config(), Samples.PassedRange(10, id));

        Assert.Equal(hub, Scalar(ReadFrontMatter()["license"]));
    }

    [Fact]
    public async Task CompleteAsync_OneIdTheHubDoesNotList_IsOtherNamingIt()
    {
        await Export.WriteAsync(Config(), Samples.PassedRange(10, "GPL-2.0-or-later"));

        var front = ReadFrontMatter();
        Assert.Equal("other", Scalar(front["license"]));
        Assert.Equal("gpl-2.0-or-later", Scalar(front["license_name"]));
    }

    [Fact]
    public async Task CompleteAsync_CardAndAttribution_NameEachProjectWithItsLicenceUpstreamAndRows()
    {
        await Export.WriteAsync(Config(), Samples.PassedRange(9, "MIT"));

        var card = File.ReadAllText(Path.Combine(Output, "README.md"));
        var attribution = File.ReadAllText(Path.Combine(Output, "ATTRIBUTION.md"));
        foreach (var i in new[] { 0, 1, 2 })
        {
            Assert.Contains($"| owner/repo{i} | MIT | <https://github.com/owner/repo{i}/tree/{Samples.Commit}> | 3 |\n", card, StringComparison.Ordinal);
            Assert.Contains($"| owner/repo{i} |  | `{Samples.Commit}` | MIT | <https://github.com/owner/repo{i}/tree/{Samples.Commit}> | 3 |\n", attribution, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CompleteAsync_NoLicenseKnown_LicenseIsUnknown()
    {
        await Export.WriteAsync(Config(), Samples.PassedRange(10, ""));

        Assert.Equal("unknown", Scalar(ReadFrontMatter()["license"]));
    }

    [Fact]
    public async Task CompleteAsync_RejectedRowsLicenses_DoNotCountTowardsTheCardLicense()
    {
        var rejected = new Judged(Samples.Candidate(500, "GPL-3.0-only"), Verdict.License, "GPL-3.0-only is not allowed");
        await Export.WriteAsync(Config(), [.. Samples.PassedRange(10, "mit"), rejected]);

        Assert.Equal("mit", Scalar(ReadFrontMatter()["license"]));
    }

    [Fact]
    public async Task CompleteAsync_Card_HasTaskCategoryLanguageAndSizeBucket()
    {
        await Export.WriteAsync(Config(), Samples.PassedRange(1200));

        var front = ReadFrontMatter();

        Assert.Equal(["text-generation"], Sequence(front["task_categories"]));
        Assert.Equal(["1K<n<10K"], Sequence(front["size_categories"]));
        Assert.Contains("csharp", Sequence(front["tags"]));
    }

    [Theory]
    [InlineData(0, "n<1K")]
    [InlineData(999, "n<1K")]
    [InlineData(1_000, "1K<n<10K")]
    [InlineData(9_999, "1K<n<10K")]
    [InlineData(10_000, "10K<n<100K")]
    [InlineData(100_000, "100K<n<1M")]
    [InlineData(1_000_000, "1M<n<10M")]
    [InlineData(10_000_000, "10M<n<100M")]
    [InlineData(100_000_000, "100M<n<1B")]
    public void SizeCategory_Rows_IsTheHubBucket(long rows, string bucket) => Assert.Equal(bucket, DatasetCard.SizeCategory(rows));

    [Fact]
    public async Task CompleteAsync_ParquetWritten_ConfigsPointAtEachSplitsShards()
    {
        await Export.WriteAsync(Config(), Samples.PassedRange(200));

        var dataFiles = DataFiles(ReadFrontMatter());

        Assert.Equal([("train", "data/train-*"), ("test", "data/test-*")], dataFiles);
        Assert.All(dataFiles, d => Assert.NotEmpty(Directory.GetFiles(Path.Combine(Output, "data"), Path.GetFileName(d.Path))));
    }

    [Fact]
    public async Task CompleteAsync_OnlyTrainSplit_ConfigsListOnlyTrain()
    {
        await Export.WriteAsync(Config(testSplit: 0), Samples.PassedRange(50));

        Assert.Equal([("train", "data/train-*")], DataFiles(ReadFrontMatter()));
    }

    [Fact]
    public async Task CompleteAsync_JsonlOnly_ConfigsPointAtJsonlFilesAndNoDataFolderExists()
    {
        // A previous run with Parquet left data/ behind: a JSONL-only run must not leave it beside a card that ignores it.
        await Export.WriteAsync(Config(), Samples.PassedRange(50));
        Assert.True(Directory.Exists(Path.Combine(Output, "data")));

        await Export.WriteAsync(Config(["jsonl"]), Samples.PassedRange(200));

        var dataFiles = DataFiles(ReadFrontMatter());
        Assert.Equal([("train", "jsonl/train.jsonl"), ("test", "jsonl/test.jsonl")], dataFiles);
        Assert.All(dataFiles, d => Assert.True(File.Exists(Path.Combine(Output, d.Path)), d.Path));
        Assert.False(Directory.Exists(Path.Combine(Output, "data")));
    }

    [Fact]
    public async Task CompleteAsync_Card_BodyStatesCountsAndConfigHash()
    {
        await Export.WriteAsync(Config(testSplit: 0), [.. Samples.PassedRange(1234), Samples.Rejected(5000, Verdict.CompileError, "CS0103")]);

        var card = File.ReadAllText(Path.Combine(Output, "README.md"));

        Assert.Contains("| train | 1,234 |", card, StringComparison.Ordinal);
        Assert.Contains("| compile-error | 1 |", card, StringComparison.Ordinal);
        Assert.Contains(Export.Run.ConfigHash, card, StringComparison.Ordinal);
        Assert.Contains(Export.Run.Command, card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Card_OfDocCommentRows_ShowsOneRowOfTheirFormAndTheGroupSplit()
    {
        await Export.WriteAsync(Config(), Samples.PassedRange(5, "MIT"));

        var card = await File.ReadAllTextAsync(Path.Combine(Output, "README.md"));

        Assert.Contains("A `doc-comments` row asks for one member of real code.", card, StringComparison.Ordinal);
        Assert.Contains("throw new NotImplementedException();", card, StringComparison.Ordinal);
        Assert.Contains("hash of the row's source file", card, StringComparison.Ordinal);
    }
}
