
namespace AutoRefiner.State;

/// <summary>The <c>generated</c> and <c>samples</c> tables: every judged sample per (seed, generator) key, for resumed runs and a refresh's union.</summary>
public sealed class JudgedSampleStore
{
    private readonly StateDatabase _db;

    internal JudgedSampleStore(StateDatabase database) => _db = database;

    /// <summary>
    /// The judged samples stored for a (seed, generator) key by an earlier run, as JSON; null when the key was never
    /// completed. Marks the key as seen in <paramref name="run"/>.
    /// </summary>
    public IReadOnlyList<string>? TakeJudged(string key, long run)
    {
        lock (_db.Gate)
        {
            using var find = _db.Command("SELECT count FROM generated WHERE key = $key", ("$key", key));
            if (find.ExecuteScalar() is not long count)
            {
                return null;
            }

            using var read = _db.Command("SELECT judged FROM samples WHERE key = $key ORDER BY idx", ("$key", key));
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

            using var touch = _db.Command("UPDATE generated SET last_run = $run WHERE key = $key", ("$run", run), ("$key", key));
            touch.ExecuteNonQuery();
            return judged;
        }
    }

    /// <summary>Stores the judged samples of a (seed, generator) key, all or none, with the id of the seed they came from.</summary>
    public void PutJudged(string key, string seedId, IReadOnlyList<(string Verdict, string Json)> judged, long run)
    {
        ArgumentNullException.ThrowIfNull(judged);
        lock (_db.Gate)
        {
            using var transaction = _db.Connection.BeginTransaction();
            using (var clear = _db.Command("DELETE FROM samples WHERE key = $key", ("$key", key)))
            {
                clear.Transaction = transaction;
                clear.ExecuteNonQuery();
            }

            using (var insert = _db.Command("INSERT INTO samples (key, idx, verdict, judged) VALUES ($key, $idx, $verdict, $judged)", ("$key", key), ("$idx", 0), ("$verdict", ""), ("$judged", "")))
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

            using (var done = _db.Command(
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
        lock (_db.Gate)
        {
            using var command = _db.Command("SELECT first_run FROM generated WHERE key = $key", ("$key", key));
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
            lock (_db.Gate)
            {
                using var query = _db.Command(
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
        lock (_db.Gate)
        {
            using var query = _db.Command("SELECT judged FROM samples WHERE key = $key ORDER BY idx", ("$key", key));
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
    public long JudgedCount() => _db.Count("samples");
}
