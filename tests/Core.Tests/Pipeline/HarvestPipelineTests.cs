using System.Runtime.CompilerServices;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.Core.Tests.Pipeline;

public sealed class HarvestPipelineTests
{
    private static Seed Seed(int i) => new()
    {
        Id = $"seed-{i:D4}",
        Name = $"M{i}",
        Signature = $"void M{i}()",
        ContainingType = "class C",
        Doc = new DocComment { Summary = "s" },
        Code = $"class C{i} {{ }}",
        Provenance = new Provenance("o/r", "a.cs", "", "mit", ""),
    };

    private sealed class Seeds(int count) : ISeedSource
    {
        public async IAsyncEnumerable<Seed> HarvestAsync(HarvestRequest request, RunStats stats, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            for (var i = 0; i < count; i++)
            {
                await Task.Yield();
                yield return Seed(i);
            }
        }
    }

    /// <summary>A generator that answers slowly, at a random pace, and records how many seeds it serves at once.</summary>
    private sealed class SlowGenerator : ISampleGenerator, IRequestPlanner
    {
        private int _inFlight;

        public int MaxInFlight;

        public string Task => "slow";

        public string PromptVersion => "slow/1";

        public async IAsyncEnumerable<Candidate> GenerateAsync(Seed seed, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref MaxInFlight, now);
#pragma warning disable CA5394
            await System.Threading.Tasks.Task.Delay(Random.Shared.Next(5, 40), cancellationToken);
#pragma warning restore CA5394
            Interlocked.Decrement(ref _inFlight);
            yield return new Candidate
            {
                Task = Task, Instruction = seed.Id, Response = "r", Generator = "g", PromptVersion = PromptVersion, Provenance = seed.Provenance, SeedId = seed.Id,
            };
        }

        public RequestPlan Plan(Seed seed) => new(1, seed.Id.EndsWith('0') ? 1 : 0, 10);

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }

    private sealed class PassAll : ICandidateValidator
    {
        public ValueTask<Judged> ValidateAsync(Candidate candidate, CancellationToken cancellationToken) => ValueTask.FromResult(new Judged(candidate, Verdict.Passed, ""));
    }

    private sealed class ListSink : IDatasetSinkFactory, IDatasetSink
    {
        public List<Judged> Items { get; } = [];

        public IDatasetSink Open(RunStats stats) => this;

        public ValueTask AddAsync(Judged judged, CancellationToken cancellationToken)
        {
            Items.Add(judged);
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(RunStats stats, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Run_GeneratesSeveralSeedsAtOnce_AndKeepsSeedOrder()
    {
        var generator = new SlowGenerator();
        var sink = new ListSink();
        var pipeline = new HarvestPipeline(new Seeds(60), [generator], new PassAll(), [], sink);

        await pipeline.RunAsync(new HarvestRequest([], null), new RunStats(TimeProvider.System), new PipelineOptions(2, GenerationConcurrency: 8), CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"seed-{i:D4}"), sink.Items.Select(j => j.Candidate.Instruction));
        Assert.InRange(generator.MaxInFlight, 2, 8);
    }

    private sealed class SameSeedTwice : ISeedSource
    {
        public async IAsyncEnumerable<Seed> HarvestAsync(HarvestRequest request, RunStats stats, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            yield return Seed(1) with { Provenance = new Provenance("aaa-gpl", "Gamma.cs", "", "GPL-3.0-only", "") };
            yield return Seed(1) with { Provenance = new Provenance("zzz-mit", "Alpha.cs", "", "MIT", "") };
        }
    }

    [Fact]
    public async Task Run_CopyLeftOutForItsLicence_DoesNotMakeTheAllowedCopyADuplicate()
    {
        var sink = new ListSink();
        var stats = new RunStats(TimeProvider.System);
        var pipeline = new HarvestPipeline(
            new SameSeedTwice(), [new SlowGenerator()], new PassAll(), [], sink, null, null, [new AutoRefiner.Core.Curation.LicenseCurator(new AutoRefiner.Core.Config.CurationConfig())]);

        await pipeline.RunAsync(new HarvestRequest([], null), stats, new PipelineOptions(1, GenerationConcurrency: 1), CancellationToken.None);

        Assert.Equal(["zzz-mit"], sink.Items.Select(j => j.Candidate.Provenance.Repo));
        Assert.False(stats.SeedRejects.ContainsKey("duplicate-seed"));
    }

    [Fact]
    public async Task Run_ConcurrencyOne_GeneratesOneSeedAtATime()
    {
        var generator = new SlowGenerator();
        var pipeline = new HarvestPipeline(new Seeds(10), [generator], new PassAll(), [], new ListSink());

        await pipeline.RunAsync(new HarvestRequest([], null), new RunStats(TimeProvider.System), new PipelineOptions(2, GenerationConcurrency: 1), CancellationToken.None);

        Assert.Equal(1, generator.MaxInFlight);
    }

    [Fact]
    public async Task Plan_SumsWhatThePlannersSay_WithoutGeneratingOrWriting()
    {
        var generator = new SlowGenerator();
        var sink = new ListSink();
        var pipeline = new HarvestPipeline(new Seeds(25), [generator], new PassAll(), [], sink);

        var plan = await pipeline.PlanAsync(new HarvestRequest([], 20), new RunStats(TimeProvider.System), CancellationToken.None);

        Assert.Equal(new RunPlan(20, 20, 2, 200), plan);
        Assert.Equal(18, plan.ToSend);
        Assert.Equal(0, generator.MaxInFlight);
        Assert.Empty(sink.Items);
    }
}

public sealed class RepairLoopTests
{
    private static Candidate Candidate(string id) => new()
    {
        Task = "instruct", Instruction = id, Response = "v0", Tests = "t", Generator = "m", PromptVersion = "instruct/1",
        Provenance = new Provenance("o/r", "a.cs", "", "mit", ""), SeedId = id,
    };

    private sealed class OneSeedPerCandidate(params string[] ids) : ISeedSource
    {
        public async IAsyncEnumerable<Seed> HarvestAsync(HarvestRequest request, RunStats stats, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var id in ids)
            {
                await Task.Yield();
                yield return new Seed
                {
                    Id = id, Name = id, Signature = "", ContainingType = "", Doc = new DocComment { Summary = "" }, Code = id,
                    Provenance = new Provenance("o/r", "a.cs", "", "mit", ""),
                };
            }
        }
    }

    private sealed class Writer : ISampleGenerator
    {
        public string Task => "instruct";

        public string PromptVersion => "instruct/1";

        public IAsyncEnumerable<Candidate> GenerateAsync(Seed seed, CancellationToken cancellationToken) => new[] { Candidate(seed.Id) }.ToAsyncEnumerable();
    }

    /// <summary>Passes a response named in <paramref name="good"/>, else fails with a compiler-like message.</summary>
    private sealed class Judge(params string[] good) : ICandidateValidator
    {
        public ValueTask<Judged> ValidateAsync(Candidate candidate, CancellationToken cancellationToken) =>
            ValueTask.FromResult(good.Contains($"{candidate.Instruction}:{candidate.Response}")
                ? new Judged(candidate, Verdict.Passed, "", 1, 1)
                : new Judged(candidate, candidate.Response == "unparseable" ? Verdict.Unparseable : Verdict.TestFailed, $"Assert.Equal() Failure for {candidate.Instruction}:{candidate.Response}", 1, 0));
    }

    /// <summary>Answers a repair with v1, v2, … and remembers the feedback it got.</summary>
    private sealed class Fixer : IRepairer
    {
        public List<string> Feedback { get; } = [];

        public string Task => "instruct";

        public Task<Candidate> RepairAsync(Judged failed, CancellationToken cancellationToken)
        {
            lock (Feedback)
            {
                Feedback.Add(failed.Detail);
            }

            var round = failed.Candidate.RepairRounds + 1;
            return System.Threading.Tasks.Task.FromResult(failed.Candidate with { Response = $"v{round}", RepairRounds = round });
        }
    }

    private sealed class Sink : IDatasetSinkFactory, IDatasetSink
    {
        public List<Judged> Items { get; } = [];

        public IDatasetSink Open(RunStats stats) => this;

        public ValueTask AddAsync(Judged judged, CancellationToken cancellationToken)
        {
            Items.Add(judged);
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(RunStats stats, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static async Task<(List<Judged> Items, Fixer Fixer, RunStats Stats)> RunAsync(int rounds, string[] seeds, params string[] good)
    {
        var sink = new Sink();
        var fixer = new Fixer();
        var stats = new RunStats(TimeProvider.System);
        var pipeline = new HarvestPipeline(new OneSeedPerCandidate(seeds), [new Writer()], new Judge(good), [], sink, [fixer]);
        await pipeline.RunAsync(new HarvestRequest([], null), stats, new PipelineOptions(2, 4, rounds), CancellationToken.None);
        return (sink.Items, fixer, stats);
    }

    [Fact]
    public async Task Run_ARepairThatPasses_IsKeptWithOneRepairRound_AndTheModelGotTheFailureVerbatim()
    {
        var (items, fixer, stats) = await RunAsync(1, ["a"], "a:v1");

        var judged = Assert.Single(items);
        Assert.Equal((Verdict.Passed, 1, "v1"), (judged.Verdict, judged.Candidate.RepairRounds, judged.Candidate.Response));
        Assert.Equal(["Assert.Equal() Failure for a:v0"], fixer.Feedback);
        Assert.Equal(1, stats.Repaired);
        Assert.Equal(1, stats.Repairs["test-failed"]);
    }

    [Fact]
    public async Task Run_ARepairThatFailsAgain_IsDroppedWithItsLastVerdict()
    {
        var (items, _, stats) = await RunAsync(1, ["a", "b"], "b:v0");

        Assert.Equal((Verdict.TestFailed, 1, "v1"), (items[0].Verdict, items[0].Candidate.RepairRounds, items[0].Candidate.Response));
        Assert.Equal((Verdict.Passed, 0), (items[1].Verdict, items[1].Candidate.RepairRounds));
        Assert.Equal(0, stats.Repaired);
    }

    [Fact]
    public async Task Run_MoreRounds_AreTakenUntilItPasses()
    {
        var (items, fixer, _) = await RunAsync(3, ["a"], "a:v2");

        Assert.Equal((Verdict.Passed, 2), (items[0].Verdict, items[0].Candidate.RepairRounds));
        Assert.Equal(2, fixer.Feedback.Count);
    }

    [Fact]
    public async Task Run_NoRepairRounds_SendsNothingBack()
    {
        var (items, fixer, _) = await RunAsync(0, ["a"], "a:v1");

        Assert.Equal(Verdict.TestFailed, items[0].Verdict);
        Assert.Empty(fixer.Feedback);
    }
}
