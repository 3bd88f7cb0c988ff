using System.Globalization;
using AutoRefiner.Core;
using Microsoft.Data.Sqlite;

namespace AutoRefiner.State;

/// <summary>
/// The state file itself: one SQLite connection, its versioned schema (<c>PRAGMA user_version</c>, migrated forward on
/// open) and the lock every store of the file takes around it. A file from a newer build, a damaged one or another
/// program's database is refused with a sentence, never rewritten. WAL mode; each write is one transaction.
/// </summary>
internal sealed class StateDatabase : IDisposable
{
    /// <summary>The schema version this build writes.</summary>
    internal const int SchemaVersion = 4;

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

    private StateDatabase(SqliteConnection connection) => Connection = connection;

    /// <summary>The one connection every store of the file shares; used under <see cref="Gate"/>.</summary>
    internal SqliteConnection Connection { get; }

    /// <summary>Held around every use of <see cref="Connection"/>: SQLite connections are not thread-safe.</summary>
    internal Lock Gate { get; } = new();

    /// <summary>Where the file is.</summary>
    internal string Path => Connection.DataSource;

    /// <summary>
    /// Opens the file at <paramref name="path"/>, creating it when missing and migrating an older schema forward.
    /// A damaged file, a file that is not a state store and one from a newer build are an <see cref="AutoRefinerException"/>
    /// that names the file and says what to do; the file is left as it was.
    /// </summary>
    internal static StateDatabase Open(string path)
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

            return new StateDatabase(connection);
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

    internal static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static string Now(DateTimeOffset now) => now.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A command on the shared connection with its parameters bound; the caller holds <see cref="Gate"/>.</summary>
    internal SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Rows in <paramref name="table"/>.</summary>
    internal long Count(string table)
    {
        lock (Gate)
        {
            using var command = Command($"SELECT COUNT(*) FROM {table}");
            return (long)command.ExecuteScalar()!;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Connection.Dispose();
}
