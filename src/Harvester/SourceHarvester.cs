using System.Runtime.CompilerServices;
using AutoRefiner.Core;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;
using AutoRefiner.Harvester.GitHub;
using AutoRefiner.Harvester.Local;

namespace AutoRefiner.Harvester;

/// <summary>
/// The harvesting stage: local directories and checkouts first, then GitHub repositories (named as <c>owner/name</c>
/// or by URL, from <c>sources.github.repos</c>, and found by <c>sources.github.query</c>), each fetched and harvested
/// like a local tree with its GitHub provenance.
/// </summary>
internal sealed class SourceHarvester(
    LocalSeedSource local,
    HarvestConfig config,
    TimeProvider time,
    Func<string, string?> environment,
    IHttpCacheStore? httpCache = null) : ISeedSource
{
    /// <summary>Repositories downloaded at once, ahead of the one being analysed.</summary>
    public const int FetchesInFlight = 2;

    /// <inheritdoc />
    public async IAsyncEnumerable<Seed> HarvestAsync(HarvestRequest request, RunStats stats, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stats);
        // Read only when GitHub is involved: a bad GITHUB_API_URL must not stop a run over local folders.
        GitHubSettings? settings = null;
        GitHubSettings Settings() => settings ??= GitHubSettings.FromEnvironment(config.Sources.GitHub, environment);

        // Local paths are checked before any work starts, so a typo fails at once; what is not a directory but reads
        // as owner/name is a GitHub repository.
        var localRoots = new List<(string Path, SourceRoot Root)>();
        var repos = new List<string>();
        foreach (var source in request.Sources)
        {
            if (!Directory.Exists(source) && !File.Exists(source) && GitHubHarvester.ParseRepository(source, Settings().WebUri) is { } repo)
            {
                repos.Add(repo);
                continue;
            }

            var localRoot = SourceRootReader.Read(source);
            if (request.Shard is { } shard && !shard.Includes(localRoot.Repo))
            {
                continue;
            }

            localRoots.Add((Path.GetFullPath(source), localRoot));
        }

        foreach (var (path, root) in localRoots)
        {
            await foreach (var seed in HarvestTreeAsync(path, root, stats, cancellationToken))
            {
                yield return seed;
            }
        }

        if (repos.Count > 0 || request.GitHubQuery is not null)
        {
            if (Settings().Token is null)
            {
                stats.Notice("no GITHUB_TOKEN is set: GitHub's anonymous limits apply (60 requests an hour, 10 searches a minute)");
            }

            // Downloaded archives are kept beside the state file; without a state store (a library use, a test) GitHub's
            // responses are cached for this run only.
            var cache = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(config.ResolvePath(config.State)))!, "repos");
            using var github = new GitHubHarvester(Settings(), httpCache ?? new MemoryHttpCache(), cache, new ArchiveLimits(), time, stats);
            try
            {
                // The next repository downloads while this one is analysed: network and CPU overlap, order is kept.
                var found = github.FindAsync(repos, request.GitHubQuery, cancellationToken);
                if (request.Shard is { } shard)
                {
                    // The same search on every machine, each keeping its share: the shards add up to the whole.
                    found = found.Where(r => shard.Includes(r.FullName));
                }

                var fetches = found
                    .SelectAsync(FetchesInFlight, (repo, ct) => new ValueTask<(string Path, SourceRoot Root)?>(github.FetchAsync(repo, ct)), cancellationToken);
                await foreach (var next in fetches)
                {
                    if (next is not { } fetched)
                    {
                        continue;
                    }

                    await foreach (var seed in HarvestTreeAsync(fetched.Path, fetched.Root, stats, cancellationToken))
                    {
                        yield return seed;
                    }
                }
            }
            finally
            {
                stats.CountGitHubRequests(github.Requests);
            }

            // Repositories the user named, all unavailable: an empty dataset would only replace the previous one.
            if (stats.Repositories == 0 && localRoots.Count == 0 && request.GitHubQuery is null)
            {
                var why = string.Join("; ", stats.Notices.Where(n => n.StartsWith("skipped ", StringComparison.Ordinal)).Take(5));
                throw AutoRefinerException.RunFailed(
                    $"none of the GitHub repositories could be harvested ({(why.Length > 0 ? why : string.Join(", ", stats.RepositorySkips.Keys))}); nothing was written");
            }
        }

        stats.Files.Finish();
        if (request.Shard is { } part && localRoots.Count == 0 && stats.Repositories == 0)
        {
            stats.Notice($"shard {part}: none of the sources falls in this shard");
        }

        if (stats.Files.Total is null or 0)
        {
            stats.Notice($"no C# files found in {string.Join(", ", request.Sources.Append(request.GitHubQuery ?? "").Where(s => s.Length > 0))}");
        }
    }

    /// <summary>One tree's seeds.</summary>
    private IAsyncEnumerable<Seed> HarvestTreeAsync(string path, SourceRoot root, RunStats stats, CancellationToken cancellationToken) =>
        local.HarvestRootAsync(path, root, stats, cancellationToken);
}
