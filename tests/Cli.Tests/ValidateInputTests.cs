using System.Text;
using System.Text.Json;
using AutoRefiner.Cli.Rendering;
using AutoRefiner.Core.Pipeline;
using Microsoft.Extensions.Time.Testing;
using Parquet.Serialization;
using Spectre.Console.Testing;

namespace AutoRefiner.Cli.Tests;

/// <summary>What <c>validate</c> makes of the files a user may hand it: damaged, misnamed, foreign, CRLF, with blank lines.</summary>
public sealed class ValidateInputTests : IDisposable
{
    private const string Passing = "{\"prompt\":\"Write C.\",\"completion\":\"```csharp\\npublic class C { }\\n```\"}";
    private const string Rejected = "{\"prompt\":\"Write D.\",\"completion\":\"no code here\"}";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Validated => _dir.Combine("validated");

    public sealed class Row
    {
        [System.Text.Json.Serialization.JsonPropertyName("prompt")]
        public string Prompt { get; set; } = "";

        [System.Text.Json.Serialization.JsonPropertyName("completion")]
        public string Completion { get; set; } = "";
    }

    private static async Task<byte[]> ParquetBytesAsync(int rows)
    {
        using var stream = new MemoryStream();
        var data = Enumerable.Range(0, rows).Select(i => new Row { Prompt = $"Write C{i}.", Completion = $"```csharp\npublic class C{i} {{ }}\n```" });
        await ParquetSerializer.SerializeAsync(data, stream);
        return stream.ToArray();
    }

    private static void AssertNoInternals(CliRunner.Result result)
    {
        foreach (var text in new[] { result.Output, result.Errors })
        {
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
            Assert.DoesNotContain("at AutoRefiner.", text, StringComparison.Ordinal);
            Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Thrift", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Index was out of range", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Validate_ParquetWithADamagedFooter_SaysWhichFileAndWhatIsDamaged()
    {
        var bytes = await ParquetBytesAsync(3);
        for (var i = bytes.Length - 200; i < bytes.Length - 8; i++)
        {
            bytes[i] ^= 0x33;
        }

        var input = _dir.Combine("footer.parquet");
        await File.WriteAllBytesAsync(input, bytes);

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("footer.parquet is not a readable Parquet file: its footer", result.Errors, StringComparison.Ordinal);
        AssertNoInternals(result);
    }

    [Fact]
    public async Task Validate_ParquetWithADamagedRowGroup_SaysWhichRowGroup()
    {
        var bytes = await ParquetBytesAsync(3);
        // The column chunks sit between the leading PAR1 and the footer; scrambling them leaves the footer readable.
        for (var i = 4; i < 120; i++)
        {
            bytes[i] ^= 0x5a;
        }

        var input = _dir.Combine("rows.parquet");
        await File.WriteAllBytesAsync(input, bytes);

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("rows.parquet is not a readable Parquet file: row group 1 of 1 is damaged", result.Errors, StringComparison.Ordinal);
        AssertNoInternals(result);
    }

    [Fact]
    public async Task Validate_ACutShortParquetFile_SaysItIsCutShort()
    {
        var bytes = await ParquetBytesAsync(3);
        var input = _dir.Combine("cut.parquet");
        await File.WriteAllBytesAsync(input, bytes[..(bytes.Length / 2)]);

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cut.parquet is not a readable Parquet file: it starts with PAR1 but does not end with it (the file is cut short or damaged)", result.Errors, StringComparison.Ordinal);
        AssertNoInternals(result);
    }

    [Fact]
    public async Task Validate_AParquetFileNamedJsonl_IsReadAsParquet()
    {
        var input = _dir.Combine("really-parquet.jsonl");
        await File.WriteAllBytesAsync(input, await ParquetBytesAsync(3));

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Contains("rows: 3 (prompt-completion): passed 3", result.Output, StringComparison.Ordinal);
        await using var kept = File.OpenRead(Path.Combine(Validated, "really-parquet.jsonl"));
        Assert.Equal(3, (await ParquetSerializer.DeserializeAsync<Row>(kept)).Data.Count);
    }

    [Theory]
    [InlineData("data.csv", "prompt,completion\nWrite C.,public class C { }\n", "it begins with 'prompt,completion' (CSV or TSV is not read")]
    [InlineData("data.jsonl", "prompt\tcompletion\n", "it begins with 'prompt\tcompletion' (CSV or TSV is not read")]
    [InlineData("list.jsonl", "[{\"prompt\":\"a\"}]\n", "it begins with '[{\"prompt\":\"a\"}]' (a JSON array is not read: write one JSON object per line, JSONL)")]
    [InlineData("rows.jsonl", "[\n  {\"prompt\": \"a\", \"completion\": \"b\"},\n", "(a JSON array is not read")]
    [InlineData("blob.jsonl", "\u0001\u0002\u0003\u0000binary", "it begins with binary data")]
    public async Task Validate_AFileThatIsNeitherJsonlNorParquet_IsRefusedWithASentence(string name, string content, string expected)
    {
        var input = _dir.Write(name, content);

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{name} is neither JSON Lines (one JSON object per line, starting with '{{') nor Parquet", result.Errors, StringComparison.Ordinal);
        Assert.Contains(expected, result.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Validated), "nothing is written for a file that is refused");
        AssertNoInternals(result);
    }

    [Fact]
    public async Task Validate_BlankLines_AreCountedInTheReportedLineNumbers()
    {
        var input = _dir.Write("gaps.jsonl", $"{Passing}\n\n   \n{{not json\n\n{Rejected}\n");

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var verdicts = CliRunner.ReadJsonl(Path.Combine(Validated, "verdicts.jsonl"));
        Assert.Equal([1L, 4L, 6L], verdicts.Select(v => v.GetProperty("line").GetInt64()));
        Assert.Equal([0L, 1L, 2L], verdicts.Select(v => v.GetProperty("row").GetInt64()));
        Assert.StartsWith("line 4 is not JSON", verdicts[1].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", verdicts[1].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_CrlfLinesAndAByteOrderMark_AreKeptByteForByte()
    {
        var bom = new byte[] { 0xEF, 0xBB, 0xBF };
        var first = Encoding.UTF8.GetBytes(Passing + "\r\n");
        var middle = Encoding.UTF8.GetBytes("\r\n" + Rejected + "\r\n" + "{\"prompt\":\"Write E.\",\"completion\":\"```csharp\\npublic class E { }\\n```\"}\n");
        var last = Encoding.UTF8.GetBytes(Passing.Replace("class C", "class F", StringComparison.Ordinal)); // no line ending at all
        var input = _dir.Combine("windows.jsonl");
        await File.WriteAllBytesAsync(input, bom.Concat(first).Concat(middle).Concat(last).ToArray());

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var expected = Encoding.UTF8.GetBytes("{\"prompt\":\"Write E.\",\"completion\":\"```csharp\\npublic class E { }\\n```\"}\n");
        Assert.Equal(bom.Concat(first).Concat(expected).Concat(last).ToArray(), await File.ReadAllBytesAsync(Path.Combine(Validated, "windows.jsonl")));
        Assert.Contains("wrote 3 passing rows", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_OnePassingRow_IsCountedInTheSingular()
    {
        var input = _dir.Write("one.jsonl", Passing + "\n");

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Contains("(1 row) ->", result.Output, StringComparison.Ordinal);
        Assert.Contains("wrote 1 passing row to", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("1 passing rows", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_TheTitle_SaysHowManyRowsAreToBeJudged()
    {
        var input = _dir.Write("three.jsonl", $"{Passing}\n\n{Passing}\n{Rejected}\n");

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Contains("validate: " + input + " (3 rows) -> " + Validated, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProgressView_NotATerminal_WritesAPlainLineEveryFewSecondsOfTheRunsClock()
    {
        var time = new FakeTimeProvider();
        var console = new TestConsole();
        var stats = new RunStats(time);
        var rows = new StageCounter("rows", time);
        rows.SetTotal(50_000);
        var view = new ProgressView(console, stats, "validate: big.jsonl (50,000 rows)", [rows]);
        var work = new TaskCompletionSource();

        var running = view.RunAsync(() => work.Task, CancellationToken.None);
        rows.Add(625);
        time.Advance(ProgressView.PlainInterval);
        var line = await LineAsync(console, "rows 625/50000");
        Assert.Contains("(125.0/s, eta 6:35)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("files", line, StringComparison.Ordinal);

        work.SetResult();
        await running;
    }

    /// <summary>Waits (bounded) for the view's continuation to write a line that contains <paramref name="text"/>.</summary>
    private static async Task<string> LineAsync(TestConsole console, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (console.Lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            await Task.Delay(10, timeout.Token);
        }
    }
}
