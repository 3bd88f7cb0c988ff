using AutoRefiner.Core.State;

namespace AutoRefiner.State;

/// <summary>The <c>http_cache</c> table: GitHub responses with their ETags, so a later run revalidates instead of downloading.</summary>
public sealed class HttpCacheStore : IHttpCacheStore
{
    private readonly StateDatabase _db;

    internal HttpCacheStore(StateDatabase database) => _db = database;

    /// <inheritdoc />
    public string? GetHttp(string key)
    {
        lock (_db.Gate)
        {
            using var command = _db.Command("SELECT value FROM http_cache WHERE key = $key", ("$key", key));
            return command.ExecuteScalar() as string;
        }
    }

    /// <inheritdoc />
    public void PutHttp(string key, string value, DateTimeOffset now)
    {
        lock (_db.Gate)
        {
            using var command = _db.Command(
                "INSERT INTO http_cache (key, value, updated_at) VALUES ($key, $value, $now) ON CONFLICT(key) DO UPDATE SET value = $value, updated_at = $now",
                ("$key", key), ("$value", value), ("$now", StateDatabase.Now(now)));
            command.ExecuteNonQuery();
        }
    }
}
