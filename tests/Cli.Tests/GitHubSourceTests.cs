using System.Text.Json;
using AutoRefiner.Harvester.Tests.GitHub;

namespace AutoRefiner.Cli.Tests;

/// <summary>`harvest --source owner/name` end to end, against the fake GitHub API named by GITHUB_API_URL.</summary>
[Collection(nameof(GitHubEnvironment))]
public sealed class GitHubSourceTests : IAsyncLifetime, IDisposable
{
    private const string Token = "ghp_CLI0FAKE0TOKEN0visible0in0no0output";
    private readonly TempDir _dir = new();
    private FakeGitHubServer _server = null!;

    public Task InitializeAsync()
    {
        _server = new FakeGitHubServer { RequiredToken = Token };
        Environment.SetEnvironmentVariable("GITHUB_API_URL", _server.BaseUri.ToString());
        Environment.SetEnvironmentVariable("GITHUB_TOKEN", Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("GITHUB_API_URL", null);
        Environment.SetEnvironmentVariable("GITHUB_TOKEN", null);
        await _server.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Harvest_GitHubRepository_WritesRowsWithPermalinksAndNoToken()
    {
        var repo = _server.AddRepo("octo", "words", license: "MIT", files: new Dictionary<string, string>
        {
            ["Words.cs"] = "public static class Words\n{\n    /// <summary>Counts the runs of non-space characters in s; repeated spaces make no empty word.</summary>\n    public static int Count(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;\n}\n",
        });
        var state = _dir.Combine("state.db");
        var outDir = _dir.Combine("out");
        string[] args = ["harvest", "--source", "octo/words", "--out", outDir, "--state", state];

        var result = await CliRunner.RunAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, await CliRunner.AssertDatasetIsSoundAsync(outDir));
        var row = Assert.Single(CliRunner.ReadAllJsonlRows(outDir));
        Assert.Equal($"{_server.BaseUri}octo/words/blob/{repo.Sha}/Words.cs#L4-L4", row.GetProperty("source_url").GetString());
        Assert.Equal("MIT", row.GetProperty("source_license").GetString());
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "manifest.json")));
        Assert.Equal(1, manifest.RootElement.GetProperty("counts").GetProperty("repositories").GetInt64());
        Assert.Contains("repositories: 1 harvested", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(state));

        var again = await CliRunner.RunAsync(args);

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(1, _server.CountRequests(r => r.Path.Contains("/tarball", StringComparison.Ordinal)));
        foreach (var text in Directory.GetFiles(outDir, "*", SearchOption.AllDirectories).Select(File.ReadAllText).Append(result.Output + result.Errors + again.Output))
        {
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Harvest_RejectedToken_IsExitTwoWithASentence()
    {
        _server.RequiredToken = "ghp_the_one_the_server_wants";
        _server.AddRepo("octo", "words");

        var result = await CliRunner.RunAsync(["harvest", "--source", "octo/words", "--out", _dir.Combine("out"), "--state", _dir.Combine("s.db")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("rejected GITHUB_TOKEN", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Errors, StringComparison.Ordinal);
    }
}

/// <summary>Tests that set GITHUB_* for the process run one at a time.</summary>
[CollectionDefinition(nameof(GitHubEnvironment), DisableParallelization = true)]
public sealed class GitHubEnvironment;
