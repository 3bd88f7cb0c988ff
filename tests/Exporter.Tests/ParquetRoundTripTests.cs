using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;
using AutoRefiner.Exporter.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Parquet.Schema;

namespace AutoRefiner.Exporter.Tests;

/// <summary>Parquet written by <see cref="DatasetWriter"/>, read back with Parquet.Net's own reader.</summary>
public sealed class ParquetRoundTripTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private HarvestConfig Config() => Export.Config(_dir.Path, new ExportConfig
    {
        Out = "out", Compression = ParquetCodec.Snappy, RowGroupRows = 100, ShardRows = 250, TestSplit = 0.3,
    });

    /// <summary>300 ordinary rows, one with non-ASCII text everywhere, one with a 200,000-character response.</summary>
    private static List<Judged> Input()
    {
        var input = Samples.PassedRange(300).ToList();
        input.Add(Samples.Passed(Samples.Candidate(1000, "apache-2.0", instruction: "Explain: " + Samples.Unicode, response: "```csharp\n// " + Samples.Unicode + "\nclass U { }\n```")));
        input.Add(Samples.Passed(Samples.Candidate(1001, "mit", response: "```csharp\n/*" + new string('x', 200_000) + "*/ class L { }\n```")));
        return input;
    }

    [Fact]
    public async Task CompleteAsync_PassedRows_ParquetHoldsEveryColumnOfTheInput()
    {
        var config = Config();
        var input = Input();
        await Export.WriteAsync(config, input);

        var output = Export.OutOf(config);
        var rows = await Files.ReadParquetAsync([.. Files.Shards(output, "train"), .. Files.Shards(output, "test")]);

        Assert.Equal(input.Count, rows.Count);
        var byId = rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var judged in input)
        {
            var c = judged.Candidate;
            var row = byId[SampleId.Of(c)];
            Assert.Equal(c.Task, row.Task);
            Assert.Equal(c.Instruction, row.Instruction);
            Assert.Equal(c.Response, row.Response);
            Assert.Equal(c.Tests, row.Tests);
            Assert.Collection(
                row.Messages,
                m => { Assert.Equal("user", m.Role); Assert.Equal(c.Instruction, m.Content); },
                m => { Assert.Equal("assistant", m.Role); Assert.Equal(c.Response, m.Content); });
            Assert.Equal("csharp", row.Lang);
            Assert.Equal(c.Provenance.Repo, row.SourceRepo);
            Assert.Equal(c.Provenance.Path, row.SourcePath);
            Assert.Equal(c.Provenance.Commit, row.SourceCommit);
            Assert.Equal(c.Provenance.License, row.SourceLicense);
            Assert.Equal(c.Provenance.Url, row.SourceUrl);
            Assert.Equal(c.Generator, row.Generator);
            Assert.Equal(c.PromptVersion, row.PromptVersion);
            Assert.Equal(judged.TestsRun, row.TestsRun);
            Assert.Equal(judged.TestsPassed, row.TestsPassed);
            Assert.Equal(c.RepairRounds, row.RepairRounds);
            Assert.Equal((judged.Mutants, judged.MutantsKilled), (row.Mutants, row.MutantsKilled));
            Assert.Equal(c.PromptTokens, row.PromptTokens);
            Assert.Equal(c.CompletionTokens, row.CompletionTokens);
            Assert.Equal(Export.Now.UtcDateTime, row.CreatedAt);
            Assert.Equal(DateTimeKind.Utc, row.CreatedAt.Kind);
        }
    }

    [Fact]
    public async Task CompleteAsync_PassedRows_ParquetSchemaIsTheRowSchema()
    {
        var config = Config();
        await Export.WriteAsync(config, Samples.PassedRange(50));

        var shard = Assert.Single(Files.Shards(Export.OutOf(config), "train"));
        await using var reader = await Files.OpenReaderAsync(shard);
        var fields = reader.Schema.Fields;

        Assert.Equal(RowSchema.Columns, fields.Select(f => f.Name));
        var elements = reader.Metadata!.Schema.ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var name in RowSchema.StringColumns)
        {
            Assert.IsType<DataField>(fields.Single(f => f.Name == name), exactMatch: false);
            Assert.Equal(Parquet.Meta.Type.BYTE_ARRAY, elements[name].Type);
            Assert.NotNull(elements[name].LogicalType?.STRING);
        }

        foreach (var name in RowSchema.Int32Columns)
        {
            var field = Assert.IsType<DataField>(fields.Single(f => f.Name == name), exactMatch: false);
            Assert.Equal(typeof(int), field.ClrType);
            Assert.False(field.IsNullable, name);
            Assert.Equal(Parquet.Meta.Type.INT32, elements[name].Type);
        }

        foreach (var name in RowSchema.NullableInt32Columns)
        {
            var field = Assert.IsType<DataField>(fields.Single(f => f.Name == name), exactMatch: false);
            Assert.Equal(typeof(int), field.ClrType);
            Assert.True(field.IsNullable, name);
            Assert.Equal(Parquet.Meta.Type.INT32, elements[name].Type);
        }

        // messages: list<struct<role string, content string>>
        var messages = Assert.IsType<ListField>(fields.Single(f => f.Name == "messages"));
        var item = Assert.IsType<StructField>(messages.Item);
        Assert.Equal(["role", "content"], item.Fields.Select(f => f.Name));
        Assert.All(item.Fields, f => Assert.IsType<DataField>(f, exactMatch: false));
        Assert.All(["role", "content"], name => Assert.Equal(Parquet.Meta.Type.BYTE_ARRAY, elements[name].Type));
        Assert.All(["role", "content"], name => Assert.NotNull(elements[name].LogicalType?.STRING));

        // created_at: a timestamp adjusted to UTC, in microseconds (a logical TIMESTAMP, not INT96 nor a plain int64)
        var createdAt = Assert.IsType<DateTimeDataField>(fields.Single(f => f.Name == "created_at"));
        Assert.True(createdAt.IsAdjustedToUTC);
        var element = elements["created_at"];
        Assert.Equal(Parquet.Meta.Type.INT64, element.Type);
        Assert.NotNull(element.LogicalType?.TIMESTAMP);
        Assert.True(element.LogicalType!.TIMESTAMP!.IsAdjustedToUTC);
        Assert.NotNull(element.LogicalType.TIMESTAMP.Unit.MICROS);
    }

    [Fact]
    public async Task CompleteAsync_BothFormats_ParquetAndJsonlHoldTheSameRowsAndManifestCounts()
    {
        var config = Config();
        var input = Input();
        await Export.WriteAsync(config, input);

        var output = Export.OutOf(config);
        var manifest = Files.ReadJson(Path.Combine(output, "manifest.json"));
        var manifestRows = manifest.GetProperty("counts").GetProperty("rows");
        long total = 0;
        foreach (var split in new[] { "train", "test" })
        {
            var parquet = await Files.ReadParquetAsync(Files.Shards(output, split));
            var jsonl = Files.ReadJsonl(Path.Combine(output, "jsonl", split + ".jsonl"));

            Assert.NotEmpty(parquet);
            Assert.Equal(jsonl.Count, parquet.Count);
            Assert.Equal(jsonl.Select(r => r.Id), parquet.Select(r => r.Id));
            Assert.Equal(jsonl.Select(Files.AsJson), parquet.Select(Files.AsJson));
            Assert.Equal(parquet.Count, manifestRows.GetProperty(split).GetInt64());
            total += parquet.Count;
        }

        Assert.Equal(input.Count, total);
        Assert.Equal(2, manifestRows.EnumerateObject().Count());
    }

    [Fact]
    public async Task CompleteAsync_ClockWithSubMicrosecondTicks_CreatedAtIsTheSameInParquetAndJsonl()
    {
        // A real clock has 100 ns ticks; Parquet stores microseconds. Both formats must still carry the same instant.
        var config = Config();
        var time = new FakeTimeProvider(Export.Now.AddTicks(7));
        await Export.WriteAsync(config, Samples.PassedRange(20), time);

        var output = Export.OutOf(config);
        var parquet = await Files.ReadParquetAsync(Files.Shards(output, "train"));
        var jsonl = Files.ReadJsonl(Path.Combine(output, "jsonl", "train.jsonl"));

        Assert.Equal(jsonl.Select(r => r.CreatedAt), parquet.Select(r => r.CreatedAt));
    }

    [Fact]
    public async Task CompleteAsync_NonAsciiText_JsonlKeepsItReadableAndExact()
    {
        var config = Config();
        var candidate = Samples.Candidate(7, instruction: "Explain: " + Samples.Unicode);
        await Export.WriteAsync(config, [Samples.Passed(candidate)]);

        var split = SampleId.SplitOf(candidate, SampleId.Of(candidate), 0.3);
        var path = Path.Combine(Export.OutOf(config), "jsonl", split + ".jsonl");
        var text = await File.ReadAllTextAsync(path);

        Assert.Contains("Ünïcödé — 日本語のテキスト, Ελληνικά, русский, עברית", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var line = Assert.Single(Files.ReadJsonlElements(path));
        Assert.Equal(candidate.Instruction, line.GetProperty("instruction").GetString());
        Assert.Equal(candidate.Instruction, line.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal("2026-03-04T05:06:07.123456Z", line.GetProperty("created_at").GetString());
    }

    [Theory]
    [InlineData("zstd", Parquet.Meta.CompressionCodec.ZSTD)]
    [InlineData("snappy", Parquet.Meta.CompressionCodec.SNAPPY)]
    [InlineData("gzip", Parquet.Meta.CompressionCodec.GZIP)]
    [InlineData("none", Parquet.Meta.CompressionCodec.UNCOMPRESSED)]
    public async Task CompleteAsync_Codec_WritesReadableFilesWithThatCodec(string compression, Parquet.Meta.CompressionCodec codec)
    {
        var config = Export.Config(_dir.Path, new ExportConfig { Out = "out", Compression = ExportConfig.KnownCompressions[compression], RowGroupRows = 100, ShardRows = 1000, TestSplit = 0 });
        var input = Samples.PassedRange(150).ToList();
        await Export.WriteAsync(config, input);

        var shard = Assert.Single(Files.Shards(Export.OutOf(config), "train"));
        var rows = await Files.ReadParquetAsync(shard);
        Assert.Equal(input.Select(j => SampleId.Of(j.Candidate)).Order(StringComparer.Ordinal), rows.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(input.Select(j => j.Candidate.Response).Order(StringComparer.Ordinal), rows.Select(r => r.Response).Order(StringComparer.Ordinal));

        await using var reader = await Files.OpenReaderAsync(shard);
        Assert.Equal(2, reader.Metadata!.RowGroups.Count);
        Assert.All(reader.Metadata.RowGroups.SelectMany(g => g.Columns), c => Assert.Equal(codec, c.MetaData!.Codec));
    }

    [Theory]
    [InlineData("zstd", Parquet.CompressionMethod.Zstd)]
    [InlineData("snappy", Parquet.CompressionMethod.Snappy)]
    [InlineData("gzip", Parquet.CompressionMethod.Gzip)]
    [InlineData("none", Parquet.CompressionMethod.None)]
    public void ParquetOptionsFor_KnownCodec_MapsToItsMethodAtOptimalLevel(string compression, Parquet.CompressionMethod method)
    {
        var options = DatasetWriter.ParquetOptionsFor(ExportConfig.KnownCompressions[compression]);

        Assert.Equal(method, options.CompressionMethod);
        Assert.Equal(System.IO.Compression.CompressionLevel.Optimal, options.CompressionLevel);
    }
}
