using Microsoft.Data.Sqlite;

namespace AutoRefiner.Core.State;

/// <summary>
/// The run's memory between runs, in one SQLite file (<c>state</c> in harvest.yml). It holds what later runs must not
/// pay for again: the HTTP response cache (ETags) of the GitHub harvester and the LLM's answers. Thread-safe.
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
                PRAGMA synchronous = NORMAL;
                CREATE TABLE IF NOT EXISTS http_cache (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL,
                    updated_at TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS llm_cache (
                    key TEXT PRIMARY KEY,
                    model TEXT NOT NULL,
                    prompt_version TEXT NOT NULL,
                    answer TEXT NOT NULL,
                    prompt_tokens INTEGER NOT NULL,
                    completion_tokens INTEGER NOT NULL,
                    created_at TEXT NOT NULL);
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

    /// <summary>The stored answer to an LLM request, or null.</summary>
    public CachedAnswer? GetAnswer(string key)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT answer, prompt_tokens, completion_tokens FROM llm_cache WHERE key = $key";
            command.Parameters.AddWithValue("$key", key);
            using var reader = command.ExecuteReader();
            return reader.Read() ? new CachedAnswer(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)) : null;
        }
    }

    /// <summary>Stores an LLM answer as soon as it arrives, so that no later run pays for it again.</summary>
    public void PutAnswer(string key, string model, string promptVersion, CachedAnswer answer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(answer);
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO llm_cache (key, model, prompt_version, answer, prompt_tokens, completion_tokens, created_at)
                VALUES ($key, $model, $version, $answer, $prompt, $completion, $now)
                ON CONFLICT(key) DO NOTHING
                """;
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$model", model);
            command.Parameters.AddWithValue("$version", promptVersion);
            command.Parameters.AddWithValue("$answer", answer.Text);
            command.Parameters.AddWithValue("$prompt", answer.PromptTokens);
            command.Parameters.AddWithValue("$completion", answer.CompletionTokens);
            command.Parameters.AddWithValue("$now", now.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Answers stored.</summary>
    public long AnswerCount()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM llm_cache";
            return (long)command.ExecuteScalar()!;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
