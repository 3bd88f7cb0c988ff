using System.Text.Json;
using System.Text.Json.Nodes;
using AutoRefiner.Generator.Tests.Llm;
using Parquet.Serialization;

namespace AutoRefiner.Cli.Tests;

public sealed class ValidateCommandTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly FakeOpenAiServer _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private string Validated => _dir.Combine("validated");

    /// <summary>A real harvest with both tasks: doc-comment rows (no tests) and instruct rows (tests that ran).</summary>
    private async Task<string> HarvestAsync()
    {
        _dir.Write("src/Ops.cs", """
            public static class Ops
            {
                /// <summary>Returns the successor of the argument; int.MaxValue wraps round to int.MinValue.</summary>
                public static int Next(int x) => x + 1;

                /// <summary>Multiplies the argument by two, wrapping round on overflow.</summary>
                public static int Twice(int x) => 2 * x;

                /// <summary>Multiplies the argument by itself; the result is never negative unless it overflows.</summary>
                public static int Square(int x) => x * x;
            }
            """);
        var config = _dir.Write("harvest.yml", $"""
            sources:
              local: [src]
            llm:
              endpoint: {_server.BaseUrl}
              model: fake-coder
            generation:
              tasks: [instruct, doc-comments]
            export:
              test-split: 0
            state: state.db
            """);
        var result = await CliRunner.RunAsync(["harvest", "--config", config, "--out", _dir.Combine("out")]);
        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        return _dir.Combine("out");
    }

    private static List<JsonElement> Verdicts(string dir) => CliRunner.ReadJsonl(Path.Combine(dir, "verdicts.jsonl"));

    [Fact]
    public async Task Validate_OurOwnJsonl_KeepsEveryRowByteForByte()
    {
        var output = await HarvestAsync();
        var input = Path.Combine(output, "jsonl", "train.jsonl");

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Equal(File.ReadAllBytes(input), File.ReadAllBytes(Path.Combine(Validated, "train.jsonl")));
        var verdicts = Verdicts(Validated);
        Assert.Equal(6, verdicts.Count);
        Assert.All(verdicts, v => Assert.Equal("passed", v.GetProperty("verdict").GetString()));
        Assert.Equal(3, verdicts.Count(v => v.GetProperty("tests_run").GetInt32() == 1)); // the instruct rows' tests ran again
        Assert.Contains("rows: 6 (autorefiner): passed 6; 3 of 3 tests passed", result.Output, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Validated, "report.json")));
        Assert.Equal(6, report.RootElement.GetProperty("passed").GetInt64());
        Assert.Contains("network namespace", report.RootElement.GetProperty("sandbox").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_OurOwnParquet_KeepsEveryRowWithTheSameValues()
    {
        var output = await HarvestAsync();
        var input = Directory.GetFiles(Path.Combine(output, "data"), "train-*.parquet").Single();

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var before = await ReadRowsAsync(input);
        var after = await ReadRowsAsync(Path.Combine(Validated, Path.GetFileName(input)));
        Assert.Equal(6, after.Count);
        Assert.Equal(before.Select(Key), after.Select(Key));
    }

    private static string Key(Exporter.DatasetRow r) =>
        JsonSerializer.Serialize(new object[] { r.Id, r.Task, r.Instruction, r.Response, r.Tests, r.Messages.Select(m => m.Role + ":" + m.Content), r.SourceUrl, r.TestsRun, r.CreatedAt });

    private static async Task<List<Exporter.DatasetRow>> ReadRowsAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        return [.. (await ParquetSerializer.DeserializeAsync<Exporter.DatasetRow>(stream)).Data];
    }

    [Fact]
    public async Task Validate_PlantedBadRows_AreRejectedAndTheGoodOnesKept()
    {
        var output = await HarvestAsync();
        var input = Path.Combine(output, "jsonl", "train.jsonl");
        var lines = File.ReadAllLines(input).ToList();
        var instruct = JsonNode.Parse(lines.First(l => l.Contains("\"task\":\"instruct\"", StringComparison.Ordinal)))!.AsObject();
        var broken = instruct.DeepClone().AsObject();
        broken["id"] = "planted-compile-error";
        broken["response"] = "Here:\n\n```csharp\npublic static class Broken { public static int F() => undefinedName; }\n```";
        var failing = instruct.DeepClone().AsObject();
        failing["id"] = "planted-failing-test";
        failing["tests"] = failing["tests"]!.GetValue<string>().Replace("Assert.Equal(", "Assert.Equal(1 + ", StringComparison.Ordinal);
        var planted = _dir.Write("planted.jsonl", string.Join("\n", lines.Take(2).Append(broken.ToJsonString()).Append(failing.ToJsonString()).Append("{not json").Concat(lines.Skip(2))) + "\n");

        var result = await CliRunner.RunAsync(["validate", planted, "--out", Validated]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(lines, File.ReadAllLines(Path.Combine(Validated, "planted.jsonl")));
        var verdicts = Verdicts(Validated);
        Assert.Equal(9, verdicts.Count);
        var byRow = verdicts.ToDictionary(v => v.GetProperty("row").GetInt64());
        Assert.Equal("compile-error", byRow[2].GetProperty("verdict").GetString());
        Assert.Contains("error CS0103", byRow[2].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("planted-compile-error", byRow[2].GetProperty("id").GetString());
        Assert.Equal("test-failed", byRow[3].GetProperty("verdict").GetString());
        Assert.Contains("Assert.Equal() Failure", byRow[3].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("unparseable", byRow[4].GetProperty("verdict").GetString());
        Assert.Contains("line 5 is not JSON", byRow[4].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_CommonLayouts_AreRead()
    {
        const string Solution = "public static class Calc { public static int Add(int a, int b) => a + b; }";
        const string Tests = "public class CalcTests { [Fact] public void Adds() => Assert.Equal(3, Calc.Add(1, 2)); }";
        string Fence(string code) => $"```csharp\n{code}\n```";
        var rows = new JsonObject[]
        {
            new() { ["messages"] = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = "be good" }, new JsonObject { ["role"] = "user", ["content"] = "Write Calc." }, new JsonObject { ["role"] = "assistant", ["content"] = Fence(Solution) }) },
            new() { ["instruction"] = "Write Calc with tests.", ["input"] = "", ["output"] = Fence(Solution) + "\n\nTests:\n\n" + Fence(Tests) },
            new() { ["prompt"] = "Write Calc.", ["completion"] = Fence(Solution.Replace("a + b", "a - b", StringComparison.Ordinal)), ["tests"] = Tests },
            new() { ["conversations"] = new JsonArray(new JsonObject { ["from"] = "human", ["value"] = "Print hello." }, new JsonObject { ["from"] = "gpt", ["value"] = Fence("Console.WriteLine(\"hello\");") }) },
            new() { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Write it." }, new JsonObject { ["role"] = "assistant", ["content"] = "I would rather not." }) },
            new() { ["question"] = "?", ["answer"] = "!" },
            new() { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Open a socket." }, new JsonObject { ["role"] = "assistant", ["content"] = Fence("public static class Net { public static void Go() { using var c = new System.Net.Sockets.TcpClient(); } }") + "\n" + Fence("public class NetTests { [Fact] public void Goes() => Net.Go(); }") }) },
        };
        var input = _dir.Write("mixed.jsonl", string.Join("\n", rows.Select(r => r.ToJsonString())) + "\n");

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated]);

        Assert.Equal(0, result.ExitCode);
        var verdicts = Verdicts(Validated).Select(v => v.GetProperty("verdict").GetString()).ToList();
        Assert.Equal(["passed", "passed", "test-failed", "passed", "unparseable", "unparseable", "banned-api"], verdicts);
        Assert.Contains("no known layout", Verdicts(Validated)[5].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(Validated, "mixed.jsonl")).Length);
        Assert.Equal(1, Verdicts(Validated)[1].GetProperty("tests_run").GetInt32()); // tests found in the response's own blocks
    }

    [Fact]
    public async Task Validate_IntoAFolderItWroteBefore_KnowsEveryEarlierCopyAsItsOwn()
    {
        var output = await HarvestAsync();
        var a = _dir.Write("a.jsonl", File.ReadAllText(Path.Combine(output, "jsonl", "train.jsonl")));
        var b = _dir.Write("b.jsonl", File.ReadAllText(Path.Combine(output, "jsonl", "train.jsonl")).Replace("\n", "\r\n", StringComparison.Ordinal));

        foreach (var input in new[] { a, b, a })
        {
            var result = await CliRunner.RunAsync(["validate", input, "--out", Validated]);
            Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        }

        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Validated, "report.json")));
        var files = report.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["a.jsonl", "b.jsonl", "report.json", "verdicts.jsonl"], files);
        Assert.Equal(File.ReadAllBytes(b), File.ReadAllBytes(Path.Combine(Validated, "b.jsonl")));
    }

    [Fact]
    public async Task Validate_IntoAHarvestDatasetFolder_IsRefused()
    {
        var output = await HarvestAsync();
        var input = _dir.Write("a.jsonl", File.ReadAllText(Path.Combine(output, "jsonl", "train.jsonl")));
        var before = Directory.GetFiles(output, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

        var result = await CliRunner.RunAsync(["validate", input, "--out", output]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("holds an AutoRefiner dataset", result.Errors, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(output, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Validate_Cancelled_LeavesThePreviousResultsAsTheyWere()
    {
        var output = await HarvestAsync();
        var input = Path.Combine(output, "jsonl", "train.jsonl");
        var big = _dir.Write("big.jsonl", string.Concat(Enumerable.Repeat(File.ReadAllText(input), 60)));
        Assert.Equal(0, (await CliRunner.RunAsync(["validate", big, "--out", Validated])).ExitCode);
        var before = File.ReadAllBytes(Path.Combine(Validated, "verdicts.jsonl"));

        // Cancelled once the second run has written verdicts of its own (wherever it writes them), not at a set time.
        bool Wrote() => Directory.EnumerateFiles(Validated, "verdicts.jsonl", SearchOption.AllDirectories)
            .Any(f => { try { var now = File.ReadAllBytes(f); return now.Length > 0 && !now.AsSpan().SequenceEqual(before); } catch (IOException) { return false; } });
        using var cancel = new CancellationTokenSource();
        var run = Task.Run(() => CliRunner.RunAsync(["validate", big, "--out", Validated], cancel.Token));
        while (!run.IsCompleted && !Wrote())
        {
            await Task.Delay(5);
        }

        await cancel.CancelAsync();
        var stopped = await run;

        Assert.True(stopped.ExitCode == 130, $"exit {stopped.ExitCode}: the run ended before it could be cancelled");
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(Validated, "verdicts.jsonl")));
        Assert.Equal(File.ReadAllBytes(big), File.ReadAllBytes(Path.Combine(Validated, "big.jsonl")));
        Assert.Empty(Directory.GetDirectories(Validated));
    }

    public sealed class BlobRow
    {
        [System.Text.Json.Serialization.JsonPropertyName("prompt")]
        public string Prompt { get; set; } = "";

        [System.Text.Json.Serialization.JsonPropertyName("completion")]
        public string Completion { get; set; } = "";

        [System.Text.Json.Serialization.JsonPropertyName("blob")]
        public byte[] Blob { get; set; } = [];
    }

    [Fact]
    public async Task Validate_AParquetFileWithABinaryColumn_KeepsItsRows()
    {
        var input = _dir.Combine("blob.parquet");
        await using (var stream = File.Create(input))
        {
            await ParquetSerializer.SerializeAsync(
                new[] { new BlobRow { Prompt = "Write C.", Completion = "```csharp\npublic class C { }\n```", Blob = [1, 2, 3] } },
                stream);
        }

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        await using var kept = File.OpenRead(Path.Combine(Validated, "blob.parquet"));
        var rows = await ParquetSerializer.DeserializeAsync<BlobRow>(kept);
        Assert.Equal([1, 2, 3], Assert.Single(rows.Data).Blob);
    }

    [Fact]
    public async Task Validate_Mistakes_AreUsageErrors()
    {
        var missing = await CliRunner.RunAsync(["validate", _dir.Combine("nope.jsonl")]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Errors, StringComparison.Ordinal);

        var input = _dir.Write("data/rows.jsonl", "{\"prompt\":\"a\",\"completion\":\"b\"}\n");
        var overwrite = await CliRunner.RunAsync(["validate", input, "--out", _dir.Combine("data")]);
        Assert.Equal(2, overwrite.ExitCode);
        Assert.Contains("would overwrite the input file", overwrite.Errors, StringComparison.Ordinal);

        var inFile = await CliRunner.RunAsync(["validate", input, "--out", Path.Combine(input, "sub")]);
        Assert.Equal(2, inFile.ExitCode);
        Assert.Contains("which is a file", inFile.Errors, StringComparison.Ordinal);

        var corrupt = _dir.Write("bad.parquet", "PAR1 this is not parquet");
        var bad = await CliRunner.RunAsync(["validate", corrupt, "--out", Validated]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("is not a readable Parquet file", bad.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_AnEmptyFile_SaysSoAndWritesAnEmptyResult()
    {
        var input = _dir.Write("empty.jsonl", "");

        var result = await CliRunner.RunAsync(["validate", input, "--out", Validated]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Contains("rows: 0 (the file holds no rows)", result.Output, StringComparison.Ordinal);
        Assert.Equal("", File.ReadAllText(Path.Combine(Validated, "empty.jsonl")));
        Assert.Equal("", File.ReadAllText(Path.Combine(Validated, "verdicts.jsonl")));
    }
}
