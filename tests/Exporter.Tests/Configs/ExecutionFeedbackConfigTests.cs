using AutoRefiner.Core.Config;
using AutoRefiner.Exporter.Tests.Support;

namespace AutoRefiner.Exporter.Tests.Configs;

/// <summary>The preference and feedback configs as the writer makes them from judged groups, read back by DuckDB.</summary>
public sealed class ExecutionFeedbackConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string> WriteAsync(string[]? formats = null)
    {
        var config = Export.Config(_dir.Path, new ExportConfig { Out = "out", TestSplit = 0, Formats = formats is null ? [ExportFormat.Parquet, ExportFormat.Jsonl] : [.. formats.Select(f => ExportConfig.KnownFormats[f])] });
        await Export.WriteAsync(config, ConfigSamples.Groups());
        return Export.OutOf(config);
    }

    [Fact]
    public async Task CompleteAsync_CandidateGroups_EveryConfigReadByDuckDbMatchesItsJsonl()
    {
        var output = await WriteAsync();

        // default: one row per seed, with its pass rate and difficulty.
        var sft = (await DuckDb.ReadAsync(Path.Combine(output, "data", "train-*.parquet"))).GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2, sft.Count);
        Assert.Contains(sft, r => r.GetProperty("pass_rate").GetDouble() == 1.0 / 3 && r.GetProperty("difficulty").GetString() == "medium");
        Assert.Contains(sft, r => r.GetProperty("pass_rate").GetDouble() == 0.5 && r.GetProperty("difficulty").GetString() == "medium");

        // preference: TRL's conversational form, list<struct<role, content>> columns.
        var preference = await DuckDb.ReadAsync(Path.Combine(output, "data", "preference", "train-*.parquet"));
        var types = DuckDb.Schema(preference).ToDictionary(c => c.Name, c => DuckDb.UnquoteIdentifiers(c.Type), StringComparer.Ordinal);
        Assert.All(new[] { "prompt", "chosen", "rejected" }, c => Assert.Equal("STRUCT(role VARCHAR, content VARCHAR)[]", types[c]));
        var pairs = preference.GetProperty("rows").EnumerateArray().ToList();
        var jsonlPairs = Files.ReadJsonlElements(Path.Combine(output, "jsonl", "preference", "train.jsonl"));
        Assert.Equal(jsonlPairs.Select(p => p.GetProperty("id").GetString()).Order(), pairs.Select(p => p.GetProperty("id").GetString()).Order());
        Assert.Equal(
            ["compile-error/candidate", "compile-error/repair", "test-failed/candidate"],
            pairs.Select(p => $"{p.GetProperty("rejected_verdict").GetString()}/{p.GetProperty("rejected_source").GetString()}").Order());
        Assert.All(pairs, p =>
        {
            Assert.Equal("passed", p.GetProperty("chosen_verdict").GetString());
            Assert.Equal("user", Assert.Single(p.GetProperty("prompt").EnumerateArray().ToList()).GetProperty("role").GetString());
            Assert.Contains("x * 2", Assert.Single(p.GetProperty("chosen").EnumerateArray().ToList()).GetProperty("content").GetString(), StringComparison.Ordinal);
            Assert.Equal("assistant", Assert.Single(p.GetProperty("rejected").EnumerateArray().ToList()).GetProperty("role").GetString());
        });

        // The banned-API answer is in rejected.jsonl as a rejection, and in neither config.
        var configsText = string.Join('\n', Directory.GetFiles(Path.Combine(output, "jsonl"), "*.jsonl", SearchOption.AllDirectories)
            .Where(f => Path.GetDirectoryName(f) != Path.Combine(output, "jsonl")).Select(File.ReadAllText));
        Assert.DoesNotContain("ProcessorCount", configsText, StringComparison.Ordinal);

        // feedback: the task, the failing answer, the compiler's words verbatim, the repaired answer.
        var feedback = (await DuckDb.ReadAsync(Path.Combine(output, "data", "feedback", "train-*.parquet"))).GetProperty("rows").EnumerateArray().ToList();
        var conversation = Assert.Single(feedback).GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["user", "assistant", "user", "assistant"], conversation.Select(m => m.GetProperty("role").GetString()));
        Assert.Contains("x * too", conversation[1].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains("error CS0103: The name 'too' does not exist in the current context", conversation[2].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains("x * 2", conversation[3].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Single(Files.ReadJsonlElements(Path.Combine(output, "jsonl", "feedback", "train.jsonl")));
    }

    [Fact]
    public async Task CompleteAsync_CandidateGroups_CardDeclaresEveryConfigAndManifestListsTheirFiles()
    {
        var output = await WriteAsync();

        var card = File.ReadAllText(Path.Combine(output, "README.md"));
        Assert.Contains("- config_name: default\n", card, StringComparison.Ordinal);
        Assert.Contains("- config_name: feedback\n  data_files:\n  - split: train\n    path: data/feedback/train-*\n", card, StringComparison.Ordinal);
        Assert.Contains("- config_name: preference\n  data_files:\n  - split: train\n    path: data/preference/train-*\n", card, StringComparison.Ordinal);

        var manifest = Files.ReadJson(Path.Combine(output, "manifest.json"));
        var files = manifest.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ToList();
        Assert.Contains("data/preference/train-00000-of-00001.parquet", files);
        Assert.Contains("jsonl/preference/train.jsonl", files);
        Assert.Contains("data/feedback/train-00000-of-00001.parquet", files);
        Assert.Contains("jsonl/feedback/train.jsonl", files);
        Assert.Equal(3, manifest.GetProperty("configs").GetProperty("preference").GetProperty("train").GetInt64());
        Assert.Equal(1, manifest.GetProperty("configs").GetProperty("feedback").GetProperty("train").GetInt64());
        Assert.Equal(2, manifest.GetProperty("difficulty").GetProperty("medium").GetInt64());
    }

    [Fact]
    public async Task CompleteAsync_JsonlOnly_CardPointsEachConfigAtItsJsonl()
    {
        var output = await WriteAsync(["jsonl"]);

        var card = File.ReadAllText(Path.Combine(output, "README.md"));
        Assert.Contains("path: jsonl/preference/train.jsonl\n", card, StringComparison.Ordinal);
        Assert.Contains("path: jsonl/feedback/train.jsonl\n", card, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(output, "data")));
    }
}
