using System.Collections.Concurrent;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AutoRefiner.Harvester.Tests.GitHub;

/// <summary>
/// An in-process fake of the GitHub REST API (the parts the harvester uses), served over a real loopback
/// socket with <see cref="HttpListener"/> so that real clients (Octokit, HttpClient) can be pointed at it.
/// Paths follow GitHub Enterprise's layout: the API lives under <c>/api/v3/</c>, which is where Octokit
/// goes when given <see cref="BaseUri"/>; archives are served under <c>/codeload/</c> (codeload.github.com).
/// </summary>
internal sealed class FakeGitHubServer : IAsyncDisposable
{
    private const string ApiPrefix = "/api/v3/";
    private const string CodeloadPrefix = "/codeload/";
    private const int SearchResultCap = 1000;
    private const string DocsRoot = "https://docs.github.com/rest";
    private const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    private readonly HttpListener _listener;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private readonly ConcurrentDictionary<string, FakeRepo> _repos = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _log = [];
    private readonly List<(string Prefix, FakeFault Fault)> _faults = [];
    private long _nextRepoId = 1000;
    private long _nextRequestId;
    private int _disposed;
    private int _rateLimitLimit = 5000;
    private int _rateLimitRemaining = 5000;
    private DateTimeOffset _rateLimitReset;

    /// <summary>Binds a free loopback port and starts serving at once.</summary>
    /// <param name="timeProvider">Clock for rate-limit resets and default dates; the system clock if null.</param>
    public FakeGitHubServer(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _rateLimitReset = TruncateToSeconds(_time.GetUtcNow().AddHours(1));
        (_listener, BaseUri) = Bind();
        ApiUri = new Uri(BaseUri, "api/v3/");
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Root of the server, e.g. <c>http://127.0.0.1:41234/</c>; give this to Octokit.</summary>
    public Uri BaseUri { get; }

    /// <summary><see cref="BaseUri"/> + <c>api/v3/</c>: where the REST endpoints live.</summary>
    public Uri ApiUri { get; }

    /// <summary>When set, every API request must carry <c>Authorization: token|Bearer &lt;value&gt;</c> (or Basic with it as password), else 401.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>The <c>X-RateLimit-Limit</c> budget size (5,000 by default).</summary>
    public int RateLimitLimit
    {
        get { lock (_gate) { return _rateLimitLimit; } }
        set { lock (_gate) { _rateLimitLimit = value; } }
    }

    /// <summary>Requests left before the server answers 403 "API rate limit exceeded"; each counted API request takes one.</summary>
    public int RateLimitRemaining
    {
        get { lock (_gate) { return _rateLimitRemaining; } }
        set { lock (_gate) { _rateLimitRemaining = value; } }
    }

    /// <summary>When the budget refills (sent as epoch seconds); a request at or after it refills the budget first.</summary>
    public DateTimeOffset RateLimitReset
    {
        get { lock (_gate) { return _rateLimitReset; } }
        set { lock (_gate) { _rateLimitReset = TruncateToSeconds(value); } }
    }

    /// <summary><see cref="RateLimitLimit"/> minus <see cref="RateLimitRemaining"/>.</summary>
    public int RateLimitUsed
    {
        get { lock (_gate) { return Math.Max(0, _rateLimitLimit - _rateLimitRemaining); } }
    }

    /// <summary>
    /// Every search page leaves out this many of its repositories and says <c>incomplete_results</c>, as GitHub does when a
    /// search times out; its <c>Link</c> header still names the next page.
    /// </summary>
    public int SearchPagesShortBy { get; set; }

    /// <summary>Snapshot of every request served so far, in completion order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_gate) { return [.. _log]; } }
    }

    /// <summary>All registered repositories.</summary>
    public IReadOnlyCollection<FakeRepo> Repos => [.. _repos.Values.OrderBy(r => r.Id)];

    /// <summary>Faults enqueued and not yet consumed.</summary>
    public int PendingFaultCount
    {
        get { lock (_gate) { return _faults.Count; } }
    }

    /// <summary>Registers a repository; its SHA is derived from its name, its other fields can be changed later.</summary>
    public FakeRepo AddRepo(
        string owner,
        string name,
        int stars = 10,
        string? license = "MIT",
        bool fork = false,
        bool archived = false,
        long size = 64,
        DateTimeOffset? pushedAt = null,
        IReadOnlyDictionary<string, string>? files = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var pushed = TruncateToSeconds(pushedAt ?? _time.GetUtcNow().AddDays(-1));
        var repo = new FakeRepo(Interlocked.Increment(ref _nextRepoId), owner, name, pushed)
        {
            Stars = stars,
            License = license,
            Fork = fork,
            Archived = archived,
            Size = size,
        };
        foreach (var (path, content) in files ?? new Dictionary<string, string>())
        {
            repo.Files[path] = content;
        }

        if (!_repos.TryAdd(repo.FullName, repo))
        {
            throw new InvalidOperationException($"Repository {repo.FullName} is already registered.");
        }

        return repo;
    }

    /// <summary>The registered repository, or null (case-insensitive, like GitHub).</summary>
    public FakeRepo? GetRepo(string owner, string name) => _repos.GetValueOrDefault($"{owner}/{name}");

    /// <summary>Forgets a repository (afterwards it answers 404 and leaves search results).</summary>
    public bool RemoveRepo(string owner, string name) => _repos.TryRemove($"{owner}/{name}", out _);

    /// <summary>Queues a one-shot fault, consumed by the next request whose path (no query) starts with <paramref name="pathPrefix"/>, e.g. <c>/api/v3/search/</c>.</summary>
    public void EnqueueFault(string pathPrefix, FakeFault fault)
    {
        ArgumentNullException.ThrowIfNull(pathPrefix);
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate)
        {
            _faults.Add((pathPrefix, fault));
        }
    }

    /// <summary>Drops every queued fault.</summary>
    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>How many logged requests match.</summary>
    public int CountRequests(Func<RecordedRequest, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Requests.Count(predicate);
    }

    /// <summary>Empties the request log.</summary>
    public void ClearLog()
    {
        lock (_gate)
        {
            _log.Clear();
        }
    }

    /// <summary>Stops accepting, lets in-flight requests finish (up to 5 s) and closes the listener.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_inFlight.Values).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }

        _listener.Close();
        await _acceptLoop;
        _stopping.Dispose();
    }

    // ---------------------------------------------------------------- listener plumbing

    private static (HttpListener Listener, Uri BaseUri) Bind()
    {
        for (var attempt = 1; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();

            var baseUri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(baseUri.AbsoluteUri);
            try
            {
                listener.Start();
                return (listener, baseUri);
            }
            catch (Exception e) when (attempt < 20 && e is HttpListenerException or SocketException)
            {
                listener.Close();
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var id = Interlocked.Increment(ref _nextRequestId);
            var task = Task.Run(() => HandleAsync(context));
            _inFlight[id] = task;
            _ = task.ContinueWith(_ => _inFlight.TryRemove(id, out var _), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var rawUrl = request.RawUrl ?? "/";
        var queryStart = rawUrl.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? rawUrl : rawUrl[..queryStart];
        var query = ParseQuery(queryStart < 0 ? "" : rawUrl[(queryStart + 1)..]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in request.Headers.AllKeys)
        {
            if (key is not null)
            {
                headers[key] = string.Join(", ", request.Headers.GetValues(key) ?? []);
            }
        }

        Reply reply;
        try
        {
            reply = Dispatch(request.HttpMethod, path, query, headers);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            reply = Reply.Json(500, ErrorJson($"Fake server error: {e.GetType().Name}: {e.Message}"));
        }

        // Logged before the answer goes out, so a client that has its answer always finds it in the log.
        lock (_gate)
        {
            _log.Add(new RecordedRequest
            {
                Method = request.HttpMethod,
                PathAndQuery = rawUrl,
                Path = path,
                Query = query,
                Headers = headers,
                StatusCode = reply.Abort ? 0 : reply.Status,
                Timestamp = _time.GetUtcNow(),
            });
        }

        try
        {
            await WriteAsync(response, reply);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away; nothing to do.
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, Reply reply)
    {
        if (reply.Abort)
        {
            response.Abort();
            return;
        }

        response.StatusCode = reply.Status;
        response.KeepAlive = true;
        foreach (var (name, value) in reply.Headers)
        {
            if (name.Equals("Location", StringComparison.OrdinalIgnoreCase))
            {
                response.RedirectLocation = value;
            }
            else
            {
                response.Headers[name] = value;
            }
        }

        if (reply.ContentType is not null)
        {
            response.ContentType = reply.ContentType;
        }

        response.ContentLength64 = reply.Body.Length;
        if (reply.Body.Length > 0)
        {
            await response.OutputStream.WriteAsync(reply.Body);
        }

        response.Close();
    }

    private static List<KeyValuePair<string, string>> ParseQuery(string rawQuery)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = WebUtility.UrlDecode(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : WebUtility.UrlDecode(part[(eq + 1)..]);
            pairs.Add(new(key, value));
        }

        return pairs;
    }

    // ---------------------------------------------------------------- dispatch

    private Reply Dispatch(string method, string path, IReadOnlyList<KeyValuePair<string, string>> query, Dictionary<string, string> headers)
    {
        var isApi = path.StartsWith(ApiPrefix, StringComparison.Ordinal);
        var fault = TakeFault(path);
        if (fault is not null)
        {
            return FaultReply(fault, isApi, path, headers);
        }

        if (isApi)
        {
            return DispatchApi(method, path[ApiPrefix.Length..], query, headers);
        }

        if (path.StartsWith(CodeloadPrefix, StringComparison.Ordinal) && method == "GET")
        {
            return Codeload(path[CodeloadPrefix.Length..]);
        }

        return Reply.Text(404, "404: Not Found");
    }

    private FakeFault? TakeFault(string path)
    {
        lock (_gate)
        {
            var index = _faults.FindIndex(f => path.StartsWith(f.Prefix, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index].Fault;
            _faults.RemoveAt(index);
            return fault;
        }
    }

    private Reply FaultReply(FakeFault fault, bool isApi, string path, Dictionary<string, string> headers)
    {
        var reply = fault.Kind switch
        {
            FakeFaultKind.SecondaryRateLimit or FakeFaultKind.TooManyRequests => Reply.Json(
                fault.StatusCode,
                ErrorJson(
                    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
                    + "If you reach out to GitHub Support for help, please include the request ID 0000:FAKE:0000.",
                    "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                    fault.StatusCode)),
            FakeFaultKind.PrimaryExhausted => PrimaryExhaustedReply(headers),
            FakeFaultKind.Unauthorized => BadCredentials(),
            FakeFaultKind.ConnectionReset => Reply.Aborted(),
            FakeFaultKind.Garbage => new Reply(200, "application/json; charset=utf-8", Encoding.UTF8.GetBytes("<html><body><h1>Unicorn!</h1> this page is taking too long</body></html>")),
            FakeFaultKind.HugeJson => new Reply(200, "application/json; charset=utf-8", HugeJson(fault.StatusCode)),
            _ => Reply.Json(fault.StatusCode, ErrorJson("Server Error", DocsRoot, fault.StatusCode)),
        };
        if (fault.RetryAfterSeconds > 0)
        {
            reply.Headers.Add(("Retry-After", fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture)));
        }

        if (isApi && !reply.Abort)
        {
            AddRateLimitHeaders(reply, ResourceOf(path[ApiPrefix.Length..]), exhausted: fault.Kind == FakeFaultKind.PrimaryExhausted);
        }

        return reply;
    }

    /// <summary>A JSON document of <paramref name="megabytes"/> MB: one long string.</summary>
    private static byte[] HugeJson(int megabytes)
    {
        var body = new byte[megabytes * 1024 * 1024];
        body.AsSpan().Fill((byte)'a');
        "{\"message\":\""u8.CopyTo(body);
        "\"}"u8.CopyTo(body.AsSpan(body.Length - 2));
        return body;
    }

    private Reply DispatchApi(string method, string subPath, IReadOnlyList<KeyValuePair<string, string>> query, Dictionary<string, string> headers)
    {
        var resource = ResourceOf(subPath);
        if (!IsAuthorized(headers))
        {
            var unauthorized = BadCredentials();
            AddRateLimitHeaders(unauthorized, resource, exhausted: false);
            return unauthorized;
        }

        // /rate_limit does not count against the budget, as on GitHub.
        var counts = subPath != "rate_limit";
        bool exhausted;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now >= _rateLimitReset)
            {
                _rateLimitRemaining = _rateLimitLimit;
                _rateLimitReset = TruncateToSeconds(now.AddHours(1));
            }

            exhausted = counts && _rateLimitRemaining <= 0;
        }

        if (exhausted)
        {
            var denied = PrimaryExhaustedReply(headers);
            AddRateLimitHeaders(denied, resource, exhausted: true);
            return denied;
        }

        var reply = method == "GET" ? Route(subPath, query, headers) : NotFoundJson();

        // A 304 does not count against the budget (GitHub: conditional requests are free).
        if (counts && reply.Status != 304)
        {
            lock (_gate)
            {
                _rateLimitRemaining = Math.Max(0, _rateLimitRemaining - 1);
            }
        }

        AddRateLimitHeaders(reply, resource, exhausted: false);
        reply.Headers.Add(("X-GitHub-Api-Version-Selected", "2022-11-28"));
        reply.Headers.Add(("X-GitHub-Media-Type", "github.v3; format=json"));
        reply.Headers.Add(("X-GitHub-Request-Id", $"FAKE:{Interlocked.Read(ref _nextRequestId).ToString(CultureInfo.InvariantCulture)}"));
        return reply;
    }

    private static string ResourceOf(string subPath) => subPath.StartsWith("search/", StringComparison.Ordinal) ? "search" : "core";

    private bool IsAuthorized(Dictionary<string, string> headers)
    {
        var required = RequiredToken;
        if (required is null)
        {
            return true;
        }

        if (!headers.TryGetValue("Authorization", out var value))
        {
            return false;
        }

        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return false;
        }

        var scheme = value[..space];
        var credential = value[(space + 1)..].Trim();
        if (scheme.Equals("token", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return credential == required;
        }

        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(credential));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon >= 0 && decoded[(colon + 1)..] == required;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return false;
    }

    private void AddRateLimitHeaders(Reply reply, string resource, bool exhausted)
    {
        int limit, remaining;
        DateTimeOffset reset;
        lock (_gate)
        {
            limit = _rateLimitLimit;
            remaining = exhausted ? 0 : _rateLimitRemaining;
            reset = _rateLimitReset;
        }

        reply.Headers.Add(("X-RateLimit-Limit", limit.ToString(CultureInfo.InvariantCulture)));
        reply.Headers.Add(("X-RateLimit-Remaining", remaining.ToString(CultureInfo.InvariantCulture)));
        reply.Headers.Add(("X-RateLimit-Reset", reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        reply.Headers.Add(("X-RateLimit-Used", Math.Max(0, limit - remaining).ToString(CultureInfo.InvariantCulture)));
        reply.Headers.Add(("X-RateLimit-Resource", resource));
    }

    private Reply Route(string subPath, IReadOnlyList<KeyValuePair<string, string>> query, Dictionary<string, string> headers)
    {
        if (subPath == "rate_limit")
        {
            return Conditional(Reply.Json(200, RateLimitJson()), headers);
        }

        if (subPath is "search/repositories" or "search/repositories/")
        {
            return Search(query);
        }

        var segments = subPath.Split('/').Select(Uri.UnescapeDataString).ToArray();
        if (segments.Length < 3 || segments[0] != "repos")
        {
            return NotFoundJson();
        }

        var repo = GetRepo(segments[1], segments[2]);
        if (repo is null || repo.NotFound)
        {
            return NotFoundJson("https://docs.github.com/rest/repos/repos#get-a-repository");
        }

        if (segments.Length == 3 || (segments.Length == 4 && segments[3].Length == 0))
        {
            var json = RepoJson(repo);
            json["network_count"] = repo.Forks;
            json["subscribers_count"] = Math.Max(1, repo.Stars / 10);
            return Conditional(Reply.Json(200, json), headers);
        }

        var rest = string.Join('/', segments[4..]);
        return segments[3] switch
        {
            "commits" when segments.Length >= 5 => Commit(repo, rest, headers),
            "tarball" => TarballRedirect(repo, rest),
            _ => NotFoundJson(),
        };
    }

    // ---------------------------------------------------------------- endpoints

    private Reply Search(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        string? Param(string key) => query.LastOrDefault(p => p.Key == key).Value;

        var q = Param("q");
        if (string.IsNullOrWhiteSpace(q))
        {
            return ValidationFailed("missing", "q");
        }

        var perPage = int.TryParse(Param("per_page"), NumberStyles.None, CultureInfo.InvariantCulture, out var pp) && pp > 0 ? Math.Min(pp, 100) : 30;
        var page = int.TryParse(Param("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var pg) && pg > 0 ? pg : 1;

        var filter = SearchFilter.TryParse(q, out var error);
        if (filter is null)
        {
            return ValidationFailed("invalid", "q", error);
        }

        var matches = _repos.Values.Where(filter.Matches);
        var descending = !string.Equals(Param("order"), "asc", StringComparison.OrdinalIgnoreCase);
        IOrderedEnumerable<FakeRepo> ordered = Param("sort") switch
        {
            "forks" => descending ? matches.OrderByDescending(r => r.Forks) : matches.OrderBy(r => r.Forks),
            "updated" => descending ? matches.OrderByDescending(r => r.UpdatedAt) : matches.OrderBy(r => r.UpdatedAt),
            "stars" => descending ? matches.OrderByDescending(r => r.Stars) : matches.OrderBy(r => r.Stars),
            _ => matches.OrderByDescending(r => r.Stars), // "best match"
        };
        var all = ordered.ThenBy(r => r.Id).ToList();

        var start = (long)(page - 1) * perPage;
        if (start >= SearchResultCap)
        {
            return Reply.Json(422, ErrorJson("Only the first 1000 search results are available", "https://docs.github.com/v3/search/", 422));
        }

        var take = (int)Math.Min(perPage, SearchResultCap - start);
        var shortBy = SearchPagesShortBy;
        var items = new JsonArray();
        foreach (var repo in all.Skip((int)start).Take(Math.Max(0, take - shortBy)))
        {
            var json = RepoJson(repo);
            json["score"] = 1.0;
            items.Add(json);
        }

        var body = new JsonObject
        {
            ["total_count"] = all.Count,
            ["incomplete_results"] = shortBy > 0,
            ["items"] = items,
        };
        var reply = Reply.Json(200, body);

        var reachable = Math.Min(all.Count, SearchResultCap);
        var lastPage = (reachable + perPage - 1) / perPage;
        var links = new List<string>();
        if (page > 1 && lastPage > 0)
        {
            links.Add($"<{SearchPageUrl(query, Math.Min(page - 1, lastPage))}>; rel=\"prev\"");
        }

        if (page < lastPage)
        {
            links.Add($"<{SearchPageUrl(query, page + 1)}>; rel=\"next\"");
            links.Add($"<{SearchPageUrl(query, lastPage)}>; rel=\"last\"");
        }

        if (page > 1 && lastPage > 0)
        {
            links.Add($"<{SearchPageUrl(query, 1)}>; rel=\"first\"");
        }

        if (links.Count > 0)
        {
            reply.Headers.Add(("Link", string.Join(", ", links)));
        }

        // Search answers are not cacheable on GitHub: no ETag, so no 304 either.
        reply.Headers.RemoveAll(h => h.Name == "Cache-Control");
        reply.Headers.Add(("Cache-Control", "no-cache"));
        return reply;
    }

    private string SearchPageUrl(IReadOnlyList<KeyValuePair<string, string>> query, int page)
    {
        // Same form as GitHub: form-encoded values (space as '+', ':' as %3A, ',' as %2C), page replaced where it was, else appended.
        var pageText = page.ToString(CultureInfo.InvariantCulture);
        var parts = query
            .Select(p => p.Key == "page" ? $"page={pageText}" : $"{WebUtility.UrlEncode(p.Key)}={WebUtility.UrlEncode(p.Value)}")
            .ToList();
        if (!query.Any(p => p.Key == "page"))
        {
            parts.Add($"page={pageText}");
        }
        return $"{ApiUri.AbsoluteUri}search/repositories?{string.Join('&', parts)}";
    }

    private Reply Commit(FakeRepo repo, string reference, Dictionary<string, string> headers)
    {
        if (repo.Size == 0)
        {
            return Reply.Json(409, ErrorJson("Git Repository is empty.", "https://docs.github.com/rest/commits/commits#get-a-commit", 409));
        }

        var sha = repo.Sha;
        if (!repo.IsKnownRef(reference))
        {
            return Reply.Json(422, ErrorJson($"No commit found for SHA: {reference}", "https://docs.github.com/rest/commits/commits#get-a-commit", 422));
        }

        if (WantsSha(headers))
        {
            var reply = Reply.Text(200, sha);
            reply.Headers.Add(("ETag", $"\"{sha}\""));
            return Conditional(reply, headers);
        }

        var api = $"{ApiUri.AbsoluteUri}repos/{repo.Owner}/{repo.Name}";
        var html = $"{BaseUri.AbsoluteUri}{repo.Owner}/{repo.Name}";
        var date = FormatDate(repo.PushedAt ?? repo.CreatedAt);
        var person = new JsonObject { ["name"] = "Fake Author", ["email"] = "fake@example.invalid", ["date"] = date };
        var body = new JsonObject
        {
            ["sha"] = sha,
            ["node_id"] = $"C_fake{sha[..12]}",
            ["commit"] = new JsonObject
            {
                ["author"] = person.DeepClone(),
                ["committer"] = person.DeepClone(),
                ["message"] = "Fake commit",
                ["tree"] = new JsonObject { ["sha"] = sha, ["url"] = $"{api}/git/trees/{sha}" },
                ["url"] = $"{api}/git/commits/{sha}",
                ["comment_count"] = 0,
                ["verification"] = new JsonObject
                {
                    ["verified"] = false,
                    ["reason"] = "unsigned",
                    ["signature"] = null,
                    ["payload"] = null,
                    ["verified_at"] = null,
                },
            },
            ["url"] = $"{api}/commits/{sha}",
            ["html_url"] = $"{html}/commit/{sha}",
            ["comments_url"] = $"{api}/commits/{sha}/comments",
            ["author"] = null,
            ["committer"] = null,
            ["parents"] = new JsonArray(),
            ["stats"] = new JsonObject { ["total"] = 0, ["additions"] = 0, ["deletions"] = 0 },
            ["files"] = new JsonArray(),
        };
        return Conditional(Reply.Json(200, body), headers);
    }

    private static bool WantsSha(Dictionary<string, string> headers)
    {
        if (!headers.TryGetValue("Accept", out var accept))
        {
            return false;
        }

        foreach (var item in accept.Split(','))
        {
            var media = item.Split(';')[0].Trim();
            if (media.StartsWith("application/vnd.github", StringComparison.OrdinalIgnoreCase)
                && media.EndsWith(".sha", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private Reply TarballRedirect(FakeRepo repo, string reference)
    {
        if (repo.Size == 0 || !repo.IsKnownRef(reference))
        {
            return NotFoundJson("https://docs.github.com/rest/repos/contents#download-a-repository-archive-tar");
        }

        var refPath = reference.Length == 0 ? repo.DefaultBranch : reference;
        var escaped = string.Join('/', refPath.Split('/').Select(Uri.EscapeDataString));
        var reply = new Reply(302, null, []);
        reply.Headers.Add(("Location", $"{BaseUri.AbsoluteUri}codeload/{Uri.EscapeDataString(repo.Owner)}/{Uri.EscapeDataString(repo.Name)}/legacy.tar.gz/{escaped}"));
        return reply;
    }

    private Reply Codeload(string subPath)
    {
        // {owner}/{name}/legacy.tar.gz/{ref...}
        var segments = subPath.Split('/').Select(Uri.UnescapeDataString).ToArray();
        if (segments.Length < 4 || segments[2] != "legacy.tar.gz")
        {
            return Reply.Text(404, "404: Not Found");
        }

        var repo = GetRepo(segments[0], segments[1]);
        var reference = string.Join('/', segments[3..]);
        if (repo is null || repo.NotFound || repo.Size == 0 || !repo.IsKnownRef(reference))
        {
            return Reply.Text(404, "404: Not Found");
        }

        var bytes = repo.TarballCorrupt ? CorruptBytes(repo) : BuildTarball(repo);
        if (repo.TarballTruncated && !repo.TarballCorrupt)
        {
            bytes = bytes[..(bytes.Length / 2)];
        }

        var reply = new Reply(200, "application/x-gzip", bytes);
        reply.Headers.Add(("Content-Disposition", $"attachment; filename={repo.TarballTopFolder}.tar.gz"));
        reply.Headers.Add(("ETag", $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..40]}\""));
        return reply;
    }

    private static byte[] CorruptBytes(FakeRepo repo)
    {
        var bytes = new byte[4096];
        new Random((int)repo.Id).NextBytes(bytes);
        bytes[0] = 0x42; // never the gzip magic number
        return bytes;
    }

    private static byte[] BuildTarball(FakeRepo repo)
    {
        var top = repo.TarballTopFolder;
        var mtime = repo.PushedAt ?? repo.CreatedAt;
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, content) in repo.Files)
        {
            files[NormalizePath(path)] = Encoding.UTF8.GetBytes(content);
        }

        foreach (var (path, content) in repo.BinaryFiles)
        {
            files[NormalizePath(path)] = content;
        }

        var directories = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in files.Keys)
        {
            for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                directories.Add(path[..slash]);
            }
        }

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            if (!repo.TarballWithoutCommitHeader)
            {
                WriteGitGlobalHeader(gzip, repo.Sha, mtime);
            }

            tar.WriteEntry(Entry(TarEntryType.Directory, top + "/", mtime));
            foreach (var directory in directories)
            {
                tar.WriteEntry(Entry(TarEntryType.Directory, $"{top}/{directory}/", mtime));
            }

            foreach (var (path, content) in files)
            {
                var entry = Entry(TarEntryType.RegularFile, $"{top}/{path}", mtime);
                entry.DataStream = new MemoryStream(content, writable: false);
                tar.WriteEntry(entry);
            }

            if (repo.TarballHostile)
            {
                var escape = Entry(TarEntryType.RegularFile, FakeRepo.HostileTraversalEntryName, mtime);
                escape.DataStream = new MemoryStream(Encoding.UTF8.GetBytes("class Escaped { }\n"), writable: false);
                tar.WriteEntry(escape);

                var nested = Entry(TarEntryType.RegularFile, repo.HostileNestedTraversalEntryName, mtime);
                nested.DataStream = new MemoryStream(Encoding.UTF8.GetBytes("class EscapedToo { }\n"), writable: false);
                tar.WriteEntry(nested);

                var link = Entry(TarEntryType.SymbolicLink, repo.HostileSymlinkEntryName, mtime);
                link.LinkName = FakeRepo.HostileSymlinkTarget;
                tar.WriteEntry(link);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The first block pair of a <c>git archive</c> tarball: a pax global header named <c>pax_global_header</c>
    /// (type 'g') whose record is <c>comment=&lt;sha&gt;</c>. Written by hand because TarWriter names global
    /// headers <c>/tmp/GlobalHead.&lt;pid&gt;.&lt;n&gt;</c>, which GitHub archives never contain.
    /// </summary>
    private static void WriteGitGlobalHeader(Stream output, string sha, DateTimeOffset mtime)
    {
        var body = $"comment={sha}\n";
        var length = body.Length + 3; // "NN " prefix; 52 for a 40-digit SHA
        var record = Encoding.ASCII.GetBytes($"{length.ToString(CultureInfo.InvariantCulture)} {body}");

        var header = new byte[512];
        void Put(int offset, string text) => Encoding.ASCII.GetBytes(text, header.AsSpan(offset));
        static string Octal(long value, int digits) => Convert.ToString(value, 8).PadLeft(digits, '0');

        Put(0, "pax_global_header");
        Put(100, "0000666\0");
        Put(108, "0000000\0");
        Put(116, "0000000\0");
        Put(124, Octal(record.Length, 11) + "\0");
        Put(136, Octal(mtime.ToUnixTimeSeconds(), 11) + "\0");
        Put(148, "        ");
        header[156] = (byte)'g';
        Put(257, "ustar\0");
        Put(263, "00");
        Put(265, "root");
        Put(297, "root");
        Put(329, "0000000\0");
        Put(337, "0000000\0");
        var checksum = header.Sum(b => (int)b);
        Put(148, Octal(checksum, 6) + "\0 ");

        var data = new byte[512];
        record.CopyTo(data, 0);
        output.Write(header);
        output.Write(data);
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, DateTimeOffset mtime) => new(type, name)
    {
        ModificationTime = mtime,
        Mode = type == TarEntryType.Directory
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead,
        Uid = 0,
        Gid = 0,
        UserName = "root",
        GroupName = "root",
    };

    private static string NormalizePath(string path) => path.Replace('\\', '/').TrimStart('/');

    // ---------------------------------------------------------------- JSON shapes

    private JsonObject RepoJson(FakeRepo repo)
    {
        var api = $"{ApiUri.AbsoluteUri}repos/{repo.Owner}/{repo.Name}";
        var html = $"{BaseUri.AbsoluteUri}{repo.Owner}/{repo.Name}";
        return new JsonObject
        {
            ["id"] = repo.Id,
            ["node_id"] = $"R_kgDOFake{repo.Id.ToString(CultureInfo.InvariantCulture)}",
            ["name"] = repo.Name,
            ["full_name"] = repo.FullName,
            ["private"] = false,
            ["owner"] = OwnerJson(repo),
            ["html_url"] = html,
            ["description"] = repo.Description,
            ["fork"] = repo.Fork,
            ["url"] = api,
            ["archive_url"] = api + "/{archive_format}{/ref}",
            ["commits_url"] = api + "/commits{/sha}",
            ["contents_url"] = api + "/contents/{+path}",
            ["languages_url"] = api + "/languages",
            ["created_at"] = FormatDate(repo.CreatedAt),
            ["updated_at"] = FormatDate(repo.UpdatedAt),
            ["pushed_at"] = repo.PushedAt is { } pushed ? FormatDate(pushed) : null,
            ["git_url"] = $"git://{BaseUri.Authority}/{repo.Owner}/{repo.Name}.git",
            ["ssh_url"] = $"git@{BaseUri.Host}:{repo.Owner}/{repo.Name}.git",
            ["clone_url"] = html + ".git",
            ["svn_url"] = html,
            ["homepage"] = null,
            ["size"] = repo.Size,
            ["stargazers_count"] = repo.Stars,
            ["watchers_count"] = repo.Stars,
            ["language"] = repo.Language,
            ["has_issues"] = true,
            ["has_projects"] = true,
            ["has_downloads"] = true,
            ["has_wiki"] = true,
            ["has_pages"] = false,
            ["has_discussions"] = false,
            ["forks_count"] = repo.Forks,
            ["mirror_url"] = null,
            ["archived"] = repo.Archived,
            ["disabled"] = repo.Disabled,
            ["open_issues_count"] = 0,
            ["license"] = LicenseJson(repo.License),
            ["allow_forking"] = true,
            ["is_template"] = false,
            ["web_commit_signoff_required"] = false,
            ["topics"] = new JsonArray(),
            ["visibility"] = "public",
            ["forks"] = repo.Forks,
            ["open_issues"] = 0,
            ["watchers"] = repo.Stars,
            ["default_branch"] = repo.DefaultBranch,
        };
    }

    private JsonObject OwnerJson(FakeRepo repo)
    {
        var id = OwnerId(repo.Owner);
        var api = $"{ApiUri.AbsoluteUri}users/{repo.Owner}";
        return new JsonObject
        {
            ["login"] = repo.Owner,
            ["id"] = id,
            ["node_id"] = $"U_kgDOFake{id.ToString(CultureInfo.InvariantCulture)}",
            ["avatar_url"] = $"{BaseUri.AbsoluteUri}avatars/u/{id.ToString(CultureInfo.InvariantCulture)}?v=4",
            ["gravatar_id"] = "",
            ["url"] = api,
            ["html_url"] = $"{BaseUri.AbsoluteUri}{repo.Owner}",
            ["repos_url"] = api + "/repos",
            ["type"] = repo.OwnerType,
            ["user_view_type"] = "public",
            ["site_admin"] = false,
        };
    }

    private static long OwnerId(string owner)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(owner.ToUpperInvariant()));
        return 100_000 + (BitConverter.ToUInt32(hash, 0) % 90_000_000);
    }

    /// <summary>GitHub's license objects; <c>null</c> when the repository has no detected license.</summary>
    private static JsonObject? LicenseJson(string? spdx)
    {
        if (spdx is null)
        {
            return null;
        }

        // (key, name, GitHub's internal license number used in node_id)
        (string Key, string Name, int Number) known = spdx.ToUpperInvariant() switch
        {
            "AGPL-3.0" => ("agpl-3.0", "GNU Affero General Public License v3.0", 1),
            "APACHE-2.0" => ("apache-2.0", "Apache License 2.0", 2),
            "BSD-2-CLAUSE" => ("bsd-2-clause", "BSD 2-Clause \"Simplified\" License", 4),
            "BSD-3-CLAUSE" => ("bsd-3-clause", "BSD 3-Clause \"New\" or \"Revised\" License", 5),
            "CC0-1.0" => ("cc0-1.0", "Creative Commons Zero v1.0 Universal", 6),
            "GPL-2.0" => ("gpl-2.0", "GNU General Public License v2.0", 8),
            "GPL-3.0" => ("gpl-3.0", "GNU General Public License v3.0", 9),
            "LGPL-2.1" => ("lgpl-2.1", "GNU Lesser General Public License v2.1", 11),
            "LGPL-3.0" => ("lgpl-3.0", "GNU Lesser General Public License v3.0", 12),
            "MIT" => ("mit", "MIT License", 13),
            "MPL-2.0" => ("mpl-2.0", "Mozilla Public License 2.0", 14),
            "UNLICENSE" => ("unlicense", "The Unlicense", 15),
            "NOASSERTION" => ("other", "Other", 0),
            _ => (LowerAscii(spdx), spdx, 99),
        };

        return new JsonObject
        {
            ["key"] = known.Key,
            ["name"] = known.Name,
            ["spdx_id"] = spdx,
            ["url"] = known.Key == "other" ? null : $"https://api.github.com/licenses/{known.Key}",
            ["node_id"] = Convert.ToBase64String(Encoding.ASCII.GetBytes($"07:License{known.Number.ToString(CultureInfo.InvariantCulture)}")),
        };
    }

    private static string LowerAscii(string s) => string.Create(s.Length, s, static (span, src) =>
    {
        for (var i = 0; i < src.Length; i++)
        {
            span[i] = src[i] is >= 'A' and <= 'Z' ? (char)(src[i] + 32) : src[i];
        }
    });

    private JsonObject RateLimitJson()
    {
        int limit, remaining;
        DateTimeOffset reset;
        lock (_gate)
        {
            limit = _rateLimitLimit;
            remaining = _rateLimitRemaining;
            reset = _rateLimitReset;
        }

        JsonObject Bucket(string resource) => new()
        {
            ["limit"] = limit,
            ["used"] = Math.Max(0, limit - remaining),
            ["remaining"] = remaining,
            ["reset"] = reset.ToUnixTimeSeconds(),
            ["resource"] = resource,
        };

        return new JsonObject
        {
            ["resources"] = new JsonObject
            {
                ["core"] = Bucket("core"),
                ["search"] = Bucket("search"),
                ["graphql"] = Bucket("graphql"),
                ["code_search"] = Bucket("code_search"),
            },
            ["rate"] = Bucket("core"),
        };
    }

    private static JsonObject ErrorJson(string message, string documentationUrl = DocsRoot, int? status = null)
    {
        var json = new JsonObject { ["message"] = message, ["documentation_url"] = documentationUrl };
        if (status is { } code)
        {
            json["status"] = code.ToString(CultureInfo.InvariantCulture);
        }

        return json;
    }

    private static Reply NotFoundJson(string documentationUrl = DocsRoot) => Reply.Json(404, ErrorJson("Not Found", documentationUrl, 404));

    private static Reply BadCredentials() => Reply.Json(401, ErrorJson("Bad credentials", DocsRoot, 401));

    private static Reply ValidationFailed(string code, string field, string? message = null)
    {
        var error = new JsonObject { ["resource"] = "Search", ["field"] = field, ["code"] = code };
        if (message is not null)
        {
            error["message"] = message;
        }

        var body = ErrorJson("Validation Failed", "https://docs.github.com/v3/search", 422);
        body["errors"] = new JsonArray(error);
        return Reply.Json(422, body);
    }

    private static Reply PrimaryExhaustedReply(Dictionary<string, string> headers)
    {
        var message = headers.ContainsKey("Authorization")
            ? "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID 0000:FAKE:0000."
            : "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)";
        return Reply.Json(403, ErrorJson(message, "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api", 403));
    }

    /// <summary>Adds a weak ETag to a JSON answer (unless it has one) and turns it into a 304 when If-None-Match matches.</summary>
    private static Reply Conditional(Reply reply, Dictionary<string, string> headers)
    {
        if (reply.Status != 200)
        {
            return reply;
        }

        var etag = reply.Headers.FirstOrDefault(h => h.Name == "ETag").Value;
        if (etag is null)
        {
            etag = $"W/\"{Convert.ToHexStringLower(SHA256.HashData(reply.Body))[..32]}\"";
            reply.Headers.Add(("ETag", etag));
        }

        if (!headers.TryGetValue("If-None-Match", out var ifNoneMatch))
        {
            return reply;
        }

        var ours = StripWeak(etag);
        var matched = ifNoneMatch.Split(',').Select(t => t.Trim()).Any(t => t == "*" || StripWeak(t) == ours);
        if (!matched)
        {
            return reply;
        }

        var notModified = new Reply(304, null, []);
        notModified.Headers.Add(("ETag", etag));
        return notModified;
    }

    private static string StripWeak(string tag) => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;

    private static string FormatDate(DateTimeOffset value) => value.ToUniversalTime().ToString(DateFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) => DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());

    // ---------------------------------------------------------------- helper types

    private sealed class Reply(int status, string? contentType, byte[] body)
    {
        public int Status { get; } = status;

        public string? ContentType { get; } = contentType;

        public byte[] Body { get; } = body;

        public List<(string Name, string Value)> Headers { get; } = [];

        public bool Abort { get; private init; }

        public static Reply Json(int status, JsonNode body)
        {
            var reply = new Reply(status, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(body.ToJsonString()));
            reply.Headers.Add(("Cache-Control", "private, max-age=60, s-maxage=60"));
            reply.Headers.Add(("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP"));
            return reply;
        }

        public static Reply Text(int status, string text) => new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text));

        public static Reply Aborted() => new(0, null, []) { Abort = true };
    }

    /// <summary>The search qualifiers the fake understands; bare words and other qualifiers are ignored.</summary>
    private sealed class SearchFilter
    {
        private (long? Min, long? Max) _stars = (null, null);
        private (long? Min, long? Max) _size = (null, null);
        private (DateTimeOffset? From, DateTimeOffset? Until) _pushed = (null, null);
        private (DateTimeOffset? From, DateTimeOffset? Until) _created = (null, null);
        private string _fork = "false";
        private bool? _archived;
        private string? _license;
        private string? _user;

        public static SearchFilter? TryParse(string q, out string? error)
        {
            var filter = new SearchFilter();
            error = null;
            foreach (var token in Tokenize(q))
            {
                var colon = token.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    continue; // bare word: ignored
                }

                var key = token[..colon].ToUpperInvariant();
                var value = token[(colon + 1)..].Trim('"');
                var ok = key switch
                {
                    "STARS" => TryParseNumberRange(value, out filter._stars),
                    "SIZE" => TryParseNumberRange(value, out filter._size),
                    "PUSHED" => TryParseDateRange(value, out filter._pushed),
                    "CREATED" => TryParseDateRange(value, out filter._created),
                    "FORK" => SetFork(filter, value),
                    "ARCHIVED" => SetArchived(filter, value),
                    "LICENSE" => Set(ref filter._license, value),
                    "USER" or "ORG" => Set(ref filter._user, value),
                    _ => true, // language:, is:, in:, topic: ... accepted, not filtered
                };
                if (!ok)
                {
                    error = $"The qualifier '{token}' could not be parsed.";
                    return null;
                }
            }

            return filter;
        }

        public bool Matches(FakeRepo repo)
        {
            if (_fork == "false" && repo.Fork)
            {
                return false;
            }

            if (_fork == "only" && !repo.Fork)
            {
                return false;
            }

            if (_archived is { } archived && repo.Archived != archived)
            {
                return false;
            }

            if (_user is not null && !repo.Owner.Equals(_user, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (_license is not null)
            {
                var json = LicenseJson(repo.License);
                var key = json?["key"]?.GetValue<string>();
                if (!_license.Equals(key, StringComparison.OrdinalIgnoreCase) && !_license.Equals(repo.License, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }

            return InRange(repo.Stars, _stars)
                && InRange(repo.Size, _size)
                && InRange(repo.PushedAt, _pushed)
                && InRange(repo.CreatedAt, _created);
        }

        private static bool InRange(long value, (long? Min, long? Max) range) =>
            (range.Min is not { } min || value >= min) && (range.Max is not { } max || value <= max);

        private static bool InRange(DateTimeOffset? value, (DateTimeOffset? From, DateTimeOffset? Until) range)
        {
            if (range.From is null && range.Until is null)
            {
                return true;
            }

            return value is { } v && (range.From is not { } from || v >= from) && (range.Until is not { } until || v < until);
        }

        private static bool SetFork(SearchFilter filter, string value)
        {
            var v = value.ToUpperInvariant();
            filter._fork = v switch { "TRUE" => "true", "ONLY" => "only", "FALSE" => "false", _ => "" };
            return filter._fork.Length > 0;
        }

        private static bool SetArchived(SearchFilter filter, string value)
        {
            if (!bool.TryParse(value, out var archived))
            {
                return false;
            }

            filter._archived = archived;
            return true;
        }

        private static bool Set(ref string? field, string value)
        {
            field = value;
            return value.Length > 0;
        }

        private static IEnumerable<string> Tokenize(string q)
        {
            var current = new StringBuilder();
            var quoted = false;
            foreach (var c in q)
            {
                if (c == '"')
                {
                    quoted = !quoted;
                    current.Append(c);
                }
                else if (char.IsWhiteSpace(c) && !quoted)
                {
                    if (current.Length > 0)
                    {
                        yield return current.ToString();
                        current.Clear();
                    }
                }
                else
                {
                    current.Append(c);
                }
            }

            if (current.Length > 0)
            {
                yield return current.ToString();
            }
        }

        /// <summary>N, &gt;N, &gt;=N, &lt;N, &lt;=N, N..M, N..*, *..M.</summary>
        private static bool TryParseNumberRange(string value, out (long? Min, long? Max) range)
        {
            range = (null, null);
            static bool Num(string s, out long? n)
            {
                n = null;
                if (s == "*")
                {
                    return true;
                }

                if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    n = parsed;
                    return true;
                }

                return false;
            }

            long? a, b;
            if (value.Contains("..", StringComparison.Ordinal))
            {
                var parts = value.Split("..");
                if (parts.Length != 2 || !Num(parts[0], out a) || !Num(parts[1], out b))
                {
                    return false;
                }

                range = (a, b);
                return true;
            }

            if (value.StartsWith(">=", StringComparison.Ordinal) && Num(value[2..], out a) && a is not null)
            {
                range = (a, null);
                return true;
            }

            if (value.StartsWith("<=", StringComparison.Ordinal) && Num(value[2..], out b) && b is not null)
            {
                range = (null, b);
                return true;
            }

            if (value.StartsWith('>') && Num(value[1..], out a) && a is not null)
            {
                range = (a + 1, null);
                return true;
            }

            if (value.StartsWith('<') && Num(value[1..], out b) && b is not null)
            {
                range = (null, b - 1);
                return true;
            }

            if (Num(value, out a) && a is not null)
            {
                range = (a, a);
                return true;
            }

            return false;
        }

        /// <summary>Dates (YYYY-MM-DD, a whole UTC day) or instants (ISO 8601) with the same operators; Until is exclusive.</summary>
        private static bool TryParseDateRange(string value, out (DateTimeOffset? From, DateTimeOffset? Until) range)
        {
            range = (null, null);
            static bool Bound(string s, out DateTimeOffset? start, out DateTimeOffset? endExclusive)
            {
                start = endExclusive = null;
                if (s == "*")
                {
                    return true;
                }

                if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                    endExclusive = start.Value.AddDays(1);
                    return true;
                }

                if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                {
                    start = instant;
                    endExclusive = instant.AddTicks(1);
                    return true;
                }

                return false;
            }

            DateTimeOffset? s1, e1, s2, e2;
            if (value.Contains("..", StringComparison.Ordinal))
            {
                var parts = value.Split("..");
                if (parts.Length != 2 || !Bound(parts[0], out s1, out _) || !Bound(parts[1], out _, out e2))
                {
                    return false;
                }

                range = (s1, e2);
                return true;
            }

            if (value.StartsWith(">=", StringComparison.Ordinal) && Bound(value[2..], out s1, out _) && s1 is not null)
            {
                range = (s1, null);
                return true;
            }

            if (value.StartsWith("<=", StringComparison.Ordinal) && Bound(value[2..], out _, out e1) && e1 is not null)
            {
                range = (null, e1);
                return true;
            }

            if (value.StartsWith('>') && Bound(value[1..], out _, out e1) && e1 is not null)
            {
                range = (e1, null);
                return true;
            }

            if (value.StartsWith('<') && Bound(value[1..], out s1, out _) && s1 is not null)
            {
                range = (null, s1);
                return true;
            }

            if (Bound(value, out s2, out e2) && s2 is not null)
            {
                range = (s2, e2);
                return true;
            }

            return false;
        }
    }
}

/// <summary>A repository known to <see cref="FakeGitHubServer"/>; change its properties between requests.</summary>
internal sealed class FakeRepo
{
    /// <summary>Name of the traversal entry at the archive root (outside the top folder) when <see cref="TarballHostile"/> is set.</summary>
    public const string HostileTraversalEntryName = "../escape.cs";

    /// <summary>Target of the symlink entry when <see cref="TarballHostile"/> is set.</summary>
    public const string HostileSymlinkTarget = "/etc/passwd";

    private string _sha;
    private int _commitCounter;

    internal FakeRepo(long id, string owner, string name, DateTimeOffset pushedAt)
    {
        Id = id;
        Owner = owner;
        Name = name;
        PushedAt = pushedAt;
        CreatedAt = pushedAt.AddDays(-365);
        _sha = DeriveSha(owner, name, 0);
    }

    /// <summary>GitHub's numeric repository id (unique per server, from 1001 up).</summary>
    public long Id { get; }

    /// <summary>Owner login.</summary>
    public string Owner { get; }

    /// <summary>Repository name.</summary>
    public string Name { get; }

    /// <summary><c>owner/name</c>.</summary>
    public string FullName => $"{Owner}/{Name}";

    /// <summary>Default branch; "main".</summary>
    public string DefaultBranch { get; set; } = "main";

    /// <summary>The head commit (40 lowercase hex digits); set it, or call <see cref="NewCommit"/>, to simulate a push.</summary>
    public string Sha
    {
        get => Volatile.Read(ref _sha);
        set
        {
            if (value is null || value.Length != 40 || !value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
            {
                throw new ArgumentException("A SHA is 40 lowercase hex digits.", nameof(value));
            }

            Volatile.Write(ref _sha, value);
        }
    }

    /// <summary>First seven digits of <see cref="Sha"/>, as in archive folder names.</summary>
    public string Sha7 => Sha[..7];

    /// <summary>The single top folder of the tarball: <c>{owner}-{name}-{sha7}</c>.</summary>
    public string TarballTopFolder => $"{Owner}-{Name}-{Sha7}";

    /// <summary>Traversal entry that climbs out of the top folder and the extraction root, when <see cref="TarballHostile"/> is set.</summary>
    public string HostileNestedTraversalEntryName => $"{TarballTopFolder}/../../escape-nested.cs";

    /// <summary>Symlink entry (pointing at <see cref="HostileSymlinkTarget"/>) when <see cref="TarballHostile"/> is set.</summary>
    public string HostileSymlinkEntryName => $"{TarballTopFolder}/src/Link.cs";

    /// <summary>stargazers_count (and watchers_count).</summary>
    public int Stars { get; set; }

    /// <summary>forks_count.</summary>
    public int Forks { get; set; }

    /// <summary>Whether the repository is a fork (search leaves forks out unless the query says <c>fork:true</c>).</summary>
    public bool Fork { get; set; }

    /// <summary>archived.</summary>
    public bool Archived { get; set; }

    /// <summary>disabled (only reported; nothing else changes).</summary>
    public bool Disabled { get; set; }

    /// <summary>Size in KB; 0 means an empty repository (commits answer 409, tarball 404).</summary>
    public long Size { get; set; }

    /// <summary>SPDX id ("MIT", "Apache-2.0", "GPL-3.0", "NOASSERTION", ...) or null for <c>"license": null</c>.</summary>
    public string? License { get; set; }

    /// <summary>Primary language ("C#").</summary>
    public string? Language { get; set; } = "C#";

    /// <summary>description.</summary>
    public string? Description { get; set; }

    /// <summary>owner.type: "User" or "Organization".</summary>
    public string OwnerType { get; set; } = "User";

    /// <summary>pushed_at (null is sent as JSON null).</summary>
    public DateTimeOffset? PushedAt { get; set; }

    /// <summary>created_at.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>updated_at: <see cref="PushedAt"/> or, if null, <see cref="CreatedAt"/>.</summary>
    public DateTimeOffset UpdatedAt => PushedAt ?? CreatedAt;

    /// <summary>Text files of the head commit (path relative to the repository root, UTF-8 without BOM in the tarball).</summary>
    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Files given as raw bytes (for BOMs, invalid UTF-8, binaries); win over <see cref="Files"/> on the same path.</summary>
    public Dictionary<string, byte[]> BinaryFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>The tarball is 4 KB of random bytes (not even a gzip header).</summary>
    public bool TarballCorrupt { get; set; }

    /// <summary>The tarball is cut in half (valid gzip header, stream ends early).</summary>
    public bool TarballTruncated { get; set; }

    /// <summary>The tarball also holds <see cref="HostileTraversalEntryName"/>, <see cref="HostileNestedTraversalEntryName"/> and a symlink <see cref="HostileSymlinkEntryName"/>.</summary>
    public bool TarballHostile { get; set; }

    /// <summary>The tarball has no pax global header naming its commit (an archive not made by <c>git archive</c>).</summary>
    public bool TarballWithoutCommitHeader { get; set; }

    /// <summary>Every endpoint for this repository answers 404 (search still lists it, like a stale index).</summary>
    public bool NotFound { get; set; }

    /// <summary>Simulates a push: a new <see cref="Sha"/> and <see cref="PushedAt"/> = <paramref name="at"/> (or now).</summary>
    public string NewCommit(DateTimeOffset? at = null)
    {
        var next = Interlocked.Increment(ref _commitCounter);
        Sha = DeriveSha(Owner, Name, next);
        PushedAt = DateTimeOffset.FromUnixTimeSeconds((at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds());
        return Sha;
    }

    /// <summary>Whether a ref names the head: empty, HEAD, the default branch (or refs/heads/...), or a 7+ digit prefix of the SHA.</summary>
    internal bool IsKnownRef(string reference)
    {
        var sha = Sha;
        return reference.Length == 0
            || reference == "HEAD"
            || reference == DefaultBranch
            || reference == "refs/heads/" + DefaultBranch
            || (reference.Length >= 7 && reference.Length <= 40 && sha.StartsWith(reference, StringComparison.Ordinal));
    }

    private static string DeriveSha(string owner, string name, int counter) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{owner}/{name}#{counter.ToString(CultureInfo.InvariantCulture)}")))[..40];
}

/// <summary>What a one-shot fault does.</summary>
internal enum FakeFaultKind
{
    /// <summary>403, Retry-After, "You have exceeded a secondary rate limit...".</summary>
    SecondaryRateLimit,

    /// <summary>429, Retry-After, the secondary-limit message.</summary>
    TooManyRequests,

    /// <summary>403, X-RateLimit-Remaining: 0, "API rate limit exceeded for ...".</summary>
    PrimaryExhausted,

    /// <summary>401 "Bad credentials".</summary>
    Unauthorized,

    /// <summary>A 5xx with a GitHub error body.</summary>
    ServerError,

    /// <summary>The connection is dropped without an answer.</summary>
    ConnectionReset,

    /// <summary>200 labelled JSON whose body is an HTML page.</summary>
    Garbage,

    /// <summary>200 with a JSON document of many megabytes.</summary>
    HugeJson,
}

/// <summary>A one-shot failure, queued with <see cref="FakeGitHubServer.EnqueueFault"/>.</summary>
internal sealed class FakeFault
{
    private FakeFault(FakeFaultKind kind, int statusCode, int retryAfterSeconds)
    {
        Kind = kind;
        StatusCode = statusCode;
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>403 with GitHub's primary-limit message and X-RateLimit-Remaining: 0 (the budget itself is unchanged).</summary>
    public static FakeFault PrimaryExhausted { get; } = new(FakeFaultKind.PrimaryExhausted, 403, 0);

    /// <summary>401 {"message":"Bad credentials"}.</summary>
    public static FakeFault Unauthorized { get; } = new(FakeFaultKind.Unauthorized, 401, 0);

    /// <summary>The server drops the connection without answering.</summary>
    public static FakeFault ConnectionReset { get; } = new(FakeFaultKind.ConnectionReset, 0, 0);

    /// <summary>What happens.</summary>
    public FakeFaultKind Kind { get; }

    /// <summary>HTTP status sent (0 for a dropped connection).</summary>
    public int StatusCode { get; }

    /// <summary>Retry-After value in seconds (0 = header not sent).</summary>
    public int RetryAfterSeconds { get; }

    /// <summary>403 with Retry-After and "You have exceeded a secondary rate limit...".</summary>
    public static FakeFault SecondaryRateLimit(int retryAfterSeconds) => new(FakeFaultKind.SecondaryRateLimit, 403, retryAfterSeconds);

    /// <summary>429 with Retry-After and the secondary-limit message.</summary>
    public static FakeFault TooManyRequests(int retryAfterSeconds) => new(FakeFaultKind.TooManyRequests, 429, retryAfterSeconds);

    /// <summary>200 labelled JSON whose body is an HTML page (a proxy's).</summary>
    public static FakeFault Garbage { get; } = new(FakeFaultKind.Garbage, 200, 0);

    /// <summary>200 with a JSON document of <paramref name="megabytes"/> MB.</summary>
    public static FakeFault HugeJson(int megabytes) => new(FakeFaultKind.HugeJson, megabytes, 0);

    /// <summary>A 5xx (502 by default) with a GitHub error body.</summary>
    public static FakeFault ServerError(int statusCode = 502) => new(FakeFaultKind.ServerError, statusCode, 0);

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} ({StatusCode.ToString(CultureInfo.InvariantCulture)})";
}

/// <summary>One request as the server saw it. <see cref="ToString"/> never shows headers (the token stays private).</summary>
internal sealed class RecordedRequest
{
    /// <summary>GET, ...</summary>
    public required string Method { get; init; }

    /// <summary>Raw path and query as sent, e.g. <c>/api/v3/search/repositories?q=...&amp;page=2</c>.</summary>
    public required string PathAndQuery { get; init; }

    /// <summary>Raw path without the query.</summary>
    public required string Path { get; init; }

    /// <summary>Decoded query parameters, in order.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Query { get; init; }

    /// <summary>Request headers (case-insensitive names), Authorization included: assert on it, never print it.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>Status answered (0 when the connection was dropped by a fault).</summary>
    public required int StatusCode { get; init; }

    /// <summary>When the answer was decided (server clock).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The Authorization header, or null.</summary>
    public string? Authorization => Header("Authorization");

    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The last value of a query parameter, or null.</summary>
    public string? QueryValue(string name) => Query.LastOrDefault(p => p.Key == name).Value;

    /// <inheritdoc/>
    public override string ToString() => $"{Method} {PathAndQuery} -> {StatusCode.ToString(CultureInfo.InvariantCulture)}";
}
