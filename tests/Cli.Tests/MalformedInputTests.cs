namespace AutoRefiner.Cli.Tests;

/// <summary>
/// What a hostile new user gets for each mistake, command by command: the exit code the README promises and a sentence
/// that names the cause — never an exception type, a stack trace or a .NET namespace.
/// </summary>
public sealed class MalformedInputTests : IDisposable
{
    private readonly TempDir _dir = new();

    public MalformedInputTests()
    {
        _dir.Write("tab.yml", "lang: csharp\nsources:\n\tlocal: [src]\n");
        _dir.Write("folder/.keep", "");
        _dir.Write("rows.jsonl", "{\"prompt\":\"a\",\"completion\":\"b\"}\n");
        _dir.Write("table.csv", "prompt,completion\na,b\n");
        _dir.Write("cut.parquet", "PAR1 and then nothing a Parquet reader could use");
        _dir.Write("no-manifest/data.txt", "");
        _dir.Write("bad-manifest/manifest.json", "{\"tool\": 5}");
        _dir.Write("torn-manifest/manifest.json", "{\"tool\": \"autorefiner\",");
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>argv (with <c>{dir}</c> for the scratch folder), the exit code, and a fragment of the sentence on stderr.</summary>
    public static TheoryData<string, string[], int, string> Cases => new()
    {
        // Any command.
        { "no command", [], 2, "error: no command given" },
        { "unknown command", ["frobnicate"], 2, "Unknown command 'frobnicate'" },

        // harvest
        { "harvest: unknown option", ["harvest", "--bogus"], 2, "Unknown option 'bogus'" },
        { "harvest: option without value", ["harvest", "--limit"], 2, "--limit needs a value" },
        { "harvest: --limit not a number", ["harvest", "--limit", "abc"], 2, "--limit takes a whole number of seeds from 1 to 2147483647, not 'abc'" },
        { "harvest: --limit zero", ["harvest", "--limit", "0"], 2, "--limit takes a whole number of seeds" },
        { "harvest: --limit too large", ["harvest", "--limit", "99999999999"], 2, "not '99999999999'" },
        { "harvest: --shard out of range", ["harvest", "--shard", "3/3"], 2, "--shard takes i/n with 0 <= i < n" },
        { "harvest: --shard not a fraction", ["harvest", "--shard", "x"], 2, "--shard takes i/n" },
        { "harvest: --lang unsupported", ["harvest", "--lang", "cobol"], 2, "--lang 'cobol' is not supported; supported languages: csharp" },
        { "harvest: --source empty", ["harvest", "--source", ""], 2, "--source is empty" },
        { "harvest: --source missing", ["harvest", "--source", "{dir}/missing", "--out", "{dir}/out"], 2, "source '{dir}/missing' does not exist" },
        { "harvest: --config missing", ["harvest", "--config", "{dir}/nope.yml"], 2, "--config '{dir}/nope.yml' does not exist" },
        { "harvest: --config a folder", ["harvest", "--config", "{dir}/folder"], 2, "is a folder; give the configuration file" },
        { "harvest: --config with a tab", ["harvest", "--config", "{dir}/tab.yml"], 2, "tab.yml:3: sources.local: is indented with a tab" },

        // refresh
        { "refresh: unknown option", ["refresh", "--bogus"], 2, "Unknown option 'bogus'" },
        { "refresh: option without value", ["refresh", "--shard"], 2, "--shard needs a value" },
        { "refresh: --limit not a number", ["refresh", "--limit", "-5"], 2, "--limit takes a whole number of seeds" },
        { "refresh: --config with a tab", ["refresh", "--config", "{dir}/tab.yml"], 2, "tab.yml:3: sources.local: is indented with a tab" },
        { "refresh: --config missing", ["refresh", "--config", "{dir}/nope.yml"], 2, "does not exist" },

        // validate
        { "validate: no file", ["validate"], 2, "missing required argument 'FILE'" },
        { "validate: two files", ["validate", "{dir}/rows.jsonl", "{dir}/rows.jsonl"], 2, "Could not match" },
        { "validate: missing file", ["validate", "{dir}/nope.jsonl"], 2, "'{dir}/nope.jsonl' does not exist" },
        { "validate: a folder as the file", ["validate", "{dir}/folder"], 2, "is a folder; give a .jsonl or .parquet file" },
        { "validate: a CSV file", ["validate", "{dir}/table.csv", "--out", "{dir}/v"], 2, "is neither JSON Lines" },
        { "validate: a cut-short Parquet file", ["validate", "{dir}/cut.parquet", "--out", "{dir}/v"], 2, "is not a readable Parquet file" },
        { "validate: --limit zero", ["validate", "{dir}/rows.jsonl", "--limit", "0"], 2, "--limit takes a whole number of rows" },
        { "validate: option without value", ["validate", "{dir}/rows.jsonl", "--limit"], 2, "--limit needs a value" },
        { "validate: --out empty", ["validate", "{dir}/rows.jsonl", "--out", ""], 2, "--out is empty" },
        { "validate: --config with a tab", ["validate", "{dir}/rows.jsonl", "--config", "{dir}/tab.yml"], 2, "tab.yml:3: sources.local: is indented with a tab" },

        // push
        { "push: unknown option", ["push", "--bogus"], 2, "Unknown option 'bogus'" },
        { "push: --repo without value", ["push", "--repo"], 2, "--repo needs a value" },
        { "push: --out missing", ["push", "--repo", "me/data", "--out", "{dir}/none"], 2, "'{dir}/none' does not exist" },

        // merge
        { "merge: no folder", ["merge"], 2, "missing required argument 'DIR'" },
        { "merge: folder missing", ["merge", "{dir}/none", "--out", "{dir}/m"], 2, "'{dir}/none' is not a folder" },
        { "merge: not an output folder", ["merge", "{dir}/no-manifest", "--out", "{dir}/m"], 2, "no-manifest is not an AutoRefiner output folder (it has no manifest.json)" },
        { "merge: a manifest with a wrong type", ["merge", "{dir}/bad-manifest", "--out", "{dir}/m"], 2, "manifest.json is not a manifest AutoRefiner can read: a value has the wrong type (at $.tool" },
        { "merge: a cut-short manifest", ["merge", "{dir}/torn-manifest", "--out", "{dir}/m"], 2, "manifest.json is not a manifest AutoRefiner can read" },
        { "merge: --out among the inputs", ["merge", "{dir}/no-manifest", "--out", "{dir}/no-manifest"], 2, "is one of the folders being merged" },

        // report
        { "report: unknown option", ["report", "--bogus"], 2, "Unknown option 'bogus'" },
        { "report: --out missing", ["report", "--out", "{dir}/none"], 2, "'{dir}/none' does not exist" },
        { "report: not an output folder", ["report", "--out", "{dir}/no-manifest"], 2, "is not an AutoRefiner output folder" },
        { "report: a manifest with a wrong type", ["report", "--out", "{dir}/bad-manifest"], 2, "is not an AutoRefiner output folder (it has no AutoRefiner manifest.json)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Command_MalformedInput_ExitsWithASentenceAndNoInternals(string name, string[] argv, int exitCode, string fragment)
    {
        var args = argv.Select(a => a.Replace("{dir}", _dir.Path, StringComparison.Ordinal)).ToArray();
        if (args is ["harvest" or "refresh", ..] && !args.Contains("--state"))
        {
            // Its own state store: the default one is shared with other test classes running at the same time, and a
            // held lock would answer before the input under test is judged.
            args = [.. args, "--state", System.IO.Path.Combine(_dir.Path, "state", $"{Guid.NewGuid():N}.db")];
        }

        var result = await CliRunner.RunAsync(args);

        Assert.True(result.ExitCode == exitCode, $"{name}: exit {result.ExitCode}, expected {exitCode}\n{result.Output}{result.Errors}");
        Assert.Contains(fragment.Replace("{dir}", _dir.Path, StringComparison.Ordinal), result.Errors, StringComparison.Ordinal);
        foreach (var text in new[] { result.Output, result.Errors })
        {
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
            Assert.DoesNotContain("at AutoRefiner.", text, StringComparison.Ordinal);
            Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NoCommand_PrintsTheHelpToStandardErrorAndExits2()
    {
        var result = await CliRunner.RunAsync([]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("USAGE:", result.Errors, StringComparison.Ordinal);
        Assert.Contains("validate <FILE>", result.Errors, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_AskedFor_ExitsZero(string flag)
    {
        var result = await CliRunner.RunAsync([flag]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("USAGE:", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("harvest")]
    [InlineData("refresh")]
    [InlineData("validate")]
    [InlineData("push")]
    [InlineData("merge")]
    [InlineData("report")]
    public async Task Help_EveryLine_HasNoTrailingSpace(params string[] command)
    {
        var result = await CliRunner.RunAsync([.. command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n');
        Assert.True(lines.Length > 5, result.Output);
        Assert.All(lines, line => Assert.False(line.EndsWith(' '), $"trailing space in help: '{line}'"));
    }
}
