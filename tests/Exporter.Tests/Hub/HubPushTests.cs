using System.Text.Json.Nodes;
using AutoRefiner.Exporter.Hub;
using AutoRefiner.Exporter.Tests.Support;

namespace AutoRefiner.Exporter.Tests.Hub;

public sealed class HubPushTests : IAsyncLifetime
{
    private const string Token = "hf_writeTokenThatMustNeverBePrinted0123";
    private const string ReadToken = "hf_readOnlyToken0000000000000000000000";
    private readonly FakeHubServer _hub = new();
    private readonly SkippingTime _time = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("autorefiner-push-").FullName;

    public Task InitializeAsync()
    {
        _hub.Tokens[Token] = true;
        _hub.Tokens[ReadToken] = false;
        _hub.Time = _time;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Out => Path.Combine(_dir, "out");

    private void Write(string relative, byte[] bytes)
    {
        var path = Path.Combine(Out, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    private static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>An output folder as AutoRefiner writes it (the manifest lists its files).</summary>
    private void WriteDataset(params string[] extra)
    {
        Write("data/train-00000-of-00001.parquet", Bytes(300_000, 1));
        Write("jsonl/train.jsonl", Bytes(2_300_000, 2));
        Write("jsonl/test.jsonl", Bytes(10_000, 3));
        Write("README.md", "---\nlicense: mit\n---\n# Dataset\n"u8.ToArray());
        Write("rejected.jsonl", "{\"verdict\":\"compile-error\"}\n"u8.ToArray());
        Write(".staging-1-abc/leftover.parquet", Bytes(1000, 4));
        var files = new JsonArray();
        foreach (var path in new[] { "data/train-00000-of-00001.parquet", "jsonl/train.jsonl", "jsonl/test.jsonl", "rejected.jsonl" }.Concat(extra))
        {
            if (File.Exists(Path.Combine(Out, path)))
            {
                files.Add(new JsonObject { ["path"] = path, ["bytes"] = new FileInfo(Path.Combine(Out, path)).Length, ["sha256"] = "" });
            }
        }

        Write("manifest.json", System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["tool"] = "autorefiner", ["files"] = files }.ToJsonString()));
    }

    /// <summary>A client on the test's clock: its waits (1, 2, 4 s …, and what the Hub asks) pass without sleeping.</summary>
    private HubClient Client(string token = Token) => new(_hub.Endpoint, token, time: _time);

    /// <summary>A pusher that looks for a lost commit after 2, 4 and 8 s, on the test's clock.</summary>
    private static HubPusher Pusher(HubClient client) => new(client);

    private static PushOptions Options(string revision = "main", bool pr = false, bool rejected = false) =>
        new("me/csharp-sft", Private: true, revision, pr, "Update dataset", rejected);

    private void AssertHubHoldsTheFolder(string revision = "main", bool withRejected = false)
    {
        var local = Directory.EnumerateFiles(Out, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Out, p).Replace('\\', '/'))
            .Where(p => !p.StartsWith('.') && (withRejected || p != "rejected.jsonl"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var remote = _hub.Files("me/csharp-sft", revision);
        Assert.Equal(local, remote.Keys.Order(StringComparer.Ordinal));
        foreach (var path in local)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(Out, path)).AsSpan().SequenceEqual(remote[path]), $"{path} differs");
        }
    }

    [Fact]
    public async Task Push_ANewRepository_HoldsExactlyTheFolder_WithLargeFilesThroughLfsInParts()
    {
        WriteDataset();
        using var client = Client();

        var result = await new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None);

        Assert.True(result.Created);
        Assert.True(_hub.IsPrivate("me/csharp-sft"));
        AssertHubHoldsTheFolder();
        Assert.Equal(2, result.LfsUploaded); // the Parquet file and the 2.3 MB JSONL
        Assert.Equal(2_600_000, _hub.LfsBytesReceived);
        Assert.Contains(_hub.Log, l => l.Contains("/part/", StringComparison.Ordinal));
        Assert.Contains(_hub.Log, l => l.EndsWith("/complete", StringComparison.Ordinal));
        Assert.Contains(_hub.Log, l => l.EndsWith("/verify", StringComparison.Ordinal));
        Assert.DoesNotContain(_hub.Log, l => l.Contains(".staging", StringComparison.Ordinal));
        Assert.NotNull(result.Commit);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("")]
    public async Task Push_PartsInTheUploadHeader_AreUploadedInTheServersChunks_WhateverTheTransferField(string transfer)
    {
        WriteDataset();
        _hub.BatchTransfer = transfer;
        _hub.ChunkSize = 700_000; // the 2.3 MB JSONL: parts of 700,000, 700,000, 700,000 and 200,000 bytes
        using var client = Client();

        var result = await new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));

        AssertHubHoldsTheFolder();
        Assert.Equal(2_600_000, _hub.LfsBytesReceived);
        var parts = _hub.Log.Where(l => l.StartsWith("PUT /_lfs/", StringComparison.Ordinal) && l.Contains("/part/", StringComparison.Ordinal)).ToList();
        Assert.Equal(["1", "2", "3", "4"], parts.Select(p => p.Split('/')[^1]));
        Assert.Single(_hub.Log, l => l.EndsWith("/complete", StringComparison.Ordinal));
        Assert.Equal(2, result.LfsUploaded);
    }

    [Fact]
    public async Task Push_AMultipartAnswerWhosePartsDoNotMatchItsChunkSize_IsRefusedWithASentence()
    {
        WriteDataset();
        _hub.ChunkSize = 700_000;
        _hub.PartCountOffBy = 1;
        using var client = Client();

        var e = await Assert.ThrowsAsync<HubException>(() => new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None))
            .WaitAsync(TimeSpan.FromMinutes(1)); // a safety net only: a client that gets the parts wrong must fail, not hang the suite

        Assert.Contains("jsonl/train.jsonl", e.Message, StringComparison.Ordinal);
        Assert.Contains("5 part URLs", e.Message, StringComparison.Ordinal);
        Assert.Contains("chunk_size of 700,000 bytes", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_hub.Log, l => l.Contains("/part/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Push_AnUnchangedFolderAgain_UploadsNoLfsBytesAndMakesNoCommit()
    {
        WriteDataset();
        using var client = Client();
        await new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None);
        var (bytes, commits) = (_hub.LfsBytesReceived, _hub.Commits("me/csharp-sft"));

        var again = await new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None);

        Assert.Null(again.Commit);
        Assert.Equal(bytes, _hub.LfsBytesReceived);
        Assert.Equal(commits, _hub.Commits("me/csharp-sft"));
    }

    [Fact]
    public async Task Push_AChangedFolder_UploadsOnlyNewObjects_AndDeletesWhatThePreviousPushMadeAndIsGone()
    {
        WriteDataset();
        using var client = Client();
        await new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None);
        var before = _hub.LfsBytesReceived;

        File.Delete(Path.Combine(Out, "jsonl/test.jsonl"));
        Write("data/train-00000-of-00001.parquet", Bytes(310_000, 9));
        var result = await new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None);

        Assert.Equal(["jsonl/test.jsonl"], result.Deleted);
        Assert.Equal(310_000, _hub.LfsBytesReceived - before); // the unchanged 2.3 MB JSONL is not sent again
        AssertHubHoldsTheFolder();
    }

    [Fact]
    public async Task Push_AFolderHoldingTheUsersOwnFiles_UploadsOnlyWhatTheManifestLists_AndNamesTheRest()
    {
        WriteDataset();
        Write("notes.txt", "my notes"u8.ToArray());
        Write("data/train-99999-of-99999.parquet", Bytes(1000, 5)); // a stray shard the card's data/train-* pattern would take
        Write("photos/a.jpg", Bytes(100, 6));
        using var client = Client();

        var result = await new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None);

        var remote = _hub.Files("me/csharp-sft", "main").Keys.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["README.md", "data/train-00000-of-00001.parquet", "jsonl/test.jsonl", "jsonl/train.jsonl", "manifest.json"], remote);
        Assert.Equal(["data/train-99999-of-99999.parquet", "notes.txt", "photos/a.jpg"], result.LeftOut);
    }

    [Fact]
    public async Task Push_AFileNoLongerInTheManifest_IsDeletedFromTheHub_WhileAUserFileThereIsNot()
    {
        WriteDataset();
        using var client = Client();
        await new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None);
        _hub.PutFile("me/csharp-sft", "mine.txt", "added on the Hub by hand"u8.ToArray());

        // The next run no longer writes jsonl/test.jsonl; a file of that name stays in the folder (now the user's).
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Out, "manifest.json")))!;
        var files = manifest["files"]!.AsArray();
        files.Remove(files.First(f => (string?)f!["path"] == "jsonl/test.jsonl"));
        Write("manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        var result = await new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None);

        Assert.Equal(["jsonl/test.jsonl"], result.Deleted);
        Assert.Equal(["jsonl/test.jsonl"], result.LeftOut);
        var remote = _hub.Files("me/csharp-sft", "main");
        Assert.False(remote.ContainsKey("jsonl/test.jsonl"));
        Assert.True(remote.ContainsKey("mine.txt"));
    }

    [Fact]
    public async Task Push_RejectedJsonl_OnlyWhenAsked()
    {
        WriteDataset();
        using var client = Client();

        await new HubPusher(client).PushAsync(Out, Options(rejected: true), null, CancellationToken.None);

        AssertHubHoldsTheFolder(withRejected: true);
    }

    [Fact]
    public async Task Push_AsAPullRequest_LeavesTheBranchAlone()
    {
        WriteDataset();
        using var client = Client();
        await new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None);
        Write("README.md", "---\nlicense: mit\n---\n# Better card\n"u8.ToArray());

        var result = await new HubPusher(client).PushAsync(Out, Options(pr: true), null, CancellationToken.None);

        Assert.NotNull(result.Commit?.PullRequestUrl);
        Assert.EndsWith("\n# Dataset\n", System.Text.Encoding.UTF8.GetString(_hub.Files("me/csharp-sft")["README.md"]), StringComparison.Ordinal);
        AssertHubHoldsTheFolder("refs/pr/1");
    }

    [Fact]
    public async Task Push_ToAnotherBranch_ThatDoesNotExist_SaysSo()
    {
        WriteDataset();
        using var client = Client();
        await new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None);

        var e = await Assert.ThrowsAsync<HubException>(() => new HubPusher(client).PushAsync(Out, Options(revision: "v2"), null, CancellationToken.None));

        Assert.True(e.IsUsage);
        Assert.Contains("the revision does not exist on the Hub", e.Message, StringComparison.Ordinal);

        _hub.AddBranch("me/csharp-sft", "v2");
        File.Delete(Path.Combine(Out, "jsonl/test.jsonl"));
        await new HubPusher(client).PushAsync(Out, Options(revision: "v2"), null, CancellationToken.None);
        AssertHubHoldsTheFolder("v2");
    }

    [Fact]
    public async Task Push_RateLimitsAndServerErrorsMidway_AreRetried()
    {
        WriteDataset();
        _hub.Fail("/datasets/me/csharp-sft.git/info/lfs/objects/batch", 429, retryAfter: 1);
        _hub.Fail("/_lfs/", 503);
        _hub.Fail("/api/datasets/me/csharp-sft/commit", 500);
        using var client = Client();

        await Pusher(client).PushAsync(Out, Options(), null, CancellationToken.None);

        AssertHubHoldsTheFolder();
        Assert.Equal(2, _hub.Log.Count(l => l == "POST /datasets/me/csharp-sft.git/info/lfs/objects/batch"));
        Assert.Equal(2, _hub.Log.Count(l => l == "POST /api/datasets/me/csharp-sft/commit/main"));
        // Retry-After: 1 for the batch, the backoff's first step for the storage; the commit's 500 is not retried blindly:
        // the pusher looks at the branch after 2, 4 and 8 s, finds nothing and commits again.
        Assert.Equal([1, 1, 2, 4, 8], _time.Waits.Select(w => w.TotalSeconds));
    }

    [Fact]
    public async Task Push_RetryAfterAsAnHttpDate_IsWaitedOnTheClientsClock()
    {
        WriteDataset();
        _hub.Fail("/api/repos/create", 503, retryAfterDate: _time.GetUtcNow() + TimeSpan.FromSeconds(42));
        using var client = Client();

        await Pusher(client).PushAsync(Out, Options(), null, CancellationToken.None);

        AssertHubHoldsTheFolder();
        Assert.Equal(TimeSpan.FromSeconds(42), _time.Waits[0]);
    }

    [Fact]
    public async Task Push_ACommitWhoseAnswerIsLost_IsNotMadeTwice()
    {
        WriteDataset();
        _hub.LoseCommitAnswers(1);
        using var client = Client();

        var result = await Pusher(client).PushAsync(Out, Options(), null, CancellationToken.None);

        AssertHubHoldsTheFolder();
        Assert.Equal(1, _hub.Commits("me/csharp-sft"));
        Assert.Equal(1, _hub.Log.Count(l => l == "POST /api/datasets/me/csharp-sft/commit/main"));
        Assert.Contains("/datasets/me/csharp-sft/tree/main", result.Commit!.CommitUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_ACommitLostTwiceBeforeItLands_IsTriedAgainUntilTheBranchHoldsTheFolder()
    {
        WriteDataset();
        _hub.Fail("/api/datasets/me/csharp-sft/commit", 502);
        _hub.Fail("/api/datasets/me/csharp-sft/commit", 503);
        using var client = Client();

        await Pusher(client).PushAsync(Out, Options(), null, CancellationToken.None);

        AssertHubHoldsTheFolder();
        Assert.Equal(1, _hub.Commits("me/csharp-sft"));
        Assert.Equal(3, _hub.Log.Count(l => l == "POST /api/datasets/me/csharp-sft/commit/main"));
    }

    [Fact]
    public async Task Push_ACommitThatLandsAfterItsGatewayTimedOut_IsNotMadeTwice()
    {
        WriteDataset();
        _hub.LoseCommitAnswers(1, status: 504, landAfter: TimeSpan.FromSeconds(3));
        using var client = Client();

        await Pusher(client).PushAsync(Out, Options(), null, CancellationToken.None);

        AssertHubHoldsTheFolder();
        Assert.Equal(1, _hub.Log.Count(l => l == "POST /api/datasets/me/csharp-sft/commit/main"));
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], _time.Waits); // not there after 2 s, there after 6 s
    }

    [Fact]
    public async Task Push_APullRequestWhoseAnswerIsLost_IsFoundAndNotOpenedTwice()
    {
        WriteDataset();
        await Pusher(Client()).PushAsync(Out, Options(), null, CancellationToken.None);
        for (var other = 0; other < 3; other++)
        {
            // Pull requests somebody else opened, with the same title: more than a page of the discussions list.
            File.WriteAllText(Path.Combine(Out, "README.md"), $"# someone else's change {other}\n");
            await Pusher(Client()).PushAsync(Out, Options(pr: true), null, CancellationToken.None);
        }

        File.WriteAllText(Path.Combine(Out, "README.md"), "# changed\n");
        _hub.LoseCommitAnswers(1, status: 504, landAfter: TimeSpan.FromSeconds(3));
        using var client = Client();

        var result = await Pusher(client).PushAsync(Out, Options(pr: true), null, CancellationToken.None);

        Assert.Equal(5, _hub.Commits("me/csharp-sft")); // the first push, three others, and this one pull request
        Assert.EndsWith("/datasets/me/csharp-sft/discussions/4", result.Commit!.PullRequestUrl, StringComparison.Ordinal);
        AssertHubHoldsTheFolder("refs/pr/4");
    }

    [Fact]
    public async Task Push_APullRequestToAServerWithoutDiscussions_IsOpened_AndALostAnswerIsSaidPlainly()
    {
        WriteDataset();
        _hub.ServesDiscussions = false;
        await Pusher(Client()).PushAsync(Out, Options(pr: true), null, CancellationToken.None);
        AssertHubHoldsTheFolder("refs/pr/1");
        File.WriteAllText(Path.Combine(Out, "README.md"), "# changed\n");
        _hub.LoseCommitAnswers(1);
        using var client = Client();

        var e = await Assert.ThrowsAsync<HubException>(() => Pusher(client).PushAsync(Out, Options(pr: true), null, CancellationToken.None));

        Assert.Contains("may have opened the pull request anyway", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, _hub.Commits("me/csharp-sft")); // two pull requests, none twice
    }

    [Fact]
    public async Task Push_APullRequestThatNeverOpened_IsOpenedOnce()
    {
        WriteDataset();
        await Pusher(Client()).PushAsync(Out, Options(), null, CancellationToken.None);
        File.WriteAllText(Path.Combine(Out, "README.md"), "# changed\n");
        _hub.Fail("/api/datasets/me/csharp-sft/commit", 502);
        using var client = Client();

        var result = await Pusher(client).PushAsync(Out, Options(pr: true), null, CancellationToken.None);

        Assert.Equal(2, _hub.Commits("me/csharp-sft"));
        Assert.EndsWith("/discussions/1", result.Commit!.PullRequestUrl, StringComparison.Ordinal);
        AssertHubHoldsTheFolder("refs/pr/1");
    }

    [Fact]
    public async Task Push_AGiganticErrorPage_IsReadOnlyAsFarAsItsFirstBytes()
    {
        WriteDataset();
        _hub.Fail("/api/repos/create", 403, bodyBytes: 1L << 40); // a terabyte of error page: only its start is ever read
        using var client = Client();

        var e = await Assert.ThrowsAsync<HubException>(() => new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None))
            .WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(403, e.Status);
        Assert.Contains("<html>gateway exploded", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length < 1000, $"{e.Message.Length} characters of message");
    }

    [Fact]
    public async Task Push_AnUploadSlowerThanTheRequestTimeout_IsGivenTimeByItsSize()
    {
        WriteDataset();
        _hub.StorageDelay = TimeSpan.FromSeconds(1.2);
        using var patient = new HubClient(_hub.Endpoint, Token, time: _time) { RequestTimeout = TimeSpan.FromSeconds(0.5), MinUploadBytesPerSecond = 256 * 1024, MaxAttempts = 1 };

        await new HubPusher(patient).PushAsync(Out, Options(), null, CancellationToken.None); // each upload may take 0.5 s + its size at 256 KB/s

        AssertHubHoldsTheFolder();
        using var hasty = new HubClient(_hub.Endpoint, Token, time: _time) { RequestTimeout = TimeSpan.FromSeconds(0.5), MinUploadBytesPerSecond = long.MaxValue, MaxAttempts = 1 };
        File.WriteAllBytes(Path.Combine(Out, "jsonl/train.jsonl"), new byte[2_300_000]);
        var e = await Assert.ThrowsAsync<HubException>(() => new HubPusher(hasty).PushAsync(Out, Options(), null, CancellationToken.None));
        Assert.Contains("did not answer to upload", e.Message, StringComparison.Ordinal);
        Assert.Contains("within 0.5 s, 1 time", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_AnAnswerLargerThanAnyTheHubSends_IsRefusedAtOnce()
    {
        WriteDataset();
        await new HubPusher(Client()).PushAsync(Out, Options(), null, CancellationToken.None);
        _hub.Fail("/api/datasets/me/csharp-sft/tree/", 200, bodyBytes: 1L << 40); // a listing that never ends
        int Listings() => _hub.Log.Count(l => l.StartsWith("GET /api/datasets/me/csharp-sft/tree/", StringComparison.Ordinal));
        var before = Listings();
        using var client = Client();

        var e = await Assert.ThrowsAsync<HubException>(() => new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None))
            .WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Contains("is larger than the 33,554,432 bytes AutoRefiner reads", e.Message, StringComparison.Ordinal);
        Assert.Equal(before + 1, Listings()); // not asked again: the same answer would come back
    }

    [Fact]
    public async Task Push_ToAnEndpointWithCredentialsInItsUrl_NeverShowsThem()
    {
        WriteDataset();
        var dead = new UriBuilder(_hub.Endpoint) { UserName = "deploy", Password = "UrlPassw0rd", Port = 1 }.Uri;
        using var client = new HubClient(dead, Token, time: _time) { MaxAttempts = 2 };

        var e = await Assert.ThrowsAsync<HubException>(() => new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None));

        Assert.Contains("cannot reach the Hub at http://127.0.0.1:1", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("UrlPassw0rd", e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("deploy", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_WithAReadOnlyToken_IsRefusedWithASentence_WithoutTheToken()
    {
        WriteDataset();
        using var client = Client(ReadToken);

        var e = await Assert.ThrowsAsync<HubException>(() => new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None));

        Assert.Equal(403, e.Status);
        Assert.Contains("no write access", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ReadToken, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_WithAnUnknownToken_IsRefused()
    {
        WriteDataset();
        using var client = Client("hf_nobodyKnowsThisOne000000000000000000");

        var e = await Assert.ThrowsAsync<HubException>(() => new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None));

        Assert.Equal(401, e.Status);
        Assert.Contains("refused HF_TOKEN", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hf_nobodyKnowsThisOne", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_AFolderThatIsNotAnOutput_IsAUsageError()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "notes.txt"), "hi");
        using var client = Client();

        await Assert.ThrowsAsync<Core.AutoRefinerException>(() => new HubPusher(client).PushAsync(Out, Options(), null, CancellationToken.None));
        Assert.Empty(_hub.Log);
    }
}
