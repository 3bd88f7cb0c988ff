using AutoRefiner.Core;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Harvester.Local;
using AutoRefiner.Harvester.Seeds;
using AutoRefiner.Validator;

namespace AutoRefiner.Harvester.Tests.GitHub;

/// <summary>Answers from the GitHub API that are not what it documents: too large, or not JSON at all.</summary>
public sealed class GitHubAnswerTests : IAsyncLifetime, IDisposable
{
    private const string Token = "ghp_FAKE0TOKEN0recognisable0123456789";
    private readonly TempTree _tree = new();
    private FakeGitHubServer _server = null!;

    public Task InitializeAsync()
    {
        _server = new FakeGitHubServer { RequiredToken = Token };
        _server.AddRepo("octo", "calc", files: new Dictionary<string, string> { ["Calc.cs"] = "namespace C; public static class A { /// <summary>x</summary>\n public static int F(int x) => x; }" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _tree.Dispose();

    private async Task<List<Seed>> HarvestAsync(string apiUrl)
    {
        var config = new HarvestConfig { BaseDirectory = _tree.Root, State = Path.Combine(_tree.Root, ".autorefiner", "state.db") };
        var env = new Dictionary<string, string?> { ["GITHUB_API_URL"] = apiUrl, ["GITHUB_TOKEN"] = Token };
        var local = new LocalSeedSource(new FileWalker(config.Extraction), new SeedExtractor(new RoslynCompiler(), config.Extraction), config.Extraction, 2);
        var source = new SourceHarvester(local, config, TimeProvider.System, name => env.GetValueOrDefault(name));
        return await source.HarvestAsync(new HarvestRequest(["octo/calc"], null), new RunStats(TimeProvider.System), default).ToListAsync();
    }

    [Fact]
    public async Task Harvest_AnHtmlPageLabelledJson_IsASentenceNamingTheEndpoint_NotADeserialisationError()
    {
        _server.EnqueueFault("/api/v3/repos/octo/calc", FakeFault.Garbage);

        var e = await Assert.ThrowsAsync<AutoRefinerException>(() => HarvestAsync(_server.BaseUri.ToString()));

        Assert.Contains($"GitHub ({_server.BaseUri.GetLeftPart(UriPartial.Authority)}", e.Message, StringComparison.Ordinal);
        Assert.Contains("repos/octo/calc", e.Message, StringComparison.Ordinal);
        Assert.Contains("not the JSON", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_AJsonAnswerLargerThanTheCap_IsRefused_SayingWhichLimit()
    {
        _server.EnqueueFault("/api/v3/repos/octo/calc", FakeFault.HugeJson(40));

        var e = await Assert.ThrowsAsync<AutoRefinerException>(() => HarvestAsync(_server.BaseUri.ToString()));

        Assert.Contains("larger than the 32 MB", e.Message, StringComparison.Ordinal);
        Assert.Contains("repos/octo/calc", e.Message, StringComparison.Ordinal);
    }
}
