using System.Globalization;
using System.Net;
using AutoRefiner.Core;
using AutoRefiner.Core.Http;
using Polly;
using Polly.Retry;

namespace AutoRefiner.Harvester.GitHub;

/// <summary>
/// Sits below Octokit and keeps the harvester within GitHub's rate limits: it waits for the reset before a request when the
/// primary limit (<c>X-RateLimit-Remaining</c>) is spent, and on a secondary limit, a 403 with <c>Retry-After</c> or
/// a 429 it waits as told (<see cref="Core.Http.RetryAfter"/>, or backs off) and retries; a 5xx or a dropped connection is
/// retried after 1, 2, 4, 8 s. Retries run on one Polly pipeline, waits on the injected <see cref="TimeProvider"/>.
/// Search and core budgets are tracked apart. A wait longer than <paramref name="maxWait"/> stops the run with a
/// message saying when to resume; one longer than <see cref="InlineWaitLimit"/> is left to the caller.
/// </summary>
internal sealed class RateLimitHandler(TimeProvider time, TimeSpan maxWait, Action<string> notice) : DelegatingHandler
{
    /// <summary>Retries of one request before its answer is passed on.</summary>
    public const int MaxAttempts = 5;

    /// <summary>
    /// Longest wait done inside a request. Octokit cancels a request after 100 s, so longer waits leave it as a
    /// <see cref="GitHubWaitException"/> and the caller waits with the run's own cancellation token, then asks again.
    /// </summary>
    public static readonly TimeSpan InlineWaitLimit = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Largest API answer read (JSON and error pages; archives are streamed to disk under the extractor's own limits).
    /// Octokit reads these into one string; a search page of 100 repositories is about half a megabyte.
    /// </summary>
    public const int MaxAnswerBytes = 32 * 1024 * 1024;

    private readonly Lock _gate = new();
    private ResiliencePipeline<HttpResponseMessage>? _retry;

    // Built on first use: a primary constructor's field initialisers cannot call the instance method (a race builds two, harmlessly).
    private ResiliencePipeline<HttpResponseMessage> Retry => _retry ??= BuildRetry();

    // GitHub counts the search API (30 a minute) apart from the rest (5,000 an hour): one budget each.
    private readonly Dictionary<string, (int Remaining, DateTimeOffset Reset)> _budgets = new(StringComparer.Ordinal);

    /// <summary>Requests sent (including retries), for the run's figures.</summary>
    public int Requests => Volatile.Read(ref _requests);

    private int _requests;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var attempt = 0;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(RequestKey, request);
            return await Retry.ExecuteAsync(async ctx => await AttemptAsync(request, ++attempt, ctx).ConfigureAwait(false), context).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("autorefiner.github.request");
    private static readonly ResiliencePropertyKey<TimeSpan?> WaitKey = new("autorefiner.github.wait");

    /// <summary>
    /// The one retry pipeline of GitHub requests, on the run's clock: a rate-limit answer or a 5xx is retried after the
    /// wait <see cref="AttemptAsync"/> decided, a dropped connection after 1, 2, 4, 8 s; <see cref="MaxAttempts"/> in all.
    /// Each retry says why in a notice.
    /// </summary>
    private ResiliencePipeline<HttpResponseMessage> BuildRetry() => new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = MaxAttempts - 1,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
            {
                { Exception: HttpRequestException } => !args.Context.CancellationToken.IsCancellationRequested,
                { Result: not null } => args.Context.Properties.GetValue(WaitKey, null) is not null,
                _ => false,
            }),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                args.Outcome.Result is not null ? args.Context.Properties.GetValue(WaitKey, null) : Backoff(args.AttemptNumber + 1)),
            OnRetry = args =>
            {
                var path = args.Context.Properties.GetValue(RequestKey, null!)?.RequestUri?.AbsolutePath;
                if (args.Outcome.Exception is HttpRequestException e)
                {
                    // A dropped connection is retried like a 5xx; after the last attempt the failure reaches the caller.
                    notice($"GitHub connection failed ({e.HttpRequestError}): retrying {path} in {args.RetryDelay.TotalSeconds:F0} s");
                }
                else if (args.Outcome.Result is { } response)
                {
                    var status = (int)response.StatusCode;
                    notice(status >= 500
                        ? $"GitHub answered {status}: retrying {path} in {args.RetryDelay.TotalSeconds:F0} s"
                        : $"GitHub rate limit: waiting {args.RetryDelay.TotalSeconds:F0} s before retrying {path}");
                    response.Dispose();
                }

                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>
    /// One attempt: waits for a spent primary limit, sends, records the budget, and reads the answer (within
    /// <see cref="MaxAnswerBytes"/>). When the answer asks for a retry it decides the wait: one past the configured
    /// maximum stops the run, one past <see cref="InlineWaitLimit"/> is left to the caller, a shorter one is handed to
    /// the pipeline through the context.
    /// </summary>
    private async Task<HttpResponseMessage> AttemptAsync(HttpRequestMessage request, int attempt, ResilienceContext context)
    {
        var cancellationToken = context.CancellationToken;
        context.Properties.Set(WaitKey, null);
        await WaitForPrimaryLimitAsync(request, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _requests);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        Observe(request, response);
        StreamArchives(response);
        try
        {
            await CapAsync(request, response, cancellationToken).ConfigureAwait(false);
            var wait = await RetryDelayAsync(response, attempt, cancellationToken).ConfigureAwait(false);
            if (wait is null || attempt >= MaxAttempts)
            {
                return response;
            }

            var status = (int)response.StatusCode;
            var why = $"GitHub answered {status}{(status >= 500 ? "" : " (rate limit)")} for {request.RequestUri?.AbsolutePath}";
            EnsureWithinMaxWait(wait.Value, why);
            if (wait.Value > InlineWaitLimit)
            {
                throw new GitHubWaitException(wait.Value, why);
            }

            context.Properties.Set(WaitKey, wait);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static string ResourceOf(HttpRequestMessage request) =>
        request.RequestUri?.AbsolutePath.Contains("/search/", StringComparison.Ordinal) == true ? "search" : "core";

    private async Task WaitForPrimaryLimitAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var resource = ResourceOf(request);
        TimeSpan wait;
        lock (_gate)
        {
            wait = _budgets.TryGetValue(resource, out var budget) && budget.Remaining <= 0 ? budget.Reset - time.GetUtcNow() : TimeSpan.Zero;
        }

        if (wait > TimeSpan.Zero)
        {
            var why = $"the GitHub API rate limit ({resource}) is spent";
            EnsureWithinMaxWait(wait, why);
            if (wait > InlineWaitLimit)
            {
                throw new GitHubWaitException(wait, why);
            }

            notice($"GitHub rate limit spent: waiting {wait.TotalSeconds:F0} s until it resets before {request.RequestUri?.AbsolutePath}");
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }

        lock (_gate)
        {
            if (_budgets.TryGetValue(resource, out var budget) && budget.Reset <= time.GetUtcNow())
            {
                _budgets.Remove(resource);
            }
        }
    }

    private void Observe(HttpRequestMessage request, HttpResponseMessage response)
    {
        if (Header(response, "X-RateLimit-Remaining") is { } remainingText
            && int.TryParse(remainingText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining)
            && Header(response, "X-RateLimit-Reset") is { } resetText
            && long.TryParse(resetText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var reset))
        {
            var resource = Header(response, "X-RateLimit-Resource") is { Length: > 0 } named ? named : ResourceOf(request);
            lock (_gate)
            {
                _budgets[resource] = (remaining, DateTimeOffset.FromUnixTimeSeconds(reset));
            }
        }
    }

    /// <summary>How long to wait before retrying, or null when the answer is not a rate limit.</summary>
    private async Task<TimeSpan?> RetryDelayAsync(HttpResponseMessage response, int attempt, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        if (status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.InternalServerError)
        {
            // GitHub's 5xx are usually passing; a short backoff, unless the server says how long.
            return RetryAfter.Read(response, time) ?? Backoff(attempt);
        }

        if (status != HttpStatusCode.TooManyRequests && status != HttpStatusCode.Forbidden)
        {
            return null;
        }

        // Retry-After, or for a spent primary limit (x-ratelimit-remaining: 0) its reset, as GitHub documents.
        if (RetryAfter.Read(response, time) is { } retryAfter)
        {
            return retryAfter;
        }

        if (status == HttpStatusCode.Forbidden)
        {
            // A 403 is a rate limit only when GitHub says so; otherwise it is an answer for the caller.
            var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!body.Contains("rate limit", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        // GitHub's guidance for a secondary limit without Retry-After: wait at least a minute, longer each time.
        return TimeSpan.FromSeconds(60 * Math.Pow(2, attempt - 1));
    }

    /// <summary>Stops the run when <paramref name="wait"/> is longer than the configured maximum.</summary>
    public void EnsureWithinMaxWait(TimeSpan wait, string why)
    {
        if (wait > maxWait)
        {
            var resumeAt = time.GetUtcNow() + wait;
            throw AutoRefinerException.RunFailed(
                $"{why}: the wait ({wait.TotalMinutes:F0} min) is longer than sources.github.max-wait-minutes ({maxWait.TotalMinutes:F0}); " +
                $"nothing was written; run again after {resumeAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        }
    }

    /// <summary>
    /// Octokit streams a body only for the binary media types it knows (<c>application/x-gzip</c>, zip, octet-stream) and
    /// reads anything else into a string; an archive served as <c>application/gzip</c> or <c>application/x-tar</c>
    /// would be buffered whole and mangled, so it is relabelled as <c>application/octet-stream</c>.
    /// </summary>
    private static void StreamArchives(HttpResponseMessage response)
    {
        if (response.Content?.Headers.ContentType?.MediaType is "application/gzip" or "application/x-tar" or "application/x-gtar" or "application/x-compressed-tar")
        {
            response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        }
    }

    /// <summary>
    /// Reads an answer that is not an archive into memory here, at most <see cref="MaxAnswerBytes"/> of it, within
    /// Octokit's time limit for the request; a larger one stops with a sentence rather than filling memory.
    /// </summary>
    private static async Task CapAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content is null || response.Content.Headers.ContentType?.MediaType is "application/octet-stream" or "application/x-gzip" or "application/zip")
        {
            return;
        }

        var tooLarge = $"GitHub's answer to {request.RequestUri?.AbsolutePath} is larger than the {MaxAnswerBytes / (1024 * 1024)} MB AutoRefiner reads from its API";
        if (response.Content.Headers.ContentLength > MaxAnswerBytes)
        {
            throw new GitHubAnswerException(tooLarge);
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(MaxAnswerBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            throw new GitHubAnswerException(tooLarge, e);
        }
    }

    /// <summary>1, 2, 4, 8 s for the attempts after the first.</summary>
    private static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
