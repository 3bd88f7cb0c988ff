#pragma warning disable CA5350 // git names blobs by SHA-1; the fake speaks its protocol
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AutoRefiner.Exporter.Tests.Hub;

/// <summary>
/// An in-process fake of the Hugging Face Hub's upload protocol on a loopback socket (HttpListener): repository
/// creation, the tree listing, file download (<c>resolve</c>), <c>preupload</c>, the Git LFS batch API with basic and
/// multipart transfers (and their completion and verify calls), and NDJSON commits (optionally as a pull request).
/// LFS objects are kept on disk, so large pushes do not fill memory. Faults can be queued by path prefix.
/// </summary>
internal sealed class FakeHubServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private readonly string _blobs = Directory.CreateTempSubdirectory("fake-hub-").FullName;
    private readonly Lock _gate = new();
    private readonly List<CancellationTokenSource> _landings = [];
    private readonly Dictionary<string, Repo> _repos = new(StringComparer.Ordinal);
    private readonly HashSet<string> _objects = new(StringComparer.Ordinal);
    private readonly List<(string Prefix, int Status, int RetryAfter, long BodyBytes, DateTimeOffset? RetryAfterDate)> _faults = [];
    private readonly List<(string Prefix, string Body)> _garbled = [];
    private readonly ConcurrentQueue<string> _log = new();
    private long _next;
    private long _lfsBytes;

    public FakeHubServer()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            _listener = new HttpListener();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                _listener.Start();
                Endpoint = new Uri($"http://127.0.0.1:{port}/");
                break;
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                _listener.Close();
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public Uri Endpoint { get; } = null!;

    /// <summary>The clock of the server's own delays (slow storage, a commit landing late); the tests share it with the client.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Tokens the Hub knows, and whether each may write.</summary>
    public Dictionary<string, bool> Tokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Files at least this large go through LFS (Parquet always does).</summary>
    public long LfsThreshold { get; set; } = 64 * 1024;

    /// <summary>LFS objects at least this large are uploaded in parts.</summary>
    public long MultipartThreshold { get; set; } = 1024 * 1024;

    /// <summary>
    /// The batch answer's <c>transfer</c> field when set (e.g. <c>basic</c> while actions still carry parts, or an empty
    /// string to leave it out): clients must decide multipart by <c>chunk_size</c> in the action's header, as
    /// huggingface_hub does, not by this field.
    /// </summary>
    public string? BatchTransfer { get; set; }

    /// <summary>Part URLs listed beyond those the chunk size calls for (a broken answer).</summary>
    public int PartCountOffBy { get; set; }

    /// <summary>Part size of multipart uploads.</summary>
    public long ChunkSize { get; set; } = 512 * 1024;

    /// <summary>LFS bytes received.</summary>
    public long LfsBytesReceived => Interlocked.Read(ref _lfsBytes);

    /// <summary>"METHOD path" of every request.</summary>
    public IReadOnlyList<string> Log => [.. _log];

    /// <summary>The next request whose path starts with <paramref name="prefix"/> is answered <paramref name="status"/>.</summary>
    /// <summary>
    /// The next <paramref name="count"/> commits are carried out, but answered with <paramref name="status"/>, as when a
    /// gateway loses the answer; with <paramref name="landAfter"/>, the commit shows on the branch only that much later.
    /// </summary>
    public void LoseCommitAnswers(int count, int status = 502, TimeSpan landAfter = default)
    {
        lock (_gate)
        {
            _lostCommitAnswers = count;
            _lostCommitStatus = status;
            _lostCommitLandsAfter = landAfter;
        }
    }

    private int _lostCommitAnswers;
    private int _lostCommitStatus;
    private TimeSpan _lostCommitLandsAfter;

    /// <summary>The next request under <paramref name="prefix"/> is answered with <paramref name="status"/>; with <paramref name="bodyBytes"/>, an error page that long.</summary>
    public void Fail(string prefix, int status, int retryAfter = 0, long bodyBytes = 0, DateTimeOffset? retryAfterDate = null)
    {
        lock (_gate)
        {
            _faults.Add((prefix, status, retryAfter, bodyBytes, retryAfterDate));
        }
    }

    /// <summary>The next request under <paramref name="prefix"/> is answered 200 with exactly <paramref name="body"/> (JSON cut short, a proxy's page).</summary>
    public void Garble(string prefix, string body)
    {
        lock (_gate)
        {
            _garbled.Add((prefix, body));
        }
    }

    /// <summary>The files of a repository at a revision (or a pull request ref), as bytes.</summary>
    public IReadOnlyDictionary<string, byte[]> Files(string repo, string revision = "main")
    {
        lock (_gate)
        {
            return _repos.TryGetValue(repo, out var r) && r.Revisions.TryGetValue(revision, out var files)
                ? files.ToDictionary(kv => kv.Key, kv => kv.Value.Lfs is { } oid ? File.ReadAllBytes(BlobPath(oid)) : kv.Value.Bytes!, StringComparer.Ordinal)
                : new Dictionary<string, byte[]>();
        }
    }

    /// <summary>Puts a regular file on a branch, as someone editing the repository on the Hub would.</summary>
    public void PutFile(string repo, string path, byte[] bytes, string revision = "main")
    {
        lock (_gate)
        {
            _repos[repo].Revisions[revision][path] = new Entry(bytes, null, bytes.Length);
        }
    }

    public bool IsPrivate(string repo)
    {
        lock (_gate)
        {
            return _repos[repo].Private;
        }
    }

    public int Commits(string repo)
    {
        lock (_gate)
        {
            return _repos.TryGetValue(repo, out var r) ? r.Commits : 0;
        }
    }

    /// <summary>Adds a branch with the same files as main.</summary>
    public void AddBranch(string repo, string branch)
    {
        lock (_gate)
        {
            var r = _repos[repo];
            r.Revisions[branch] = new Dictionary<string, Entry>(r.Revisions["main"], StringComparer.Ordinal);
        }
    }

    private sealed class Repo(bool isPrivate)
    {
        public bool Private { get; } = isPrivate;

        public Dictionary<string, Dictionary<string, Entry>> Revisions { get; } = new(StringComparer.Ordinal) { ["main"] = new(StringComparer.Ordinal) };

        public int Commits { get; set; }

        public int PullRequests { get; set; }

        /// <summary>Titles of the pull requests, by number (all open).</summary>
        public Dictionary<int, string> PullRequestTitles { get; } = [];
    }

    private sealed record Entry(byte[]? Bytes, string? Lfs, long Size);

    private string BlobPath(string oid) => Path.Combine(_blobs, oid);

    private async Task LoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stopping.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }

            var id = Interlocked.Increment(ref _next);
            _inFlight[id] = Task.Run(async () =>
            {
                try
                {
                    await HandleAsync(context);
                }
                catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
                {
                }
                finally
                {
                    _inFlight.TryRemove(id, out _);
                }
            });
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        _log.Enqueue($"{request.HttpMethod} {path}");
        (string Prefix, int Status, int RetryAfter, long BodyBytes, DateTimeOffset? RetryAfterDate)? fault = null;
        string? garbled = null;
        lock (_gate)
        {
            var g = _garbled.FindIndex(f => path.StartsWith(f.Prefix, StringComparison.Ordinal));
            if (g >= 0)
            {
                garbled = _garbled[g].Body;
                _garbled.RemoveAt(g);
            }

            var index = _faults.FindIndex(f => path.StartsWith(f.Prefix, StringComparison.Ordinal));
            if (index >= 0)
            {
                fault = _faults[index];
                _faults.RemoveAt(index);
            }
        }

        if (garbled is not null)
        {
            await DrainAsync(request);
            var bytes = Encoding.UTF8.GetBytes(garbled);
            response.StatusCode = 200;
            response.ContentType = "application/json";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
            response.Close();
            return;
        }

        if (fault is { } f)
        {
            await DrainAsync(request);
            if (f.RetryAfter > 0)
            {
                response.Headers["Retry-After"] = f.RetryAfter.ToString(CultureInfo.InvariantCulture);
            }
            else if (f.RetryAfterDate is { } date)
            {
                response.Headers["Retry-After"] = date.ToString("r", CultureInfo.InvariantCulture);
            }

            if (f.BodyBytes > 0)
            {
                await HugeErrorPageAsync(response, f.Status, f.BodyBytes);
                return;
            }

            await JsonAsync(response, f.Status, new JsonObject { ["error"] = $"injected {f.Status}" });
            return;
        }

        if (path.StartsWith("/_lfs/", StringComparison.Ordinal))
        {
            await StorageAsync(context, path["/_lfs/".Length..]);
            return;
        }

        // Everything else is the Hub itself: it wants a known token.
        var token = request.Headers["Authorization"] is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : null;
        if (token is null || !Tokens.TryGetValue(token, out var canWrite))
        {
            await DrainAsync(request);
            await ErrorAsync(response, 401, null, "Invalid credentials in Authorization header");
            return;
        }

        var parts = path.Trim('/').Split('/');
        var writes = request.HttpMethod != "GET";
        if (writes && !canWrite)
        {
            await DrainAsync(request);
            await ErrorAsync(response, 403, null, "You don't have the rights to write to this repository");
            return;
        }

        switch (parts)
        {
            case ["api", "repos", "create"]:
                await CreateAsync(context);
                return;
            case ["api", "datasets", var owner, var name, "discussions"]:
                await DiscussionsAsync(context, $"{owner}/{name}");
                return;
            case ["api", "datasets", var owner, var name, "tree", var rev, ..]:
                await TreeAsync(context, $"{owner}/{name}", Uri.UnescapeDataString(rev));
                return;
            case ["api", "datasets", var owner, var name, "preupload", var rev]:
                await PreuploadAsync(context, $"{owner}/{name}", Uri.UnescapeDataString(rev));
                return;
            case ["api", "datasets", var owner, var name, "commit", var rev]:
                await CommitAsync(context, $"{owner}/{name}", Uri.UnescapeDataString(rev));
                return;
            case ["datasets", var owner, var nameGit, "info", "lfs", "objects", "batch"] when nameGit.EndsWith(".git", StringComparison.Ordinal):
                await BatchAsync(context, $"{owner}/{nameGit[..^4]}");
                return;
            case ["datasets", var owner, var name, "resolve", var rev, .. var file]:
                await ResolveAsync(context, $"{owner}/{name}", Uri.UnescapeDataString(rev), string.Join('/', file));
                return;
            default:
                await DrainAsync(request);
                await ErrorAsync(response, 404, null, "not found");
                return;
        }
    }

    private bool TryRepo(string repo, string revision, HttpListenerResponse response, out Dictionary<string, Entry> files, out Task error)
    {
        lock (_gate)
        {
            if (!_repos.TryGetValue(repo, out var r))
            {
                files = null!;
                error = ErrorAsync(response, 404, "RepoNotFound", $"Repository Not Found for url: {repo}.");
                return false;
            }

            if (!r.Revisions.TryGetValue(revision, out files!))
            {
                error = ErrorAsync(response, 404, "RevisionNotFound", $"Invalid rev id: {revision}");
                return false;
            }
        }

        error = Task.CompletedTask;
        return true;
    }

    private async Task CreateAsync(HttpListenerContext context)
    {
        var body = JsonNode.Parse(await ReadAsync(context.Request))!;
        var repo = $"{body["organization"]!.GetValue<string>()}/{body["name"]!.GetValue<string>()}";
        lock (_gate)
        {
            if (_repos.ContainsKey(repo))
            {
                _ = ErrorAsync(context.Response, 409, null, "You already created this dataset repo");
                return;
            }

            _repos[repo] = new Repo(body["private"]?.GetValue<bool>() ?? false);
        }

        await JsonAsync(context.Response, 200, new JsonObject { ["url"] = new Uri(Endpoint, $"datasets/{repo}").ToString() });
    }

    /// <summary>The discussions API's list: pull requests only, two per page, so paging is exercised.</summary>
    /// <summary>Whether the discussions API is served (a mirror may not serve it).</summary>
    public bool ServesDiscussions { get; set; } = true;

    private async Task DiscussionsAsync(HttpListenerContext context, string repo)
    {
        if (!ServesDiscussions)
        {
            await ErrorAsync(context.Response, 404, null, "Not Found");
            return;
        }

        var page = int.TryParse(context.Request.QueryString["p"], CultureInfo.InvariantCulture, out var p) ? p : 0;
        JsonArray items;
        int count;
        lock (_gate)
        {
            var all = _repos.TryGetValue(repo, out var r) ? r.PullRequestTitles.OrderBy(kv => kv.Key).ToList() : [];
            count = all.Count;
            items = [.. all.Skip(page * 2).Take(2).Select(kv => (JsonNode)new JsonObject
            {
                ["num"] = kv.Key,
                ["title"] = kv.Value,
                ["status"] = "open",
                ["isPullRequest"] = true,
                ["createdAt"] = "2026-11-30T00:00:00.000Z",
                ["author"] = new JsonObject { ["name"] = "me" },
                ["repo"] = new JsonObject { ["name"] = repo, ["type"] = "dataset" },
            })];
        }

        await JsonAsync(context.Response, 200, new JsonObject { ["discussions"] = items, ["count"] = count, ["start"] = page * 2 });
    }

    private async Task TreeAsync(HttpListenerContext context, string repo, string revision)
    {
        if (!TryRepo(repo, revision, context.Response, out var files, out var error))
        {
            await error;
            return;
        }

        var array = new JsonArray();
        lock (_gate)
        {
            foreach (var (path, entry) in files.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var node = new JsonObject { ["type"] = "file", ["path"] = path, ["size"] = entry.Size };
                if (entry.Lfs is { } oid)
                {
                    node["oid"] = GitBlobId(Encoding.UTF8.GetBytes($"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {entry.Size}\n"));
                    node["lfs"] = new JsonObject { ["oid"] = oid, ["size"] = entry.Size };
                }
                else
                {
                    node["oid"] = GitBlobId(entry.Bytes!);
                }

                array.Add(node);
            }
        }

        await JsonAsync(context.Response, 200, array);
    }

    private async Task ResolveAsync(HttpListenerContext context, string repo, string revision, string path)
    {
        if (!TryRepo(repo, revision, context.Response, out var files, out var error))
        {
            await error;
            return;
        }

        Entry? entry;
        lock (_gate)
        {
            files.TryGetValue(path, out entry);
        }

        if (entry is null)
        {
            await ErrorAsync(context.Response, 404, "EntryNotFound", $"{path} does not exist");
            return;
        }

        var bytes = entry.Lfs is { } oid ? await File.ReadAllBytesAsync(BlobPath(oid)) : entry.Bytes!;
        context.Response.StatusCode = 200;
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private async Task PreuploadAsync(HttpListenerContext context, string repo, string revision)
    {
        var body = JsonNode.Parse(await ReadAsync(context.Request))!;
        if (!TryRepo(repo, revision, context.Response, out _, out var error))
        {
            await error;
            return;
        }

        var result = new JsonArray();
        foreach (var file in body["files"]!.AsArray())
        {
            var path = file!["path"]!.GetValue<string>();
            var size = file["size"]!.GetValue<long>();
            _ = Convert.FromBase64String(file["sample"]!.GetValue<string>());
            var lfs = path.EndsWith(".parquet", StringComparison.Ordinal) || size >= LfsThreshold;
            result.Add(new JsonObject { ["path"] = path, ["uploadMode"] = lfs ? "lfs" : "regular", ["shouldIgnore"] = false });
        }

        await JsonAsync(context.Response, 200, new JsonObject { ["files"] = result });
    }

    private async Task BatchAsync(HttpListenerContext context, string repo)
    {
        var body = JsonNode.Parse(await ReadAsync(context.Request))!;
        lock (_gate)
        {
            if (!_repos.ContainsKey(repo))
            {
                _ = ErrorAsync(context.Response, 404, "RepoNotFound", $"Repository Not Found for url: {repo}.");
                return;
            }
        }

        var multipart = body["transfers"]?.AsArray().Any(t => t?.GetValue<string>() == "multipart") == true;
        var objects = new JsonArray();
        var anyMultipart = false;
        foreach (var item in body["objects"]!.AsArray())
        {
            var oid = item!["oid"]!.GetValue<string>();
            var size = item["size"]!.GetValue<long>();
            var entry = new JsonObject { ["oid"] = oid, ["size"] = size };
            bool present;
            lock (_gate)
            {
                present = _objects.Contains(oid);
            }

            if (!present)
            {
                var header = new JsonObject { ["X-Upload-Ticket"] = "ticket-" + oid[..8] };
                if (multipart && size >= MultipartThreshold)
                {
                    anyMultipart = true;
                    header["chunk_size"] = ChunkSize.ToString(CultureInfo.InvariantCulture);
                    var count = (int)((size + ChunkSize - 1) / ChunkSize) + PartCountOffBy;
                    for (var n = 1; n <= count; n++)
                    {
                        header[n.ToString("D5", CultureInfo.InvariantCulture)] = new Uri(Endpoint, $"_lfs/{oid}/part/{n}").ToString();
                    }

                    entry["actions"] = new JsonObject
                    {
                        ["upload"] = new JsonObject { ["href"] = new Uri(Endpoint, $"_lfs/{oid}/complete").ToString(), ["header"] = header },
                        ["verify"] = new JsonObject { ["href"] = new Uri(Endpoint, $"_lfs/{oid}/verify").ToString(), ["header"] = new JsonObject { ["X-Verify"] = "1" } },
                    };
                }
                else
                {
                    entry["actions"] = new JsonObject
                    {
                        ["upload"] = new JsonObject { ["href"] = new Uri(Endpoint, $"_lfs/{oid}").ToString(), ["header"] = header },
                        ["verify"] = new JsonObject { ["href"] = new Uri(Endpoint, $"_lfs/{oid}/verify").ToString(), ["header"] = new JsonObject { ["X-Verify"] = "1" } },
                    };
                }
            }

            objects.Add(entry);
        }

        var answer = new JsonObject { ["transfer"] = BatchTransfer ?? (anyMultipart ? "multipart" : "basic"), ["objects"] = objects, ["hash_algo"] = "sha256" };
        if (BatchTransfer == "")
        {
            answer.Remove("transfer");
        }

        await JsonAsync(context.Response, 200, answer);
    }

    /// <summary>The storage the batch API points at: PUT of whole objects and of parts, completion, verify.</summary>
    /// <summary>How long the storage takes before it answers an upload, as a slow line would.</summary>
    public TimeSpan StorageDelay { get; set; }

    private async Task StorageAsync(HttpListenerContext context, string rest)
    {
        var request = context.Request;
        if (StorageDelay > TimeSpan.Zero && request.HttpMethod == "PUT")
        {
            await Task.Delay(StorageDelay, Time);
        }

        var parts = rest.Split('/');
        var oid = parts[0];
        if (request.Headers["Authorization"] is not null && parts is not [_, "verify"])
        {
            await DrainAsync(request);
            await ErrorAsync(context.Response, 400, null, "the storage must not receive the Hub token");
            return;
        }

        switch (parts)
        {
            case [_] when request.HttpMethod == "PUT":
            {
                var temp = BlobPath(oid) + ".upload-" + Guid.NewGuid().ToString("N");
                await using (var file = File.Create(temp))
                {
                    await request.InputStream.CopyToAsync(file);
                    Interlocked.Add(ref _lfsBytes, file.Length);
                }

                await AcceptObjectAsync(context.Response, oid, temp);
                return;
            }

            case [_, "part", var number] when request.HttpMethod == "PUT":
            {
                var temp = BlobPath(oid) + ".part" + number;
                await using (var file = File.Create(temp))
                {
                    await request.InputStream.CopyToAsync(file);
                    Interlocked.Add(ref _lfsBytes, file.Length);
                }

                context.Response.Headers["ETag"] = $"\"etag-{number}-{new FileInfo(temp).Length}\"";
                context.Response.StatusCode = 200;
                context.Response.Close();
                return;
            }

            case [_, "complete"] when request.HttpMethod == "POST":
            {
                var body = JsonNode.Parse(await ReadAsync(request))!;
                var temp = BlobPath(oid) + ".assembled";
                await using (var file = File.Create(temp))
                {
                    foreach (var part in body["parts"]!.AsArray().OrderBy(p => p!["partNumber"]!.GetValue<int>()))
                    {
                        var n = part!["partNumber"]!.GetValue<int>();
                        var partPath = BlobPath(oid) + ".part" + n;
                        if (!File.Exists(partPath) || part["etag"]!.GetValue<string>() != $"\"etag-{n}-{new FileInfo(partPath).Length}\"")
                        {
                            await ErrorAsync(context.Response, 400, null, $"part {n} is missing or its etag is wrong");
                            return;
                        }

                        await using (var partStream = File.OpenRead(partPath))
                        {
                            await partStream.CopyToAsync(file);
                        }

                        File.Delete(partPath);
                    }
                }

                await AcceptObjectAsync(context.Response, oid, temp);
                return;
            }

            case [_, "verify"] when request.HttpMethod == "POST":
            {
                if (request.Headers["Authorization"] is not { } verifyAuth || !Tokens.ContainsKey(verifyAuth.Replace("Bearer ", "", StringComparison.Ordinal)))
                {
                    await DrainAsync(request);
                    await ErrorAsync(context.Response, 401, null, "verify needs the token");
                    return;
                }

                var body = JsonNode.Parse(await ReadAsync(request))!;
                bool ok;
                lock (_gate)
                {
                    ok = _objects.Contains(oid) && new FileInfo(BlobPath(oid)).Length == body["size"]!.GetValue<long>();
                }

                await JsonAsync(context.Response, ok ? 200 : 404, new JsonObject { ["ok"] = ok });
                return;
            }

            default:
                await DrainAsync(request);
                await ErrorAsync(context.Response, 404, null, "no such storage operation");
                return;
        }
    }

    private async Task AcceptObjectAsync(HttpListenerResponse response, string oid, string temp)
    {
        string actual;
        await using (var stream = File.OpenRead(temp))
        {
            actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
        }

        if (actual != oid)
        {
            File.Delete(temp);
            await ErrorAsync(response, 400, null, $"content hashes to {actual}, not {oid}");
            return;
        }

        File.Move(temp, BlobPath(oid), overwrite: true);
        lock (_gate)
        {
            _objects.Add(oid);
        }

        response.StatusCode = 200;
        response.Close();
    }

    private async Task CommitAsync(HttpListenerContext context, string repo, string revision)
    {
        var lines = (await ReadAsync(context.Request)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (!TryRepo(repo, revision, context.Response, out var files, out var error))
        {
            await error;
            return;
        }

        var createPr = context.Request.QueryString["create_pr"] == "1";
        var header = JsonNode.Parse(lines[0])!;
        if (header["key"]!.GetValue<string>() != "header" || string.IsNullOrEmpty(header["value"]?["summary"]?.GetValue<string>()))
        {
            await ErrorAsync(context.Response, 400, null, "the first line must be the header with a summary");
            return;
        }

        var next = new Dictionary<string, Entry>(files, StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var op = JsonNode.Parse(line)!;
            var value = op["value"]!;
            var path = value["path"]!.GetValue<string>();
            switch (op["key"]!.GetValue<string>())
            {
                case "file":
                    var bytes = Convert.FromBase64String(value["content"]!.GetValue<string>());
                    next[path] = new Entry(bytes, null, bytes.Length);
                    break;
                case "lfsFile":
                    var oid = value["oid"]!.GetValue<string>();
                    bool known;
                    lock (_gate)
                    {
                        known = _objects.Contains(oid);
                    }

                    if (!known)
                    {
                        await ErrorAsync(context.Response, 400, null, $"LFS object {oid} of {path} was never uploaded");
                        return;
                    }

                    next[path] = new Entry(null, oid, value["size"]!.GetValue<long>());
                    break;
                case "deletedFile":
                    next.Remove(path);
                    break;
                default:
                    await ErrorAsync(context.Response, 400, null, $"unknown operation {op["key"]}");
                    return;
            }
        }

        string target;
        var lostStatus = 0;
        var landsAfter = TimeSpan.Zero;
        lock (_gate)
        {
            var r = _repos[repo];
            r.Commits++;
            target = createPr ? $"refs/pr/{++r.PullRequests}" : revision;
            if (createPr)
            {
                r.PullRequestTitles[r.PullRequests] = header["value"]!["summary"]!.GetValue<string>();
            }

            if (_lostCommitAnswers > 0)
            {
                _lostCommitAnswers--;
                lostStatus = _lostCommitStatus;
                landsAfter = _lostCommitLandsAfter;
            }

            if (landsAfter == TimeSpan.Zero)
            {
                r.Revisions[target] = next;
            }
        }

        if (lostStatus != 0)
        {
            // The commit lands when the clock passes landsAfter, not sooner: a time limit, which the client's waits move
            // past. It is set before the answer goes out, so it counts from the moment the Hub gave up on the request.
            // The commit is written by a callback of the limit, not by code awaiting it: with a fake clock the callback
            // runs inside the advance that passes the limit, so the client that advanced it sees the commit when it
            // looks next, however slowly a thread-pool continuation would have been scheduled on a busy machine.
            if (landsAfter > TimeSpan.Zero)
            {
                var lands = new CancellationTokenSource(landsAfter, Time);
                lock (_gate)
                {
                    _landings.Add(lands);
                }

                lands.Token.Register(() =>
                {
                    lock (_gate)
                    {
                        _repos[repo].Revisions[target] = next;
                    }
                });
            }

            await ErrorAsync(context.Response, lostStatus, null, "Gateway timeout");
            return;
        }

        var commitOid = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes($"{repo}{target}{Commits(repo)}")));
        var answer = new JsonObject { ["commitUrl"] = new Uri(Endpoint, $"datasets/{repo}/commit/{commitOid}").ToString(), ["commitOid"] = commitOid };
        if (createPr)
        {
            answer["pullRequestUrl"] = new Uri(Endpoint, $"datasets/{repo}/discussions/{target.Split('/')[^1]}").ToString();
        }

        await JsonAsync(context.Response, 200, answer);
    }

    /// <summary>An HTML error page of <paramref name="length"/> bytes, sent in chunks (no Content-Length), as a broken proxy might.</summary>
    private static async Task HugeErrorPageAsync(HttpListenerResponse response, int status, long length)
    {
        response.StatusCode = status;
        response.ContentType = "text/html";
        response.SendChunked = true;
        var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
        try
        {
            await response.OutputStream.WriteAsync(Encoding.ASCII.GetBytes("<html>gateway exploded"));
            for (long sent = 0; sent < length; sent += chunk.Length)
            {
                await response.OutputStream.WriteAsync(chunk);
            }
        }
        catch (HttpListenerException)
        {
            // The client stopped reading: that is the point.
        }
        finally
        {
            response.Abort();
        }
    }

    private static string GitBlobId(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
        return Convert.ToHexStringLower(SHA1.HashData([.. header, .. content]));
    }

    private static async Task<string> ReadAsync(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static async Task DrainAsync(HttpListenerRequest request)
    {
        if (request.HasEntityBody)
        {
            await request.InputStream.CopyToAsync(Stream.Null);
        }
    }

    private static Task ErrorAsync(HttpListenerResponse response, int status, string? code, string message)
    {
        if (code is not null)
        {
            response.Headers["X-Error-Code"] = code;
        }

        response.Headers["X-Error-Message"] = message;
        return JsonAsync(response, status, new JsonObject { ["error"] = message });
    }

    private static async Task JsonAsync(HttpListenerResponse response, int status, JsonNode body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            // Linux's managed listener unregisters again on Close and, finding the port gone, binds it anew: if another
            // test's listener took it meanwhile, that fails. The listener is stopped already; nothing is lost.
            _listener.Close();
        }
        catch (HttpListenerException)
        {
        }
        try
        {
            await _loop;
        }
        catch (Exception)
        {
        }

        await Task.WhenAll(_inFlight.Values).WaitAsync(TimeSpan.FromSeconds(5));
        _stopping.Dispose();
        foreach (var landing in _landings)
        {
            landing.Dispose();
        }
        Directory.Delete(_blobs, recursive: true);
    }
}
