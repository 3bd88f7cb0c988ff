using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using AutoRefiner.Core;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;
using Octokit;
using Octokit.Internal;
using Polly;
using Polly.Retry;

namespace AutoRefiner.Harvester.GitHub;

/// <summary>
/// Finds repositories (search with paging and star-range splitting past the 1,000-result cap, plus explicit
/// <c>owner/name</c>), filters them (forks, archived, disabled, empty, licences off the allow-list), and fetches each at
/// its default branch's head commit: the SHA through a conditional request (ETag in the state store), the tarball streamed
/// to disk and safely extracted, reused from the cache when the commit has not changed.
/// </summary>
public sealed partial class GitHubHarvester : IDisposable
{
    private readonly GitHubSettings _settings;
    private readonly TimeProvider _time;
    private readonly RunStats _stats;
    private readonly string _cacheDirectory;
    private readonly ArchiveLimits _limits;
    private readonly RateLimitHandler _handler;
    private readonly GitHubClient _client;
    private readonly ResiliencePipeline _longWaits;

    /// <summary>Creates the client: Octokit over a rate-limit handler, with the response cache in the state store.</summary>
    public GitHubHarvester(GitHubSettings settings, IHttpCacheStore state, string cacheDirectory, ArchiveLimits limits, TimeProvider time, RunStats stats)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(stats);
        _settings = settings;
        _time = time;
        _stats = stats;
        _cacheDirectory = cacheDirectory;
        _limits = limits;
        _handler = new RateLimitHandler(time, TimeSpan.FromMinutes(settings.Config.MaxWaitMinutes), stats.Notice)
        {
            // Octokit follows redirects itself (dropping the token when the host changes), so the inner handler must not.
            InnerHandler = new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None },
        };
        var credentials = settings.Token is null ? Credentials.Anonymous : new Credentials(settings.Token);
        var connection = new Connection(
            new ProductHeaderValue("autorefiner", typeof(GitHubHarvester).Assembly.GetName().Version?.ToString() ?? "0"),
            settings.ApiUri,
            new InMemoryCredentialStore(credentials),
            new HttpClientAdapter(() => _handler),
            new SimpleJsonSerializer());
        connection.ResponseCache = new StateResponseCache(state, time);
        _client = new GitHubClient(connection);
        _longWaits = BuildLongWaits();
    }

    /// <summary>HTTP requests sent so far (retries and redirects included).</summary>
    public int Requests => _handler.Requests;

    /// <summary>
    /// Repositories to harvest: the explicit ones, then the search's, without duplicates, at most
    /// <c>max-repos</c> from the search. Those filtered out are counted by reason.
    /// </summary>
    public async IAsyncEnumerable<GitHubRepo> FindAsync(
        IReadOnlyList<string> explicitRepos, string? query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(explicitRepos);
        var seen = new HashSet<long>();
        foreach (var name in explicitRepos)
        {
            var repo = await GetAsync(name, cancellationToken);
            if (repo is not null && seen.Add(repo.Id))
            {
                if (Admit(repo))
                {
                    yield return repo;
                }
                else
                {
                    // A repository the user named is worth a sentence; search results are only counted.
                    _stats.Notice($"skipped {repo.FullName}: {Describe(repo)}");
                }
            }
        }

        if (query is null || _settings.Config.MaxRepos == 0)
        {
            yield break;
        }

        var taken = 0;
        await foreach (var repo in SearchAsync(query, cancellationToken))
        {
            if (!seen.Add(repo.Id) || !Admit(repo))
            {
                continue;
            }

            yield return repo;
            if (++taken >= _settings.Config.MaxRepos)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Fetches a repository at its default branch's head into the cache and describes it as a source root, or returns
    /// null (counted) when it cannot be had: gone, blocked, or a corrupt or oversized archive.
    /// </summary>
    /// <remarks>
    /// The first time, one request: the default branch's tarball, whose pax global header names its commit (as
    /// <c>git archive</c> writes it). Later, the commit SHA is asked with a conditional request (a <c>304</c> when nothing
    /// changed) and the tarball is downloaded only for a commit not in the cache.
    /// </remarks>
    public async Task<(string Path, SourceRoot Root)?> FetchAsync(GitHubRepo repo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repo);
        var (owner, name) = Split(repo.FullName);
        var repoDirectory = Path.Combine(_cacheDirectory, owner, name);
        RemoveAbandoned(repoDirectory);
        var cached = Directory.Exists(repoDirectory) && Directory.GetDirectories(repoDirectory).Any(d => Sha().IsMatch(Path.GetFileName(d)));

        string? sha = null;
        string tree;
        if (cached)
        {
            sha = await HeadShaAsync(repo, owner, name, cancellationToken);
            if (sha is null)
            {
                return null;
            }

            tree = Path.Combine(repoDirectory, sha);
            if (!Directory.Exists(tree) && await DownloadAsync(repo, owner, name, sha, repoDirectory, cancellationToken) is null)
            {
                return null;
            }
        }
        else
        {
            var downloaded = await DownloadAsync(repo, owner, name, null, repoDirectory, cancellationToken);
            if (downloaded is null)
            {
                return null;
            }

            sha = downloaded;
            tree = Path.Combine(repoDirectory, sha);
        }

        // Older commits of the same repository are not needed again (only commit folders: never another run's work).
        foreach (var old in Directory.GetDirectories(repoDirectory).Where(d => Sha().IsMatch(Path.GetFileName(d)) && !string.Equals(d, tree, StringComparison.Ordinal)))
        {
            TryDelete(old);
        }

        _stats.CountRepository();
        var license = repo.License?.SpdxId?.ToLowerInvariant() ?? "";
        var web = new Uri(_settings.WebUri, repo.FullName).ToString().TrimEnd('/');
        return (tree, new SourceRoot(tree, repo.FullName, sha, license, web));
    }

    /// <summary>Removes downloads and extractions that a killed run left behind (an hour old: no live run is that slow on one repository).</summary>
    private void RemoveAbandoned(string repoDirectory)
    {
        if (!Directory.Exists(repoDirectory))
        {
            return;
        }

        var cutoff = _time.GetUtcNow().UtcDateTime - TimeSpan.FromHours(1);
        foreach (var entry in Directory.GetFileSystemEntries(repoDirectory, "incoming-*"))
        {
            if (File.GetLastWriteTimeUtc(entry) < cutoff)
            {
                TryDelete(entry);
            }
        }
    }

    /// <summary>The default branch's head commit, asked as a bare SHA (conditional: the ETag is in the state store).</summary>
    private async Task<string?> HeadShaAsync(GitHubRepo repo, string owner, string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Call(
                () => _client.Connection.Get<string>(
                    new Uri($"repos/{owner}/{name}/commits/{Uri.EscapeDataString(repo.DefaultBranch)}", UriKind.Relative), null, "application/vnd.github.sha", cancellationToken),
                $"repos/{owner}/{name}/commits/{repo.DefaultBranch}",
                cancellationToken);
            var sha = (response.Body ?? "").Trim();
            if (Sha().IsMatch(sha))
            {
                return sha;
            }

            Skip(repo.FullName, "no-commit", "GitHub did not give a commit SHA");
            return null;
        }
        catch (NotFoundException)
        {
            Skip(repo.FullName, "not-found", "its default branch has no commit");
            return null;
        }
        catch (ApiException e)
        {
            SkipFailed(repo.FullName, e);
            return null;
        }
    }

    /// <summary>
    /// Streams the tarball of <paramref name="sha"/> (or of the default branch when null) to disk, extracts it safely and
    /// moves it to <c>&lt;repoDirectory&gt;/&lt;sha&gt;</c>; returns the commit, or null (counted) when it failed.
    /// </summary>
    private async Task<string?> DownloadAsync(GitHubRepo repo, string owner, string name, string? sha, string repoDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(repoDirectory);
        var incoming = Path.Combine(repoDirectory, $"incoming-{Guid.NewGuid():N}");
        var archive = incoming + ".tar.gz.partial";
        try
        {
            // Streamed to disk through Octokit's own connection (redirect and token handling), never buffered whole.
            var endpoint = sha is null ? $"repos/{owner}/{name}/tarball" : $"repos/{owner}/{name}/tarball/{sha}";
            var response = await Call(() => _client.Connection.GetRawStream(new Uri(endpoint, UriKind.Relative), null), endpoint, cancellationToken);
            if (response.Body is null)
            {
                // Octokit hands over a stream only for archive media types; anything else is not a tarball.
                Skip(repo.FullName, "download-failed", $"the archive came back as {response.HttpResponse.ContentType ?? "no content"}, not a tarball");
                return null;
            }

            await using (var body = response.Body)
            await using (var file = new FileStream(archive, System.IO.FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                long total = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > _limits.MaxArchiveBytes)
                    {
                        Skip(repo.FullName, "archive-too-large", $"its archive is larger than {_limits.MaxArchiveBytes / (1024 * 1024)} MiB");
                        return null;
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            var result = await ArchiveExtractor.ExtractAsync(archive, incoming, _limits, cancellationToken);
            foreach (var (reason, count) in result.Skipped.Where(kv => kv.Key != ArchiveExtractor.Reasons.NotWanted))
            {
                for (var i = 0; i < count; i++)
                {
                    _stats.SkipFile($"archive-{reason}");
                }
            }

            // A tarball of the branch names its commit in the pax header; an archive without one costs one more request.
            var commit = sha ?? (Sha().IsMatch(result.Comment) ? result.Comment : await HeadShaAsync(repo, owner, name, cancellationToken));
            if (commit is null)
            {
                return null;
            }

            var tree = Path.Combine(repoDirectory, commit);
            if (Directory.Exists(tree))
            {
                TryDelete(tree);
            }

            Directory.Move(incoming, tree);
            return commit;
        }
        catch (NotFoundException)
        {
            Skip(repo.FullName, "not-found", "its archive is not available");
            return null;
        }
        catch (ApiException e)
        {
            SkipFailed(repo.FullName, e);
            return null;
        }
        catch (ArchiveException e)
        {
            Skip(repo.FullName, "corrupt-archive", e.Message);
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // The connection broke mid-download (after the handler's retries): this repository is skipped, the run goes on.
            Skip(repo.FullName, "download-failed", e.Message);
            return null;
        }
        finally
        {
            TryDelete(archive);
            TryDelete(incoming);
        }
    }

    private async Task<GitHubRepo?> GetAsync(string fullName, CancellationToken cancellationToken)
    {
        var (owner, name) = Split(fullName);
        try
        {
            var response = await Call(() => _client.Connection.Get<GitHubRepo>(new Uri($"repos/{owner}/{name}", UriKind.Relative), null, null, cancellationToken), $"repos/{owner}/{name}", cancellationToken);
            if (response.Body is not { FullName.Length: > 0 } repo)
            {
                Skip(fullName, "no-answer", $"GitHub answered {(int)response.HttpResponse.StatusCode} without the repository");
                return null;
            }

            return repo;
        }
        catch (NotFoundException)
        {
            Skip(fullName, "not-found", "no such repository (or it is private and the token cannot see it)");
            return null;
        }
        catch (ApiException e)
        {
            SkipFailed(fullName, e);
            return null;
        }
    }

    /// <summary>
    /// The search's repositories, most stars first. Pages are followed through the <c>Link</c> header's <c>rel="next"</c>,
    /// as GitHub documents: a page may be shorter than <c>per_page</c> before the last one (a search that timed out gives
    /// <c>incomplete_results</c>), so only the missing link ends a range. Past the 1,000 results a search can show, the
    /// search goes on below the lowest star count seen.
    /// </summary>
    private async IAsyncEnumerable<GitHubRepo> SearchAsync(string query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int perPage = 100;
        const int reachable = 1000;
        var q = $"{query} language:csharp".Trim();
        int? maxStars = null;
        while (true)
        {
            var filter = maxStars is null ? q : $"{q} stars:<={maxStars}";
            int? lowest = null;
            var totalCount = 0;
            Uri? next = new("search/repositories", UriKind.Relative);
            Dictionary<string, string>? parameters = new()
            {
                ["q"] = filter,
                ["sort"] = "stars",
                ["order"] = "desc",
                ["per_page"] = perPage.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            while (next is not null)
            {
                var page = next;
                var pageParameters = parameters;
                IApiResponse<GitHubSearchPage> response;
                try
                {
                    response = await Call(() => _client.Connection.Get<GitHubSearchPage>(page, pageParameters, null, cancellationToken), "search/repositories", cancellationToken);
                }
                catch (ApiValidationException e)
                {
                    var why = string.Join("; ", e.ApiError?.Errors?.Select(x => x.Message).Where(m => !string.IsNullOrEmpty(m)) ?? []);
                    throw AutoRefinerException.Usage($"GitHub refused the search '{filter}' (422): {(why.Length > 0 ? why : e.Message)}; check sources.github.query");
                }
                catch (ApiException e)
                {
                    throw AutoRefinerException.RunFailed($"the GitHub search '{filter}' failed: {(int)e.StatusCode} {_settings.Redact(e.Message)}");
                }

                if (response.Body?.Items is not { } items)
                {
                    throw AutoRefinerException.RunFailed($"the GitHub search '{filter}' answered {(int)response.HttpResponse.StatusCode} without results");
                }

                if (response.Body.IncompleteResults)
                {
                    _stats.Notice($"GitHub's search for '{filter}' timed out and returned incomplete results; some repositories may be missing");
                }

                totalCount = response.Body.TotalCount;
                foreach (var item in items)
                {
                    lowest = lowest is null ? item.StargazersCount : Math.Min(lowest.Value, item.StargazersCount);
                    yield return item;
                }

                // The next page's URL carries the query and the page; it replaces them.
                next = response.HttpResponse.ApiInfo?.Links is { } links && links.TryGetValue("next", out var link) ? link : null;
                parameters = null;
            }

            // Without a next page the range is done. The search shows 1,000 results at most: when it found more, go on
            // from the lowest star count seen (its repositories may repeat); when one star count holds more than 1,000,
            // go below it.
            if (totalCount <= reachable || lowest is null || lowest == 0)
            {
                yield break;
            }

            maxStars = lowest == maxStars ? lowest - 1 : lowest;
        }
    }

    private bool Admit(GitHubRepo repo)
    {
        var reason = repo switch
        {
            { Fork: true } => "fork",
            { Archived: true } => "archived",
            { Disabled: true } => "disabled",
            { Size: 0 } => "empty",
            _ => LicenseAllowed(repo) ? null : "license",
        };
        if (reason is null)
        {
            return true;
        }

        _stats.SkipRepository(reason);
        return false;
    }

    private static string Describe(GitHubRepo repo) => repo switch
    {
        { Fork: true } => "it is a fork",
        { Archived: true } => "it is archived",
        { Disabled: true } => "it is disabled",
        { Size: 0 } => "it is empty",
        _ => $"its licence ({repo.License?.SpdxId ?? "none detected"}) is not in sources.github.licenses",
    };

    private bool LicenseAllowed(GitHubRepo repo) =>
        repo.License?.SpdxId is { } spdx && _settings.Config.Licenses.Contains(spdx.ToLowerInvariant(), StringComparer.Ordinal);

    private void Skip(string repo, string reason, string why)
    {
        _stats.SkipRepository(reason);
        _stats.Notice($"skipped {repo}: {_settings.Redact(why)}");
    }

    /// <summary>
    /// Runs one Octokit call (to <paramref name="what"/>, an API path for messages): waits out long rate limits with the
    /// run's token and asks again, and turns the failures a user can act on into sentences (never with the token): an
    /// answer too large, one that is not the JSON GitHub documents, none within Octokit's time limit. Other API errors
    /// reach the caller, which skips that repository.
    /// </summary>
    private async Task<T> Call<T>(Func<Task<T>> call, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await _longWaits.ExecuteAsync(async token => await call().WaitAsync(token), cancellationToken);
        }
        catch (AuthorizationException)
        {
            throw AutoRefinerException.Usage(_settings.Token is null
                ? $"GitHub ({_settings.ShownApiUri}) refused an anonymous request (401): set GITHUB_TOKEN to a token that can read public repositories"
                : $"GitHub ({_settings.ShownApiUri}) rejected GITHUB_TOKEN (401 Bad credentials): check that the token is valid and not expired");
        }
        catch (RateLimitExceededException e)
        {
            throw AutoRefinerException.RunFailed(
                $"the GitHub API rate limit is spent until {e.Reset.UtcDateTime:yyyy-MM-dd HH:mm} UTC; nothing was written; run again after that{(_settings.Token is null ? " (or set GITHUB_TOKEN for a higher limit)" : "")}");
        }
        catch (HttpRequestException e)
        {
            throw AutoRefinerException.RunFailed($"cannot reach GitHub at {_settings.ShownApiUri}: {_settings.Redact(e.Message)}");
        }
        catch (GitHubAnswerException e)
        {
            throw AutoRefinerException.RunFailed($"{_settings.Redact(e.Message)} (GitHub at {_settings.ShownApiUri})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw AutoRefinerException.RunFailed(
                $"GitHub ({_settings.ShownApiUri}) gave no answer to {_settings.Redact(what)} within Octokit's limit of {OctokitTimeout.TotalSeconds:F0} s per request");
        }
        catch (Exception e) when (e is System.Runtime.Serialization.SerializationException or InvalidCastException or FormatException or OverflowException or System.Text.Json.JsonException)
        {
            // Octokit's deserialiser fails on an HTML page from a proxy, JSON cut short, or fields of the wrong type.
            throw AutoRefinerException.RunFailed(
                $"GitHub ({_settings.ShownApiUri}) answered {_settings.Redact(what)} with something that is not the JSON it documents (cut short, or a page from a proxy?)");
        }
    }

    /// <summary>
    /// Waits too long to spend inside one Octokit request (<see cref="GitHubWaitException"/>) are waited here, with the
    /// run's token and clock, and the call is made again: the same pipeline shape as the handler's, one level up.
    /// </summary>
    private ResiliencePipeline BuildLongWaits() => new ResiliencePipelineBuilder { TimeProvider = _time }
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = RateLimitHandler.MaxAttempts - 1,
            ShouldHandle = new PredicateBuilder().Handle<GitHubWaitException>(),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(((GitHubWaitException)args.Outcome.Exception!).Wait),
            OnRetry = args =>
            {
                var wait = (GitHubWaitException)args.Outcome.Exception!;
                _handler.EnsureWithinMaxWait(wait.Wait, wait.Message);
                _stats.Notice($"{wait.Message}: waiting {wait.Wait.TotalMinutes:F1} min before asking again");
                _stats.WaitFor("GitHub's rate limit", _time.GetUtcNow() + wait.Wait);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>How long Octokit lets one request take (its <c>Request.Timeout</c>), waits inside the handler included.</summary>
    private static readonly TimeSpan OctokitTimeout = TimeSpan.FromSeconds(100);

    /// <summary>An API error that concerns one repository (451, blocked, empty, a 5xx that did not pass): it is skipped.</summary>
    private void SkipFailed(string repo, ApiException e) =>
        Skip(repo, $"http-{(int)e.StatusCode}", $"GitHub answered {(int)e.StatusCode}: {_settings.Redact(e.Message)}");

    /// <summary>owner/name of <c>owner/name</c> or a github URL.</summary>
    public static (string Owner, string Name) Split(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        var parts = fullName.Split('/');
        return (parts[0], parts[1]);
    }

    /// <summary>
    /// Recognises a GitHub repository in a <c>--source</c>: <c>owner/name</c> or <c>https://github.com/owner/name(.git)</c>;
    /// returns <c>owner/name</c>, or null for anything else.
    /// </summary>
    public static string? ParseRepository(string source, Uri webUri)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(webUri);
        var text = AutoRefiner.Core.Text.Redact.UserInfo(source.Trim());
        if (text.StartsWith(webUri.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            text = text[webUri.ToString().Length..];
        }
        else if (text.StartsWith("https://github.com/", StringComparison.OrdinalIgnoreCase))
        {
            text = text["https://github.com/".Length..];
        }

        text = text.TrimEnd('/');
        if (text.EndsWith(".git", StringComparison.Ordinal))
        {
            text = text[..^4];
        }

        return OwnerName().IsMatch(text) ? text : null;
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for a later run; the cache only grows.
        }
    }

    /// <inheritdoc />
    public void Dispose() => _handler.Dispose();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex Sha();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex OwnerName();
}
