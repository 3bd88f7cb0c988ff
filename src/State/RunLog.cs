using System.Globalization;
using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.State;

/// <summary>The <c>runs</c> table: every run with its command, configuration hash, status, rows and counts.</summary>
public sealed class RunLog
{
    private readonly StateDatabase _db;

    internal RunLog(StateDatabase database) => _db = database;

    /// <summary>Records a run that starts now; returns its id.</summary>
    public long BeginRun(RunKind kind, string command, string configHash, DateTimeOffset now)
    {
        lock (_db.Gate)
        {
            using var insert = _db.Command(
                "INSERT INTO runs (kind, command, config_hash, started_at, status) VALUES ($kind, $command, $hash, $now, 'running') RETURNING id",
                ("$kind", kind.ToWire()), ("$command", command), ("$hash", configHash), ("$now", StateDatabase.Now(now)));
            return (long)insert.ExecuteScalar()!;
        }
    }

    /// <summary>Records how a run ended (<c>completed</c>, <c>failed</c>, <c>cancelled</c>), its rows and counts.</summary>
    public void EndRun(long run, RunStatus status, long? rows, string? counts, DateTimeOffset now)
    {
        lock (_db.Gate)
        {
            using var update = _db.Command(
                "UPDATE runs SET finished_at = $now, status = $status, rows = $rows, counts = $counts WHERE id = $id",
                ("$now", StateDatabase.Now(now)), ("$status", status.ToWire()), ("$rows", rows), ("$counts", counts), ("$id", run));
            update.ExecuteNonQuery();
        }
    }

    /// <summary>The last completed run before <paramref name="before"/>, or null.</summary>
    public RunRecord? LastCompletedRun(long before)
    {
        lock (_db.Gate)
        {
            using var query = _db.Command(
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
    public long RunCount() => _db.Count("runs");
}
