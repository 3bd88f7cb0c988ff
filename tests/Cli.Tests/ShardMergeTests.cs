using System.Text.Json;
using AutoRefiner.Core.State;
using AutoRefiner.State;

namespace AutoRefiner.Cli.Tests;

public sealed class ShardMergeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] WriteRepositories(int count)
    {
        var roots = new List<string>();
        for (var r = 0; r < count; r++)
        {
            var body = string.Concat(Enumerable.Range(0, 3).Select(i => $"    /// <summary>Repo {r} adds {i}.</summary>\n    public static int Add{i}(int x) => x + {i + (10 * r)};\n\n"));
            _dir.Write($"repos/lib{r}/Ops{r}.cs", $"public static class Ops{r}\n{{\n{body}}}\n");
            roots.Add(_dir.Combine($"repos/lib{r}"));
        }

        // Two repositories share a file: a duplicate across shards, as one run would see it.
        File.Copy(Path.Combine(roots[0], "Ops0.cs"), Path.Combine(roots[^1], "Ops0.cs"));
        return [.. roots];
    }

    private static List<string> Ids(string outDir) =>
        [.. CliRunner.ReadAllJsonlRows(outDir).Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task ThreeShardsMerged_GiveTheIdsOfOneUnshardedRun_AndOneStateStore()
    {
        var roots = WriteRepositories(9);
        // Near-duplicate removal off: `merge` removes exact duplicates across shards but not near-duplicates
        // (docs/state-and-refresh.md), and these generated repositories' members are near-copies of each other once names
        // are canonicalised; what this test compares is the split and the merge.
        var config = _dir.Write("harvest.yml", "curation:\n  near-duplicates: false\n");
        var sources = new[] { "--config", config }.Concat(roots.SelectMany(r => new[] { "--source", r })).ToArray();

        var whole = await CliRunner.RunAsync(["harvest", .. sources, "--out", _dir.Combine("whole"), "--state", _dir.Combine("whole.db")]);
        Assert.True(whole.ExitCode == 0, whole.Output + whole.Errors);

        var shardRows = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var shard = await CliRunner.RunAsync(["harvest", .. sources, "--shard", $"{i}/3", "--out", _dir.Combine($"out-{i}"), "--state", _dir.Combine($"state-{i}.db")]);
            Assert.True(shard.ExitCode == 0, shard.Output + shard.Errors);
            shardRows.Add(CliRunner.ReadAllJsonlRows(_dir.Combine($"out-{i}")).Count);
        }

        Assert.True(shardRows.Count(n => n > 0) >= 2, $"the shards did not split the work: {string.Join(", ", shardRows)}");

        var merged = await CliRunner.RunAsync([
            "merge", _dir.Combine("out-0"), _dir.Combine("out-1"), _dir.Combine("out-2"), "--out", _dir.Combine("merged"),
            "--state", _dir.Combine("merged.db"),
            "--with-state", _dir.Combine("state-0.db"), "--with-state", _dir.Combine("state-1.db"), "--with-state", _dir.Combine("state-2.db")]);

        Assert.True(merged.ExitCode == 0, merged.Output + merged.Errors);
        Assert.Equal(Ids(_dir.Combine("whole")), Ids(_dir.Combine("merged")));
        Assert.Equal(await CliRunner.AssertDatasetIsSoundAsync(_dir.Combine("whole")), await CliRunner.AssertDatasetIsSoundAsync(_dir.Combine("merged")));
        var rejected = CliRunner.ReadJsonl(_dir.Combine("merged/rejected.jsonl"));
        Assert.Contains(rejected, r => r.GetProperty("verdict").GetString() == "duplicate");

        using var state = StateStore.Open(_dir.Combine("merged.db"));
        using var wholeState = StateStore.Open(_dir.Combine("whole.db"));
        Assert.Equal(wholeState.Judged.JudgedCount(), state.Judged.JudgedCount());
        Assert.Equal(3, state.Runs.RunCount());
        using var manifest = JsonDocument.Parse(File.ReadAllText(_dir.Combine("merged/manifest.json")));
        Assert.Equal("merge", manifest.RootElement.GetProperty("run").GetProperty("kind").GetString());
        Assert.Equal("doc-comments/2", manifest.RootElement.GetProperty("prompt_versions").GetProperty("doc-comments").GetString());

        // What the shards found before generating is summed too, so the merged card and summary tell the whole story.
        long Count(string folder, string name)
        {
            using var m = JsonDocument.Parse(File.ReadAllText(_dir.Combine($"{folder}/manifest.json")));
            return m.RootElement.GetProperty("counts").GetProperty(name).GetInt64();
        }

        foreach (var name in new[] { "documented_methods", "self_contained", "files" })
        {
            Assert.Equal(Count("whole", name), Count("merged", name));
        }

        Assert.True(Count("merged", "documented_methods") > 0);
        Assert.Contains($"seeds: {Count("whole", "documented_methods")} documented methods", merged.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_TheSameFolderTwice_IsAUsageError()
    {
        _dir.Write("src/A.cs", "public static class A\n{\n    /// <summary>Adds one.</summary>\n    public static int Inc(int x) => x + 1;\n}\n");
        var run = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("src"), "--out", _dir.Combine("out"), "--state", _dir.Combine("s.db")]);
        Assert.True(run.ExitCode == 0, run.Output + run.Errors);

        var result = await CliRunner.RunAsync(["merge", _dir.Combine("out"), _dir.Combine("out") + "/", "--out", _dir.Combine("merged"), "--state", _dir.Combine("m.db")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is given twice", result.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("merged")));

        Directory.CreateSymbolicLink(_dir.Combine("alias"), _dir.Combine("out"));
        var aliased = await CliRunner.RunAsync(["merge", _dir.Combine("out"), _dir.Combine("alias"), "--out", _dir.Combine("merged"), "--state", _dir.Combine("m.db")]);

        Assert.Equal(2, aliased.ExitCode);
        Assert.Contains("holds the same output as", aliased.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("merged")));
    }

    [Theory]
    [InlineData("3/3")]
    [InlineData("1/0")]
    [InlineData("a/b")]
    [InlineData("1")]
    public async Task Harvest_ABadShard_IsAUsageError(string shard)
    {
        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Path, "--shard", shard, "--out", _dir.Combine("o")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--shard takes i/n with 0 <= i < n", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_AFolderThatIsNotAnOutput_IsAUsageError()
    {
        Directory.CreateDirectory(_dir.Combine("random"));

        var result = await CliRunner.RunAsync(["merge", _dir.Combine("random"), "--out", _dir.Combine("merged"), "--state", _dir.Combine("m.db")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not an AutoRefiner output folder", result.Errors, StringComparison.Ordinal);
    }
}

public sealed class StateFailureTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Source()
    {
        _dir.Write("src/A.cs", "public static class A\n{\n    /// <summary>One.</summary>\n    public static int One() => 1;\n}\n");
        return _dir.Combine("src");
    }

    [Fact]
    public async Task Harvest_WithATruncatedStateStore_StopsNamingTheFileAndLeavesIt()
    {
        var state = _dir.Combine("state/state.db");
        Assert.Equal(0, (await CliRunner.RunAsync(["harvest", "--source", Source(), "--out", _dir.Combine("out"), "--state", state])).ExitCode);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var bytes = File.ReadAllBytes(state);
        File.WriteAllBytes(state, bytes[..(bytes.Length / 2)]);
        File.Delete(state + "-wal");
        var before = File.ReadAllBytes(state);

        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("src"), "--out", _dir.Combine("out"), "--state", state]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"the state store {state} is damaged", result.Errors, StringComparison.Ordinal);
        Assert.Contains("move it aside", result.Errors, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(state));
    }

    [Fact]
    public async Task Harvest_WhileAnotherRunHoldsTheState_IsToldSo()
    {
        var state = _dir.Combine("state.db");
        using var other = StateLock.Acquire(state, DateTimeOffset.UtcNow);

        var result = await CliRunner.RunAsync(["refresh", "--source", Source(), "--out", _dir.Combine("out"), "--state", state]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("another autorefiner run (process", result.Errors, StringComparison.Ordinal);
        Assert.Contains($"is using the state store {state}", result.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("out")));
    }
}
