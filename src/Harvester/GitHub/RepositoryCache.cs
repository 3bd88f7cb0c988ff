using System.Text.RegularExpressions;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using Octokit;

namespace AutoRefiner.Harvester.GitHub;

/// <summary>
/// Repositories on disk, one folder per commit under <c>&lt;cache&gt;/owner/name</c>: a repository is fetched at its default
/// branch's head, the SHA through a conditional request (ETag in the state store), the tarball streamed to disk and
/// safely extracted, and reused when the commit has not changed.
/// </summary>
internal sealed partial class RepositoryCache(GitHubApi api, GitHubSettings settings, string cacheDirectory, ArchiveLimits limits, TimeProvider time, RunStats stats)
{
    private readonly GitHubApi _api = api;
    private readonly GitHubSettings _settings = settings;
    private readonly string _cacheDirectory = cacheDirectory;
    private readonly ArchiveLimits _limits = limits;
    private readonly TimeProvider _time = time;
    private readonly RunStats _stats = stats;

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
        var (owner, name) = GitHubHarvester.Split(repo.FullName);
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
            var response = await _api.Call(
                () => _api.Client.Connection.Get<string>(
                    new Uri($"repos/{owner}/{name}/commits/{Uri.EscapeDataString(repo.DefaultBranch)}", UriKind.Relative), null, "application/vnd.github.sha", cancellationToken),
                $"repos/{owner}/{name}/commits/{repo.DefaultBranch}",
                cancellationToken);
            var sha = (response.Body ?? "").Trim();
            if (Sha().IsMatch(sha))
            {
                return sha;
            }

            _api.Skip(repo.FullName, "no-commit", "GitHub did not give a commit SHA");
            return null;
        }
        catch (NotFoundException)
        {
            _api.Skip(repo.FullName, "not-found", "its default branch has no commit");
            return null;
        }
        catch (ApiException e)
        {
            _api.SkipFailed(repo.FullName, e);
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
            var response = await _api.Call(() => _api.Client.Connection.GetRawStream(new Uri(endpoint, UriKind.Relative), null), endpoint, cancellationToken);
            if (response.Body is null)
            {
                // Octokit hands over a stream only for archive media types; anything else is not a tarball.
                _api.Skip(repo.FullName, "download-failed", $"the archive came back as {response.HttpResponse.ContentType ?? "no content"}, not a tarball");
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
                        _api.Skip(repo.FullName, "archive-too-large", $"its archive is larger than {_limits.MaxArchiveBytes / (1024 * 1024)} MiB");
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
            _api.Skip(repo.FullName, "not-found", "its archive is not available");
            return null;
        }
        catch (ApiException e)
        {
            _api.SkipFailed(repo.FullName, e);
            return null;
        }
        catch (ArchiveException e)
        {
            _api.Skip(repo.FullName, "corrupt-archive", e.Message);
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // The connection broke mid-download (after the handler's retries): this repository is skipped, the run goes on.
            _api.Skip(repo.FullName, "download-failed", e.Message);
            return null;
        }
        finally
        {
            TryDelete(archive);
            TryDelete(incoming);
        }
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

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex Sha();
}
