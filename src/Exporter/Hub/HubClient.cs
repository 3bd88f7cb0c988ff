using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoRefiner.Core.Http;
using Polly;
using Polly.Retry;

namespace AutoRefiner.Exporter.Hub;

/// <summary>
/// A client for the Hugging Face Hub's upload protocol, as its own Python client speaks it: repository creation,
/// <c>preupload</c> (which files go through LFS), the Git LFS batch API (basic and multipart transfers, with the
/// completion and verify calls the Hub asks for), and one commit (NDJSON: header, regular files in base64, LFS
/// pointers, deletions). Every request goes through one retry pipeline (408, 429, 5xx, dropped connections, attempts
/// past their time limit; waits as the Hub asks), with a fresh request each time so file bodies are streamed again from disk. The token is sent
/// only in the <c>Authorization</c> header and never appears in a message.
/// </summary>
public sealed class HubClient : IDisposable
{
    private const string LfsMediaType = "application/vnd.git-lfs+json";
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _shownEndpoint;
    private readonly string _token;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    /// <summary>
    /// Creates a client for <paramref name="endpoint"/> (<c>HF_ENDPOINT</c>) with <paramref name="token"/> (<c>HF_TOKEN</c>);
    /// its waits between attempts and its time limits run on <paramref name="time"/> (the system clock when null).
    /// </summary>
    public HubClient(Uri endpoint, string token, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(token);
        _endpoint = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        _shownEndpoint = AutoRefiner.Core.Text.Redact.Credentials(_endpoint.GetLeftPart(UriPartial.Authority));
        _token = token;
        _time = time ?? TimeProvider.System;
        _retry = BuildRetry();
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(30) }) { Timeout = Timeout.InfiniteTimeSpan }
            : new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("autorefiner", "0.1"));
    }

    /// <summary>Largest answer read from the Hub (its JSON answers are a few KB to a few MB).</summary>
    public const int MaxAnswerBytes = 32 * 1024 * 1024;

    /// <summary>How much of an error answer is read for its message.</summary>
    private const int MaxErrorBytes = 64 * 1024;

    /// <summary>Longest time one attempt may take (headers and body); a slower one is abandoned and retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Slowest upload accepted: an LFS upload may take <see cref="RequestTimeout"/> plus its size at this rate.</summary>
    public long MinUploadBytesPerSecond { get; init; } = 100 * 1024;

    /// <summary>Attempts per request (the first and the retries).</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>First wait before a retry without <c>Retry-After</c>; doubles each time.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between attempts.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The clock of this client's waits and time limits (the pusher waits on it too).</summary>
    public TimeProvider Time => _time;

    /// <summary>LFS bytes sent (upload bodies), for the summary and the tests.</summary>
    public long LfsBytesUploaded => Interlocked.Read(ref _lfsBytes);

    /// <summary>Requests sent, retries included.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    private long _lfsBytes;
    private long _requests;

    /// <summary>The open pull requests of <paramref name="repo"/> (the Hub's discussions API), by number, with their titles.</summary>
    public async Task<IReadOnlyDictionary<int, string>> OpenPullRequestsAsync(string repo, CancellationToken cancellationToken)
    {
        var found = new Dictionary<int, string>();
        for (var page = 0; page < 50; page++)
        {
            var url = $"api/datasets/{repo}/discussions?p={page}&type=pull_request&status=open";
            var what = $"list the pull requests of {repo}";
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), what, cancellationToken);
            var answer = await ReadJsonAsync(response, what, cancellationToken);
            var discussions = answer?["discussions"]?.AsArray() ?? [];
            foreach (var d in discussions)
            {
                if (d?["isPullRequest"]?.GetValue<bool>() == true && d["status"]?.GetValue<string>() is "open" or "draft" && d["num"]?.GetValue<int>() is { } num)
                {
                    found[num] = d["title"]?.GetValue<string>() ?? "";
                }
            }

            var start = answer?["start"]?.GetValue<int>() ?? 0;
            var count = answer?["count"]?.GetValue<int>() ?? 0;
            if (discussions.Count == 0 || start + discussions.Count >= count)
            {
                break;
            }
        }

        return found;
    }

    /// <summary>The page of a pull request, for people.</summary>
    public string PullRequestUrl(string repo, int number) => string.Create(CultureInfo.InvariantCulture, $"{_shownEndpoint}/datasets/{repo}/discussions/{number}");

    /// <summary>The page of a revision of <paramref name="repo"/>, for people (no credentials in it).</summary>
    public string RevisionUrl(string repo, string revision) => $"{_shownEndpoint}/datasets/{repo}/tree/{Uri.EscapeDataString(revision)}";

    /// <summary>Creates the dataset repository; false when it already exists.</summary>
    public async Task<bool> CreateDatasetAsync(string repo, bool isPrivate, CancellationToken cancellationToken)
    {
        var (owner, name) = Split(repo);
        var body = new JsonObject { ["type"] = "dataset", ["name"] = name, ["organization"] = owner, ["private"] = isPrivate };
        using var response = await SendAsync(() => Json(HttpMethod.Post, "api/repos/create", body), $"create dataset {repo}", cancellationToken, accept: [HttpStatusCode.Conflict]);
        return response.StatusCode != HttpStatusCode.Conflict;
    }

    /// <summary>The files the revision holds now, by path (empty for an empty repository).</summary>
    public async Task<IReadOnlyDictionary<string, RemoteFile>> ListFilesAsync(string repo, string revision, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, RemoteFile>(StringComparer.Ordinal);
        var next = $"api/datasets/{repo}/tree/{Uri.EscapeDataString(revision)}?recursive=true";
        while (next is not null)
        {
            var url = next;
            var what = $"list the files of {repo}@{revision}";
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), what, cancellationToken, accept: [HttpStatusCode.NotFound]);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return files; // a new, empty repository has no tree yet
            }

            var page = await ReadJsonAsync(response, what, cancellationToken) is JsonArray array ? array : [];
            foreach (var entry in page)
            {
                if (entry?["type"]?.GetValue<string>() == "file" && entry["path"]?.GetValue<string>() is { } path)
                {
                    files[path] = new RemoteFile(entry["size"]?.GetValue<long>() ?? 0, entry["oid"]?.GetValue<string>() ?? "", entry["lfs"]?["oid"]?.GetValue<string>());
                }
            }

            next = response.Headers.TryGetValues("Link", out var links) ? NextLink(links) : null;
        }

        return files;
    }

    /// <summary>A file of the revision as text, or null when it is not there.</summary>
    public async Task<string?> DownloadTextAsync(string repo, string revision, string path, CancellationToken cancellationToken)
    {
        var url = $"datasets/{repo}/resolve/{Uri.EscapeDataString(revision)}/{path}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), $"read {path} of {repo}", cancellationToken, accept: [HttpStatusCode.NotFound]);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>Which of <paramref name="files"/> the Hub wants through LFS (by path).</summary>
    public async Task<IReadOnlySet<string>> PreuploadAsync(string repo, string revision, IReadOnlyList<LocalFile> files, CancellationToken cancellationToken)
    {
        var lfs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var batch in files.Chunk(256))
        {
            var list = new JsonArray();
            foreach (var file in batch)
            {
                list.Add(new JsonObject { ["path"] = file.Path, ["size"] = file.Size, ["sample"] = Convert.ToBase64String(await file.SampleAsync(cancellationToken)) });
            }

            var body = new JsonObject { ["files"] = list };
            using var response = await SendAsync(() => Json(HttpMethod.Post, $"api/datasets/{repo}/preupload/{Uri.EscapeDataString(revision)}", body), $"preupload to {repo}", cancellationToken);
            var answer = await ReadJsonAsync(response, $"preupload to {repo}", cancellationToken);
            foreach (var entry in answer?["files"]?.AsArray() ?? [])
            {
                if (entry?["uploadMode"]?.GetValue<string>() == "lfs" && entry["path"]?.GetValue<string>() is { } path)
                {
                    lfs.Add(path);
                }
            }
        }

        return lfs;
    }

    /// <summary>Uploads the LFS objects the Hub does not have yet; returns how many it asked for.</summary>
    public async Task<int> UploadLfsAsync(string repo, string revision, IReadOnlyList<LocalFile> files, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var uploaded = 0;
        foreach (var batch in files.DistinctBy(f => f.Sha256).Chunk(100))
        {
            var objects = new JsonArray();
            foreach (var file in batch)
            {
                objects.Add(new JsonObject { ["oid"] = file.Sha256, ["size"] = file.Size });
            }

            var body = new JsonObject
            {
                ["operation"] = "upload",
                ["transfers"] = new JsonArray("basic", "multipart"),
                ["objects"] = objects,
                ["hash_algo"] = "sha256",
                ["ref"] = new JsonObject { ["name"] = revision },
            };
            using var response = await SendAsync(
                () => Json(HttpMethod.Post, $"datasets/{repo}.git/info/lfs/objects/batch", body, LfsMediaType), $"ask {repo} which LFS objects it needs", cancellationToken);
            var answer = await ReadJsonAsync(response, $"ask {repo} which LFS objects it needs", cancellationToken) ?? new JsonObject();
            foreach (var entry in answer["objects"]?.AsArray() ?? [])
            {
                var oid = entry!["oid"]!.GetValue<string>();
                var file = batch.First(f => f.Sha256 == oid);
                if (entry["error"] is { } error)
                {
                    throw new HubException($"the Hub refused LFS object {file.Path}: {error["message"]?.GetValue<string>() ?? error.ToJsonString()}", (int?)error["code"]?.GetValue<int>());
                }

                if (entry["actions"] is not JsonObject actions || actions["upload"] is not JsonObject upload)
                {
                    continue; // the Hub already has it
                }

                uploaded++;
                // Multipart when the upload action's header names a chunk size, as huggingface_hub and huggingface.js
                // decide; the answer's "transfer" field is not reliable for this.
                if (upload["header"]?["chunk_size"] is not null)
                {
                    await MultipartAsync(file, upload, progress, cancellationToken);
                }
                else
                {
                    await BasicAsync(file, upload, progress, cancellationToken);
                }

                if (actions["verify"] is JsonObject verify)
                {
                    var verifyBody = new JsonObject { ["oid"] = file.Sha256, ["size"] = file.Size };
                    using var verified = await SendAsync(
                        () => WithHeaders(Json(HttpMethod.Post, verify["href"]!.GetValue<string>(), verifyBody, LfsMediaType), verify["header"]), $"verify {file.Path}", cancellationToken);
                }
            }
        }

        return uploaded;
    }

    private async Task BasicAsync(LocalFile file, JsonObject upload, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var href = upload["href"]!.GetValue<string>();
        using var response = await SendAsync(
            () => WithHeaders(new HttpRequestMessage(HttpMethod.Put, href) { Content = file.Content(0, file.Size, n => Count(n, progress)) }, upload["header"]),
            $"upload {file.Path}", cancellationToken, authorize: false, uploadBytes: file.Size);
    }

    private async Task MultipartAsync(LocalFile file, JsonObject upload, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        // The header holds chunk_size and one URL per part, keyed by its number ("00001", …); the parts are PUT in order,
        // part n holding the bytes from (n - 1) × chunk_size, and the completion lists their ETags.
        var header = upload["header"]!.AsObject();
        if (!long.TryParse(header["chunk_size"]!.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var chunk) || chunk <= 0)
        {
            throw new HubException($"the Hub's upload answer for {file.Path} gives chunk_size '{header["chunk_size"]}', which is not a positive number of bytes");
        }

        var parts = header
            .Where(kv => kv.Key.Length is > 0 and < 10 && kv.Key.All(char.IsAsciiDigit))
            .Select(kv => (Number: int.Parse(kv.Key, CultureInfo.InvariantCulture), Url: kv.Value?.ToString() ?? ""))
            .OrderBy(p => p.Number)
            .ToList();
        var expected = (file.Size + chunk - 1) / chunk;
        if (parts.Count != expected || parts.Select((p, i) => p.Number != i + 1).Any(wrong => wrong))
        {
            throw new HubException(string.Create(
                CultureInfo.InvariantCulture,
                $"the Hub's upload answer for {file.Path} lists {parts.Count} part URLs, but its chunk_size of {chunk:N0} bytes makes {expected} parts numbered from 1 of the file's {file.Size:N0} bytes"));
        }

        var etags = new JsonArray();
        foreach (var (number, partUrl) in parts)
        {
            var offset = (number - 1) * chunk;
            var length = Math.Min(chunk, file.Size - offset);
            using var response = await SendAsync(
                () => new HttpRequestMessage(HttpMethod.Put, partUrl) { Content = file.Content(offset, length, n => Count(n, progress)) },
                $"upload part {number} of {file.Path}", cancellationToken, authorize: false, uploadBytes: length);
            var etag = response.Headers.ETag?.Tag ?? (response.Headers.TryGetValues("ETag", out var values) ? values.First() : null)
                       ?? throw new HubException($"the Hub's storage gave no ETag for part {number} of {file.Path}");
            etags.Add(new JsonObject { ["partNumber"] = number, ["etag"] = etag });
        }

        var completion = new JsonObject { ["oid"] = file.Sha256, ["parts"] = etags };
        using var completed = await SendAsync(
            () => Json(HttpMethod.Post, upload["href"]!.GetValue<string>(), completion, LfsMediaType), $"complete the upload of {file.Path}", cancellationToken, authorize: false);
    }

    private void Count(long bytes, IProgress<long>? progress)
    {
        Interlocked.Add(ref _lfsBytes, bytes);
        progress?.Report(bytes);
    }

    /// <summary>Commits: regular files (base64), LFS pointers and deletions in one NDJSON request.</summary>
    public async Task<CommitResult> CommitAsync(
        string repo, string revision, string message, IReadOnlyList<LocalFile> regular, IReadOnlyList<LocalFile> lfs, IReadOnlyList<string> deleted, bool createPr, CancellationToken cancellationToken)
    {
        var url = $"api/datasets/{repo}/commit/{Uri.EscapeDataString(revision)}{(createPr ? "?create_pr=1" : "")}";
        var lines = new List<string>
        {
            new JsonObject { ["key"] = "header", ["value"] = new JsonObject { ["summary"] = message, ["description"] = "" } }.ToJsonString(),
        };
        foreach (var file in regular)
        {
            lines.Add(new JsonObject { ["key"] = "file", ["value"] = new JsonObject { ["content"] = Convert.ToBase64String(await File.ReadAllBytesAsync(file.FullPath, cancellationToken)), ["path"] = file.Path, ["encoding"] = "base64" } }.ToJsonString());
        }

        foreach (var file in lfs)
        {
            lines.Add(new JsonObject { ["key"] = "lfsFile", ["value"] = new JsonObject { ["path"] = file.Path, ["algo"] = "sha256", ["oid"] = file.Sha256, ["size"] = file.Size } }.ToJsonString());
        }

        foreach (var path in deleted)
        {
            lines.Add(new JsonObject { ["key"] = "deletedFile", ["value"] = new JsonObject { ["path"] = path } }.ToJsonString());
        }

        var ndjson = string.Join('\n', lines) + "\n";
        // A commit is not repeated blindly: if the Hub carried out the first one and its answer was lost, a second would be
        // a duplicate commit (or a second pull request). The caller decides, knowing what the Hub holds.
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson") },
            $"commit to {repo}@{revision}",
            cancellationToken,
            idempotent: false);
        var answer = await ReadJsonAsync(response, $"commit to {repo}@{revision}", cancellationToken, committed: true);
        return new CommitResult(
            answer?["commitUrl"]?.GetValue<string>() ?? "",
            answer?["commitOid"]?.GetValue<string>() ?? "",
            answer?["pullRequestUrl"]?.GetValue<string>());
    }

    /// <summary>
    /// The JSON of a successful answer, or a sentence saying the Hub's answer was not JSON (cut short, an HTML page from a
    /// proxy). After a commit that answer does not say whether the commit was made, so the caller looks.
    /// </summary>
    private async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken, bool committed = false)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            var where = e.BytePositionInLine is { } at ? string.Create(CultureInfo.InvariantCulture, $" at byte {at:N0} of {text.Length:N0}") : "";
            throw new HubException(
                $"the Hub at {_shownEndpoint} answered {(int)response.StatusCode} to {what} with something that is not the JSON it documents{where} (cut short, or a page from a proxy)",
                (int)response.StatusCode,
                mayHaveTakenEffect: committed);
        }
    }

    private static HttpRequestMessage Json(HttpMethod method, string url, JsonNode body, string mediaType = "application/json")
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (mediaType == LfsMediaType)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LfsMediaType));
        }

        return request;
    }

    private static HttpRequestMessage WithHeaders(HttpRequestMessage request, JsonNode? headers)
    {
        foreach (var (name, value) in headers?.AsObject() ?? [])
        {
            if (name.All(char.IsAsciiDigit) || name == "chunk_size" || value is null)
            {
                continue;
            }

            request.Headers.TryAddWithoutValidation(name, value.ToString());
        }

        return request;
    }

    /// <summary>
    /// Sends a request made fresh for each attempt (so a file body is streamed again from disk) through the client's one
    /// retry pipeline; turns the Hub's error answers (its <c>X-Error-Code</c> and <c>X-Error-Message</c> headers, or its
    /// JSON <c>error</c>) into a sentence. A request that is not <paramref name="idempotent"/> (a commit) is retried only
    /// when the Hub surely did not carry it out: a 408 or 429 (the Hub's rate limiter answers 429 before the request is
    /// processed) or a connection that was never made; after a 5xx, a dropped answer or a timeout it fails with
    /// <see cref="HubException.MayHaveTakenEffect"/> and the caller looks at what the Hub holds.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> make, string what, CancellationToken cancellationToken, HttpStatusCode[]? accept = null, bool authorize = true, bool idempotent = true, long uploadBytes = 0)
    {
        // An upload's time limit grows with its size, so a large file on a slow line is not cut off and restarted.
        var timeout = RequestTimeout + TimeSpan.FromSeconds((double)uploadBytes / MinUploadBytesPerSecond);
        var attempt = 0;
        try
        {
            return await _retry.ExecuteAsync(
                async token => await AttemptAsync(make, what, ++attempt, timeout, accept, authorize, idempotent, token),
                cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Only the last attempt's time limit gets here: an earlier one is retried.
            throw new HubException($"the Hub at {_shownEndpoint} did not answer to {what} within {Duration(timeout)}, {attempt} time{(attempt == 1 ? "" : "s")}");
        }
        catch (HttpRequestException e)
        {
            throw new HubException($"cannot reach the Hub at {_shownEndpoint} to {what} after {AutoRefiner.Core.Text.Words.Count(attempt, "attempt")}: {Scrub(e.Message)}");
        }
    }

    /// <summary>
    /// The retry pipeline of every Hub request: 408, 429 and 5xx answers, dropped connections and attempts past their time
    /// limit are tried again (<see cref="MaxAttempts"/> in all), after what the Hub asks (<see cref="RetryAfter"/>) or a
    /// doubling backoff from <see cref="RetryBaseDelay"/>, at most <see cref="MaxRetryDelay"/>, on the client's clock.
    /// What must not be retried never reaches it as a retryable outcome: <see cref="AttemptAsync"/> turns it into a
    /// <see cref="HubException"/> first.
    /// </summary>
    private ResiliencePipeline<HttpResponseMessage> BuildRetry() => new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time }
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = Math.Max(1, MaxAttempts - 1),
            ShouldHandle = args => ValueTask.FromResult(args.AttemptNumber + 1 < MaxAttempts && args.Outcome switch
            {
                { Result: { } response } => IsTransient(response.StatusCode),
                { Exception: HttpRequestException } => true,
                { Exception: OperationCanceledException } => !args.Context.CancellationToken.IsCancellationRequested,
                _ => false,
            }),
            DelayGenerator = args =>
            {
                var asked = args.Outcome.Result is { } response ? RetryAfter.Read(response, _time) : null;
                var delay = asked ?? TimeSpan.FromMilliseconds(RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(args.AttemptNumber, 30)));
                return ValueTask.FromResult<TimeSpan?>(delay < MaxRetryDelay ? delay : MaxRetryDelay);
            },
            OnRetry = args =>
            {
                // The answer being retried is not needed any more (disposing it twice is harmless).
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    private static bool IsTransient(HttpStatusCode status) => (int)status is 408 or 429 or >= 500;

    /// <summary>
    /// One attempt, within its own time limit (headers and body) on the client's clock. Returns a success, an accepted
    /// answer or a transient one that may be retried; throws a <see cref="HubException"/> for what must not be.
    /// </summary>
    private async Task<HttpResponseMessage> AttemptAsync(
        Func<HttpRequestMessage> make, string what, int attempt, TimeSpan timeout, HttpStatusCode[]? accept, bool authorize, bool idempotent, CancellationToken cancellationToken)
    {
        using var request = make();
        if (!request.RequestUri!.IsAbsoluteUri)
        {
            request.RequestUri = new Uri(_endpoint, request.RequestUri);
        }

        // The token goes to the Hub itself, never to the storage URLs it hands out for uploads.
        if (authorize && request.Headers.Authorization is null && request.RequestUri.Host == _endpoint.Host && request.RequestUri.Port == _endpoint.Port)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        Interlocked.Increment(ref _requests);
        HttpResponseMessage? response = null;
        using var limit = new CancellationTokenSource(timeout, _time);
        using var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptToken.Token);
            if (response.IsSuccessStatusCode || accept?.Contains(response.StatusCode) == true)
            {
                // The Hub answers with small JSON documents: the body is read within this attempt's time limit, and one
                // larger than MaxAnswerBytes is refused rather than held in memory.
                if (response.Content.Headers.ContentLength > MaxAnswerBytes)
                {
                    throw new HubException($"the Hub's answer to {what} is {response.Content.Headers.ContentLength:N0} bytes, more than the {MaxAnswerBytes:N0} AutoRefiner reads", (int)response.StatusCode);
                }

                await response.Content.LoadIntoBufferAsync(MaxAnswerBytes, attemptToken.Token);
                return Handed(ref response);
            }

            var status = (int)response.StatusCode;
            if (status >= 500 && !idempotent)
            {
                throw await ErrorAsync(response, what, attemptToken.Token, mayHaveTakenEffect: true);
            }

            if (!IsTransient(response.StatusCode) || attempt >= MaxAttempts)
            {
                throw await ErrorAsync(response, what, attemptToken.Token);
            }

            return Handed(ref response); // retried by the pipeline
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            // An answer larger than MaxAnswerBytes: asking again would bring the same.
            throw new HubException($"the Hub's answer to {what} is larger than the {MaxAnswerBytes:N0} bytes AutoRefiner reads", mayHaveTakenEffect: !idempotent);
        }
        catch (HttpRequestException e) when (!idempotent && e.HttpRequestError != HttpRequestError.ConnectionError)
        {
            throw new HubException(
                $"the connection to the Hub at {_shownEndpoint} broke during the request to {what}: {Scrub(e.Message)}", mayHaveTakenEffect: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !idempotent)
        {
            throw new HubException(
                $"the Hub at {_shownEndpoint} did not answer to {what} within {Duration(timeout)}", mayHaveTakenEffect: true);
        }
        finally
        {
            response?.Dispose();
        }
    }

    /// <summary>Gives the answer to the caller: the attempt's <c>finally</c> no longer disposes it.</summary>
    private static HttpResponseMessage Handed(ref HttpResponseMessage? response)
    {
        var handed = response!;
        response = null;
        return handed;
    }

    private async Task<HubException> ErrorAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken, bool mayHaveTakenEffect = false)
    {
        var status = (int)response.StatusCode;
        var code = response.Headers.TryGetValues("X-Error-Code", out var codes) ? codes.FirstOrDefault() : null;
        var text = response.Headers.TryGetValues("X-Error-Message", out var messages) ? messages.FirstOrDefault() : null;
        if (text is null)
        {
            var body = await ReadStartAsync(response.Content, MaxErrorBytes, cancellationToken);
            try
            {
                text = JsonNode.Parse(body)?["error"]?.ToString();
            }
            catch (JsonException)
            {
            }

            text ??= body.Length > 300 ? body[..300] + "…" : body;
        }

        text = Scrub(text.Trim());
        var (sentence, usage) = (code, status) switch
        {
            ("RepoNotFound", _) or (_, 404) when what.StartsWith("commit", StringComparison.Ordinal) || code == "RepoNotFound" =>
                ($"the Hub has no such dataset repository, or the token cannot see it ({what})", true),
            ("RevisionNotFound", _) => ($"the revision does not exist on the Hub: create the branch first, or push without --revision ({what})", true),
            ("GatedRepo", _) => ($"the repository is gated: accept its conditions on the Hub with the account of the token ({what})", true),
            (_, 401) => ("the Hub refused HF_TOKEN (401): check the token", true),
            (_, 403) => ($"HF_TOKEN has no write access to this repository (403): use a token with the write role, or one of its organisation ({what})", true),
            _ => ($"the Hub answered {status} to {what}", false),
        };
        return new HubException(text.Length > 0 ? $"{sentence}: {text}" : sentence, status, usage, mayHaveTakenEffect);
    }

    private static string Duration(TimeSpan time) => time < TimeSpan.FromMinutes(2)
        ? string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.#} s")
        : AutoRefiner.Core.Text.Words.Count((long)Math.Round(time.TotalMinutes, MidpointRounding.AwayFromZero), "minute");

    /// <summary>The first <paramref name="limit"/> bytes of a body, as text: an error page is read no further.</summary>
    private static async Task<string> ReadStartAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[limit];
        var length = 0;
        int read;
        while (length < limit && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private string Scrub(string text) => AutoRefiner.Core.Text.Redact.Shown(text, _token);

    private static string? NextLink(IEnumerable<string> links)
    {
        foreach (var part in links.SelectMany(l => l.Split(',')))
        {
            var segments = part.Split(';');
            if (segments.Length > 1 && segments.Skip(1).Any(s => s.Trim() == "rel=\"next\""))
            {
                return segments[0].Trim().Trim('<', '>');
            }
        }

        return null;
    }

    private static (string Owner, string Name) Split(string repo)
    {
        var parts = repo.Split('/');
        return parts is [{ Length: > 0 } owner, { Length: > 0 } name]
            ? (owner, name)
            : throw new HubException($"'{repo}' is not owner/name", isUsage: true);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

/// <summary>What a commit made.</summary>
/// <param name="CommitUrl">Link to the commit.</param>
/// <param name="CommitOid">Its id.</param>
/// <param name="PullRequestUrl">The pull request, with <c>--create-pr</c>.</param>
public sealed record CommitResult(string CommitUrl, string CommitOid, string? PullRequestUrl);

/// <summary>A file the Hub holds.</summary>
/// <param name="Size">Bytes.</param>
/// <param name="Oid">Its git blob id (SHA-1 of <c>blob {size}\0</c> + content; for an LFS file, of its pointer).</param>
/// <param name="LfsOid">SHA-256 of the content, for an LFS file.</param>
public sealed record RemoteFile(long Size, string Oid, string? LfsOid);
