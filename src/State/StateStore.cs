using System.Globalization;
using AutoRefiner.Core;

namespace AutoRefiner.State;

/// <summary>
/// The run's memory between runs, in one SQLite file (<c>state</c> in harvest.yml, <c>--state</c>), opened once per
/// run: one store per area over one connection. GitHub responses (<see cref="Http"/>), every LLM answer
/// (<see cref="Answers"/>), the runs (<see cref="Runs"/>), every judged sample (<see cref="Judged"/>) and the
/// near-duplicate signatures (<see cref="Signatures"/>). Stages see only the narrow interface they need. Thread-safe.
/// </summary>
public sealed class StateStore : IDisposable
{
    private readonly StateDatabase _database;

    private StateStore(StateDatabase database)
    {
        _database = database;
        Http = new HttpCacheStore(database);
        Answers = new AnswerStore(database);
        Runs = new RunLog(database);
        Judged = new JudgedSampleStore(database);
        Signatures = new MinHashStore(database);
    }

    /// <summary>The schema version this build writes.</summary>
    public const int SchemaVersion = StateDatabase.SchemaVersion;

    /// <summary>Where the file is.</summary>
    public string Path => _database.Path;

    /// <summary>Cached GitHub responses.</summary>
    public HttpCacheStore Http { get; }

    /// <summary>LLM answers.</summary>
    public AnswerStore Answers { get; }

    /// <summary>Runs.</summary>
    public RunLog Runs { get; }

    /// <summary>Judged samples.</summary>
    public JudgedSampleStore Judged { get; }

    /// <summary>Near-duplicate signatures.</summary>
    public MinHashStore Signatures { get; }

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating it when missing and migrating an older schema forward.
    /// A damaged file, a file that is not a state store and one from a newer build are an <see cref="AutoRefinerException"/>
    /// that names the file and says what to do; the file is left as it was.
    /// </summary>
    public static StateStore Open(string path) => new(StateDatabase.Open(path));

    /// <summary>
    /// Adds everything another state store holds that this one does not (answers, judged samples, ETags, runs,
    /// signatures), in one transaction. Used by <c>merge</c> to combine the states of sharded runs.
    /// </summary>
    public void MergeFrom(string otherPath)
    {
        ArgumentNullException.ThrowIfNull(otherPath);
        using (StateDatabase.Open(otherPath))
        {
            // Opening checks the version and integrity (and migrates) before anything is read from it.
        }

        lock (_database.Gate)
        {
            StateDatabase.Execute(_database.Connection, $"ATTACH DATABASE '{otherPath.Replace("'", "''", StringComparison.Ordinal)}' AS other");
            try
            {
                using var transaction = _database.Connection.BeginTransaction();
                var offset = Convert.ToInt64(StateDatabase.Scalar(_database.Connection, "SELECT COALESCE(MAX(id), 0) FROM main.runs"), CultureInfo.InvariantCulture);
                StateDatabase.Execute(_database.Connection, $"""
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
                StateDatabase.Execute(_database.Connection, "DETACH DATABASE other");
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();
}
