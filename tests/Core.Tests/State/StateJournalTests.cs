using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;
using AutoRefiner.State;
using Microsoft.Data.Sqlite;

namespace AutoRefiner.Core.Tests.State;

public sealed class StateJournalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autorefiner-journal-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private sealed class DocGenerator : ISampleGenerator
    {
        public string Task => "doc-comments";

        public string PromptVersion => "v1";

        public IAsyncEnumerable<Candidate> GenerateAsync(Seed seed, CancellationToken cancellationToken) => AsyncEnumerable.Empty<Candidate>();
    }

    private static Seed SeedFrom(Provenance provenance) => new()
    {
        Id = "same-content", Name = "Add", Signature = "int Add(int a, int b)", ContainingType = "static class M",
        Doc = new DocComment { Summary = "Adds." }, Code = "static class M { }", Provenance = provenance,
    };

    [Fact]
    public void TryReuse_AFileIdenticalInAnotherRepository_TakesTheRowsOwnSource()
    {
        var generator = new DocGenerator();
        var first = new Provenance("alice/tools", "src/M.cs", "aaaa", "MIT", "https://github.com/alice/tools/blob/aaaa/src/M.cs#L3-L5") { Lines = "3-5", LicenseOrigin = "project" };
        var second = new Provenance("bob/utils", "lib/M.cs", "bbbb", "Apache-2.0", "https://github.com/bob/utils/blob/bbbb/lib/M.cs#L9-L11") { Lines = "9-11", LicenseOrigin = "file" };
        using var store = StateStore.Open(Path.Combine(_dir, "state.db"));
        var candidate = new Candidate { Task = "doc-comments", Instruction = "i", Response = "r", Generator = "doc-comments", PromptVersion = "v1", Provenance = first, SeedId = "same-content" };
        new StateJournal(store.Judged, store.Runs.BeginRun(RunKind.Harvest, "c", "h", DateTimeOffset.UnixEpoch)).Record(SeedFrom(first), generator, [new Judged(candidate, Verdict.Passed, "", 0, 0)]);

        var reused = new StateJournal(store.Judged, store.Runs.BeginRun(RunKind.Harvest, "c", "h", DateTimeOffset.UnixEpoch)).TryReuse(SeedFrom(second), generator);

        Assert.Equal(second, Assert.Single(reused!).Candidate.Provenance);
    }

    [Fact]
    public void TryReuse_KeepsWhatNearDuplicateDetectionCompares_SoARefreshJudgesAReusedSampleAsTheHarvestDid()
    {
        // A refresh re-admitted a doc-comment row the harvest had rejected as a near-duplicate: the reused sample came
        // back without its compared text and was compared by another one.
        var generator = new DocGenerator();
        var provenance = new Provenance("alice/tools", "src/M.cs", "aaaa", "MIT", "");
        using var store = StateStore.Open(Path.Combine(_dir, "state.db"));
        var candidate = new Candidate
        {
            Task = "doc-comments", Instruction = "i", Response = "r", Generator = "doc-comments", PromptVersion = "v1",
            Provenance = provenance, SeedId = "same-content", Compared = "static class M { int Add(int a, int b) => a + b; } adds",
        };
        new StateJournal(store.Judged, store.Runs.BeginRun(RunKind.Harvest, "c", "h", DateTimeOffset.UnixEpoch)).Record(SeedFrom(provenance), generator, [new Judged(candidate, Verdict.Passed, "", 0, 0)]);

        var reused = new StateJournal(store.Judged, store.Runs.BeginRun(RunKind.Refresh, "c", "h", DateTimeOffset.UnixEpoch)).TryReuse(SeedFrom(provenance), generator);

        Assert.Equal(candidate.Compared, Assert.Single(reused!).Candidate.Compared);
    }
}
