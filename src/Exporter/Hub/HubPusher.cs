using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AutoRefiner.Core;

namespace AutoRefiner.Exporter.Hub;

/// <summary>What to push and how.</summary>
/// <param name="Repo">owner/name of the dataset repository.</param>
/// <param name="Private">Create it private when it does not exist.</param>
/// <param name="Revision">Branch to commit to.</param>
/// <param name="CreatePr">Open a pull request instead of committing to the branch.</param>
/// <param name="Message">Commit message.</param>
/// <param name="IncludeRejected">Upload <c>rejected.jsonl</c> too.</param>
public sealed record PushOptions(string Repo, bool Private, string Revision, bool CreatePr, string Message, bool IncludeRejected);

/// <summary>What a push did.</summary>
/// <param name="Created">The repository was created.</param>
/// <param name="Files">Files in the commit (regular and LFS).</param>
/// <param name="LfsUploaded">LFS objects uploaded (the others the Hub had).</param>
/// <param name="LfsBytes">LFS bytes uploaded.</param>
/// <param name="Deleted">Files deleted because the folder no longer has them.</param>
/// <param name="Commit">The commit, or null when the Hub already had exactly this dataset.</param>
/// <param name="LeftOut">Files in the folder that the manifest does not list as written by AutoRefiner: not pushed.</param>
public sealed record PushResult(bool Created, int Files, int LfsUploaded, long LfsBytes, IReadOnlyList<string> Deleted, CommitResult? Commit, IReadOnlyList<string> LeftOut);

/// <summary>
/// Pushes an AutoRefiner output folder to a Hub dataset repository: the files of the dataset, which are the ones its
/// manifest lists as written by AutoRefiner and the dataset's own top-level files (never the user's other files there,
/// never the staging folders, not <c>rejected.jsonl</c> unless asked), large ones through LFS, streamed and hashed from disk; files the previous push
/// made and the folder no longer has are deleted in the same commit; nothing is committed when the Hub already holds
/// exactly these files.
/// </summary>
public sealed class HubPusher(HubClient client)
{
    /// <summary>First wait before looking whether a commit whose answer was lost landed; doubles for each of three looks.</summary>
    public TimeSpan CommitCheckDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Pushes <paramref name="folder"/>.</summary>
    public async Task<PushResult> PushAsync(string folder, PushOptions options, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(options);

        // Both become parts of the URLs the token is sent to: checked here, whoever the caller is.
        if (Core.Config.HubNames.RepoIdProblem(options.Repo) is { } repoProblem)
        {
            throw new HubException($"'{options.Repo}' is not a Hub repository id (owner/name): {repoProblem}", isUsage: true);
        }

        if (Core.Config.HubNames.RevisionProblem(options.Revision) is { } revisionProblem)
        {
            throw new HubException($"'{options.Revision}' is not a branch name the Hub takes: it {revisionProblem}", isUsage: true);
        }

        var manifest = DatasetFolder.ReadManifest(folder); // an AutoRefiner output, or a usage error
        var ours = Ours(manifest);
        var all = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(p => (Full: p, Relative: Path.GetRelativePath(folder, p).Replace('\\', '/')))
            .Where(p => !p.Relative.Split('/').Any(part => part.StartsWith('.')))
            .OrderBy(p => p.Relative, StringComparer.Ordinal)
            .ToList();

        // The folder may hold the user's own files next to the dataset (a run keeps them): only what AutoRefiner wrote
        // goes to the Hub, and a link is never followed out of the folder.
        var leftOut = all.Where(p => !ours.Contains(p.Relative) || IsLink(folder, p.Relative)).Select(p => p.Relative).ToList();
        var paths = all.Where(p => ours.Contains(p.Relative) && !IsLink(folder, p.Relative))
            .Where(p => options.IncludeRejected || p.Relative != "rejected.jsonl")
            .ToList();
        var files = new List<LocalFile>(paths.Count);
        foreach (var (full, relative) in paths)
        {
            files.Add(await LocalFile.ReadAsync(full, relative, cancellationToken));
        }

        var created = await client.CreateDatasetAsync(options.Repo, options.Private, cancellationToken);
        var remote = created ? new Dictionary<string, RemoteFile>() : await client.ListFilesAsync(options.Repo, options.Revision, cancellationToken);
        var deleted = await DeletedAsync(options, remote, files, cancellationToken);

        var unchanged = deleted.Count == 0 && files.All(f => remote.TryGetValue(f.Path, out var r) && Same(f, r));
        if (unchanged && !options.CreatePr)
        {
            return new PushResult(created, 0, 0, 0, [], null, leftOut);
        }

        var lfsPaths = await client.PreuploadAsync(options.Repo, options.Revision, files, cancellationToken);
        var lfs = files.Where(f => lfsPaths.Contains(f.Path)).ToList();
        var regular = files.Where(f => !lfsPaths.Contains(f.Path)).ToList();
        var before = client.LfsBytesUploaded;
        var uploaded = await client.UploadLfsAsync(options.Repo, options.Revision, lfs, progress, cancellationToken);
        var commit = await CommitOnceAsync(options, files, regular, lfs, deleted, cancellationToken);
        return new PushResult(created, files.Count, uploaded, client.LfsBytesUploaded - before, deleted, commit, leftOut);
    }

    /// <summary>The files of a dataset folder that are AutoRefiner's: what its manifest lists, and the dataset's own top-level files.</summary>
    private static HashSet<string> Ours(Manifest manifest) =>
        (manifest.Files ?? []).Where(f => f is not null).Select(f => f.Path).Where(p => !string.IsNullOrEmpty(p))
            .Concat(OutputLayout.Dataset.Owned)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether the file, or a folder on the way to it inside <paramref name="folder"/>, is a symbolic link.</summary>
    private static bool IsLink(string folder, string relative)
    {
        var path = folder;
        foreach (var part in relative.Split('/'))
        {
            path = Path.Combine(path, part);
            if (new FileInfo(path).LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How many times a commit whose outcome was unknown is tried again.</summary>
    private const int CommitAttempts = 3;

    /// <summary>
    /// Commits, and after a failure that may have taken effect (a 5xx, a lost answer) looks at what the branch holds
    /// before trying again, so a retry never makes a second commit of the same files.
    /// </summary>
    private async Task<CommitResult> CommitOnceAsync(
        PushOptions options, List<LocalFile> files, List<LocalFile> regular, List<LocalFile> lfs, List<string> deleted, CancellationToken cancellationToken)
    {
        // The pull requests open before this one, so that one the Hub opened without saying so can be told from them. A
        // server without the discussions API (a mirror) still takes the push; a lost answer then cannot be checked.
        IReadOnlyDictionary<int, string>? openBefore = null;
        var canCheckPullRequests = false;
        if (options.CreatePr)
        {
            try
            {
                openBefore = await client.OpenPullRequestsAsync(options.Repo, cancellationToken);
                canCheckPullRequests = true;
            }
            catch (HubException e) when (!e.IsUsage || e.Status == 404)
            {
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await client.CommitAsync(options.Repo, options.Revision, options.Message, regular, lfs, deleted, options.CreatePr, cancellationToken);
            }
            catch (HubException e) when (e.MayHaveTakenEffect && options.CreatePr && !canCheckPullRequests)
            {
                // A pull request that may exist, on a server that cannot list them: say so rather than open two.
                throw new HubException(
                    $"{e.Message}. The Hub may have opened the pull request anyway: look at the repository's pull requests before pushing again", e.Status);
            }
            catch (HubException e) when (e.MayHaveTakenEffect && openBefore is not null)
            {
                if (await OpenedAsync(options, files, openBefore, e, cancellationToken) is { } opened)
                {
                    return opened;
                }

                if (attempt >= CommitAttempts)
                {
                    throw;
                }
            }
            catch (HubException e) when (e.MayHaveTakenEffect)
            {
                // The Hub may still be applying it (a gateway timeout answers before the commit lands): look a few
                // times, waiting longer each time, before sending it again.
                if (await LandedAsync(options, files, deleted, e, cancellationToken))
                {
                    return new CommitResult(client.RevisionUrl(options.Repo, options.Revision), "", null);
                }

                if (attempt >= CommitAttempts)
                {
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// The pull request the Hub opened for this push although its answer was lost: a new one with this push's title whose
    /// files are exactly the folder's. Looks three times with growing waits; null when there is none.
    /// </summary>
    private async Task<CommitResult?> OpenedAsync(
        PushOptions options, List<LocalFile> files, IReadOnlyDictionary<int, string> openBefore, HubException failure, CancellationToken cancellationToken)
    {
        for (var look = 0; look < 3; look++)
        {
            await Task.Delay(CommitCheckDelay * (1 << look), client.Time, cancellationToken);
            try
            {
                var open = await client.OpenPullRequestsAsync(options.Repo, cancellationToken);
                foreach (var (number, title) in open.Where(pr => !openBefore.ContainsKey(pr.Key) && pr.Value == options.Message).OrderByDescending(pr => pr.Key))
                {
                    var remote = await client.ListFilesAsync(options.Repo, $"refs/pr/{number}", cancellationToken);
                    if (files.All(f => remote.TryGetValue(f.Path, out var r) && Same(f, r)))
                    {
                        var url = client.PullRequestUrl(options.Repo, number);
                        return new CommitResult(url, "", url);
                    }
                }
            }
            catch (HubException e)
            {
                throw new HubException(
                    $"{failure.Message}; the Hub may have opened the pull request, and its pull requests could not be read to tell ({e.Message}): look at them before pushing again", failure.Status);
            }
        }

        return null;
    }

    /// <summary>Whether the branch holds exactly the folder, looking three times with growing waits.</summary>
    private async Task<bool> LandedAsync(PushOptions options, List<LocalFile> files, List<string> deleted, HubException failure, CancellationToken cancellationToken)
    {
        for (var look = 0; look < 3; look++)
        {
            await Task.Delay(CommitCheckDelay * (1 << look), client.Time, cancellationToken);
            IReadOnlyDictionary<string, RemoteFile> remote;
            try
            {
                remote = await client.ListFilesAsync(options.Repo, options.Revision, cancellationToken);
            }
            catch (HubException e)
            {
                throw new HubException($"{failure.Message}; the commit may have been made, and the branch could not be read to tell ({e.Message})", failure.Status);
            }

            if (deleted.All(p => !remote.ContainsKey(p)) && files.All(f => remote.TryGetValue(f.Path, out var r) && Same(f, r)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Files the previous push made (its manifest says which) that the folder no longer has.</summary>
    private async Task<List<string>> DeletedAsync(PushOptions options, IReadOnlyDictionary<string, RemoteFile> remote, List<LocalFile> files, CancellationToken cancellationToken)
    {
        if (!remote.ContainsKey("manifest.json"))
        {
            return [];
        }

        var text = await client.DownloadTextAsync(options.Repo, options.Revision, "manifest.json", cancellationToken);
        Manifest? previous = null;
        try
        {
            previous = text is null ? null : JsonSerializer.Deserialize(text, ExportJson.Lines.Manifest);
        }
        catch (JsonException)
        {
            // Not ours: nothing of it is ours to delete.
        }

        if (previous is not { Tool: "autorefiner" })
        {
            return [];
        }

        var ours = Ours(previous);
        var now = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        return [.. ours.Distinct(StringComparer.Ordinal).Where(p => remote.ContainsKey(p) && !now.Contains(p)).Order(StringComparer.Ordinal)];
    }

    private static bool Same(LocalFile local, RemoteFile remote)
    {
        if (remote.LfsOid is { } lfsOid)
        {
            return lfsOid == local.Sha256;
        }

        if (remote.Size != local.Size)
        {
            return false;
        }

        // The git blob id of a regular file: SHA-1 over "blob <size>\0" and the content.
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(Encoding.ASCII.GetBytes($"blob {local.Size}\0"));
        sha1.AppendData(File.ReadAllBytes(local.FullPath));
        return Convert.ToHexStringLower(sha1.GetHashAndReset()) == remote.Oid;
    }
}
