using System.Text.Json.Nodes;
using AutoRefiner.Core.Config;
using AutoRefiner.Exporter.Hub;

namespace AutoRefiner.Exporter.Tests.Hub;

/// <summary>Repository ids and revisions that must never reach a URL, and answers from the Hub that are not JSON.</summary>
public sealed class HubNamesAndAnswersTests : IAsyncLifetime
{
    private const string Token = "hf_writeTokenThatMustNeverBePrinted0123";
    private readonly FakeHubServer _hub = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("autorefiner-push-").FullName;

    public Task InitializeAsync()
    {
        _hub.Tokens[Token] = true;
        File.WriteAllText(Path.Combine(_dir, "README.md"), "# Dataset\n");
        File.WriteAllText(Path.Combine(_dir, "manifest.json"), new JsonObject { ["tool"] = "autorefiner", ["files"] = new JsonArray() }.ToJsonString());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private HubClient Client() => new(_hub.Endpoint, Token, time: new SkippingTime());

    [Theory]
    [InlineData("../x")]
    [InlineData("me/..")]
    [InlineData("me/ds?x=1")]
    [InlineData("me/ds#frag")]
    [InlineData("me/my data")]
    [InlineData("me/ds/extra")]
    [InlineData("me/-ds")]
    [InlineData("me/ds.")]
    [InlineData("me/a--b")]
    [InlineData("me/ds.git")]
    [InlineData("me/%2e%2e")]
    public async Task Push_ARepositoryIdTheHubWouldNotTake_IsRefusedBeforeAnyRequest(string repo)
    {
        using var client = Client();

        var e = await Assert.ThrowsAsync<HubException>(() =>
            new HubPusher(client).PushAsync(_dir, new PushOptions(repo, false, "main", false, "m", false), null, CancellationToken.None));

        Assert.True(e.IsUsage);
        Assert.Contains("is not a Hub repository id", e.Message, StringComparison.Ordinal);
        Assert.Empty(_hub.Log);
    }

    [Theory]
    [InlineData("../main")]
    [InlineData("my branch")]
    [InlineData("a..b")]
    [InlineData("main?x=1")]
    [InlineData("/main")]
    [InlineData("main.lock")]
    public async Task Push_ARevisionThatIsNoBranchName_IsRefusedBeforeAnyRequest(string revision)
    {
        using var client = Client();

        var e = await Assert.ThrowsAsync<HubException>(() =>
            new HubPusher(client).PushAsync(_dir, new PushOptions("me/ds", false, revision, false, "m", false), null, CancellationToken.None));

        Assert.True(e.IsUsage);
        Assert.Contains("is not a branch name", e.Message, StringComparison.Ordinal);
        Assert.Empty(_hub.Log);
    }

    [Theory]
    [InlineData("me/csharp-sft")]
    [InlineData("Org_1/data.set-v2")]
    [InlineData("a/b")]
    public void RepoIdProblem_IdsTheHubTakes_AreAccepted(string repo) => Assert.Null(HubNames.RepoIdProblem(repo));

    [Theory]
    [InlineData("main")]
    [InlineData("refs/pr/3")]
    [InlineData("release/v1.2")]
    public void RevisionProblem_BranchNames_AreAccepted(string revision) => Assert.Null(HubNames.RevisionProblem(revision));

    [Theory]
    [InlineData("/api/datasets/me/ds/preupload/", """{"files": [{"path": "data.jsonl", "uploadMo""")]
    [InlineData("/api/datasets/me/ds/preupload/", "<html><body>Bad gateway</body></html>")]
    public async Task Push_AnAnswerThatIsNotJson_IsASentenceNamingTheHubAndTheRequest(string prefix, string body)
    {
        File.WriteAllText(Path.Combine(_dir, "data.jsonl"), "{}\n");
        _hub.Garble(prefix, body);
        using var client = Client();

        var e = await Assert.ThrowsAsync<HubException>(() =>
            new HubPusher(client).PushAsync(_dir, new PushOptions("me/ds", false, "main", false, "m", false), null, CancellationToken.None));

        Assert.Contains($"the Hub at {_hub.Endpoint.GetLeftPart(UriPartial.Authority)} answered 200 to ", e.Message, StringComparison.Ordinal);
        Assert.Contains("is not the JSON it documents", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("JsonException", e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, e.Message, StringComparison.Ordinal);
    }
}
