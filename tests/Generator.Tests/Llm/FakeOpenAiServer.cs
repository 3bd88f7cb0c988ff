using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AutoRefiner.Generator.Tests.Llm;

/// <summary>
/// An in-process fake of an OpenAI-compatible chat endpoint (<c>POST /v1/chat/completions</c>, non-streaming), served
/// over a real loopback socket with <see cref="HttpListener"/> so that the real Semantic Kernel connector can be pointed
/// at <see cref="BaseUrl"/>. What it answers is decided per request by <see cref="Responder"/>, which sees the parsed
/// request and how many times the same body was sent before (so "429 first, then an answer" is easy to script).
/// </summary>
internal sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private readonly ConcurrentDictionary<string, int> _attemptsByBody = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeChatRequest> _log = new();
    private long _nextId;
    private long _endlessBytesSent;
    private int _concurrent;
    private int _maxConcurrent;

    /// <summary>Binds a free loopback port and starts serving.</summary>
    public FakeOpenAiServer()
    {
        (_listener, var root) = Bind();
        BaseUrl = new Uri(root, "v1/");
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The base URL to configure (<c>http://127.0.0.1:port/v1/</c>), as OPENAI_BASE_URL would be.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The clock of the server's delays (<see cref="Latency"/>, a reply's delay); a test may share it with the client.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>When set, requests must carry <c>Authorization: Bearer &lt;key&gt;</c>, else 401.</summary>
    public string? RequiredKey { get; set; }

    /// <summary>Added before every answer (a model's latency).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>What it does with OpenAI's <c>n</c> (several answers per request): by default what most local servers do, ignore it.</summary>
    public ChoicesMode N { get; set; }

    /// <summary>Decides each answer; by default a well-formed contract answer built from the prompt.</summary>
    public Func<FakeChatRequest, FakeReply> Responder { get; set; } = request => FakeReply.Answer(ContractAnswer(request));

    /// <summary>Requests received (every attempt, including refused ones), in arrival order.</summary>
    public IReadOnlyList<FakeChatRequest> Requests => [.. _log];

    /// <summary>Requests received.</summary>
    public int RequestCount => _log.Count;

    /// <summary>Most requests being handled at the same moment.</summary>
    public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

    /// <summary>Bytes of endless answers the client took before it stopped reading.</summary>
    public long EndlessBytesSent => Interlocked.Read(ref _endlessBytesSent);

    /// <summary>Starts counting <see cref="MaxConcurrent"/> afresh.</summary>
    public void ResetMaxConcurrent() => Volatile.Write(ref _maxConcurrent, 0);

    /// <summary>
    /// A valid answer in the contract format: a class whose sum carries a step, with tests. The class name, the step and
    /// the example's numbers come from the request, so answers to different seeds differ in their data as real answers
    /// do, not only in a name (near-duplicate detection sees through renamed names).
    /// </summary>
    public static string ContractAnswer(FakeChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hash = StableHash(request.UserText);
        var suffix = hash % 100000;
        var step = 2 + (int)(hash / 100000 % 997);
        var x = 1 + (int)(hash / 7 % 99);
        return $$"""
            [Instruction]
            Write a static class `Adder{{suffix}}` with a method `int Add(int a, int b)` that returns the sum of its arguments plus {{step}}, so that `Add({{x}}, 3)` is {{x + 3 + step}}.

            [Response]
            The method returns `a + b + Step`.

            ```csharp
            namespace Exercises;

            public static class Adder{{suffix}}
            {
                public const int Step = {{step}};

                public static int Add(int a, int b) => a + b + Step;
            }
            ```

            [Tests]
            ```csharp
            using Xunit;

            namespace Exercises.Tests;

            public class Adder{{suffix}}Tests
            {
                [Fact]
                public void AddsTwoNumbers() => Assert.Equal({{x + 3 + step}}, Adder{{suffix}}.Add({{x}}, 3));
            }
            ```
            """;
    }

    /// <summary>FNV-1a over the text: the same answer for the same request in every process, so runs are repeatable.</summary>
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    private static (HttpListener, Uri) Bind()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var prefix = $"http://127.0.0.1:{port}/";
            var listener = new HttpListener();
            listener.Prefixes.Add(prefix);
            try
            {
                listener.Start();
                return (listener, new Uri(prefix));
            }
            catch (HttpListenerException) when (attempt < 20)
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
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }

            var id = Interlocked.Increment(ref _nextId);
            _inFlight[id] = Task.Run(async () =>
            {
                try
                {
                    await HandleAsync(context).ConfigureAwait(false);
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
        var now = Interlocked.Increment(ref _concurrent);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, now, seen) != seen)
        {
        }

        var response = context.Response;
        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync().ConfigureAwait(false);
            }

            var path = context.Request.Url!.AbsolutePath;
            var attempt = _attemptsByBody.AddOrUpdate(body, 1, (_, n) => n + 1);
            var request = FakeChatRequest.From(body, path, context.Request.Headers["Authorization"], attempt);
            _log.Enqueue(request);

            if (context.Request.HttpMethod != "POST" || path.TrimEnd('/') != "/v1/chat/completions")
            {
                await WriteAsync(response, 404, Error("not found: " + path, "invalid_request_error")).ConfigureAwait(false);
                return;
            }

            if (RequiredKey is { } key && request.Authorization != $"Bearer {key}")
            {
                await WriteAsync(response, 401, Error("Incorrect API key provided.", "invalid_request_error")).ConfigureAwait(false);
                return;
            }

            var choices = (int)(request.Number("n") ?? 1);
            if (choices > 1 && N == ChoicesMode.Refuse)
            {
                await WriteAsync(response, 400, Error("Unsupported value: 'n' must be 1 for this model.", "invalid_request_error", "n")).ConfigureAwait(false);
                return;
            }

            var reply = Responder(request);
            var more = choices > 1 && N == ChoicesMode.Honour ? Enumerable.Range(1, choices - 1).Select(_ => Responder(request)).ToList() : [];
            var delay = Latency + reply.Delay;
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, Time, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (reply.Hang is { } hang)
            {
                // Headers (and, mid-body, a start of the body) are sent; then nothing more until the server stops.
                if (hang == HangPoint.MidBody)
                {
                    response.StatusCode = 200;
                    response.ContentType = "application/json";
                    response.ContentLength64 = 4096;
                    await response.OutputStream.WriteAsync("{\"id\":\"chatcmpl"u8.ToArray()).ConfigureAwait(false);
                    await response.OutputStream.FlushAsync().ConfigureAwait(false);
                }

                try
                {
                    await Task.Delay(Timeout.Infinite, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }

                response.Abort();
                return;
            }

            if (reply.EndlessBody)
            {
                // A 200 streamed without a length that never ends (until the client stops reading).
                response.StatusCode = 200;
                response.ContentType = "application/json";
                response.SendChunked = true;
                var chunk = Encoding.UTF8.GetBytes(new string(' ', 64 * 1024));
                await response.OutputStream.WriteAsync("{\"id\":\""u8.ToArray()).ConfigureAwait(false);
                while (!_stopping.IsCancellationRequested)
                {
                    await response.OutputStream.WriteAsync(chunk, _stopping.Token).ConfigureAwait(false);
                    Interlocked.Add(ref _endlessBytesSent, chunk.Length);
                }

                return;
            }

            if (reply.ClaimedLength is { } claimed)
            {
                // Promise a body of that many bytes; send a little and stop.
                response.StatusCode = 200;
                response.ContentType = "application/json";
                response.ContentLength64 = claimed;
                await response.OutputStream.WriteAsync("{\"id\":\"chatcmpl"u8.ToArray()).ConfigureAwait(false);
                await response.OutputStream.FlushAsync().ConfigureAwait(false);
                response.Abort();
                return;
            }

            if (reply.DropConnection)
            {
                // Promise a body, send a little of it, and cut the connection.
                response.StatusCode = 200;
                response.ContentType = "application/json";
                response.ContentLength64 = 4096;
                await response.OutputStream.WriteAsync("{\"id\":\"chatcmpl"u8.ToArray()).ConfigureAwait(false);
                await response.OutputStream.FlushAsync().ConfigureAwait(false);
                response.Abort();
                return;
            }

            if (reply.Status == 200 && reply.Content is null)
            {
                await WriteRawAsync(response, 200, reply.RawBody ?? "").ConfigureAwait(false);
                return;
            }

            foreach (var (name, value) in reply.Headers)
            {
                response.Headers[name] = value;
            }

            if (reply.Status != 200)
            {
                var type = reply.Status switch { 429 => "rate_limit_exceeded", 400 => "invalid_request_error", _ => "server_error" };
                await WriteAsync(response, reply.Status, Error(reply.Content ?? "error", type, reply.ErrorParam)).ConfigureAwait(false);
                return;
            }

            var completion = new JsonObject
            {
                ["id"] = $"chatcmpl-{Interlocked.Read(ref _nextId)}",
                ["object"] = "chat.completion",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["model"] = request.Model,
                ["choices"] = new JsonArray([.. new[] { reply }.Concat(more).Select((r, i) => (JsonNode)new JsonObject
                {
                    ["index"] = i,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = r.Content },
                    ["finish_reason"] = "stop",
                })]),
                ["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = reply.PromptTokens ?? (request.UserText.Length / 4),
                    ["completion_tokens"] = reply.CompletionTokens ?? ((reply.Content?.Length ?? 0) / 4),
                    ["total_tokens"] = (reply.PromptTokens ?? (request.UserText.Length / 4)) + (reply.CompletionTokens ?? ((reply.Content?.Length ?? 0) / 4)),
                },
            };
            await WriteAsync(response, 200, completion.ToJsonString()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The client went away (a timeout on its side); nothing to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _concurrent);
        }
    }

    private static string Error(string message, string type, string? param = null) =>
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = null } }.ToJsonString();

    private static Task WriteRawAsync(HttpListenerResponse response, int status, string body) => WriteAsync(response, status, body);

    private static async Task WriteAsync(HttpListenerResponse response, int status, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
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
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Stopping.
        }

        await Task.WhenAll(_inFlight.Values).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _stopping.Dispose();
    }
}

/// <summary>A chat request as the fake server received it.</summary>
internal sealed record FakeChatRequest(string Path, string Body, string? Authorization, int Attempt)
{
    /// <summary>The parsed body (null when it was not JSON).</summary>
    public JsonObject? Json { get; init; }

    /// <summary><c>model</c>.</summary>
    public string Model => Json?["model"]?.GetValue<string>() ?? "";

    /// <summary>The last user message.</summary>
    public string UserText => Json?["messages"]?.AsArray().LastOrDefault(m => m?["role"]?.GetValue<string>() == "user")?["content"] switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
        _ => "",
    };

    /// <summary>A top-level number in the body (<c>max_tokens</c>, <c>temperature</c>, …), or null.</summary>
    public double? Number(string name) => Json?[name] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    public static FakeChatRequest From(string body, string path, string? authorization, int attempt)
    {
        JsonObject? json = null;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
        }

        return new FakeChatRequest(path, body, authorization, attempt) { Json = json };
    }
}

/// <summary>What the fake server does with one request.</summary>
internal sealed record FakeReply
{
    public int Status { get; init; } = 200;

    public string? Content { get; init; }

    public TimeSpan Delay { get; init; }

    public bool DropConnection { get; init; }

    public int? PromptTokens { get; init; }

    public int? CompletionTokens { get; init; }

    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

    public static FakeReply Answer(string content, int? promptTokens = null, int? completionTokens = null) =>
        new() { Content = content, PromptTokens = promptTokens, CompletionTokens = completionTokens };

    public static FakeReply Fail(int status, string message = "error") => new() { Status = status, Content = message };

    public static FakeReply RateLimited(int retryAfterSeconds) =>
        new() { Status = 429, Content = "Rate limit reached", Headers = [("Retry-After", retryAfterSeconds.ToString(CultureInfo.InvariantCulture))] };

    public string? RawBody { get; init; }

    /// <summary>The <c>param</c> an error names, as OpenAI's 400s do.</summary>
    public string? ErrorParam { get; init; }

    public static FakeReply Dropped() => new() { DropConnection = true };

    /// <summary>Never finishes the answer: before its headers, or after the start of its body.</summary>
    public HangPoint? Hang { get; init; }

    /// <summary>A 200 whose chunked body never ends.</summary>
    public bool EndlessBody { get; init; }

    /// <summary>A 200 whose <c>Content-Length</c> says this many bytes.</summary>
    public long? ClaimedLength { get; init; }

    /// <summary>A 200 whose body is exactly <paramref name="body"/> (empty, or not a chat completion).</summary>
    public static FakeReply Raw(string body) => new() { RawBody = body };
}

/// <summary>Where a hanging answer stops.</summary>
internal enum HangPoint
{
    BeforeHeaders,
    MidBody,
}

/// <summary>How <see cref="FakeOpenAiServer"/> treats <c>n</c>.</summary>
internal enum ChoicesMode
{
    /// <summary>One choice whatever n asks (Ollama, llama.cpp).</summary>
    Ignore,

    /// <summary>n choices, each decided by the responder (OpenAI, vLLM).</summary>
    Honour,

    /// <summary>400 naming the parameter n (reasoning models refuse n &gt; 1).</summary>
    Refuse,
}
