using System.Security.Cryptography;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;
using AutoRefiner.State;
using Microsoft.Data.Sqlite;

namespace AutoRefiner.Core.Tests.State;

public sealed class StateStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autorefiner-state-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void Open_AFileFromTheFirstBuilds_IsMigratedForwardKeepingItsData()
    {
        var path = PathOf("old.db");
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE http_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
                CREATE TABLE llm_cache (key TEXT PRIMARY KEY, model TEXT NOT NULL, prompt_version TEXT NOT NULL, answer TEXT NOT NULL,
                    prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, created_at TEXT NOT NULL);
                INSERT INTO llm_cache VALUES ('k', 'm', 'instruct/1', 'the answer', 10, 20, '2026-11-30T00:00:00Z');
                INSERT INTO http_cache VALUES ('etag', 'W/"1"', '2026-11-30T00:00:00Z');
                """;
            create.ExecuteNonQuery();
        }

        using var store = StateStore.Open(path);

        Assert.Equal(new CachedAnswer("the answer", 10, 20), store.Answers.GetAnswer("k"));
        Assert.Equal("W/\"1\"", store.Http.GetHttp("etag"));
        var run = store.Runs.BeginRun(RunKind.Harvest, "autorefiner harvest", "hash", DateTimeOffset.UnixEpoch);
        Assert.Equal(1, run);
        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        Assert.Equal(StateStore.SchemaVersion, Convert.ToInt32(version.ExecuteScalar()));
    }

    [Fact]
    public void Open_AVersion3Store_DropsTheTablesNothingReads_AndKeepsItsAnswersAndSamples()
    {
        var path = PathOf("v3.db");
        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            using var create = raw.CreateCommand();
            create.CommandText = """
                CREATE TABLE http_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
                CREATE TABLE llm_cache (key TEXT PRIMARY KEY, model TEXT NOT NULL, prompt_version TEXT NOT NULL, answer TEXT NOT NULL,
                    prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, created_at TEXT NOT NULL);
                CREATE TABLE runs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, command TEXT NOT NULL, config_hash TEXT NOT NULL,
                    started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, rows INTEGER, counts TEXT);
                CREATE TABLE repositories (repo TEXT PRIMARY KEY, commit_sha TEXT NOT NULL, license TEXT NOT NULL, url TEXT NOT NULL,
                    first_run INTEGER NOT NULL, last_run INTEGER NOT NULL);
                CREATE TABLE files (repo TEXT NOT NULL, path TEXT NOT NULL, hash TEXT NOT NULL, commit_sha TEXT NOT NULL, last_run INTEGER NOT NULL,
                    PRIMARY KEY (repo, path));
                CREATE TABLE seeds (id TEXT PRIMARY KEY, repo TEXT NOT NULL, path TEXT NOT NULL, commit_sha TEXT NOT NULL,
                    first_run INTEGER NOT NULL, last_run INTEGER NOT NULL);
                CREATE TABLE generated (key TEXT PRIMARY KEY, seed_id TEXT NOT NULL, count INTEGER NOT NULL, first_run INTEGER NOT NULL, last_run INTEGER NOT NULL);
                CREATE TABLE samples (key TEXT NOT NULL, idx INTEGER NOT NULL, verdict TEXT NOT NULL, judged TEXT NOT NULL, PRIMARY KEY (key, idx));
                CREATE TABLE minhash (kind TEXT NOT NULL, id TEXT NOT NULL, signature BLOB NOT NULL, PRIMARY KEY (kind, id));
                INSERT INTO llm_cache VALUES ('k', 'm', 'instruct/1', 'the answer', 10, 20, '2026-11-30T00:00:00Z');
                INSERT INTO repositories VALUES ('o/r', 'c1', 'mit', 'https://github.com/o/r', 1, 1);
                INSERT INTO files VALUES ('o/r', 'a.cs', 'h', 'c1', 1);
                INSERT INTO seeds VALUES ('s', 'o/r', 'a.cs', 'c1', 1, 1);
                INSERT INTO generated VALUES ('key', 's', 1, 1, 1);
                INSERT INTO samples VALUES ('key', 0, 'passed', '{"x":1}');
                PRAGMA user_version = 3;
                """;
            create.ExecuteNonQuery();
        }

        using var store = StateStore.Open(path);

        Assert.Equal(new CachedAnswer("the answer", 10, 20), store.Answers.GetAnswer("k"));
        Assert.Equal(["{\"x\":1}"], store.Judged.TakeJudged("key", 2));
        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using var tables = check.CreateCommand();
        tables.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('repositories', 'files', 'seeds')";
        Assert.Equal(0L, tables.ExecuteScalar());
    }

    [Fact]
    public void Open_AFileFromANewerBuild_IsRefusedAndLeftAsItWas()
    {
        var path = PathOf("future.db");
        using (var store = StateStore.Open(path))
        {
            store.Http.PutHttp("k", "v", DateTimeOffset.UnixEpoch);
        }

        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            using var bump = raw.CreateCommand();
            bump.CommandText = "PRAGMA user_version = 99";
            bump.ExecuteNonQuery();
        }

        var before = Hash(path);

        var e = Assert.Throws<AutoRefinerException>(() => StateStore.Open(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("newer AutoRefiner (schema version 99", e.Message, StringComparison.Ordinal);
        Assert.Contains("Upgrade AutoRefiner, or give this run another --state", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash(path));
    }

    [Fact]
    public void Open_ATruncatedFile_IsADamagedStoreWithWhatToDo_AndIsNotTouched()
    {
        var path = PathOf("truncated.db");
        using (var store = StateStore.Open(path))
        {
            for (var i = 0; i < 300; i++)
            {
                store.Answers.PutAnswer($"key{i}", "m", "v", new CachedAnswer(new string('x', 2000), 1, 1), DateTimeOffset.UnixEpoch);
            }
        }

        SqliteConnection.ClearAllPools();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        var before = Hash(path);

        var e = Assert.Throws<AutoRefinerException>(() => StateStore.Open(path));

        Assert.Equal(FailureKind.Run, e.Kind);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("is damaged", e.Message, StringComparison.Ordinal);
        Assert.Contains("restore it from a backup, or move it aside", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash(path));
    }

    [Fact]
    public void Open_AFileThatIsNotADatabase_IsRefusedAndNotTouched()
    {
        var path = PathOf("text.db");
        File.WriteAllText(path, "this is a note I saved under the wrong name\n" + new string('.', 5000));
        var before = Hash(path);

        var e = Assert.Throws<AutoRefinerException>(() => StateStore.Open(path));

        Assert.Contains("is damaged or is not a state store", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash(path));
    }

    [Fact]
    public void Judged_AreStoredAllOrNone_ReusedByKey_AndCarriedWhenNotSeen()
    {
        using var store = StateStore.Open(PathOf("s.db"));
        var run1 = store.Runs.BeginRun(RunKind.Harvest, "c", "h", DateTimeOffset.UnixEpoch);
        store.Judged.PutJudged("a", "sa", [("passed", "{\"x\":1}")], run1);
        store.Judged.PutJudged("b", "sb", [("passed", "{\"x\":2}"), ("compile-error", "{\"x\":3}")], run1);

        var run2 = store.Runs.BeginRun(RunKind.Refresh, "c", "h", DateTimeOffset.UnixEpoch);
        Assert.Equal(["{\"x\":1}"], store.Judged.TakeJudged("a", run2));
        Assert.Null(store.Judged.TakeJudged("missing", run2));

        Assert.Equal(["{\"x\":2}", "{\"x\":3}"], store.Judged.JudgedNotSeenIn(run2));
        Assert.Equal(run1, store.Judged.FirstRunOf("b"));
    }

    [Fact]
    public void MergeFrom_AddsWhatTheOtherHolds_WithoutDuplicates()
    {
        using var one = StateStore.Open(PathOf("one.db"));
        using (var two = StateStore.Open(PathOf("two.db")))
        {
            var run = two.Runs.BeginRun(RunKind.Harvest, "c", "h", DateTimeOffset.UnixEpoch);
            two.Answers.PutAnswer("shared", "m", "v", new CachedAnswer("same", 1, 1), DateTimeOffset.UnixEpoch);
            two.Answers.PutAnswer("only-two", "m", "v", new CachedAnswer("two", 1, 1), DateTimeOffset.UnixEpoch);
            two.Judged.PutJudged("k2", "s2", [("passed", "{}")], run);
        }

        one.Runs.BeginRun(RunKind.Harvest, "c", "h", DateTimeOffset.UnixEpoch);
        one.Answers.PutAnswer("shared", "m", "v", new CachedAnswer("same", 1, 1), DateTimeOffset.UnixEpoch);
        SqliteConnection.ClearAllPools();

        one.MergeFrom(PathOf("two.db"));

        Assert.Equal(2, one.Answers.AnswerCount());
        Assert.Equal(new CachedAnswer("two", 1, 1), one.Answers.GetAnswer("only-two"));
        Assert.Equal(1, one.Judged.JudgedCount());
        Assert.Equal(2, one.Runs.RunCount());
    }

    [Fact]
    public void Lock_ASecondHolder_IsToldWhoHasIt()
    {
        var path = PathOf("locked.db");
        using var first = StateLock.Acquire(path, DateTimeOffset.UnixEpoch);

        var e = Assert.Throws<AutoRefinerException>(() => StateLock.Acquire(path, DateTimeOffset.UnixEpoch));

        Assert.Contains($"another autorefiner run (process {Environment.ProcessId}", e.Message, StringComparison.Ordinal);
        Assert.Contains("give this run its own --state", e.Message, StringComparison.Ordinal);
        first.Dispose();
        using var again = StateLock.Acquire(path, DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public void JudgedJson_RoundTripsASample()
    {
        var judged = new Judged(
            new Candidate
            {
                Task = "instruct", Instruction = "i", Response = "r", Tests = "t", Generator = "g", PromptVersion = "p",
                Provenance = new Provenance("o/r", "a.cs", "c", "mit", "u"), SeedId = "s", PromptTokens = 3, CompletionTokens = 4,
                RepairRounds = 1, CreatedAt = DateTimeOffset.UnixEpoch,
            },
            Verdict.TestFailed,
            "Assert.Equal() Failure",
            2,
            1);

        Assert.Equal(judged, JudgedJson.Read(JudgedJson.Write(judged)));
    }
}

public sealed class ForeignStateStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autorefiner-foreign-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Open_AnotherProgramsDatabase_IsRefusedAndNotChanged()
    {
        var path = Path.Combine(_dir, "app.db");
        using (var other = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            other.Open();
            using var create = other.CreateCommand();
            create.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'Ada');";
            create.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var before = File.ReadAllBytes(path);

        var e = Assert.Throws<AutoRefinerException>(() => StateStore.Open(path));

        Assert.Contains("an SQLite database of another program (it holds customers)", e.Message, StringComparison.Ordinal);
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
