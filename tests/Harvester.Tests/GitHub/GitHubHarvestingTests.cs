using AutoRefiner.Core;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Harvester.GitHub;
using AutoRefiner.Harvester.Local;
using AutoRefiner.Harvester.Seeds;
using AutoRefiner.State;
using AutoRefiner.Validator;

namespace AutoRefiner.Harvester.Tests.GitHub;

/// <summary>The real Octokit client against a fake GitHub API on 127.0.0.1.</summary>
public sealed class GitHubHarvestingTests : IAsyncLifetime, IDisposable
{
    private const string Token = "ghp_FAKE0TOKEN0recognisable0123456789";
    private readonly TempTree _tree = new();
    private readonly SkippingTime _time = new();
    private FakeGitHubServer _server = null!;

    public Task InitializeAsync()
    {
        // The server and the harvester share a clock on which waits pass at once: no test sleeps.
        _server = new FakeGitHubServer(_time) { RequiredToken = Token };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _tree.Dispose();

    private static Dictionary<string, string> CalcFiles(string suffix = "") => new()
    {
        ["src/Calc.csproj"] = "<Project Sdk=\"Microsoft.NET.Sdk\" />",
        ["src/Calc.cs"] = $$"""
            namespace Calc;

            public static class Ops{{suffix}}
            {
                private const int Base = 10;

                /// <summary>Shifts x up by the radix used for display.</summary>
                public static int AddBase(int x) => x + Base;
            }
            """,
        ["README.md"] = "# calc",
    };

    private HarvestConfig Config(GitHubSourceConfig? github = null) => new()
    {
        BaseDirectory = _tree.Root,
        State = Path.Combine(_tree.Root, ".autorefiner", "state.db"),
        Sources = new SourcesConfig { GitHub = github ?? new GitHubSourceConfig() },
    };

    private async Task<(List<Seed> Seeds, RunStats Stats)> HarvestAsync(HarvestRequest request, HarvestConfig? config = null, string? token = Token)
    {
        config ??= Config();
        var env = new Dictionary<string, string?> { ["GITHUB_API_URL"] = _server.BaseUri.ToString(), ["GITHUB_TOKEN"] = token };
        var compiler = new RoslynCompiler();
        var local = new LocalSeedSource(new FileWalker(config.Extraction), new SeedExtractor(compiler, config.Extraction), config.Extraction, 2);
        // Each run opens the state file as a run does, so ETags kept by one run are used by the next.
        using var state = StateStore.Open(config.ResolvePath(config.State));
        var source = new SourceHarvester(local, config, _time, name => env.GetValueOrDefault(name), state.Http);
        var stats = new RunStats(_time);
        var seeds = await source.HarvestAsync(request, stats, default).ToListAsync();
        return (seeds, stats);
    }

    private int ApiRequests(string repo) =>
        _server.CountRequests(r => r.Path.StartsWith($"/api/v3/repos/{repo}", StringComparison.Ordinal));

    [Fact]
    public async Task Harvest_ExplicitRepository_GivesSeedsWithGitHubProvenance()
    {
        var repo = _server.AddRepo("octo", "calc", license: "MIT", files: CalcFiles());

        var (seeds, stats) = await HarvestAsync(new HarvestRequest(["octo/calc"], null));

        var seed = Assert.Single(seeds);
        Assert.Equal("AddBase", seed.Name);
        Assert.Equal("octo/calc", seed.Provenance.Repo);
        Assert.Equal(repo.Sha, seed.Provenance.Commit);
        Assert.Equal("src/Calc.cs", seed.Provenance.Path);
        Assert.Equal("MIT", seed.Provenance.License);
        Assert.Equal($"{_server.BaseUri}octo/calc/blob/{repo.Sha}/src/Calc.cs#L8-L8", seed.Provenance.Url);
        Assert.Equal(1, stats.Repositories);
        // A boolean check, so that a failure never prints the token.
        Assert.True(_server.Requests.Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal)).All(r => r.Authorization?.EndsWith(Token, StringComparison.Ordinal) == true), "every API request must carry the token");
    }

    [Fact]
    public async Task Harvest_GitHubUrlAsSource_IsTheSameRepository()
    {
        _server.AddRepo("octo", "calc", files: CalcFiles());

        var (seeds, _) = await HarvestAsync(new HarvestRequest([$"{_server.BaseUri}octo/calc.git"], null));

        Assert.Equal("octo/calc", Assert.Single(seeds).Provenance.Repo);
    }

    [Fact]
    public async Task Harvest_Search_SkipsForksArchivedEmptyAndLicencesOffTheList()
    {
        _server.AddRepo("a", "good", stars: 90, license: "Apache-2.0", files: CalcFiles("A"));
        // GitHub's search leaves forks out unless asked; a fork named explicitly is still refused.
        _server.AddRepo("b", "fork", stars: 80, fork: true, files: CalcFiles("B"));
        _server.AddRepo("c", "old", stars: 70, archived: true, files: CalcFiles("C"));
        _server.AddRepo("d", "gpl", stars: 60, license: "GPL-3.0", files: CalcFiles("D"));
        _server.AddRepo("e", "nolicense", stars: 50, license: null, files: CalcFiles("E"));
        _server.AddRepo("f", "empty", stars: 40, size: 0);
        var disabled = _server.AddRepo("g", "disabled", stars: 30, files: CalcFiles("G"));
        disabled.Disabled = true;

        var (seeds, stats) = await HarvestAsync(new HarvestRequest(["b/fork"], null) { GitHubQuery = "stars:>=10" });

        Assert.Equal(["a/good"], seeds.Select(s => s.Provenance.Repo).Distinct());
        Assert.Equal(
            new Dictionary<string, long> { ["archived"] = 1, ["disabled"] = 1, ["empty"] = 1, ["fork"] = 1, ["license"] = 2 },
            stats.RepositorySkips);
        Assert.Equal(1, ApiRequests("b/fork"));
        Assert.Contains("skipped b/fork: it is a fork", stats.Notices);
        Assert.Equal(0, ApiRequests("d/gpl") + ApiRequests("e/nolicense"));
        var search = _server.Requests.First(r => r.Path == "/api/v3/search/repositories");
        Assert.Contains("language:csharp", search.QueryValue("q"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_FirstRun_CostsOneApiRequestPerSearchedRepository_AndRepeatsDownloadNothing()
    {
        _server.AddRepo("a", "one", stars: 20, files: CalcFiles("One"));
        _server.AddRepo("b", "two", stars: 10, files: CalcFiles("Two"));
        var request = new HarvestRequest([], null) { GitHubQuery = "stars:>=1" };
        bool IsDownload(RecordedRequest r) => r.Path.Contains("/tarball", StringComparison.Ordinal) || r.Path.StartsWith("/codeload/", StringComparison.Ordinal);

        // First run: the default branch's tarball only; its pax header names the commit.
        var (first, _) = await HarvestAsync(request);
        var firstRun = new[] { ApiRequests("a/one"), ApiRequests("b/two") };
        var firstDownloads = _server.CountRequests(IsDownload);
        _server.ClearLog();

        // Second run: one SHA request per repository, the commit is cached, nothing is downloaded.
        var (second, stats) = await HarvestAsync(request);
        var secondRun = new[] { ApiRequests("a/one"), ApiRequests("b/two") };
        var secondDownloads = _server.CountRequests(IsDownload);
        _server.ClearLog();

        // Third run: the SHA requests carry the stored ETag and are answered 304 Not Modified.
        await HarvestAsync(request);

        Assert.Equal(2, first.Count);
        Assert.True(firstRun.SequenceEqual([1, 1]), string.Join(", ", firstRun));
        Assert.Equal(4, firstDownloads);
        Assert.True(secondRun.SequenceEqual([1, 1]), string.Join(", ", secondRun));
        Assert.Equal(0, secondDownloads);
        Assert.Equal(first.Select(s => s.Id), second.Select(s => s.Id));
        Assert.Equal(first.Select(s => s.Provenance.Commit), second.Select(s => s.Provenance.Commit));
        Assert.Equal(2, stats.Repositories);
        Assert.Equal(2, _server.CountRequests(r => r.StatusCode == 304));
        Assert.Equal(0, _server.CountRequests(IsDownload));
    }

    [Fact]
    public async Task Harvest_ExplicitRepository_CostsTwoApiRequestsOnAFirstRun()
    {
        _server.AddRepo("octo", "calc", files: CalcFiles());

        await HarvestAsync(new HarvestRequest(["octo/calc"], null));

        Assert.Equal(2, ApiRequests("octo/calc"));
    }

    [Fact]
    public async Task Harvest_NewCommit_DownloadsAgainAndRecordsTheNewSha()
    {
        var repo = _server.AddRepo("octo", "calc", files: CalcFiles());
        await HarvestAsync(new HarvestRequest(["octo/calc"], null));
        var sha = repo.NewCommit();
        _server.ClearLog();

        var (seeds, _) = await HarvestAsync(new HarvestRequest(["octo/calc"], null));

        Assert.Equal(sha, Assert.Single(seeds).Provenance.Commit);
        Assert.Equal(1, _server.CountRequests(r => r.Path.Contains("/tarball/", StringComparison.Ordinal)));
        Assert.Single(Directory.GetDirectories(Path.Combine(_tree.Root, ".autorefiner", "repos", "octo", "calc")));
    }

    [Fact]
    public async Task Harvest_MissingRepository_IsSkippedAndTheRunGoesOn()
    {
        _server.AddRepo("octo", "calc", files: CalcFiles());

        var (seeds, stats) = await HarvestAsync(new HarvestRequest(["octo/gone", "octo/calc"], null));

        Assert.Single(seeds);
        Assert.Equal(1, stats.RepositorySkips["not-found"]);
        Assert.Contains(stats.Notices, n => n.Contains("octo/gone", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Harvest_CorruptOrTruncatedTarball_SkipsThatRepositoryWithAWarning()
    {
        _server.AddRepo("a", "corrupt", stars: 30, files: CalcFiles("A")).TarballCorrupt = true;
        _server.AddRepo("b", "truncated", stars: 20, files: CalcFiles("B")).TarballTruncated = true;
        _server.AddRepo("c", "fine", stars: 10, files: CalcFiles("C"));

        var (seeds, stats) = await HarvestAsync(new HarvestRequest([], null) { GitHubQuery = "stars:>=1" });

        Assert.Equal(["c/fine"], seeds.Select(s => s.Provenance.Repo));
        Assert.Equal(2, stats.RepositorySkips["corrupt-archive"]);
        Assert.Contains(stats.Notices, n => n.StartsWith("skipped a/corrupt", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.Combine(_tree.Root, ".autorefiner", "repos"), "*.partial", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Harvest_HostileTarball_SkipsTraversalAndLinksAndWritesNothingOutside()
    {
        _server.AddRepo("evil", "repo", files: CalcFiles()).TarballHostile = true;

        var (seeds, stats) = await HarvestAsync(new HarvestRequest(["evil/repo"], null));

        Assert.Single(seeds);
        Assert.Equal(2, stats.FileSkips["archive-path-traversal"]);
        Assert.Equal(1, stats.FileSkips["archive-symlink"]);
        Assert.Empty(Directory.GetFiles(_tree.Root, "escape*.cs", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(Path.Combine(_tree.Root, ".."), "escape*.cs"));
    }

    [Fact]
    public async Task Harvest_SecondaryRateLimitAnd429_WaitRetryAfterAndRetry()
    {
        _server.AddRepo("octo", "calc", files: CalcFiles());
        _server.EnqueueFault("/api/v3/repos/octo/calc", FakeFault.SecondaryRateLimit(1));
        _server.EnqueueFault("/api/v3/repos/octo/calc/tarball", FakeFault.TooManyRequests(1));

        var (seeds, stats) = await HarvestAsync(new HarvestRequest(["octo/calc"], null));

        Assert.Single(seeds);
        Assert.Equal(2, _time.Waits.Count(w => w == TimeSpan.FromSeconds(1))); // both Retry-After waits, on the run's clock
        Assert.Equal(2, stats.Notices.Count(n => n.StartsWith("GitHub rate limit: waiting 1 s", StringComparison.Ordinal)));
        Assert.Equal(0, _server.PendingFaultCount);
    }

    [Fact]
    public async Task Harvest_WaitLongerThanTheMaximum_StopsWithWhenToResume()
    {
        _server.AddRepo("octo", "calc", files: CalcFiles());
        _server.EnqueueFault("/api/v3/repos/octo/calc", FakeFault.SecondaryRateLimit(600));
        var config = Config(new GitHubSourceConfig { MaxWaitMinutes = 1 });

        var e = await Assert.ThrowsAsync<AutoRefinerException>(() => HarvestAsync(new HarvestRequest(["octo/calc"], null), config));

        Assert.Equal(FailureKind.Run, e.Kind);
        Assert.Contains("longer than sources.github.max-wait-minutes (1)", e.Message, StringComparison.Ordinal);
        Assert.Contains("run again after", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_PrimaryLimitSpent_WaitsForTheResetBeforeTheNextRequest()
    {
        _server.AddRepo("octo", "calc", files: CalcFiles());
        _server.RateLimitRemaining = 1;
        _server.RateLimitReset = _time.GetUtcNow().AddSeconds(2);

        var (seeds, stats) = await HarvestAsync(new HarvestRequest(["octo/calc"], null));

        Assert.Single(seeds);
        Assert.Contains(stats.Notices, n => n.StartsWith("GitHub rate limit spent: waiting", StringComparison.Ordinal));
        Assert.Contains(_time.Waits, w => w >= TimeSpan.FromSeconds(1) && w <= TimeSpan.FromSeconds(2)); // until the reset, no longer
    }

    [Fact]
    public async Task Harvest_BadToken_IsAUsageErrorThatNeverShowsTheToken()
    {
        _server.AddRepo("octo", "calc", files: CalcFiles());
        const string wrong = "ghp_WRONG0TOKEN0recognisable0987654321";

        var e = await Assert.ThrowsAsync<AutoRefinerException>(() => HarvestAsync(new HarvestRequest(["octo/calc"], null), token: wrong));

        Assert.Equal(FailureKind.Usage, e.Kind);
        Assert.Contains("rejected GITHUB_TOKEN (401 Bad credentials)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_NoToken_WorksAnonymouslyAndSaysSo()
    {
        _server.RequiredToken = null;
        _server.AddRepo("octo", "calc", files: CalcFiles());

        var (seeds, stats) = await HarvestAsync(new HarvestRequest(["octo/calc"], null), token: null);

        Assert.Single(seeds);
        Assert.Contains(stats.Notices, n => n.StartsWith("no GITHUB_TOKEN is set", StringComparison.Ordinal));
        Assert.All(_server.Requests, r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task Harvest_Everything_NeverPutsTheTokenInNoticesOrSeeds()
    {
        _server.AddRepo("octo", "calc", files: CalcFiles()).TarballCorrupt = true;
        _server.AddRepo("octo", "ok", files: CalcFiles("Ok"));
        _server.EnqueueFault("/api/v3/repos/octo/ok/tarball", FakeFault.TooManyRequests(1));

        var (seeds, stats) = await HarvestAsync(new HarvestRequest(["octo/calc", "octo/ok", "octo/missing"], null));

        var text = string.Join('\n', stats.Notices.Concat(seeds.Select(s => s.Code + s.Provenance)));
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.NotEmpty(stats.Notices);
    }

    [Fact]
    public async Task Find_MoreThanTheSearchCap_SplitsByStarsAndReachesMaxRepos()
    {
        for (var i = 0; i < 1150; i++)
        {
            _server.AddRepo("o", $"r{i}", stars: 5000 - i);
        }

        var settings = GitHubSettings.FromEnvironment(new GitHubSourceConfig { MaxRepos = 1120 }, n => n == "GITHUB_API_URL" ? _server.BaseUri.ToString() : n == "GITHUB_TOKEN" ? Token : null);
        using var state = StateStore.Open(Path.Combine(_tree.Root, "state.db"));
        using var github = new GitHubHarvester(settings, state.Http, Path.Combine(_tree.Root, "repos"), new ArchiveLimits(), TimeProvider.System, new RunStats(TimeProvider.System));

        var found = await github.FindAsync([], "stars:>=1", default).ToListAsync();

        Assert.Equal(1120, found.Count);
        Assert.Equal(1120, found.Select(r => r.Id).Distinct().Count());
        Assert.Contains(_server.Requests, r => r.QueryValue("q")?.Contains("stars:<=", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(_server.Requests, r => r.StatusCode == 422);
    }

    [Fact]
    public async Task Find_SearchPagesShorterThanPerPage_FollowsTheLinkHeaderToTheLastPage()
    {
        for (var i = 0; i < 250; i++)
        {
            _server.AddRepo("o", $"r{i}", stars: 5000 - i);
        }

        _server.SearchPagesShortBy = 5; // pages of 95, 95 and 50: the first two short, the search "timed out"
        var settings = GitHubSettings.FromEnvironment(new GitHubSourceConfig { MaxRepos = 1000 }, n => n == "GITHUB_API_URL" ? _server.BaseUri.ToString() : n == "GITHUB_TOKEN" ? Token : null);
        using var state = StateStore.Open(Path.Combine(_tree.Root, "state.db"));
        var stats = new RunStats(TimeProvider.System);
        using var github = new GitHubHarvester(settings, state.Http, Path.Combine(_tree.Root, "repos"), new ArchiveLimits(), TimeProvider.System, stats);

        var found = await github.FindAsync([], "stars:>=1", default).ToListAsync();

        Assert.Equal(240, found.Count);
        var pages = _server.Requests.Where(r => r.Path == "/api/v3/search/repositories").Select(r => r.QueryValue("page") ?? "1").ToList();
        Assert.Equal(["1", "2", "3"], pages);
        Assert.Contains(stats.Notices, n => n.Contains("incomplete results", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("octo/calc", "octo/calc")]
    [InlineData("https://github.com/octo/calc", "octo/calc")]
    [InlineData("https://github.com/octo/calc.git/", "octo/calc")]
    [InlineData("src/../x/y", null)]
    [InlineData("/abs/path", null)]
    [InlineData("a/b/c", null)]
    public void ParseRepository_RecognisesOwnerNameAndUrls(string source, string? expected)
    {
        Assert.Equal(expected, GitHubHarvester.ParseRepository(source, new Uri("https://github.com/")));
    }

    [Fact]
    public void Settings_EnterpriseApiUrl_GivesTheWebHostForPermalinks()
    {
        var settings = GitHubSettings.FromEnvironment(new GitHubSourceConfig(), n => n == "GITHUB_API_URL" ? "https://ghe.example.com/api/v3" : null);

        Assert.Equal(new Uri("https://ghe.example.com/api/v3/"), settings.ApiUri);
        Assert.Equal(new Uri("https://ghe.example.com/"), settings.WebUri);
        Assert.Null(settings.Token);
    }

    [Fact]
    public async Task Harvest_ServerError_IsRetried()
    {
        _server.AddRepo("octo", "calc", files: CalcFiles());
        _server.EnqueueFault("/api/v3/repos/octo/calc/tarball", FakeFault.ServerError(502));

        var (seeds, _) = await HarvestAsync(new HarvestRequest(["octo/calc"], null));

        Assert.Single(seeds);
        Assert.Equal(0, _server.PendingFaultCount);
        Assert.Equal(2, _server.CountRequests(r => r.Path.StartsWith("/api/v3/repos/octo/calc/tarball", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Harvest_ConnectionDroppedDuringADownload_NeverEndsTheRun()
    {
        _server.AddRepo("a", "dropped", files: CalcFiles("A"));
        _server.AddRepo("b", "fine", files: CalcFiles("B"));
        _server.EnqueueFault("/api/v3/repos/a/dropped/tarball", FakeFault.ConnectionReset);

        var (seeds, stats) = await HarvestAsync(new HarvestRequest(["a/dropped", "b/fine"], null));

        Assert.Contains("b/fine", seeds.Select(s => s.Provenance.Repo));
        Assert.True(seeds.Any(s => s.Provenance.Repo == "a/dropped") || stats.RepositorySkips.GetValueOrDefault("download-failed") == 1);
    }

    [Theory]
    [InlineData("https://ghe.example.com/api/v3?x=1")]
    [InlineData("https://ghe.example.com/api/v3/?per_page=5")]
    [InlineData("https://ghe.example.com/api/v3#top")]
    public void Settings_ApiUrlWithAQuery_IsRefusedWithASentence_NotTurnedIntoApiApiV3(string url)
    {
        var e = Assert.Throws<AutoRefiner.Core.AutoRefinerException>(() => GitHubSettings.FromEnvironment(new GitHubSourceConfig(), n => n == "GITHUB_API_URL" ? url : null));

        Assert.Equal(AutoRefiner.Core.FailureKind.Usage, e.Kind);
        Assert.Contains("GITHUB_API_URL has a query or fragment", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_CredentialsInTheApiUrl_AreDroppedAndServerUrlGivesTheWebHost()
    {
        var settings = GitHubSettings.FromEnvironment(new GitHubSourceConfig(), n => n switch
        {
            "GITHUB_API_URL" => "https://user:secret@ghe.example.com/api/v3",
            "GITHUB_SERVER_URL" => "https://code.example.com",
            _ => null,
        });

        Assert.Equal(new Uri("https://ghe.example.com/api/v3/"), settings.ApiUri);
        Assert.Equal(new Uri("https://code.example.com/"), settings.WebUri);
        Assert.DoesNotContain("secret", settings.ApiUri.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_RepositoryAnsweringAnUnexpectedError_IsSkippedAndTheRunGoesOn()
    {
        _server.AddRepo("a", "blocked", files: CalcFiles("A"));
        _server.AddRepo("b", "fine", files: CalcFiles("B"));
        for (var i = 0; i < RateLimitHandler.MaxAttempts; i++)
        {
            _server.EnqueueFault("/api/v3/repos/a/blocked/tarball", FakeFault.ServerError(500));
        }

        var (seeds, stats) = await HarvestAsync(new HarvestRequest(["a/blocked", "b/fine"], null));

        Assert.Equal(["b/fine"], seeds.Select(s => s.Provenance.Repo));
        Assert.Equal(1, stats.RepositorySkips["http-500"]);
    }

    [Fact]
    public async Task Harvest_BadSearchQuery_IsAUsageErrorWithGitHubsReason()
    {
        var e = await Assert.ThrowsAsync<AutoRefinerException>(() => HarvestAsync(new HarvestRequest([], null) { GitHubQuery = "stars:>=lots" }));

        Assert.Equal(FailureKind.Usage, e.Kind);
        Assert.Contains("GitHub refused the search", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_PathsWithSpecialCharacters_GiveEscapedPermalinks()
    {
        var files = CalcFiles();
        files["src/My Folder/C#.cs"] = files["src/Calc.cs"].Replace("Ops", "Ops2", StringComparison.Ordinal);
        files.Remove("src/Calc.cs");
        var repo = _server.AddRepo("octo", "calc", files: files);

        var (seeds, _) = await HarvestAsync(new HarvestRequest(["octo/calc"], null));

        Assert.Equal($"{_server.BaseUri}octo/calc/blob/{repo.Sha}/src/My%20Folder/C%23.cs#L8-L8", Assert.Single(seeds).Provenance.Url);
    }

    [Fact]
    public async Task Harvest_TarballWithoutItsCommitInTheHeader_AsksTheShaInstead()
    {
        var repo = _server.AddRepo("octo", "calc", files: CalcFiles());
        repo.TarballWithoutCommitHeader = true;

        var (seeds, _) = await HarvestAsync(new HarvestRequest(["octo/calc"], null));

        Assert.Equal(repo.Sha, Assert.Single(seeds).Provenance.Commit);
        Assert.Equal(1, _server.CountRequests(r => r.Path.Contains("/commits/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Harvest_EveryNamedRepositoryUnavailable_FailsTheRunInsteadOfWritingAnEmptyDataset()
    {
        var e = await Assert.ThrowsAsync<AutoRefinerException>(() => HarvestAsync(new HarvestRequest(["octo/gone"], null)));

        Assert.Equal(FailureKind.Run, e.Kind);
        Assert.Contains("skipped octo/gone: no such repository", e.Message, StringComparison.Ordinal);
    }
}
