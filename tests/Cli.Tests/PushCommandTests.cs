using AutoRefiner.Exporter.Tests.Hub;

namespace AutoRefiner.Cli.Tests;

/// <summary>`autorefiner push` against the fake Hub named by HF_ENDPOINT.</summary>
[Collection(nameof(GitHubEnvironment))]
public sealed class PushCommandTests : IAsyncLifetime
{
    private const string Token = "hf_cliPushToken0000000000000000000000000";
    private readonly TempDir _dir = new();
    private readonly FakeHubServer _hub = new();

    public Task InitializeAsync()
    {
        _hub.Tokens[Token] = true;
        _hub.Tokens["hf_readOnly00000000000000000000000000000"] = false;
        Environment.SetEnvironmentVariable("HF_ENDPOINT", _hub.Endpoint.ToString());
        Environment.SetEnvironmentVariable("HF_TOKEN", Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("HF_ENDPOINT", null);
        Environment.SetEnvironmentVariable("HF_TOKEN", null);
        await _hub.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<string> HarvestAsync()
    {
        _dir.Write("src/A.cs", "public static class A\n{\n    /// <summary>One.</summary>\n    public static int One() => 1;\n\n    /// <summary>Two.</summary>\n    public static int Two() => 2;\n}\n");
        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("src"), "--out", _dir.Combine("out"), "--state", _dir.Combine("state.db")]);
        Assert.Equal(0, result.ExitCode);
        return _dir.Combine("out");
    }

    [Fact]
    public async Task Push_UploadsTheOutputFolder_ThenHasNothingToDo()
    {
        var outDir = await HarvestAsync();

        var first = await CliRunner.RunAsync(["push", "--repo", "me/csharp-sft", "--out", outDir, "--private"]);
        var second = await CliRunner.RunAsync(["push", "--repo", "me/csharp-sft", "--out", outDir]);

        Assert.True(first.ExitCode == 0, first.Output + first.Errors);
        Assert.Contains("created the dataset repository me/csharp-sft (private)", first.Output, StringComparison.Ordinal);
        var files = _hub.Files("me/csharp-sft");
        foreach (var path in Directory.GetFiles(outDir, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(outDir, p)).Where(p => p != "rejected.jsonl"))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(outDir, path)), files[path]);
        }

        Assert.Equal(0, second.ExitCode);
        Assert.Contains("nothing to push", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, first.Output + first.Errors + second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_CancelledWhileItsCommitIsInDoubt_SaysTheCommitMayHaveLanded_NotTheHarvestsSentence()
    {
        var outDir = await HarvestAsync();
        _hub.LoseCommitAnswers(3); // the commit is made but its answer lost: the push then waits before looking

        using var cancel = new CancellationTokenSource();
        var run = Task.Run(() => CliRunner.RunAsync(["push", "--repo", "me/csharp-sft", "--out", outDir], cancel.Token));
        while (!run.IsCompleted && _hub.Commits("me/csharp-sft") == 0)
        {
            await Task.Delay(5);
        }

        await cancel.CancelAsync();
        var result = await run;

        Assert.True(result.ExitCode == 130, $"exit {result.ExitCode}: {result.Output}{result.Errors}");
        Assert.Contains("the commit may have landed", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing was written to the output folder", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_AFolderWithTheUsersOwnFiles_SaysWhatWasLeftOut()
    {
        var outDir = await HarvestAsync();
        await File.WriteAllTextAsync(Path.Combine(outDir, "notes.txt"), "mine");

        var result = await CliRunner.RunAsync(["push", "--repo", "me/csharp-sft", "--out", outDir]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Contains("left out 1 file that manifest.json does not list as written by AutoRefiner: notes.txt", result.Output, StringComparison.Ordinal);
        Assert.False(_hub.Files("me/csharp-sft").ContainsKey("notes.txt"));
    }

    [Fact]
    public async Task Push_WithoutAToken_IsAUsageError()
    {
        var outDir = await HarvestAsync();
        Environment.SetEnvironmentVariable("HF_TOKEN", null);

        var result = await CliRunner.RunAsync(["push", "--repo", "me/x", "--out", outDir]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("HF_TOKEN is not set", result.Errors, StringComparison.Ordinal);
        Assert.Empty(_hub.Log);
    }

    [Fact]
    public async Task Push_WithAReadOnlyToken_SaysItCannotWrite()
    {
        var outDir = await HarvestAsync();
        Environment.SetEnvironmentVariable("HF_TOKEN", "hf_readOnly00000000000000000000000000000");

        var result = await CliRunner.RunAsync(["push", "--repo", "me/x", "--out", outDir]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("HF_TOKEN has no write access", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("hf_readOnly", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("justname")]
    [InlineData("a/b/c")]
    [InlineData("../x")]
    [InlineData("me/ds?x=1")]
    [InlineData("me/ds#frag")]
    [InlineData("me/my data")]
    public async Task Push_ABadRepoName_IsAUsageError(string repo)
    {
        var result = await CliRunner.RunAsync(["push", "--repo", repo, "--out", _dir.Path]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--repo takes a Hub repository id (owner/name)", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../main")]
    [InlineData("my branch")]
    public async Task Push_ARevisionThatIsNoBranchName_IsAUsageError(string revision)
    {
        var result = await CliRunner.RunAsync(["push", "--repo", "me/ds", "--revision", revision, "--out", _dir.Path]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--revision takes a branch name", result.Errors, StringComparison.Ordinal);
    }
}
