using System.Text.Json;
using AutoRefiner.CSharp;
using AutoRefiner.Core.Text;
using Parquet.Serialization;
using Spectre.Console.Testing;

namespace AutoRefiner.Cli.Tests;

/// <summary>Runs the command line in-process, as a user would, and reads what it wrote.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    public static async Task<Result> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var output = new TestConsole();
        output.Profile.Width = 2000;
        var errors = new TestConsole();
        errors.Profile.Width = 2000;
        var code = await AutoRefinerApp.RunAsync(args, output, errors, TimeProvider.System, cancellationToken);
        return new Result(code, output.Output, errors.Output);
    }

    public static List<JsonElement> ReadJsonl(string path) =>
        [.. File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    public static List<JsonElement> ReadAllJsonlRows(string outDir) =>
        [.. Directory.GetFiles(Path.Combine(outDir, "jsonl"), "*.jsonl").Order(StringComparer.Ordinal).SelectMany(ReadJsonl)];

    public static async Task<List<Exporter.DatasetRow>> ReadAllParquetRowsAsync(string outDir)
    {
        var rows = new List<Exporter.DatasetRow>();
        var data = Path.Combine(outDir, "data");
        if (!Directory.Exists(data))
        {
            return rows;
        }

        foreach (var file in Directory.GetFiles(data, "*.parquet").Order(StringComparer.Ordinal))
        {
            await using var stream = File.OpenRead(file);
            rows.AddRange((await ParquetSerializer.DeserializeAsync<Exporter.DatasetRow>(stream)).Data);
        }

        return rows;
    }

    /// <summary>
    /// Asserts the dataset's promises: Parquet and JSONL hold the same rows, and every response compiles on its own
    /// (checked by <see cref="IndependentCompiler"/>, not by the compiler the product uses).
    /// </summary>
    public static async Task<int> AssertDatasetIsSoundAsync(string outDir)
    {
        var jsonl = ReadAllJsonlRows(outDir);
        var parquet = await ReadAllParquetRowsAsync(outDir);
        Assert.Equal(
            jsonl.Select(r => (r.GetProperty("id").GetString(), r.GetProperty("instruction").GetString(), r.GetProperty("response").GetString())).Order(),
            parquet.Select(r => ((string?)r.Id, (string?)r.Instruction, (string?)r.Response)).Order());

        foreach (var row in parquet)
        {
            var code = CodeBlocks.FirstCSharp(row.Response);
            Assert.NotNull(code);
            if (row.Task == "doc-comments")
            {
                // The member alone is not a compilation unit: it must compile in the context the instruction shows.
                var context = CodeBlocks.FirstCSharp(row.Instruction);
                Assert.NotNull(context);
                Assert.Empty(IndependentCompiler.Errors(context));
                Assert.Single(CodeBlocks.All(row.Response));
                var spliced = AutoRefiner.CSharp.MemberSplice.Splice(context, code);
                Assert.True(spliced.Unit is not null, $"{row.SourcePath}: {spliced.Error}");
                code = spliced.Unit;
            }

            var errors = IndependentCompiler.Errors(code);
            Assert.True(errors.Count == 0, $"{row.SourcePath}: {string.Join('\n', errors)}\n{code}");
            Assert.Equal(["user", "assistant"], row.Messages.Select(m => m.Role));
            Assert.Equal(row.Instruction, row.Messages[0].Content);
            Assert.Equal(row.Response, row.Messages[1].Content);
        }

        return parquet.Count;
    }
}
