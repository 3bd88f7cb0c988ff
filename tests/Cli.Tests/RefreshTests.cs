using System.Text.Json;
using AutoRefiner.Generator.Tests.Llm;
using AutoRefiner.Harvester.Tests.GitHub;

namespace AutoRefiner.Cli.Tests;

/// <summary>`refresh` against fake GitHub and LLM servers: nothing paid twice, nothing downloaded twice, the union kept.</summary>
[Collection(nameof(GitHubEnvironment))]
public sealed class RefreshTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly FakeOpenAiServer _llm = new();
    private FakeGitHubServer _github = null!;

    public Task InitializeAsync()
    {
        _github = new FakeGitHubServer();
        Environment.SetEnvironmentVariable("GITHUB_API_URL", _github.BaseUri.ToString());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("GITHUB_API_URL", null);
        await _github.DisposeAsync();
        await _llm.DisposeAsync();
        _dir.Dispose();
    }

    private string Out => _dir.Combine("out");

    private static string Method(string name, int n) => $"    /// <summary>{name}: the argument plus {n}, wrapping round on overflow.</summary>\n    public static int {name}(int x) => x + {n};\n";

    private static Dictionary<string, string> Files(string type, params string[] methods) => new()
    {
        [$"{type}.cs"] = $"public static class {type}\n{{\n{string.Concat(methods.Select((m, i) => Method(m, i + 1)))}}}\n",
    };

    private string Config(string hub = "null") => _dir.Write("harvest.yml", $"""
        sources:
          github:
            repos: [octo/alpha, octo/beta]
        llm:
          endpoint: {_llm.BaseUrl}
          model: fake-coder
        generation:
          tasks: [instruct]
        curation:
          near-duplicates: false   # the fake's answers are one template: near-duplicates by design
        export:
          out: out
          test-split: 0
        hub:
          repo: {hub}
        state: state/state.db
        """);

    private int Tarballs() => _github.CountRequests(r => r.Path.Contains("/tarball", StringComparison.Ordinal));

    private static JsonElement Run(string outDir)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "manifest.json")));
        return manifest.RootElement.GetProperty("run").Clone();
    }

    [Fact]
    public async Task Refresh_NothingChanged_MakesNoLlmRequestAndDownloadsNothing_ThenOnlyTheChangedRepositoryAndItsNewSeeds()
    {
        _github.AddRepo("octo", "alpha", files: Files("Alpha", "A1", "A2"));
        var beta = _github.AddRepo("octo", "beta", files: Files("Beta", "B1", "B2"));
        var config = Config();
        var first = await CliRunner.RunAsync(["harvest", "--config", config]);
        Assert.True(first.ExitCode == 0, first.Output + first.Errors);
        var firstRows = CliRunner.ReadAllJsonlRows(Out).Count;
        Assert.True(firstRows == 4, $"{firstRows} rows; rejected: {File.ReadAllText(Path.Combine(Out, "rejected.jsonl"))}\n{first.Output}");
        var (llmBefore, tarballsBefore) = (_llm.RequestCount, Tarballs());
        Assert.Equal((4, 2), (llmBefore, tarballsBefore));

        var unchanged = await CliRunner.RunAsync(["refresh", "--config", config]);

        Assert.True(unchanged.ExitCode == 0, unchanged.Output + unchanged.Errors);
        Assert.Equal(llmBefore, _llm.RequestCount);
        Assert.Equal(tarballsBefore, Tarballs());
        Assert.Equal(4, CliRunner.ReadAllJsonlRows(Out).Count);
        Assert.Equal((0, 4), (Run(Out).GetProperty("added_rows").GetInt64(), Run(Out).GetProperty("previous_rows").GetInt64()));

        // beta gains a commit with one new method: only beta is downloaded, only the new seed goes to the model.
        beta.Files["Beta.cs"] = $"public static class Beta\n{{\n{Method("B1", 1)}{Method("B2", 2)}{Method("B3", 3)}}}\n";
        beta.NewCommit();
        _github.ClearLog();
        var changed = await CliRunner.RunAsync(["refresh", "--config", config]);

        Assert.True(changed.ExitCode == 0, changed.Output + changed.Errors);
        Assert.Equal(1, Tarballs());
        Assert.Equal(1, _github.CountRequests(r => r.Path.Contains("octo/beta/tarball", StringComparison.Ordinal)));
        Assert.Equal(llmBefore + 1, _llm.RequestCount);
        Assert.Contains("B3", _llm.Requests[^1].UserText, StringComparison.Ordinal);
        var changedRows = CliRunner.ReadAllJsonlRows(Out).Count;
        Assert.True(changedRows == 5, $"{changedRows} rows; rejected: {File.ReadAllText(Path.Combine(Out, "rejected.jsonl"))}\n{changed.Output}");
        Assert.Equal(1, Run(Out).GetProperty("added_rows").GetInt64());
        Assert.Contains("This refresh added 1 row;", File.ReadAllText(Path.Combine(Out, "README.md")), StringComparison.Ordinal);
        Assert.Contains("refresh: 1 new row; 4 samples reused from earlier runs", changed.Output, StringComparison.Ordinal);
        var report = File.ReadAllText(Path.Combine(Out, "report.html"));
        Assert.Contains("What this refresh added", report, StringComparison.Ordinal);
        Assert.Contains("+1 row<", report, StringComparison.Ordinal);
        Assert.Contains("4 rows after the previous run", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_ARepositoryGoneUpstream_KeepsItsSamplesWithTheirCommit()
    {
        var alpha = _github.AddRepo("octo", "alpha", files: Files("Alpha", "A1"));
        _github.AddRepo("octo", "beta", files: Files("Beta", "B1"));
        var config = Config();
        Assert.Equal(0, (await CliRunner.RunAsync(["harvest", "--config", config])).ExitCode);
        var alphaCommit = alpha.Sha;

        _github.RemoveRepo("octo", "alpha");
        var refreshed = await CliRunner.RunAsync(["refresh", "--config", config]);

        Assert.True(refreshed.ExitCode == 0, refreshed.Output + refreshed.Errors);
        var rows = CliRunner.ReadAllJsonlRows(Out);
        Assert.Equal(2, rows.Count);
        var kept = Assert.Single(rows, r => r.GetProperty("source_repo").GetString() == "octo/alpha");
        Assert.Equal(alphaCommit, kept.GetProperty("source_commit").GetString());
        Assert.Equal(1, Run(Out).GetProperty("carried").GetInt64());
        Assert.Contains("1 sample kept from sources not seen this time", File.ReadAllText(Path.Combine(Out, "README.md")), StringComparison.Ordinal);

        // A plain harvest is what its sources give now: the gone repository's sample is not in it.
        Assert.Equal(0, (await CliRunner.RunAsync(["harvest", "--config", config])).ExitCode);
        Assert.Single(CliRunner.ReadAllJsonlRows(Out));
    }

    [Fact]
    public async Task Refresh_WithAHubRepository_EndsByPushingTheDataset()
    {
        _github.AddRepo("octo", "alpha", files: Files("Alpha", "A1"));
        _github.AddRepo("octo", "beta", files: Files("Beta", "B1"));
        await using var hub = new AutoRefiner.Exporter.Tests.Hub.FakeHubServer();
        hub.Tokens["hf_refreshToken000000000000000000000000"] = true;
        Environment.SetEnvironmentVariable("HF_ENDPOINT", hub.Endpoint.ToString());
        Environment.SetEnvironmentVariable("HF_TOKEN", "hf_refreshToken000000000000000000000000");
        try
        {
            var result = await CliRunner.RunAsync(["refresh", "--config", Config(hub: "me/data")]);

            Assert.True(result.ExitCode == 0, result.Output + result.Errors);
            var files = hub.Files("me/data");
            Assert.Equal(File.ReadAllBytes(Path.Combine(Out, "manifest.json")), files["manifest.json"]);
            Assert.Equal(File.ReadAllBytes(Path.Combine(Out, "jsonl", "train.jsonl")), files["jsonl/train.jsonl"]);
            Assert.False(files.ContainsKey("rejected.jsonl"));
            Assert.True(hub.IsPrivate("me/data"));
            Assert.Contains("commit: ", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("hf_refreshToken", result.Output + result.Errors, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HF_ENDPOINT", null);
            Environment.SetEnvironmentVariable("HF_TOKEN", null);
        }
    }
}
