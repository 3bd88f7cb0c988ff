namespace AutoRefiner.Core.State;

/// <summary>Where cached HTTP responses (GitHub's ETags and bodies) are kept between runs.</summary>
public interface IHttpCacheStore
{
    /// <summary>The cached value for a request key, or null.</summary>
    string? GetHttp(string key);

    /// <summary>Stores the cached value for a request key.</summary>
    void PutHttp(string key, string value, DateTimeOffset now);
}
