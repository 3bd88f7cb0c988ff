using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AutoRefiner.Core.State;

/// <summary>
/// The run's memory between runs, in one SQLite file (<c>state</c> in harvest.yml, <c>--state</c>): GitHub ETags,
/// repositories with their commits, the files and seeds read, every LLM answer, every judged sample, and the runs
/// themselves. The schema is versioned (<c>PRAGMA user_version</c>) and migrated forward on open; a file from a newer
/// build or a damaged one is refused with a sentence, never rewritten. WAL mode; each write is one transaction.
/// Thread-safe.
/// </summary>
public sealed class StateStore : IDisposable
{
    /// <summary>The schema version this build writes.</summary>
    public const int SchemaVersion = 4;

    private static readonly string[] Migrations =
    [
        // 1: the caches of the first builds (they created these tables without a version).
        """
        CREATE TABLE IF NOT EXISTS http_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS llm_cache (
            key TEXT PRIMARY KEY, model TEXT NOT NULL, prompt_version TEXT NOT NULL, answer TEXT NOT NULL,
            prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, created_at TEXT NOT NULL);
        """,

        // 2: runs, repositories, files, seeds and judged samples (resumable runs, incremental refresh).
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY, kind TEXT NOT NULL, command TEXT NOT NULL, config_hash TEXT NOT NULL,
            started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, rows INTEGER, counts TEXT);
        CREATE TABLE repositories (
            repo TEXT PRIMARY KEY, commit_sha TEXT NOT NULL, license TEXT NOT NULL, url TEXT NOT NULL,
            first_run INTEGER NOT NULL, last_run INTEGER NOT NULL);
        CREATE TABLE files (
            repo TEXT NOT NULL, path TEXT NOT NULL, hash TEXT NOT NULL, commit_sha TEXT NOT NULL, last_run INTEGER NOT NULL,
            PRIMARY KEY (repo, path));
        CREATE TABLE seeds (
            id TEXT PRIMARY KEY, repo TEXT NOT NULL, path TEXT NOT NULL, commit_sha TEXT NOT NULL,
            first_run INTEGER NOT NULL, last_run INTEGER NOT NULL);
        CREATE TABLE generated (
            key TEXT PRIMARY KEY, seed_id TEXT NOT NULL, count INTEGER NOT NULL, first_run INTEGER NOT NULL, last_run INTEGER NOT NULL);
        CREATE TABLE samples (
            key TEXT NOT NULL, idx INTEGER NOT NULL, verdict TEXT NOT NULL, judged TEXT NOT NULL,
            PRIMARY KEY (key, idx));
        CREATE INDEX generated_last_run ON generated (last_run, first_run);
        """,

        // 3: the near-duplicate index (MinHash signatures of kept seeds and samples).
        """
        CREATE TABLE minhash (kind TEXT NOT NULL, id TEXT NOT NULL, signature BLOB NOT NULL, PRIMARY KEY (kind, id));
        """,

        // 4: repositories, files and seeds were written and never read (a refresh decides by the judged samples' keys,
        // which are content hashes): dropped, with the hashing of every file read that fed them.
        """
        DROP TABLE IF EXISTS repositories;
        DROP TABLE IF EXISTS files;
        DROP TABLE IF EXISTS seeds;
        """,
    ];

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private StateStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Where the file is.</summary>
    public string Path => _connection.DataSource;

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating it when missing and migrating an older schema forward.
    /// A damaged file, a file that is not a state store and one from a newer build are an <see cref="AutoRefinerException"/>
    /// that names the file and says what to do; the file is left as it was.
    /// </summary>
    public static StateStore Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        SqliteConnection? connection = null;
        try
        {
            if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } dir)
            {
                Directory.CreateDirectory(dir);
            }

            var existed = File.Exists(path) && new FileInfo(path).Length > 0;
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
            if (version > SchemaVersion)
            {
                throw AutoRefinerException.RunFailed(
                    $"the state store {path} was written by a newer AutoRefiner (schema version {version}; this build knows up to {SchemaVersion}). " +
                    "Upgrade AutoRefiner, or give this run another --state; the file was not changed.");
            }

            if (existed && Scalar(connection, "PRAGMA quick_check") as string is { } check && check != "ok")
            {
                throw Damaged(path, check, null);
            }

            if (version == 0 && ForeignTables(connection) is { Count: > 0 } foreign)
            {
                // Someone else's database: adding our tables to it would change a file that is not ours.
                throw AutoRefinerException.RunFailed(
                    $"{path} is an SQLite database of another program (it holds {string.Join(", ", foreign.Take(5))}), not an AutoRefiner state store. " +
                    "Give AutoRefiner its own --state; the file was not changed.");
            }

            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;");
            for (var v = version; v < SchemaVersion; v++)
            {
                using var transaction = connection.BeginTransaction();
                Execute(connection, Migrations[v], transaction);
                Execute(connection, $"PRAGMA user_version = {v + 1}", transaction);
                transaction.Commit();
            }

            return new StateStore(connection);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26)
        {
            // SQLITE_CORRUPT, SQLITE_NOTADB.
            connection?.Dispose();
            throw Damaged(path, e.Message, e);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            throw AutoRefinerException.RunFailed($"cannot open the state store {path}: {e.Message}", e);
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    private static List<string> ForeignTables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            if (name is not ("http_cache" or "llm_cache"))
            {
                tables.Add(name);
            }
        }

        return tables;
    }

    private static AutoRefinerException Damaged(string path, string problem, Exception? inner) => AutoRefinerException.RunFailed(
        $"the state store {path} is damaged or is not a state store ({problem.Trim()}). It was not changed: restore it from a " +
        "backup, or move it aside to start afresh (the answers it holds would then be paid for again).", inner);

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Now(DateTimeOffset now) => now.ToString("O", CultureInfo.InvariantCulture);

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    // --- HTTP cache (GitHub ETags) ---

    /// <summary>The cached value for an HTTP request key, or null.</summary>
    public string? GetHttp(string key)
    {
        lock (_gate)
        {
            using var command = Command("SELECT value FROM http_cache WHERE key = $key", ("$key", key));
            return command.ExecuteScalar() as string;
        }
    }

    /// <summary>Stores the cached value for an HTTP request key.</summary>
    public void PutHttp(string key, string value, DateTimeOffset now)
    {
        lock (_gate)
        {
            using var command = Command(
                "INSERT INTO http_cache (key, value, updated_at) VALUES ($key, $value, $now) ON CONFLICT(key) DO UPDATE SET value = $value, updated_at = $now",
                ("$key", key), ("$value", value), ("$now", Now(now)));
            command.ExecuteNonQuery();
        }
    }

    // --- LLM answers ---

    /// <summary>The stored answer to an LLM request, or null.</summary>
    public CachedAnswer? GetAnswer(string key)
    {
        lock (_gate)
        {
            using var command = Command("SELECT answer, prompt_tokens, completion_tokens FROM llm_cache WHERE key = $key", ("$key", key));
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
            using var command = Command(
                """
                INSERT INTO llm_cache (key, model, prompt_version, answer, prompt_tokens, completion_tokens, created_at)
                VALUES ($key, $model, $version, $answer, $prompt, $completion, $now) ON CONFLICT(key) DO NOTHING
                """,
                ("$key", key), ("$model", model), ("$version", promptVersion), ("$answer", answer.Text),
                ("$prompt", answer.PromptTokens), ("$completion", answer.CompletionTokens), ("$now", Now(now)));
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Answers stored.</summary>
    public long AnswerCount() => Count("llm_cache");

    private long Count(string table)
    {
        lock (_gate)
        {
            using var command = Command($"SELECT COUNT(*) FROM {table}");
            return (long)command.ExecuteScalar()!;
        }
    }

    // --- Runs ---

    /// <summary>Records a run that starts now; returns its id.</summary>
    public long BeginRun(string kind, string command, string configHash, DateTimeOffset now)
    {
        lock (_gate)
        {
            using var insert = Command(
                "INSERT INTO runs (kind, command, config_hash, started_at, status) VALUES ($kind, $command, $hash, $now, 'running') RETURNING id",
                ("$kind", kind), ("$command", command), ("$hash", configHash), ("$now", Now(now)));
            return (long)insert.ExecuteScalar()!;
        }
    }

    /// <summary>Records how a run ended (<c>completed</c>, <c>failed</c>, <c>cancelled</c>), its rows and counts.</summary>
    public void EndRun(long run, string status, long? rows, string? counts, DateTimeOffset now)
    {
        lock (_gate)
        {
            using var update = Command(
                "UPDATE runs SET finished_at = $now, status = $status, rows = $rows, counts = $counts WHERE id = $id",
                ("$now", Now(now)), ("$status", status), ("$rows", rows), ("$counts", counts), ("$id", run));
            update.ExecuteNonQuery();
        }
    }

    /// <summary>The last completed run before <paramref name="before"/>, or null.</summary>
    public RunRecord? LastCompletedRun(long before)
    {
        lock (_gate)
        {
            using var query = Command(
                "SELECT id, kind, started_at, finished_at, rows FROM runs WHERE status = 'completed' AND id < $before ORDER BY id DESC LIMIT 1",
                ("$before", before));
            using var reader = query.ExecuteReader();
            return reader.Read()
                ? new RunRecord(reader.GetInt64(0), reader.GetString(1), DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture),
                    reader.IsDBNull(3) ? null : DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture), reader.IsDBNull(4) ? null : reader.GetInt64(4))
                : null;
        }
    }

    /// <summary>Runs recorded.</summary>
    public long RunCount() => Count("runs");

    // --- Judged samples ---

    /// <summary>
    /// The judged samples stored for a (seed, generator) key by an earlier run, as JSON; null when the key was never
    /// completed. Marks the key as seen in <paramref name="run"/>.
    /// </summary>
    public IReadOnlyList<string>? TakeJudged(string key, long run)
    {
        lock (_gate)
        {
            using var find = Command("SELECT count FROM generated WHERE key = $key", ("$key", key));
            if (find.ExecuteScalar() is not long count)
            {
                return null;
            }

            using var read = Command("SELECT judged FROM samples WHERE key = $key ORDER BY idx", ("$key", key));
            var judged = new List<string>();
            using (var reader = read.ExecuteReader())
            {
                while (reader.Read())
                {
                    judged.Add(reader.GetString(0));
                }
            }

            if (judged.Count != count)
            {
                return null;
            }

            using var touch = Command("UPDATE generated SET last_run = $run WHERE key = $key", ("$run", run), ("$key", key));
            touch.ExecuteNonQuery();
            return judged;
        }
    }

    /// <summary>Stores the judged samples of a (seed, generator) key, all or none, with the id of the seed they came from.</summary>
    public void PutJudged(string key, string seedId, IReadOnlyList<(string Verdict, string Json)> judged, long run)
    {
        ArgumentNullException.ThrowIfNull(judged);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using (var clear = Command("DELETE FROM samples WHERE key = $key", ("$key", key)))
            {
                clear.Transaction = transaction;
                clear.ExecuteNonQuery();
            }

            using (var insert = Command("INSERT INTO samples (key, idx, verdict, judged) VALUES ($key, $idx, $verdict, $judged)", ("$key", key), ("$idx", 0), ("$verdict", ""), ("$judged", "")))
            {
                insert.Transaction = transaction;
                for (var i = 0; i < judged.Count; i++)
                {
                    insert.Parameters["$idx"].Value = i;
                    insert.Parameters["$verdict"].Value = judged[i].Verdict;
                    insert.Parameters["$judged"].Value = judged[i].Json;
                    insert.ExecuteNonQuery();
                }
            }

            using (var done = Command(
                       """
                       INSERT INTO generated (key, seed_id, count, first_run, last_run) VALUES ($key, $seed, $count, $run, $run)
                       ON CONFLICT(key) DO UPDATE SET count = $count, last_run = $run
                       """,
                       ("$key", key), ("$seed", seedId), ("$count", judged.Count), ("$run", run)))
            {
                done.Transaction = transaction;
                done.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <summary>When a key was first judged, or null.</summary>
    public long? FirstRunOf(string key)
    {
        lock (_gate)
        {
            using var command = Command("SELECT first_run FROM generated WHERE key = $key", ("$key", key));
            return command.ExecuteScalar() as long?;
        }
    }

    /// <summary>
    /// The judged samples of keys not seen in <paramref name="run"/> (their seeds are gone upstream or were not
    /// harvested this time), oldest first, as JSON — what a refresh carries over into the union.
    /// </summary>
    public IEnumerable<string> JudgedNotSeenIn(long run)
    {
        // Keys a page at a time, so the lock is never held while the caller works and memory stays small.
        var after = "";
        while (true)
        {
            var keys = new List<string>();
            lock (_gate)
            {
                using var query = Command(
                    "SELECT key FROM generated WHERE last_run < $run AND key > $after ORDER BY key LIMIT 500",
                    ("$run", run), ("$after", after));
                using var reader = query.ExecuteReader();
                while (reader.Read())
                {
                    keys.Add(reader.GetString(0));
                }
            }

            if (keys.Count == 0)
            {
                yield break;
            }

            foreach (var key in keys)
            {
                foreach (var json in SamplesOf(key))
                {
                    yield return json;
                }
            }

            after = keys[^1];
        }
    }

    private List<string> SamplesOf(string key)
    {
        lock (_gate)
        {
            using var query = Command("SELECT judged FROM samples WHERE key = $key ORDER BY idx", ("$key", key));
            using var reader = query.ExecuteReader();
            var list = new List<string>();
            while (reader.Read())
            {
                list.Add(reader.GetString(0));
            }

            return list;
        }
    }

    /// <summary>Judged samples stored.</summary>
    public long JudgedCount() => Count("samples");

    // --- Near-duplicate index ---

    /// <summary>The signatures kept for <paramref name="kind"/> (<c>seed</c>, <c>sample</c>) of the given length.</summary>
    public IEnumerable<(string Id, uint[] Signature)> MinHashes(string kind, int permutations)
    {
        List<(string, uint[])> all = [];
        lock (_gate)
        {
            using var query = Command("SELECT id, signature FROM minhash WHERE kind = $kind ORDER BY rowid", ("$kind", kind));
            using var reader = query.ExecuteReader();
            while (reader.Read())
            {
                var bytes = (byte[])reader.GetValue(1);
                if (bytes.Length == permutations * sizeof(uint))
                {
                    all.Add((reader.GetString(0), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes).ToArray()));
                }
            }
        }

        return all;
    }

    /// <summary>Keeps the signature of a kept seed or sample.</summary>
    public void PutMinHash(string kind, string id, uint[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        lock (_gate)
        {
            using var command = Command(
                "INSERT OR IGNORE INTO minhash (kind, id, signature) VALUES ($kind, $id, $signature)",
                ("$kind", kind), ("$id", id), ("$signature", System.Runtime.InteropServices.MemoryMarshal.AsBytes(signature.AsSpan()).ToArray()));
            command.ExecuteNonQuery();
        }
    }

    // --- Merge ---

    /// <summary>
    /// Adds everything another state store holds that this one does not (answers, judged samples, ETags, runs,
    /// signatures), in one transaction. Used by <c>merge</c> to combine the states of sharded runs.
    /// </summary>
    public void MergeFrom(string otherPath)
    {
        ArgumentNullException.ThrowIfNull(otherPath);
        using (Open(otherPath))
        {
            // Opening checks the version and integrity (and migrates) before anything is read from it.
        }

        lock (_gate)
        {
            Execute(_connection, $"ATTACH DATABASE '{otherPath.Replace("'", "''", StringComparison.Ordinal)}' AS other");
            try
            {
                using var transaction = _connection.BeginTransaction();
                var offset = Convert.ToInt64(Scalar(_connection, "SELECT COALESCE(MAX(id), 0) FROM main.runs"), CultureInfo.InvariantCulture);
                Execute(_connection, $"""
                    INSERT OR IGNORE INTO main.http_cache SELECT * FROM other.http_cache;
                    INSERT OR IGNORE INTO main.llm_cache SELECT * FROM other.llm_cache;
                    INSERT INTO main.runs (id, kind, command, config_hash, started_at, finished_at, status, rows, counts)
                        SELECT id + {offset}, kind, command, config_hash, started_at, finished_at, status, rows, counts FROM other.runs;
                    INSERT OR IGNORE INTO main.samples SELECT * FROM other.samples WHERE key NOT IN (SELECT key FROM main.generated);
                    INSERT OR IGNORE INTO main.generated SELECT key, seed_id, count, first_run + {offset}, last_run + {offset} FROM other.generated;
                    INSERT OR IGNORE INTO main.minhash SELECT * FROM other.minhash;
                    """, transaction);
                transaction.Commit();
            }
            finally
            {
                Execute(_connection, "DETACH DATABASE other");
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}

/// <summary>A run as the state store records it.</summary>
/// <param name="Id">Its number.</param>
/// <param name="Kind"><c>harvest</c> or <c>refresh</c>.</param>
/// <param name="StartedAt">Start.</param>
/// <param name="FinishedAt">End.</param>
/// <param name="Rows">Rows it exported.</param>
public sealed record RunRecord(long Id, string Kind, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, long? Rows);
