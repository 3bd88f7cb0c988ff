using System.Runtime.CompilerServices;
using AutoRefiner.Core;
using AutoRefiner.Core.Pipeline;
using Octokit;

namespace AutoRefiner.Harvester.GitHub;

/// <summary>
/// Finds the repositories to harvest: the ones named as <c>owner/name</c>, then a search's (paged through the
/// <c>Link</c> header, split by star ranges past the 1,000-result cap), without forks, archived, disabled or empty
/// repositories or licences off the allow-list.
/// </summary>
internal sealed class GitHubSearch(GitHubApi api, GitHubSettings settings, RunStats stats)
{
    private readonly GitHubApi _api = api;
    private readonly GitHubSettings _settings = settings;
    private readonly RunStats _stats = stats;

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

    private async Task<GitHubRepo?> GetAsync(string fullName, CancellationToken cancellationToken)
    {
        var (owner, name) = GitHubHarvester.Split(fullName);
        try
        {
            var response = await _api.Call(() => _api.Client.Connection.Get<GitHubRepo>(new Uri($"repos/{owner}/{name}", UriKind.Relative), null, null, cancellationToken), $"repos/{owner}/{name}", cancellationToken);
            if (response.Body is not { FullName.Length: > 0 } repo)
            {
                _api.Skip(fullName, "no-answer", $"GitHub answered {(int)response.HttpResponse.StatusCode} without the repository");
                return null;
            }

            return repo;
        }
        catch (NotFoundException)
        {
            _api.Skip(fullName, "not-found", "no such repository (or it is private and the token cannot see it)");
            return null;
        }
        catch (ApiException e)
        {
            _api.SkipFailed(fullName, e);
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
                    response = await _api.Call(() => _api.Client.Connection.Get<GitHubSearchPage>(page, pageParameters, null, cancellationToken), "search/repositories", cancellationToken);
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
}
