using System.Security.Cryptography;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Exporter.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AutoRefiner.Exporter.Tests;

/// <summary>A run that does not complete leaves the previous dataset as it was; one that completes replaces it whole.</summary>
public sealed class FailureSafetyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private HarvestConfig Config(double testSplit = 0.3) => Export.Config(_dir.Path, new ExportConfig
    {
        Out = "out", Compression = ParquetCodec.Snappy, RowGroupRows = 100, ShardRows = 250, TestSplit = testSplit,
    });

    private string Output => Path.Combine(_dir.Path, "out");

    /// <summary>Path → SHA-256 of every file in the output folder outside staging folders (whose files are open while a run goes on).</summary>
    private SortedDictionary<string, string> Snapshot() => new(
        Directory.GetFiles(Output, "*", SearchOption.AllDirectories)
            .Where(p => !Path.GetRelativePath(Output, p).StartsWith(".staging-", StringComparison.Ordinal))
            .ToDictionary(
            p => Path.GetRelativePath(Output, p).Replace('\\', '/'),
            p => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p)))),
        StringComparer.Ordinal);

    [Fact]
    public async Task DisposeAsync_WithoutComplete_LeavesPreviousOutputUntouchedAndRemovesStaging()
    {
        await Export.WriteAsync(Config(), Samples.PassedRange(600));
        var before = Snapshot();
        Assert.Contains("manifest.json", before.Keys);
        Assert.Contains("README.md", before.Keys);
        Assert.Contains("rejected.jsonl", before.Keys);
        Assert.Contains(before.Keys, k => k.StartsWith("data/train-", StringComparison.Ordinal));
        var timesBefore = Directory.GetFiles(Output, "*", SearchOption.AllDirectories).ToDictionary(p => p, File.GetLastWriteTimeUtc, StringComparer.Ordinal);

        await using (var writer = Export.Open(Config()))
        {
            foreach (var judged in Samples.PassedRange(700, "apache-2.0").Skip(50))
            {
                await writer.AddAsync(judged, CancellationToken.None);
            }

            await writer.AddAsync(Samples.Rejected(9999, Core.Model.Verdict.CompileError, "CS0103"), CancellationToken.None);

            // Mid-run: row groups and partial shards exist, but only in the staging folder.
            var staging = Assert.Single(Directory.GetDirectories(Output, ".staging-*"));
            Assert.NotEmpty(Directory.GetFiles(staging, "*.partial", SearchOption.AllDirectories));
            Assert.Equal(before, Snapshot());
        }

        Assert.Equal(before, Snapshot());
        Assert.Empty(Directory.GetDirectories(Output, ".staging-*"));
        Assert.All(timesBefore, kv => Assert.Equal(kv.Value, File.GetLastWriteTimeUtc(kv.Key)));
    }

    [Fact]
    public async Task CompleteAsync_Cancelled_ThrowsAndLeavesPreviousOutputUntouched()
    {
        await Export.WriteAsync(Config(), Samples.PassedRange(300));
        var before = Snapshot();
        Assert.NotEmpty(before);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var time = new FakeTimeProvider(Export.Now);
        await using (var writer = Export.Open(Config(), time))
        {
            foreach (var judged in Samples.PassedRange(450, "apache-2.0"))
            {
                await writer.AddAsync(judged, CancellationToken.None);
            }

            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await writer.CompleteAsync(new RunStats(time), cancelled.Token));
        }

        Assert.Equal(before, Snapshot());
        Assert.Empty(Directory.GetDirectories(Output, ".staging-*"));
    }

    [Fact]
    public async Task DisposeAsync_CancelledRunWithNoPreviousOutput_LeavesNothingBehind()
    {
        await using (var writer = Export.Open(Config()))
        {
            foreach (var judged in Samples.PassedRange(300))
            {
                await writer.AddAsync(judged, CancellationToken.None);
            }
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(Output));
    }

    [Fact]
    public async Task CompleteAsync_OneShardAfterThree_OldShardsDoNotSurvive()
    {
        var data = Directory.CreateDirectory(Path.Combine(Output, "data")).FullName;
        foreach (var stale in new[] { "train-00000-of-00003.parquet", "train-00001-of-00003.parquet", "train-00002-of-00003.parquet", "test-00000-of-00001.parquet" })
        {
            await File.WriteAllTextAsync(Path.Combine(data, stale), "stale");
        }

        Directory.CreateDirectory(Path.Combine(Output, "jsonl"));
        await File.WriteAllTextAsync(Path.Combine(Output, "jsonl", "test.jsonl"), "{}\n");
        // The previous run's manifest lists what it wrote: those files are the tool's to replace or remove.
        await File.WriteAllTextAsync(Path.Combine(Output, "manifest.json"), """
            {"tool": "autorefiner", "files": [
              {"path": "data/train-00000-of-00003.parquet"}, {"path": "data/train-00001-of-00003.parquet"},
              {"path": "data/train-00002-of-00003.parquet"}, {"path": "data/test-00000-of-00001.parquet"}, {"path": "jsonl/test.jsonl"}]}
            """);

        await Export.WriteAsync(Config(testSplit: 0), Samples.PassedRange(50));

        Assert.Equal(["train-00000-of-00001.parquet"], Directory.GetFiles(data).Select(Path.GetFileName));
        Assert.Equal(["train.jsonl"], Directory.GetFiles(Path.Combine(Output, "jsonl")).Select(Path.GetFileName));
        Assert.Equal(50, (await Files.ReadParquetAsync(Path.Combine(data, "train-00000-of-00001.parquet"))).Count);
    }

    [Fact]
    public async Task CompleteAsync_SecondRunWithFewerRows_ReplacesEveryShardOfTheFirst()
    {
        await Export.WriteAsync(Config(testSplit: 0), Samples.PassedRange(1000));
        Assert.Equal(4, Files.Shards(Output, "train").Length);

        await Export.WriteAsync(Config(testSplit: 0), Samples.PassedRange(120, "apache-2.0"));

        var shard = Assert.Single(Files.Shards(Output, "train"));
        Assert.Equal("train-00000-of-00001.parquet", Path.GetFileName(shard));
        var rows = await Files.ReadParquetAsync(shard);
        Assert.Equal(120, rows.Count);
        Assert.All(rows, r => Assert.Equal("apache-2.0", r.SourceLicense));
    }

    [Fact]
    public async Task CompleteAsync_FilesTheRunDoesNotOwn_AreKept()
    {
        // A folder holding only hidden files (a Hub clone) is taken; files of the user's added after a run stay.
        Directory.CreateDirectory(Output);
        await File.WriteAllTextAsync(Path.Combine(Output, ".gitattributes"), "*.parquet filter=lfs\n");
        await Export.WriteAsync(Config(), Samples.PassedRange(10));
        await File.WriteAllTextAsync(Path.Combine(Output, "NOTES.txt"), "mine");

        await Export.WriteAsync(Config(), Samples.PassedRange(20));

        Assert.Equal("*.parquet filter=lfs\n", await File.ReadAllTextAsync(Path.Combine(Output, ".gitattributes")));
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(Output, "NOTES.txt")));
    }

    [Fact]
    public async Task CompleteAsync_NoRows_WritesManifestAndCardWithZeroRows()
    {
        var config = Config();
        var time = new FakeTimeProvider(Export.Now);
        var stats = new RunStats(time);
        await using (var writer = Export.Open(config, time))
        {
            await writer.CompleteAsync(stats, CancellationToken.None);
        }

        var manifest = Files.ReadJson(Path.Combine(Output, "manifest.json"));
        var counts = manifest.GetProperty("counts");
        Assert.Equal(0, counts.GetProperty("rows").EnumerateObject().Sum(p => p.Value.GetInt64()));
        Assert.All(counts.GetProperty("verdicts").EnumerateObject(), p => Assert.Equal(0, p.Value.GetInt64()));
        Assert.Equal(VerdictNames.All.Count, counts.GetProperty("verdicts").EnumerateObject().Count());
        Assert.True(counts.GetProperty("verdicts").TryGetProperty("missing-dependency", out _));
        Assert.Equal(Export.Run.ConfigHash, manifest.GetProperty("config_hash").GetString());

        var front = DatasetCardTests.FrontMatter(await File.ReadAllTextAsync(Path.Combine(Output, "README.md")));
        Assert.Equal("unknown", ((YamlDotNet.RepresentationModel.YamlScalarNode)front["license"]).Value);
        Assert.Equal("n<1K", ((YamlDotNet.RepresentationModel.YamlScalarNode)((YamlDotNet.RepresentationModel.YamlSequenceNode)front["size_categories"])[0]).Value);

        Assert.Equal(0, new FileInfo(Path.Combine(Output, "rejected.jsonl")).Length);
        Assert.False(Directory.Exists(Path.Combine(Output, "data")));
        Assert.Empty(Directory.GetDirectories(Output, ".staging-*"));
    }

    [Fact]
    public async Task CompleteAsync_OnlyRejections_WritesNoRowsAndListsThemInRejectedJsonl()
    {
        await Export.WriteAsync(Config(), [Samples.Rejected(1, Core.Model.Verdict.CompileError, "CS0103"), Samples.Rejected(2, Core.Model.Verdict.Secret, "token")]);

        var manifest = Files.ReadJson(Path.Combine(Output, "manifest.json"));
        Assert.Equal(0, manifest.GetProperty("counts").GetProperty("rows").EnumerateObject().Sum(p => p.Value.GetInt64()));
        Assert.Equal(2, File.ReadLines(Path.Combine(Output, "rejected.jsonl")).Count());
        Assert.True(File.Exists(Path.Combine(Output, "README.md")));
    }

    [Fact]
    public async Task Open_FolderWithAReadmeButNoManifestOfOurs_RefusesAndDeletesNothing()
    {
        Directory.CreateDirectory(Output);
        var readme = Path.Combine(Output, "README.md");
        await File.WriteAllTextAsync(readme, "# someone's project");

        var e = await Assert.ThrowsAsync<AutoRefiner.Core.AutoRefinerException>(() => Export.WriteAsync(Config(testSplit: 0), Samples.PassedRange(5)));

        Assert.Equal(AutoRefiner.Core.FailureKind.Usage, e.Kind);
        Assert.Contains("README.md", e.Message, StringComparison.Ordinal);
        Assert.Equal("# someone's project", await File.ReadAllTextAsync(readme));
        Assert.Empty(Directory.GetDirectories(Output, ".staging-*"));
    }

    [Fact]
    public async Task CompleteAsync_UsersFilesInsideDataAndJsonl_AreKept()
    {
        await Export.WriteAsync(Config(), Samples.PassedRange(40));
        string[] mine = ["data/mynotes.txt", "data/sub/y.txt", "jsonl/extra.jsonl"];
        foreach (var file in mine)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Output, file))!);
            await File.WriteAllTextAsync(Path.Combine(Output, file), "mine");
        }

        var stats = await Export.WriteAsync(Config(), Samples.PassedRange(30, "apache-2.0"));

        Assert.All(mine, f => Assert.Equal("mine", File.ReadAllText(Path.Combine(Output, f))));
        Assert.DoesNotContain(stats.Written, mine.Contains);
        Assert.Contains("jsonl/train.jsonl", stats.Written);
        Assert.Contains("manifest.json", stats.Written);
    }

    [Fact]
    public async Task CompleteAsync_UsersFileWhereTheRunWritesOne_FailsAndReplacesNothing()
    {
        Directory.CreateDirectory(Path.Combine(Output, "jsonl"));
        await File.WriteAllTextAsync(Path.Combine(Output, "manifest.json"), "{\"tool\": \"autorefiner\", \"files\": []}");
        var users = Path.Combine(Output, "jsonl", "train.jsonl");
        await File.WriteAllTextAsync(users, "mine");

        var e = await Assert.ThrowsAsync<AutoRefiner.Core.AutoRefinerException>(() => Export.WriteAsync(Config(testSplit: 0), Samples.PassedRange(5)));

        Assert.Equal(AutoRefiner.Core.FailureKind.Run, e.Kind);
        Assert.Contains("jsonl/train.jsonl, which manifest.json does not list", e.Message, StringComparison.Ordinal);
        Assert.Equal("mine", await File.ReadAllTextAsync(users));
        Assert.False(Directory.Exists(Path.Combine(Output, "data")));
        Assert.Empty(Directory.GetDirectories(Output, ".staging-*"));
    }

    [Fact]
    public async Task Open_JsonlIsALinkToAnotherFolder_IsRefusedAndNothingIsWrittenThere()
    {
        await Export.WriteAsync(Config(), Samples.PassedRange(10));
        var victim = Directory.CreateDirectory(Path.Combine(_dir.Path, "victim")).FullName;
        await File.WriteAllTextAsync(Path.Combine(victim, "test.jsonl"), "theirs");
        Directory.Delete(Path.Combine(Output, "jsonl"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(Output, "jsonl"), victim);

        var e = await Assert.ThrowsAsync<AutoRefiner.Core.AutoRefinerException>(() => Export.WriteAsync(Config(), Samples.PassedRange(10)));

        Assert.Equal(AutoRefiner.Core.FailureKind.Usage, e.Kind);
        Assert.Contains("symbolic link", e.Message, StringComparison.Ordinal);
        Assert.Equal(["test.jsonl"], Directory.GetFiles(victim).Select(Path.GetFileName));
        Assert.Equal("theirs", await File.ReadAllTextAsync(Path.Combine(victim, "test.jsonl")));
    }

    [Fact]
    public async Task CompleteAsync_DataBecomesALinkDuringTheRun_FailsAndNeitherWritesNorDeletesThroughIt()
    {
        await Export.WriteAsync(Config(), Samples.PassedRange(10));
        var victim = Directory.CreateDirectory(Path.Combine(_dir.Path, "victim")).FullName;
        foreach (var shard in Directory.GetFiles(Path.Combine(Output, "data")))
        {
            File.Copy(shard, Path.Combine(victim, Path.GetFileName(shard))); // names the manifest lists: a delete through the link would take them
        }

        var victimBefore = Directory.GetFiles(victim).Order(StringComparer.Ordinal).ToList();
        await using var writer = Export.Open(Config());
        foreach (var judged in Samples.PassedRange(20, "apache-2.0"))
        {
            await writer.AddAsync(judged, CancellationToken.None);
        }

        Directory.Delete(Path.Combine(Output, "data"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(Output, "data"), victim);

        var e = await Assert.ThrowsAsync<AutoRefiner.Core.AutoRefinerException>(() => writer.CompleteAsync(new RunStats(new FakeTimeProvider()), CancellationToken.None).AsTask());

        Assert.Equal(AutoRefiner.Core.FailureKind.Run, e.Kind);
        Assert.Contains("symbolic link", e.Message, StringComparison.Ordinal);
        Assert.Equal(victimBefore, Directory.GetFiles(victim).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CompleteAsync_AMoveFailingMidway_PutsEveryFileBack_AndSaysWhatInASentence()
    {
        await Export.WriteAsync(Config(), Samples.PassedRange(40));
        var before = Snapshot();
        await using var writer = Export.Open(Config());
        foreach (var judged in Samples.PassedRange(30, "apache-2.0"))
        {
            await writer.AddAsync(judged, CancellationToken.None);
        }

        // During the run jsonl/train.jsonl (a file of ours) becomes a folder: the move onto it fails after the data
        // shards, README and ATTRIBUTION have already moved.
        var train = Path.Combine(Output, "jsonl", "train.jsonl");
        var keep = await File.ReadAllBytesAsync(train);
        File.Delete(train);
        Directory.CreateDirectory(Path.Combine(train, "x"));

        var e = await Assert.ThrowsAsync<AutoRefiner.Core.AutoRefinerException>(() => writer.CompleteAsync(new RunStats(new FakeTimeProvider()), CancellationToken.None).AsTask());

        Assert.Equal(AutoRefiner.Core.FailureKind.Run, e.Kind);
        Assert.Contains("jsonl/train.jsonl could not be replaced", e.Message, StringComparison.Ordinal);
        Assert.Contains("put back", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Access to the path", e.Message, StringComparison.Ordinal);
        Directory.Delete(train, recursive: true);
        await File.WriteAllBytesAsync(train, keep);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task CompleteAsync_ManifestListingAPathOutsideTheFolder_DeletesNothingThere()
    {
        var outside = Path.Combine(_dir.Path, "precious.txt");
        await File.WriteAllTextAsync(outside, "keep");
        Directory.CreateDirectory(Output);
        await File.WriteAllTextAsync(Path.Combine(Output, "manifest.json"), "{\"tool\": \"autorefiner\", \"files\": [{\"path\": \"../precious.txt\"}, {\"path\": \"data/../../precious.txt\"}]}");

        await Export.WriteAsync(Config(), Samples.PassedRange(5));

        Assert.Equal("keep", await File.ReadAllTextAsync(outside));
    }

    [Fact]
    public async Task CompleteAsync_NoRowsOverADatasetWithRows_FailsAndKeepsIt()
    {
        await Export.WriteAsync(Config(), Samples.PassedRange(40));
        var before = Snapshot();

        var e = await Assert.ThrowsAsync<AutoRefiner.Core.AutoRefinerException>(() => Export.WriteAsync(Config(), [Samples.Rejected(1, Core.Model.Verdict.CompileError, "CS0103")]));

        Assert.Equal(AutoRefiner.Core.FailureKind.Run, e.Kind);
        Assert.Contains("(40 rows) was kept", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
        Assert.Empty(Directory.GetDirectories(Output, ".staging-*"));
    }
}
