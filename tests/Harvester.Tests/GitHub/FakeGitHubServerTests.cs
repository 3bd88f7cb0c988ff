using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace AutoRefiner.Harvester.Tests.GitHub;

public sealed class FakeGitHubServerTests : IAsyncLifetime
{
    private readonly FakeGitHubServer _server = new();
    private readonly HttpClient _http;

    public FakeGitHubServerTests()
    {
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _server.ApiUri };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("AutoRefiner-Tests/1.0");
        _http.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github+json");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<(HttpResponseMessage Response, JsonElement Json)> GetJsonAsync(string relative)
    {
        var response = await _http.GetAsync(new Uri(relative, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    [Fact]
    public void BaseAndApiUri_AreLoopbackWithApiV3()
    {
        Assert.Equal("127.0.0.1", _server.BaseUri.Host);
        Assert.Equal(_server.BaseUri.AbsoluteUri + "api/v3/", _server.ApiUri.AbsoluteUri);
    }

    [Fact]
    public async Task Search_PagesByStarsDescending_WithGitHubLinkHeader()
    {
        for (var i = 1; i <= 5; i++)
        {
            _server.AddRepo("owner", $"repo{i}", stars: i * 10);
        }

        var (first, json) = await GetJsonAsync("search/repositories?q=language:csharp+stars:>=1&per_page=2&page=1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(5, json.GetProperty("total_count").GetInt32());
        Assert.False(json.GetProperty("incomplete_results").GetBoolean());
        var items = json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["owner/repo5", "owner/repo4"], items.Select(i => i.GetProperty("full_name").GetString()));
        Assert.Equal(50, items[0].GetProperty("stargazers_count").GetInt32());
        Assert.Equal("owner", items[0].GetProperty("owner").GetProperty("login").GetString());
        Assert.Equal("MIT", items[0].GetProperty("license").GetProperty("spdx_id").GetString());

        var link = Header(first, "Link");
        Assert.Matches("^<[^>]+page=2>; rel=\"next\", <[^>]+page=3>; rel=\"last\"$", link);
        Assert.StartsWith($"<{_server.ApiUri.AbsoluteUri}search/repositories?q=language%3Acsharp+stars%3A%3E%3D1", link);
        Assert.Equal("search", Header(first, "X-RateLimit-Resource"));
        Assert.Null(first.Headers.ETag); // search answers are not cacheable on GitHub
        Assert.True(first.Headers.CacheControl?.NoCache);

        var (last, lastJson) = await GetJsonAsync("search/repositories?q=language:csharp&per_page=2&page=3");
        Assert.Equal("owner/repo1", Assert.Single(lastJson.GetProperty("items").EnumerateArray()).GetProperty("full_name").GetString());
        var lastLink = Header(last, "Link");
        Assert.Contains("rel=\"prev\"", lastLink);
        Assert.Contains("rel=\"first\"", lastLink);
        Assert.DoesNotContain("rel=\"next\"", lastLink);
    }

    [Fact]
    public async Task Search_AppliesStarsPushedAndForkQualifiers()
    {
        var old = new DateTimeOffset(2023, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var recent = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        _server.AddRepo("a", "few", stars: 5, pushedAt: recent);
        _server.AddRepo("a", "many", stars: 500, pushedAt: recent);
        _server.AddRepo("a", "stale", stars: 500, pushedAt: old);
        _server.AddRepo("a", "forked", stars: 500, pushedAt: recent, fork: true);
        _server.AddRepo("a", "middle", stars: 50, pushedAt: recent);

        static string Names(JsonElement json) =>
            string.Join(",", json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));

        Assert.Equal("many,middle", Names((await GetJsonAsync("search/repositories?q=stars:>=50+pushed:>=2024-01-01")).Json));
        Assert.Equal("middle", Names((await GetJsonAsync("search/repositories?q=stars:10..100")).Json));
        Assert.Equal("few", Names((await GetJsonAsync("search/repositories?q=stars:<50")).Json));
        Assert.Equal("many,forked", Names((await GetJsonAsync("search/repositories?q=stars:>100+pushed:>=2024-01-01+fork:true")).Json));

        var (bad, _) = await GetJsonAsync("search/repositories?q=stars:>=lots");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
    }

    [Fact]
    public async Task Search_ReachesOnlyTheFirst1000Results_Then422()
    {
        for (var i = 0; i < 1050; i++)
        {
            _server.AddRepo("bulk", $"r{i}", stars: i);
        }

        var (page10, json) = await GetJsonAsync("search/repositories?q=language:csharp&per_page=100&page=10");
        Assert.Equal(HttpStatusCode.OK, page10.StatusCode);
        Assert.Equal(1050, json.GetProperty("total_count").GetInt32());
        Assert.Equal(100, json.GetProperty("items").GetArrayLength());
        Assert.DoesNotContain("rel=\"next\"", Header(page10, "Link"));

        var (page2, _) = await GetJsonAsync("search/repositories?q=language:csharp&per_page=100&page=2");
        Assert.Contains("page=10>; rel=\"last\"", Header(page2, "Link"));

        var (page11, error) = await GetJsonAsync("search/repositories?q=language:csharp&per_page=100&page=11");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, page11.StatusCode);
        Assert.Equal("Only the first 1000 search results are available", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task GetRepo_ReturnsGitHubShape_Or404()
    {
        var repo = _server.AddRepo("Some-Owner", "Lib", stars: 42, license: null);
        repo.Archived = true;

        var (ok, json) = await GetJsonAsync("repos/some-owner/lib");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(repo.Id, json.GetProperty("id").GetInt64());
        Assert.Equal("Some-Owner/Lib", json.GetProperty("full_name").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("license").ValueKind);
        Assert.True(json.GetProperty("archived").GetBoolean());
        Assert.Equal("main", json.GetProperty("default_branch").GetString());
        Assert.Equal("User", json.GetProperty("owner").GetProperty("type").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", json.GetProperty("pushed_at").GetString());
        Assert.NotEmpty(Header(ok, "X-RateLimit-Remaining"));

        var (missing, error) = await GetJsonAsync("repos/nobody/nothing");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("Not Found", error.GetProperty("message").GetString());
        Assert.True(error.TryGetProperty("documentation_url", out _));

        repo.NotFound = true;
        Assert.Equal(HttpStatusCode.NotFound, (await GetJsonAsync("repos/Some-Owner/Lib")).Response.StatusCode);
    }

    [Fact]
    public async Task CommitSha_SendsETag_And304WhenIfNoneMatchMatches()
    {
        var repo = _server.AddRepo("o", "r");

        using var request = new HttpRequestMessage(HttpMethod.Get, "repos/o/r/commits/main");
        request.Headers.Accept.Clear();
        request.Headers.Accept.ParseAdd("application/vnd.github.sha");
        using var first = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(repo.Sha, await first.Content.ReadAsStringAsync());
        Assert.Equal($"\"{repo.Sha}\"", first.Headers.ETag?.ToString());

        using var again = new HttpRequestMessage(HttpMethod.Get, "repos/o/r/commits/main");
        again.Headers.Accept.ParseAdd("application/vnd.github.sha");
        again.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{repo.Sha}\""));
        var remainingBefore = _server.RateLimitRemaining;
        using var notModified = await _http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(remainingBefore, _server.RateLimitRemaining);

        var oldSha = repo.Sha;
        var newSha = repo.NewCommit();
        using var afterPush = new HttpRequestMessage(HttpMethod.Get, "repos/o/r/commits/main");
        afterPush.Headers.Accept.ParseAdd("application/vnd.github.sha");
        afterPush.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{oldSha}\""));
        using var changed = await _http.SendAsync(afterPush);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(newSha, await changed.Content.ReadAsStringAsync());

        var (json, body) = await GetJsonAsync("repos/o/r/commits/main");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal(newSha, body.GetProperty("sha").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await GetJsonAsync("repos/o/r/commits/no-such-branch")).Response.StatusCode);
    }

    [Fact]
    public async Task Tarball_RedirectsToCodeload_ThenServesTarGzUnderOneTopFolder()
    {
        var repo = _server.AddRepo("own", "proj", files: new Dictionary<string, string>
        {
            ["src/A.cs"] = "class A { }",
            ["README.md"] = "# proj",
        });

        using var redirect = await _http.GetAsync(new Uri("repos/own/proj/tarball/main", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.Equal($"{_server.BaseUri.AbsoluteUri}codeload/own/proj/legacy.tar.gz/main", location.AbsoluteUri);

        using var archive = await _http.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        Assert.Equal("application/x-gzip", archive.Content.Headers.ContentType?.MediaType);

        var files = new Dictionary<string, string>();
        var names = new List<string>();
        string? globalComment = null;
        await using (var gzip = new GZipStream(await archive.Content.ReadAsStreamAsync(), CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry is PaxGlobalExtendedAttributesTarEntry global)
                {
                    // As in git archive: first entry, named pax_global_header, carrying the commit id.
                    Assert.Empty(names);
                    Assert.Equal("pax_global_header", global.Name);
                    globalComment = global.GlobalExtendedAttributes["comment"];
                    continue;
                }

                names.Add(entry.Name);
                if (entry.EntryType == TarEntryType.RegularFile)
                {
                    using var reader = new StreamReader(entry.DataStream!);
                    files[entry.Name] = await reader.ReadToEndAsync();
                }
            }
        }

        Assert.Equal(repo.Sha, globalComment);
        var top = $"own-proj-{repo.Sha[..7]}/";
        Assert.All(names, n => Assert.StartsWith(top, n));
        Assert.Contains(top, names);
        Assert.Equal("class A { }", files[top + "src/A.cs"]);
        Assert.Equal("# proj", files[top + "README.md"]);
    }

    [Fact]
    public async Task Tarball_CorruptAndHostileFlags()
    {
        var corrupt = _server.AddRepo("o", "corrupt", files: new Dictionary<string, string> { ["A.cs"] = "class A { }" });
        corrupt.TarballCorrupt = true;
        var bytes = await _http.GetByteArrayAsync(new Uri(_server.BaseUri, "codeload/o/corrupt/legacy.tar.gz/main"));
        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            await gzip.CopyToAsync(Stream.Null);
        });

        var hostile = _server.AddRepo("o", "hostile", files: new Dictionary<string, string> { ["A.cs"] = "class A { }" });
        hostile.TarballHostile = true;
        var names = new Dictionary<string, TarEntryType>();
        await using (var gzip = new GZipStream(await _http.GetStreamAsync(new Uri(_server.BaseUri, "codeload/o/hostile/legacy.tar.gz/main")), CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                names[entry.Name] = entry.EntryType;
            }
        }

        Assert.Equal(TarEntryType.RegularFile, names[FakeRepo.HostileTraversalEntryName]);
        Assert.Equal(TarEntryType.RegularFile, names[hostile.HostileNestedTraversalEntryName]);
        Assert.Equal(TarEntryType.SymbolicLink, names[hostile.HostileSymlinkEntryName]);
    }

    [Fact]
    public async Task Faults_AreOneShot_AndMatchTheirPathPrefix()
    {
        _server.AddRepo("o", "r");
        _server.EnqueueFault("/api/v3/repos/o/r", FakeFault.SecondaryRateLimit(7));
        _server.EnqueueFault("/api/v3/search/", FakeFault.TooManyRequests(3));
        _server.EnqueueFault("/api/v3/rate_limit", FakeFault.PrimaryExhausted);

        var (limited, body) = await GetJsonAsync("repos/o/r");
        Assert.Equal(HttpStatusCode.Forbidden, limited.StatusCode);
        Assert.Equal("7", Header(limited, "Retry-After"));
        Assert.StartsWith("You have exceeded a secondary rate limit", body.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetJsonAsync("repos/o/r")).Response.StatusCode);

        var (tooMany, _) = await GetJsonAsync("search/repositories?q=x");
        Assert.Equal(HttpStatusCode.TooManyRequests, tooMany.StatusCode);
        Assert.Equal("3", Header(tooMany, "Retry-After"));

        var (exhausted, exhaustedBody) = await GetJsonAsync("rate_limit");
        Assert.Equal(HttpStatusCode.Forbidden, exhausted.StatusCode);
        Assert.Equal("0", Header(exhausted, "X-RateLimit-Remaining"));
        Assert.Contains("API rate limit exceeded for", exhaustedBody.GetProperty("message").GetString());
        Assert.Equal(0, _server.PendingFaultCount);

        Assert.Equal(
            [403, 200, 429, 403],
            _server.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task RateLimit_CountsDown_Exhausts_AndRefillsAfterReset()
    {
        _server.AddRepo("o", "r");
        _server.RateLimitRemaining = 2;

        var (first, _) = await GetJsonAsync("repos/o/r");
        Assert.Equal("1", Header(first, "X-RateLimit-Remaining"));
        Assert.Equal("5000", Header(first, "X-RateLimit-Limit"));
        Assert.Equal("4999", Header(first, "X-RateLimit-Used"));
        Assert.Equal("core", Header(first, "X-RateLimit-Resource"));
        Assert.Equal(_server.RateLimitReset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), Header(first, "X-RateLimit-Reset"));

        var (status, json) = await GetJsonAsync("rate_limit");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(1, json.GetProperty("resources").GetProperty("core").GetProperty("remaining").GetInt32());
        Assert.Equal(1, _server.RateLimitRemaining); // /rate_limit is free

        await GetJsonAsync("repos/o/r");
        var (denied, deniedBody) = await GetJsonAsync("repos/o/r");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("API rate limit exceeded", deniedBody.GetProperty("message").GetString());

        _server.RateLimitReset = DateTimeOffset.UtcNow.AddSeconds(-1);
        var (refilled, _) = await GetJsonAsync("repos/o/r");
        Assert.Equal(HttpStatusCode.OK, refilled.StatusCode);
        Assert.Equal("4999", Header(refilled, "X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task RequiredToken_MissingOrWrong_Is401_TokenAndBearerAccepted()
    {
        _server.AddRepo("o", "r");
        _server.RequiredToken = "s3cret";

        var (missing, body) = await GetJsonAsync("repos/o/r");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bad credentials", body.GetProperty("message").GetString());

        foreach (var (scheme, token, expected) in new[]
        {
            ("token", "wrong", HttpStatusCode.Unauthorized),
            ("token", "s3cret", HttpStatusCode.OK),
            ("Bearer", "s3cret", HttpStatusCode.OK),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "repos/o/r");
            request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token}");
            using var response = await _http.SendAsync(request);
            Assert.Equal(expected, response.StatusCode);
        }

        Assert.Equal("Bearer s3cret", _server.Requests[^1].Authorization);
        Assert.DoesNotContain("s3cret", _server.Requests[^1].ToString());
        Assert.Equal(2, _server.CountRequests(r => r.StatusCode == 401));
        _server.ClearLog();
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ConcurrentRequests_AreAllServedAndLogged_ThenDisposeStopsListening()
    {
        _server.AddRepo("o", "r");
        var statuses = await Task.WhenAll(Enumerable.Range(0, 24).Select(async _ =>
        {
            using var response = await _http.GetAsync(new Uri("repos/o/r", UriKind.Relative));
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(24, _server.CountRequests(r => r.Path == "/api/v3/repos/o/r"));

        var port = _server.BaseUri.Port;
        await _server.DisposeAsync();
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, port));
    }
}
