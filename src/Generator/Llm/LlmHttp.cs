using System.Globalization;
using System.Net;
using AutoRefiner.Core.Pipeline;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace AutoRefiner.Generator.Llm;

/// <summary>
/// The HttpClient under Semantic Kernel's connector (which turns the OpenAI SDK's own retries off): one resilience
/// pipeline retries 408, 429, 5xx, dropped connections and attempts that ran past <c>llm.timeout-seconds</c>, waiting
/// what <c>Retry-After</c> asks (capped) or an exponential backoff with jitter, and counts every attempt.
/// </summary>
internal static class LlmHttp
{
    private static readonly HttpRequestOptionsKey<bool> SentBefore = new("autorefiner.sent-before");

    /// <summary>A client for <paramref name="endpoint"/> that reports attempts to <paramref name="usage"/>.</summary>
    public static HttpClient Create(LlmEndpoint endpoint, LlmUsage usage)
    {
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, endpoint.Config.MaxRetries),
            ShouldRetryAfterHeader = false,
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(endpoint, args.AttemptNumber, args.Outcome.Result)),
        };
        if (endpoint.Config.MaxRetries == 0)
        {
            retry.ShouldHandle = _ => PredicateResult.False();
        }

        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(retry)
            .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(endpoint.Config.TimeoutSeconds) })
            .Build();

        var sockets = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(30, endpoint.Config.TimeoutSeconds)),
            AutomaticDecompression = DecompressionMethods.All,
        };
        var counting = new CountingHandler(usage) { InnerHandler = sockets };
#pragma warning disable CA2000 // the HttpClient owns and disposes the handler chain
        var resilience = new ResilienceHandler(pipeline) { InnerHandler = counting };
#pragma warning restore CA2000
        return new HttpClient(resilience, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>How long to wait before retry number <paramref name="attempt"/> (0-based).</summary>
    internal static TimeSpan Delay(LlmEndpoint endpoint, int attempt, HttpResponseMessage? response)
    {
        if (response is not null && RetryAfter(response) is { } asked)
        {
            return asked < TimeSpan.Zero ? TimeSpan.Zero : asked > endpoint.MaxRetryDelay ? endpoint.MaxRetryDelay : asked;
        }

        var exponential = endpoint.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
#pragma warning disable CA5394 // jitter, not security
        var jittered = exponential * (0.8 + (0.4 * Random.Shared.NextDouble()));
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(Math.Min(jittered, endpoint.MaxRetryDelay.TotalMilliseconds));
    }

    /// <summary><c>Retry-After</c> as seconds or an HTTP date; also OpenAI's <c>retry-after-ms</c>.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
        {
            return TimeSpan.FromMilliseconds(millis);
        }

        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };
    }

    /// <summary>Counts each request that leaves for the endpoint, and which of them are retries.</summary>
    private sealed class CountingHandler(LlmUsage usage) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var retry = request.Options.TryGetValue(SentBefore, out var sent) && sent;
            request.Options.Set(SentBefore, true);
            usage.CountAttempt(retry);
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

            // Read the body here, inside the retry pipeline: a connection that drops mid-answer, or a 200 with nothing
            // in it (a proxy giving up), is then retried like any other transient failure.
            try
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode && response.Content.Headers.ContentLength is 0 or null
                    && (await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false)).Length == 0)
                {
                    throw new HttpRequestException($"the endpoint answered {(int)response.StatusCode} with an empty body");
                }
            }
            catch
            {
                response.Dispose();
                throw;
            }

            return response;
        }
    }
}
