using System.Collections.Concurrent;
using AutoRefiner.Core.State;

namespace AutoRefiner.Harvester.GitHub;

/// <summary>GitHub's responses cached for one run only: what a harvester uses when no state store is given.</summary>
internal sealed class MemoryHttpCache : IHttpCacheStore
{
    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string? GetHttp(string key) => _values.GetValueOrDefault(key);

    /// <inheritdoc />
    public void PutHttp(string key, string value, DateTimeOffset now) => _values[key] = value;
}
