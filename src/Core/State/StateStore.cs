using Microsoft.Data.Sqlite;

namespace AutoRefiner.Core.State;

/// <summary>
/// The run's memory between runs, in one SQLite file (<c>state</c> in harvest.yml). It holds what later runs must not
/// pay for again; for now the HTTP response cache (ETags) of the GitHub harvester. Thread-safe.
/// </summary>
public sealed class StateStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private StateStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Where the file is.</summary>
    public string Path => _connection.DataSource;

    /// <summary>Opens (creating when missing) the store at <paramref name="path"/>.</summary>
    public static StateStore Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } dir)
            {
                Directory.CreateDirectory(dir);
            }

            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS http_cache (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL,
                    updated_at TEXT NOT NULL);
                """;
            command.ExecuteNonQuery();
            return new StateStore(connection);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw AutoRefinerException.RunFailed($"cannot open the state store {path}: {e.Message}", e);
        }
    }

    /// <summary>The cached value for an HTTP request key, or null.</summary>
    public string? GetHttp(string key)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT value FROM http_cache WHERE key = $key";
            command.Parameters.AddWithValue("$key", key);
            return command.ExecuteScalar() as string;
        }
    }

    /// <summary>Stores the cached value for an HTTP request key.</summary>
    public void PutHttp(string key, string value, DateTimeOffset now)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO http_cache (key, value, updated_at) VALUES ($key, $value, $now) ON CONFLICT(key) DO UPDATE SET value = $value, updated_at = $now";
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$value", value);
            command.Parameters.AddWithValue("$now", now.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            command.ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
