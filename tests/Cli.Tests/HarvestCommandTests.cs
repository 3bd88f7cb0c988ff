using System.Text.Json;

namespace AutoRefiner.Cli.Tests;

public sealed class HarvestCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Out => _dir.Combine("out");

    private void WriteSampleTree()
    {
        _dir.Write("src/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        _dir.Write("src/Text/Words.cs", """
            namespace Sample.Text;

            public static class Words
            {
                private const char Space = ' ';

                /// <summary>Counts the runs of non-space characters in a text; repeated or leading spaces make no empty word.</summary>
                /// <param name="text">The text.</param>
                /// <returns>How many words it has.</returns>
                public static int Count(string text) => text.Split(Space, StringSplitOptions.RemoveEmptyEntries).Length;

                /// <summary>Capitalises the first letter of each word.</summary>
                public static string Title(string text) =>
                    string.Join(Space, text.Split(Space).Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

                /// <summary>Reverses the words — «naïve» text is fine.</summary>
                public static string Reverse(string text) => string.Join(Space, text.Split(Space).Reverse());
            }
            """);
        _dir.Write("src/Json.cs", """
            using Newtonsoft.Json;

            public static class Json
            {
                /// <summary>Serialises an object to indented JSON text, or to the literal null when there is none.</summary>
                public static string Write(object? o)
                {
                    if (o is null)
                    {
                        return "null";
                    }

                    return JsonConvert.SerializeObject(o, Formatting.Indented);
                }
            }
            """);
        _dir.Write("src/Form1.Designer.cs", "partial class Form1 { /// <summary>x</summary>\n void F() { } }");
        _dir.Write("src/obj/Debug/Gen.cs", "class Gen { }");
    }

    [Fact]
    public async Task Harvest_LocalTree_WritesTheDatasetAndExitsZero()
    {
        WriteSampleTree();

        // A state store of its own: the default one in the working folder holds other tests' seeds, whose near-duplicates would be left out here.
        var result = await CliRunner.RunAsync(["harvest", "--lang", "csharp", "--source", _dir.Combine("src"), "--out", Out, "--state", _dir.Combine("state.db")]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Errors);
        Assert.Equal(3, await CliRunner.AssertDatasetIsSoundAsync(Out));
        Assert.True(File.Exists(Path.Combine(Out, "README.md")));
        Assert.True(File.Exists(Path.Combine(Out, "rejected.jsonl")));
        Assert.Single(Directory.GetFiles(Path.Combine(Out, "data"), "train-00000-of-00001.parquet"));
        Assert.Empty(Directory.GetDirectories(Out, ".staging-*"));

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "manifest.json")));
        var counts = manifest.RootElement.GetProperty("counts");
        Assert.Equal(4, counts.GetProperty("documented_methods").GetInt64());
        Assert.Equal(3, counts.GetProperty("self_contained").GetInt64());
        Assert.Equal(0.75, counts.GetProperty("seed_yield").GetDouble());
        Assert.Equal(1, counts.GetProperty("files_skipped").GetProperty("generated").GetInt64());
        Assert.Equal(1, counts.GetProperty("seeds_rejected").GetProperty("unresolved").GetInt64());
        Assert.Equal(3, counts.GetProperty("verdicts").GetProperty("passed").GetInt64());
        Assert.Equal(0, counts.GetProperty("verdicts").GetProperty("compile-error").GetInt64());
        Assert.Contains("--source", manifest.RootElement.GetProperty("command").GetString(), StringComparison.Ordinal);

        Assert.Contains("seed yield 75.0", result.Output, StringComparison.Ordinal);
        Assert.Contains("wrote 3 rows", result.Output, StringComparison.Ordinal);
        Assert.Contains("note: no LLM is configured", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_Twice_GivesTheSameRowsAndReplacesTheOldOutput()
    {
        WriteSampleTree();
        string[] args = ["harvest", "--source", _dir.Combine("src"), "--out", Out];

        Assert.Equal(0, (await CliRunner.RunAsync(args)).ExitCode);
        var first = CliRunner.ReadAllJsonlRows(Out).Select(r => r.GetProperty("id").GetString()).ToList();
        _dir.Write("out/data/train-00000-of-00009.parquet", "stale");

        // As a previous run that wrote nine shards would have it: its manifest lists the shard, so the shard is the tool's.
        var manifestPath = Path.Combine(Out, "manifest.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!;
        manifest["files"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["path"] = "data/train-00000-of-00009.parquet" });
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        Assert.Equal(0, (await CliRunner.RunAsync(args)).ExitCode);
        var second = CliRunner.ReadAllJsonlRows(Out).Select(r => r.GetProperty("id").GetString()).ToList();

        Assert.Equal(first, second);
        Assert.False(File.Exists(Path.Combine(Out, "data", "train-00000-of-00009.parquet")));
    }

    [Fact]
    public async Task Harvest_Limit_StopsAfterThatManySeeds()
    {
        WriteSampleTree();

        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("src"), "--out", Out, "--limit", "1"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, await CliRunner.AssertDatasetIsSoundAsync(Out));
    }

    [Fact]
    public async Task Harvest_EmptyTree_ExitsZeroWithAnEmptyDatasetAndSaysSo()
    {
        Directory.CreateDirectory(_dir.Combine("empty"));

        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("empty"), "--out", Out]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("no C# files found", result.Output, StringComparison.Ordinal);
        Assert.Contains("wrote 0 rows", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Out, "README.md")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "manifest.json")));
        Assert.Equal(0, manifest.RootElement.GetProperty("counts").GetProperty("files").GetInt64());
    }

    [Fact]
    public async Task Harvest_UnsupportedLanguage_IsExitTwoListingTheSupportedOnes()
    {
        var result = await CliRunner.RunAsync(["harvest", "--lang", "python", "--source", _dir.Path, "--out", Out]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--lang 'python' is not supported; supported languages: csharp", result.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public async Task Harvest_MissingSourcePath_IsExitTwoNamingIt()
    {
        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("nope"), "--out", Out]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"source '{_dir.Combine("nope")}' does not exist", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_NoSourcesAtAll_IsExitTwo()
    {
        var config = _dir.Write("harvest.yml", "sources:\n  local: []\n");

        var result = await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no sources to harvest", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sources:\n  local: [src]\n  github: {query: x\n", "harvest.yml:3: sources.github: not valid YAML: the '{' on this line is never closed")]
    [InlineData("lang: csharp\nsource:\n  local: [src]\n", "harvest.yml:2: source: unknown key; did you mean 'sources'?")]
    [InlineData("export:\n  test-split: half\n", "harvest.yml:2: export.test-split: must be a number, not 'half'")]
    [InlineData("export:\n  formats: [parquet, csv]\n", "harvest.yml:2: export.formats[1]: 'csv' is not one of parquet, jsonl")]
    public async Task Harvest_BadConfig_IsExitTwoNamingFileLineAndKey(string yaml, string expected)
    {
        var config = _dir.Write("harvest.yml", yaml);
        Directory.CreateDirectory(_dir.Combine("src"));

        var result = await CliRunner.RunAsync(["harvest", "--config", config, "--out", Out]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(_dir.Path, result.Errors, StringComparison.Ordinal);
        Assert.Contains(expected, result.Errors.Replace(_dir.Path + "/", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_ConfigSourcesAndOut_AreRelativeToTheConfigFile()
    {
        WriteSampleTree();
        var config = _dir.Write("harvest.yml", "sources:\n  local: [src]\nexport:\n  out: dataset\n  formats: [jsonl]\n");

        var result = await CliRunner.RunAsync(["harvest", "--config", config]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, CliRunner.ReadAllJsonlRows(_dir.Combine("dataset")).Count);
        Assert.False(Directory.Exists(_dir.Combine("dataset/data")));
    }

    [Fact]
    public async Task Harvest_MissingConfigFile_IsExitTwo()
    {
        var result = await CliRunner.RunAsync(["harvest", "--config", _dir.Combine("missing.yml")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--limit", "0")]
    [InlineData("--limit", "many")]
    [InlineData("--frobnicate", "1")]
    public async Task Harvest_BadOptions_AreExitTwo(string option, string value)
    {
        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Path, option, value]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error:", result.Errors.TrimStart(), StringComparison.Ordinal);
        Assert.DoesNotContain("Nullable`1", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_UnknownCommand_IsExitTwo()
    {
        Assert.Equal(2, (await CliRunner.RunAsync(["harvset"])).ExitCode);
    }

    [Fact]
    public async Task Harvest_Cancelled_IsExit130AndLeavesThePreviousDatasetUntouched()
    {
        WriteSampleTree();
        Assert.Equal(0, (await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("src"), "--out", Out])).ExitCode);
        var previous = Path.Combine(Out, "README.md");
        var card = File.ReadAllText(previous);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("src"), "--out", Out], cts.Token);

        Assert.Equal(130, result.ExitCode);
        Assert.Contains("cancelled", result.Errors, StringComparison.Ordinal);
        Assert.Equal(card, File.ReadAllText(previous));
        Assert.Empty(Directory.GetDirectories(Out, ".staging-*"));
    }

    [Fact]
    public async Task Harvest_OutIntoAProjectFolder_IsExitTwoAndItsReadmeSurvives()
    {
        WriteSampleTree();
        var readme = _dir.Write("proj/README.md", "# my project");

        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("src"), "--out", _dir.Combine("proj")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no AutoRefiner manifest.json", result.Errors, StringComparison.Ordinal);
        Assert.Equal("# my project", File.ReadAllText(readme));
    }

    [Fact]
    public async Task Harvest_OutputInsideAFile_IsAUsageErrorNamingTheFile()
    {
        WriteSampleTree();
        var file = _dir.Write("not-a-dir", "x");

        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("src"), "--out", Path.Combine(file, "out")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"is inside '{file}', which is a file", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Errors, StringComparison.Ordinal);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public async Task Harvest_CancelledMidRun_IsExit130AndLeavesNoPartialOutput()
    {
        for (var i = 0; i < 400; i++)
        {
            _dir.Write($"big/F{i}.cs", $"public static class C{i}\n{{\n    private const int K = {i};\n\n    /// <summary>Returns the argument plus {i}; the sum wraps round on overflow.</summary>\n    public static int Add(int x) => x + K;\n\n    /// <summary>Multiplies the argument by {i}, wrapping round on overflow.</summary>\n    public static int Scale(int x) => x * K;\n}}\n");
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(600));

        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("big"), "--out", Out], cts.Token);

        Assert.Equal(130, result.ExitCode);
        Assert.False(File.Exists(Path.Combine(Out, "manifest.json")));
        Assert.Empty(Directory.Exists(Out) ? Directory.GetFileSystemEntries(Out) : []);
    }

    [Fact]
    public async Task Harvest_OutIsAFile_IsExitTwo()
    {
        WriteSampleTree();
        var file = _dir.Write("dataset.parquet", "x");

        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("src"), "--out", file]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is a file; give a folder", result.Errors, StringComparison.Ordinal);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public async Task Harvest_StagingLeftByADeadRun_IsRemoved()
    {
        WriteSampleTree();
        Assert.Equal(0, (await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("src"), "--out", Out])).ExitCode);
        var abandoned = Directory.CreateDirectory(Path.Combine(Out, $".staging-{int.MaxValue}-0123")).FullName;

        Assert.Equal(0, (await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("src"), "--out", Out])).ExitCode);

        Assert.False(Directory.Exists(abandoned));
    }

    [Fact]
    public async Task Harvest_ManifestAndCard_NameSourcesAsGivenAndHashIgnoresTheOutputFolder()
    {
        WriteSampleTree();
        var config = _dir.Write("harvest.yml", "sources:\n  local: [src]\n");

        Assert.Equal(0, (await CliRunner.RunAsync(["harvest", "--config", config, "--out", _dir.Combine("a")])).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(["harvest", "--config", config, "--out", _dir.Combine("b")])).ExitCode);

        using var a = JsonDocument.Parse(File.ReadAllText(_dir.Combine("a/manifest.json")));
        using var b = JsonDocument.Parse(File.ReadAllText(_dir.Combine("b/manifest.json")));
        Assert.Equal(a.RootElement.GetProperty("config_hash").GetString(), b.RootElement.GetProperty("config_hash").GetString());
        Assert.Equal(["src"], a.RootElement.GetProperty("sources").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("- Sources: `src`\n", File.ReadAllText(_dir.Combine("a/README.md")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--out", "--out needs a value")]
    [InlineData("--source", "--source needs a value")]
    [InlineData("--state", "--state needs a value")]
    public async Task Harvest_OptionWithoutItsValue_IsExitTwo(string option, string expected)
    {
        WriteSampleTree();

        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("src"), option]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Directory.GetCurrentDirectory(), "__default_command")));
    }

    [Fact]
    public async Task Harvest_EmptySource_IsExitTwo()
    {
        var result = await CliRunner.RunAsync(["harvest", "--source", "", "--out", Out]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--source is empty", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_CredentialsInASourceUrl_AreNeverPrinted()
    {
        const string secret = "ghp_URL0SECRET0in0a0source";

        var result = await CliRunner.RunAsync(["harvest", "--source", $"https://x:{secret}@example.com/a/b/c", "--out", Out]);

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain(secret, result.Output + result.Errors, StringComparison.Ordinal);
    }
}
