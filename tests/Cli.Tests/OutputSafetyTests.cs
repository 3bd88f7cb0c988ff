using System.Text.Json;
using AutoRefiner.Core.State;
using AutoRefiner.State;

namespace AutoRefiner.Cli.Tests;

/// <summary>Nothing lost, nothing leaked: what a run may replace in its destination, and which destinations it refuses.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OutputSafetyTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Out => _dir.Combine("out");

    private string Source => _dir.Combine("src");

    private string State => _dir.Combine("state.db");

    private void WriteSampleTree()
    {
        _dir.Write("src/Words.cs", """
            namespace Sample.Text;

            public static class Words
            {
                private const char Space = ' ';

                /// <summary>Counts the runs of non-space characters in a text; repeated or leading spaces make no empty word.</summary>
                public static int Count(string text) => text.Split(Space, StringSplitOptions.RemoveEmptyEntries).Length;

                /// <summary>Capitalises the first letter of each word.</summary>
                public static string Title(string text) =>
                    string.Join(Space, text.Split(Space).Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

                /// <summary>Reverses the order of the space-separated words; double spaces keep their empty entries.</summary>
                public static string Reverse(string text) => string.Join(Space, text.Split(Space).Reverse());
            }
            """);
    }

    private async Task<CliRunner.Result> HarvestAsync(string source, params string[] more) =>
        await CliRunner.RunAsync(["harvest", "--source", source, "--out", Out, "--state", State, .. more]);

    private async Task HarvestSampleAsync()
    {
        WriteSampleTree();
        var first = await HarvestAsync(Source);
        Assert.True(first.ExitCode == 0, first.Output + first.Errors);
        Assert.Equal(3, CliRunner.ReadAllJsonlRows(Out).Count);
    }

    private SortedDictionary<string, string> Snapshot() => new(
        Directory.GetFiles(Out, "*", SearchOption.AllDirectories).ToDictionary(
            p => Path.GetRelativePath(Out, p).Replace('\\', '/'),
            p => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(p)))),
        StringComparer.Ordinal);

    [Fact]
    public async Task Harvest_NoRowsOverAnExistingDataset_KeepsItAndExitsOne()
    {
        await HarvestSampleAsync();
        var before = Snapshot();
        Directory.CreateDirectory(_dir.Combine("empty"));

        var result = await HarvestAsync(_dir.Combine("empty"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("produced no rows", result.Errors, StringComparison.Ordinal);
        Assert.Contains("(3 rows) was kept", result.Errors, StringComparison.Ordinal);
        Assert.Contains("--allow-empty", result.Errors, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
        Assert.Empty(Directory.GetDirectories(Out, ".staging-*"));
    }

    [Fact]
    public async Task Harvest_NoRowsWithAllowEmpty_ReplacesTheDataset()
    {
        await HarvestSampleAsync();
        Directory.CreateDirectory(_dir.Combine("empty"));

        var result = await HarvestAsync(_dir.Combine("empty"), "--allow-empty");

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Contains("wrote 0 rows", result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Out, "jsonl")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "manifest.json")));
        Assert.Equal(0, manifest.RootElement.GetProperty("counts").GetProperty("files").GetInt64());
    }

    [Fact]
    public async Task Harvest_UnreadableSource_IsAnErrorNamingItAndKeepsTheDataset()
    {
        await HarvestSampleAsync();
        var before = Snapshot();
        var locked = FileSystemFaults.UnreadableFolder(_dir);
        try
        {
            var result = await HarvestAsync(locked);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"source '{locked}' cannot be read", result.Errors, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", result.Errors, StringComparison.Ordinal);
            Assert.Equal(before, Snapshot());
        }
        finally
        {
            if (locked.StartsWith(_dir.Path, StringComparison.Ordinal))
            {
                File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    [Fact]
    public async Task Harvest_UsersOwnFilesInTheOutput_SurviveAndAreNotListedAsWritten()
    {
        await HarvestSampleAsync();
        string[] mine = ["data/mynotes.txt", "data/sub/y.txt", "jsonl/extra.jsonl", "photos/a.jpg", "thesis.txt"];
        foreach (var file in mine)
        {
            _dir.Write("out/" + file, "mine: " + file);
        }

        var result = await HarvestAsync(Source);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        foreach (var file in mine)
        {
            Assert.Equal("mine: " + file, File.ReadAllText(Path.Combine(Out, file)));
            Assert.DoesNotContain(file, result.Output, StringComparison.Ordinal);
        }

        Assert.Contains("  jsonl/train.jsonl (", result.Output, StringComparison.Ordinal);
        Assert.Contains("  manifest.json (", result.Output, StringComparison.Ordinal);
        Assert.Contains("  report.html (", result.Output, StringComparison.Ordinal);
        Assert.Equal(3, CliRunner.ReadJsonl(Path.Combine(Out, "jsonl", "train.jsonl")).Count);
    }

    [Fact]
    public async Task Harvest_AfterAFirstRun_RemovesTheFilesOfThePreviousRunItNoLongerWrites()
    {
        await HarvestSampleAsync();

        // A previous run that wrote more shards: its manifest lists them, so they are the tool's to remove.
        var stale = _dir.Write("out/data/train-00001-of-00002.parquet", "stale");
        var manifestPath = Path.Combine(Out, "manifest.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!;
        manifest["files"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["path"] = "data/train-00001-of-00002.parquet" });
        File.WriteAllText(manifestPath, manifest.ToJsonString());

        var result = await HarvestAsync(Source);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.False(File.Exists(stale));
        Assert.Single(Directory.GetFiles(Path.Combine(Out, "data")));
    }

    [Fact]
    public async Task Harvest_RunThatFailsAtItsLastStep_IsRecordedFailedNotCompleted()
    {
        await HarvestSampleAsync();

        // The report now goes out with the data, so nothing is left to fail after publishing; the last step that can fail
        // is the export's own check: a run without rows must not replace a dataset that has some.
        var empty = _dir.Combine("empty");
        Directory.CreateDirectory(empty);

        var result = await HarvestAsync(empty);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("this run produced no rows", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Errors, StringComparison.Ordinal);
        using var state = StateStore.Open(State);
        Assert.Equal(2, state.Runs.RunCount());
        Assert.Equal(1, state.Runs.LastCompletedRun(long.MaxValue)!.Id);
    }

    [Fact]
    public async Task Validate_IntoAFolderHoldingTheUsersVerdicts_IsRefusedLikeHarvest()
    {
        await HarvestSampleAsync();
        var validated = _dir.Combine("validated");
        var verdicts = _dir.Write("validated/verdicts.jsonl", "my own verdicts\n");

        var result = await CliRunner.RunAsync(["validate", Path.Combine(Out, "jsonl", "train.jsonl"), "--out", validated]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("holds verdicts.jsonl but no AutoRefiner report.json", result.Errors, StringComparison.Ordinal);
        Assert.Equal("my own verdicts\n", File.ReadAllText(verdicts));
    }

    [Fact]
    public async Task Validate_Twice_ReplacesItsOwnResults()
    {
        await HarvestSampleAsync();
        var validated = _dir.Combine("validated");
        string[] args = ["validate", Path.Combine(Out, "jsonl", "train.jsonl"), "--out", validated];

        var first = await CliRunner.RunAsync(args);
        var second = await CliRunner.RunAsync(args);

        Assert.True(first.ExitCode == 0, first.Output + first.Errors);
        Assert.True(second.ExitCode == 0, second.Output + second.Errors);
        Assert.Equal(3, CliRunner.ReadJsonl(Path.Combine(validated, "verdicts.jsonl")).Count);
    }

    [Fact]
    public async Task Harvest_OutIsTheRoot_IsRefusedBeforeAnyWork()
    {
        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("nowhere"), "--out", "/", "--state", State]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out '/' is the root of the file system", result.Errors, StringComparison.Ordinal);
        Assert.False(File.Exists(State));
    }

    [Fact]
    public async Task Harvest_OutIsOrContainsTheSourceFolder_IsRefused()
    {
        WriteSampleTree();
        var before = Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

        var same = await CliRunner.RunAsync(["harvest", "--source", Source, "--out", Source, "--state", State]);
        var above = await CliRunner.RunAsync(["harvest", "--source", Source, "--out", _dir.Path, "--state", State]);

        Assert.Equal(2, same.ExitCode);
        Assert.Contains("is the source folder", same.Errors, StringComparison.Ordinal);
        Assert.Equal(2, above.ExitCode);
        Assert.Contains("contains the source folder", above.Errors, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(_dir.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Harvest_OutIsANonEmptyFolderWithoutOurManifest_IsRefused()
    {
        WriteSampleTree();
        _dir.Write("shared/other-project/Program.cs", "class P { }");
        _dir.Write("shared/notes.txt", "mine");

        var result = await CliRunner.RunAsync(["harvest", "--source", Source, "--out", _dir.Combine("shared"), "--state", State]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not empty (notes.txt, other-project)", result.Errors, StringComparison.Ordinal);
        Assert.Equal(["notes.txt", "other-project"], Directory.GetFileSystemEntries(_dir.Combine("shared")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(".ssh/out")]
    [InlineData(".config/autorefiner")]
    [InlineData(".dotnet")]
    public async Task Harvest_OutInAHiddenFolderOfHome_IsRefused(string underHome)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("nowhere"), "--out", Path.Combine(home, underHome), "--state", State]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("a hidden folder of your home", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_StateInASystemFolder_IsRefusedAndNothingIsCreatedThere()
    {
        WriteSampleTree();

        var result = await CliRunner.RunAsync(["harvest", "--source", Source, "--out", Out, "--state", "/etc/autorefiner-test-state.db"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--state '/etc/autorefiner-test-state.db' is in a folder that is a system folder", result.Errors, StringComparison.Ordinal);
        Assert.False(File.Exists("/etc/autorefiner-test-state.db"));
        Assert.False(File.Exists("/etc/autorefiner-test-state.db.lock"));
    }

    [Fact]
    public async Task Harvest_OutIsTheHomeFolder_IsRefused()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("nowhere"), "--out", home, "--state", State]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is your home folder itself", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/proc/self/out")]
    [InlineData("/etc/autorefiner")]
    [InlineData("/usr/local/share/out")]
    [InlineData("/sys")]
    [InlineData("/var/lib/out")]
    [InlineData("/lib64/out")]
    public async Task Harvest_OutInASystemFolder_IsRefused(string outDir)
    {
        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("nowhere"), "--out", outDir, "--state", State]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("a system folder", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_OutThroughASymlinkIntoASystemFolder_IsRefused()
    {
        var link = _dir.Combine("innocent");
        Directory.CreateSymbolicLink(link, "/etc");

        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("nowhere"), "--out", Path.Combine(link, "out"), "--state", State]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("which is inside /etc, a system folder", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("merge")]
    [InlineData("report")]
    public async Task EveryWritingCommand_OutIsTheRoot_IsRefusedTheSameWay(string command)
    {
        await HarvestSampleAsync();
        string[] args = command switch
        {
            "validate" => ["validate", Path.Combine(Out, "jsonl", "train.jsonl"), "--out", "/"],
            "merge" => ["merge", Out, "--out", "/", "--state", _dir.Combine("merged.db")],
            _ => ["report", "--out", "/"],
        };

        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out '/' is the root of the file system", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_ReadOnlyOut_IsRefusedUpFrontWithASentence()
    {
        WriteSampleTree();
        using (FileSystemFaults.ReadOnlyFolder(Out))
        {
            var result = await HarvestAsync(Source);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"--out '{Out}' cannot be written to", result.Errors, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", result.Errors, StringComparison.Ordinal);
            Assert.DoesNotContain("files:", result.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(State));
        }
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("merge")]
    public async Task EveryWritingCommand_ReadOnlyOut_IsRefusedUpFront(string command)
    {
        await HarvestSampleAsync();
        var target = _dir.Combine("target");
        using (FileSystemFaults.ReadOnlyFolder(target))
        {
            string[] args = command == "validate"
                ? ["validate", Path.Combine(Out, "jsonl", "train.jsonl"), "--out", target]
                : ["merge", Out, "--out", target, "--state", _dir.Combine("merged.db")];

            var result = await CliRunner.RunAsync(args);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"--out '{target}' cannot be written to", result.Errors, StringComparison.Ordinal);
        }
    }
}
