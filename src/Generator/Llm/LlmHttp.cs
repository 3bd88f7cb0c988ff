using System.Net;
using AutoRefiner.Core.Http;
using AutoRefiner.Core.Pipeline;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace AutoRefiner.Generator.Llm;

/// <summary>
/// The HttpClient under Semantic Kernel's connector (which turns the OpenAI SDK's own retries off): one resilience
/// pipeline retries 408, 429, 5xx, dropped connections and attempts that ran past <c>llm.timeout-seconds</c>, waiting
/// what the server asks (<see cref="RetryAfter"/>, capped) or an exponential backoff with jitter, and counts every attempt. Every answer is
/// read whole inside the attempt's time limit and at most <see cref="MaxAnswerBytes"/> of it. Waits and time limits run on
/// the given <see cref="TimeProvider"/>.
/// </summary>
internal static class LlmHttp
{
    private static readonly HttpRequestOptionsKey<bool> SentBefore = new("autorefiner.sent-before");

    /// <summary>
    /// Largest answer read: a chat completion of a million tokens is a few MB of JSON; a server streaming without end
    /// would otherwise be held in memory until it stops (a 601 MB answer took 5.2 GB).
    /// </summary>
    public const int MaxAnswerBytes = 16 * 1024 * 1024;

    /// <summary>A client for <paramref name="endpoint"/> that reports attempts and waits to <paramref name="usage"/>.</summary>
    public static HttpClient Create(LlmEndpoint endpoint, LlmUsage usage, TimeProvider time)
    {
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, endpoint.Config.MaxRetries),
            ShouldRetryAfterHeader = false,
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(endpoint, args.AttemptNumber, args.Outcome.Result, time)),
            OnRetry = args =>
            {
                // The progress shows the wait, so a long Retry-After does not look like a run that froze.
                usage.WaitUntil(time.GetUtcNow() + args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        };
        if (endpoint.Config.MaxRetries == 0)
        {
            retry.ShouldHandle = _ => PredicateResult.False();
        }

        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(retry)
            .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(endpoint.Config.TimeoutSeconds) })
            .Build();

        var sockets = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(30, endpoint.Config.TimeoutSeconds)),
            AutomaticDecompression = DecompressionMethods.All,
        };
        var counting = new CountingHandler(usage, endpoint.ApiKey is null) { InnerHandler = sockets };
#pragma warning disable CA2000 // the HttpClient owns and disposes the handler chain
        var resilience = new ResilienceHandler(pipeline) { InnerHandler = counting };
#pragma warning restore CA2000
        return new HttpClient(resilience, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>How long to wait before retry number <paramref name="attempt"/> (0-based).</summary>
    internal static TimeSpan Delay(LlmEndpoint endpoint, int attempt, HttpResponseMessage? response, TimeProvider time)
    {
        if (response is not null && RetryAfter.Read(response, time) is { } asked)
        {
            return asked > endpoint.MaxRetryDelay ? endpoint.MaxRetryDelay : asked;
        }

        var exponential = endpoint.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
#pragma warning disable CA5394 // jitter, not security
        var jittered = exponential * (0.8 + (0.4 * Random.Shared.NextDouble()));
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(Math.Min(jittered, endpoint.MaxRetryDelay.TotalMilliseconds));
    }

    /// <summary>
    /// Counts attempts; with <paramref name="keyless"/> (the key's variable is not set) it removes the Authorization header
    /// the OpenAI connector always sends (it insists on a non-empty key), so a local server is addressed without one
    /// rather than with a made-up <c>Bearer</c> value.
    /// </summary>
    private sealed class CountingHandler(LlmUsage usage, bool keyless) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (keyless)
            {
                request.Headers.Authorization = null;
            }

            var retry = request.Options.TryGetValue(SentBefore, out var sent) && sent;
            request.Options.Set(SentBefore, true);
            usage.CountAttempt(retry);
            HttpResponseMessage? response = null;

            // Read the body here, inside the retry pipeline and its time limit: a connection that drops mid-answer, or a
            // 200 with nothing in it (a proxy giving up), is then retried like any other transient failure.
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.Content.Headers.ContentLength > MaxAnswerBytes)
                {
                    throw new LlmAnswerTooLargeException();
                }

                await response.Content.LoadIntoBufferAsync(MaxAnswerBytes, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode && response.Content.Headers.ContentLength is 0 or null
                    && (await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false)).Length == 0)
                {
                    throw new HttpRequestException($"the endpoint answered {(int)response.StatusCode} with an empty body");
                }
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
            {
                response?.Dispose();
                throw new LlmAnswerTooLargeException($"the answer is larger than {MaxAnswerBytes / (1024 * 1024)} MB", e);
            }
            catch
            {
                response?.Dispose();
                throw;
            }

            return response;
        }
    }
}
