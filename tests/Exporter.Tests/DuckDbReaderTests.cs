using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;
using AutoRefiner.Exporter.Tests.Support;

namespace AutoRefiner.Exporter.Tests;

/// <summary>The Parquet output read by DuckDB, a reader that shares no code with Parquet.Net.</summary>
public sealed class DuckDbReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task CompleteAsync_ParquetReadByDuckDb_SchemaTypesAndContentAsWritten()
    {
        var config = Export.Config(_dir.Path, new ExportConfig
        {
            Out = "out", Compression = ParquetCodec.Zstd, RowGroupRows = 100, ShardRows = 250, TestSplit = 0.25,
        });
        var longText = string.Concat(Enumerable.Repeat("0123456789abcdefghij", 15_000)) + " — ende ✓";
        var input = Samples.PassedRange(700).ToList();
        input.Add(Samples.Passed(Samples.Candidate(2000, "apache-2.0", instruction: "Beschreibe: " + Samples.Unicode, response: "Antwort:\n```csharp\n// " + Samples.Unicode + "\nclass U { }\n```\n")));
        input.Add(Samples.Passed(Samples.Candidate(2001, "", instruction: longText, response: "```csharp\n/* " + longText + " */\nclass L { }\n```")));
        await Export.WriteAsync(config, input);

        var output = Export.OutOf(config);
        Assert.True(Files.Shards(output, "train").Length >= 2, "the train split should span several shards");
        var result = await DuckDb.ReadAsync(Path.Combine(output, "data", "*.parquet"));

        // Schema: every column of the row schema, in order, with the types a user of the Hub would see.
        var schema = DuckDb.Schema(result);
        Assert.Equal(RowSchema.Columns, schema.Select(c => c.Name));
        var types = schema.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
        // DuckDB 1.5 quotes struct field names in type strings: STRUCT("role" VARCHAR, "content" VARCHAR)[].
        Assert.Equal("STRUCT(role VARCHAR, content VARCHAR)[]", DuckDb.UnquoteIdentifiers(types["messages"]));
        Assert.Contains(types["created_at"], new[] { "TIMESTAMP WITH TIME ZONE", "TIMESTAMP" });
        Assert.All(RowSchema.StringColumns, c => Assert.Equal("VARCHAR", types[c]));
        Assert.All(RowSchema.Int32Columns, c => Assert.Equal("INTEGER", types[c]));
        Assert.All(RowSchema.NullableInt32Columns, c => Assert.Equal("INTEGER", types[c]));
        Assert.Equal("DOUBLE", types["pass_rate"]);
        Assert.Equal("VARCHAR", types["difficulty"]);

        // Content: every row, every column.
        var rows = result.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(input.Count, rows.Count);
        var byId = rows.ToDictionary(r => r.GetProperty("id").GetString()!, StringComparer.Ordinal);
        Assert.Equal(input.Count, byId.Count);
        var createdAtMicros = (Export.Now.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
        foreach (var judged in input)
        {
            var c = judged.Candidate;
            var row = byId[SampleId.Of(c)];
            Assert.Equal(c.Task, row.GetProperty("task").GetString());
            Assert.Equal(c.Instruction, row.GetProperty("instruction").GetString());
            Assert.Equal(c.Response, row.GetProperty("response").GetString());
            Assert.Equal(c.Tests, row.GetProperty("tests").GetString());
            var messages = row.GetProperty("messages").EnumerateArray().ToList();
            Assert.Equal(2, messages.Count);
            Assert.Equal("user", messages[0].GetProperty("role").GetString());
            Assert.Equal(c.Instruction, messages[0].GetProperty("content").GetString());
            Assert.Equal("assistant", messages[1].GetProperty("role").GetString());
            Assert.Equal(c.Response, messages[1].GetProperty("content").GetString());
            Assert.Equal("csharp", row.GetProperty("lang").GetString());
            Assert.Equal(c.Provenance.Repo, row.GetProperty("source_repo").GetString());
            Assert.Equal(c.Provenance.Path, row.GetProperty("source_path").GetString());
            Assert.Equal(c.Provenance.Commit, row.GetProperty("source_commit").GetString());
            Assert.Equal(c.Provenance.License, row.GetProperty("source_license").GetString());
            Assert.Equal(c.Provenance.Url, row.GetProperty("source_url").GetString());
            Assert.Equal(c.Generator, row.GetProperty("generator").GetString());
            Assert.Equal(c.PromptVersion, row.GetProperty("prompt_version").GetString());
            Assert.Equal(judged.TestsRun, row.GetProperty("tests_run").GetInt32());
            Assert.Equal(judged.TestsPassed, row.GetProperty("tests_passed").GetInt32());
            Assert.Equal(c.RepairRounds, row.GetProperty("repair_rounds").GetInt32());
            Assert.Equal(judged.Mutants, Nullable(row.GetProperty("mutants")));
            Assert.Equal(judged.MutantsKilled, Nullable(row.GetProperty("mutants_killed")));
            Assert.Equal(c.PromptTokens, row.GetProperty("prompt_tokens").GetInt32());
            Assert.Equal(c.CompletionTokens, row.GetProperty("completion_tokens").GetInt32());
            Assert.Equal(createdAtMicros.ToString(System.Globalization.CultureInfo.InvariantCulture), row.GetProperty("created_at_epoch_us").GetString());
        }

        Assert.Contains("🚀", byId[SampleId.Of(input[^2].Candidate)].GetProperty("instruction").GetString(), StringComparison.Ordinal);
        Assert.Equal(longText.Length, byId[SampleId.Of(input[^1].Candidate)].GetProperty("instruction").GetString()!.Length);
    }

    private static int? Nullable(System.Text.Json.JsonElement value) => value.ValueKind == System.Text.Json.JsonValueKind.Null ? null : value.GetInt32();

    [Fact]
    public async Task CompleteAsync_EachSplitGlobReadByDuckDb_RowsMatchJsonlAndManifest()
    {
        var config = Export.Config(_dir.Path, new ExportConfig
        {
            Out = "out", Compression = ParquetCodec.Zstd, RowGroupRows = 100, ShardRows = 250, TestSplit = 0.3,
        });
        await Export.WriteAsync(config, [.. Samples.PassedRange(400), Samples.Rejected(9000, Verdict.CompileError, "CS0103")]);

        var output = Export.OutOf(config);
        var manifestRows = Files.ReadJson(Path.Combine(output, "manifest.json")).GetProperty("counts").GetProperty("rows");
        foreach (var split in new[] { "train", "test" })
        {
            var result = await DuckDb.ReadAsync(Path.Combine(output, "data", split + "-*.parquet"));
            var duck = result.GetProperty("rows").EnumerateArray().ToList();
            var jsonl = Files.ReadJsonl(Path.Combine(output, "jsonl", split + ".jsonl")).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();

            Assert.Equal(manifestRows.GetProperty(split).GetInt64(), duck.Count);
            Assert.Equal(jsonl.Select(r => r.Id), duck.Select(r => r.GetProperty("id").GetString()));
            Assert.Equal(jsonl.Select(r => r.Response), duck.Select(r => r.GetProperty("response").GetString()));
            Assert.All(duck, r => Assert.Equal(split, SampleId.SplitOf($"file:{r.GetProperty("source_repo").GetString()}/{r.GetProperty("source_path").GetString()}", 0.3)));
        }
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("snappy")]
    [InlineData("gzip")]
    [InlineData("none")]
    public async Task CompleteAsync_CodecReadByDuckDb_ReadsAllRows(string compression)
    {
        var config = Export.Config(_dir.Path, new ExportConfig { Out = "out", Compression = ExportConfig.KnownCompressions[compression], RowGroupRows = 100, ShardRows = 1000, TestSplit = 0 });
        var input = Samples.PassedRange(150).ToList();
        input.Add(Samples.Passed(Samples.Candidate(3000, instruction: Samples.Unicode)));
        await Export.WriteAsync(config, input);

        var result = await DuckDb.ReadAsync(Assert.Single(Files.Shards(Export.OutOf(config), "train")));

        Assert.Equal(
            input.Select(j => SampleId.Of(j.Candidate)).Order(StringComparer.Ordinal),
            result.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
        Assert.Contains(result.GetProperty("rows").EnumerateArray(), r => r.GetProperty("instruction").GetString() == Samples.Unicode);
    }
}
