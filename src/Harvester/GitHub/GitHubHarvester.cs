using System.Net;
using System.Text.RegularExpressions;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;
using Octokit;
using Octokit.Internal;

namespace AutoRefiner.Harvester.GitHub;

/// <summary>
/// GitHub as a source: one connection (<see cref="GitHubApi"/>) shared by the search that finds repositories
/// (<see cref="GitHubSearch"/>) and the cache that fetches them (<see cref="RepositoryCache"/>).
/// </summary>
internal sealed partial class GitHubHarvester : IDisposable
{
    private readonly GitHubApi _api;
    private readonly GitHubSearch _search;
    private readonly RepositoryCache _cache;

    /// <summary>Creates the client: Octokit over a rate-limit handler, with the response cache in the state store.</summary>
    public GitHubHarvester(GitHubSettings settings, IHttpCacheStore state, string cacheDirectory, ArchiveLimits limits, TimeProvider time, RunStats stats)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(stats);
        var handler = new RateLimitHandler(time, TimeSpan.FromMinutes(settings.Config.MaxWaitMinutes), stats.Notice)
        {
            // Octokit follows redirects itself (dropping the token when the host changes), so the inner handler must not.
            InnerHandler = new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None },
        };
        var credentials = settings.Token is null ? Credentials.Anonymous : new Credentials(settings.Token);
        var connection = new Connection(
            new ProductHeaderValue("autorefiner", typeof(GitHubHarvester).Assembly.GetName().Version?.ToString() ?? "0"),
            settings.ApiUri,
            new InMemoryCredentialStore(credentials),
            new HttpClientAdapter(() => handler),
            new SimpleJsonSerializer());
        connection.ResponseCache = new StateResponseCache(state, time);
        _api = new GitHubApi(new GitHubClient(connection), handler, settings, time, stats);
        _search = new GitHubSearch(_api, settings, stats);
        _cache = new RepositoryCache(_api, settings, cacheDirectory, limits, time, stats);
    }

    /// <summary>HTTP requests sent so far (retries and redirects included).</summary>
    public int Requests => _api.Requests;

    /// <summary>
    /// Repositories to harvest: the explicit ones, then the search's, without duplicates, at most
    /// <c>max-repos</c> from the search. Those filtered out are counted by reason.
    /// </summary>
    public IAsyncEnumerable<GitHubRepo> FindAsync(IReadOnlyList<string> explicitRepos, string? query, CancellationToken cancellationToken) =>
        _search.FindAsync(explicitRepos, query, cancellationToken);

    /// <summary>
    /// Fetches a repository at its default branch's head into the cache and describes it as a source root, or returns
    /// null (counted) when it cannot be had: gone, blocked, or a corrupt or oversized archive.
    /// </summary>
    /// <remarks>
    /// The first time, one request: the default branch's tarball, whose pax global header names its commit (as
    /// <c>git archive</c> writes it). Later, the commit SHA is asked with a conditional request (a <c>304</c> when nothing
    /// changed) and the tarball is downloaded only for a commit not in the cache.
    /// </remarks>
    public Task<(string Path, SourceRoot Root)?> FetchAsync(GitHubRepo repo, CancellationToken cancellationToken) =>
        _cache.FetchAsync(repo, cancellationToken);

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

    /// <inheritdoc />
    public void Dispose() => _api.Dispose();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex OwnerName();
}
