using System.Net;
using System.Text.Json;
using AutoRefiner.Core.State;
using Octokit;
using Octokit.Caching;
using Octokit.Internal;

namespace AutoRefiner.Harvester.GitHub;

/// <summary>
/// Octokit's response cache, persisted in the state store: Octokit sends the stored ETag as <c>If-None-Match</c> and,
/// on <c>304 Not Modified</c> (which costs no rate limit), answers from here. Only text bodies are kept.
/// </summary>
internal sealed class StateResponseCache(IHttpCacheStore store, TimeProvider time) : IResponseCache
{
    private sealed record Entry(string Body, Dictionary<string, string> Headers, int Status, string? ContentType, string? ETag);

    /// <inheritdoc />
    public Task<CachedResponse.V1> GetAsync(IRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var json = store.GetHttp(Key(request));
        if (json is null)
        {
            return Task.FromResult<CachedResponse.V1>(null!);
        }

        var entry = JsonSerializer.Deserialize<Entry>(json)!;
        var apiInfo = new ApiInfo(new Dictionary<string, Uri>(), [], [], entry.ETag ?? "", new RateLimit(0, 0, 0));
        return Task.FromResult(new CachedResponse.V1(entry.Body, entry.Headers, apiInfo, (HttpStatusCode)entry.Status, entry.ContentType));
    }

    /// <inheritdoc />
    public Task SetAsync(IRequest request, CachedResponse.V1 cachedResponse)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(cachedResponse);
        if (cachedResponse.Body is string body && cachedResponse.ApiInfo?.Etag is { Length: > 0 } etag)
        {
            var headers = cachedResponse.Headers
                .Where(h => !h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
            var entry = new Entry(body, headers, (int)cachedResponse.StatusCode, cachedResponse.ContentType, etag);
            store.PutHttp(Key(request), JsonSerializer.Serialize(entry), time.GetUtcNow());
        }

        return Task.CompletedTask;
    }

    /// <summary>Method, absolute URL and Accept header: the same URL answers JSON or a bare SHA depending on Accept.</summary>
    private static string Key(IRequest request)
    {
        var url = request.BaseAddress is null ? request.Endpoint.ToString() : new Uri(request.BaseAddress, request.Endpoint).ToString();
        var accept = request.Headers.TryGetValue("Accept", out var a) ? a : "";
        return $"{request.Method} {url} {accept}";
    }
}
