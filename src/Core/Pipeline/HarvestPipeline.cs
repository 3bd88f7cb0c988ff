using System.Runtime.CompilerServices;
using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>
/// Wires the stages: seeds → generators → validation (with repair rounds) → curation → export. Every stage streams,
/// so memory does not grow with the size of the run, and one token cancels them all. With a journal, what a seed
/// became is recorded as soon as it is judged and reused by a later run (a run started again after being stopped, a
/// refresh), and a refresh exports the union of all runs.
/// </summary>
public sealed class HarvestPipeline(
    ISeedSource source,
    IEnumerable<ISampleGenerator> generators,
    ICandidateValidator validator,
    IEnumerable<ICurator> curators,
    IDatasetSinkFactory sinks,
    IEnumerable<IRepairer>? repairers = null,
    ISampleJournal? journal = null,
    IEnumerable<ISeedFilter>? seedFilters = null)
{
    private readonly IReadOnlyList<ISeedFilter> _seedFilters = [.. seedFilters ?? []];
    private readonly IReadOnlyList<ISampleGenerator> _generators = [.. generators];
    private readonly IReadOnlyList<ICurator> _curators = [.. curators];
    private readonly Dictionary<string, IRepairer> _repairers = (repairers ?? []).ToDictionary(r => r.Task, StringComparer.Ordinal);

    /// <summary>Verdicts worth a repair round: the model can fix code, not an answer it did not write in the format.</summary>
    private static readonly Verdict[] Repairable = [Verdict.CompileError, Verdict.TestFailed, Verdict.Timeout, Verdict.Crashed, Verdict.BannedApi, Verdict.WeakTests];

    /// <summary>Runs the whole pipeline; the output appears only when it completes.</summary>
    public async Task RunAsync(HarvestRequest request, RunStats stats, PipelineOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(options);

        using var validationSlots = new SemaphoreSlim(Math.Max(1, options.Parallelism));
        using var generationSlots = new SemaphoreSlim(Math.Max(1, options.GenerationConcurrency));
        var slots = new Slots(generationSlots, validationSlots);
        var seeds = UniqueSeeds(source.HarvestAsync(request, stats, cancellationToken), request.Limit, stats, cancellationToken);

        // A seed is generated, judged (repairs included) and recorded as one piece of work, several at once: LLM
        // answers are awaited while other seeds compile; compilations and test runs never exceed the cores.
        var degree = Math.Max(1, options.Parallelism) + (options.GenerationConcurrency > 1 ? options.GenerationConcurrency : 0);
        var perSeed = seeds.SelectAsync(degree, (seed, ct) => WorkAsync(seed, stats, options, slots, ct), cancellationToken);

        await using var sink = sinks.Open(stats);
        await foreach (var results in perSeed.WithCancellation(cancellationToken))
        {
            foreach (var (judged, isNew) in results)
            {
                await AddAsync(sink, judged, isNew, stats, cancellationToken);
            }
        }

        stats.Candidates.Finish();
        if (options.CarryOver && journal is not null)
        {
            foreach (var judged in journal.CarryOver())
            {
                cancellationToken.ThrowIfCancellationRequested();
                stats.CountCarried();
                stats.Candidates.Add();
                await AddAsync(sink, judged, isNew: false, stats, cancellationToken);
            }
        }

        stats.Validated.Finish();
        await sink.CompleteAsync(stats, cancellationToken);
    }

    private async ValueTask AddAsync(IDatasetSink sink, Judged judged, bool isNew, RunStats stats, CancellationToken cancellationToken)
    {
        stats.Validated.Add();
        var curated = judged;
        foreach (var curator in _curators)
        {
            // An answer that is not the seed's SFT row is not exported as one: duplicate detection must not remember it.
            if (!(judged.Alternative && curator.Remembers))
            {
                curated = curator.Curate(curated);
            }
        }

        curated = PairingScreen.Screen(judged, curated, _curators);
        stats.CountVerdict(curated.Verdict);
        if (curated.Verdict == Verdict.Passed && !curated.Alternative && isNew)
        {
            stats.CountAdded();
        }

        await sink.AddAsync(curated, cancellationToken);
    }

    /// <summary>What one seed becomes: reused from the journal, or generated, judged and recorded.</summary>
    private async ValueTask<List<(Judged Judged, bool IsNew)>> WorkAsync(
        Seed seed, RunStats stats, PipelineOptions options, Slots slots, CancellationToken cancellationToken)
    {
        var results = new List<(Judged, bool)>();
        foreach (var generator in _generators)
        {
            if (journal?.TryReuse(seed, generator) is { } reused)
            {
                stats.CountReused(reused.Count);
                stats.Candidates.Add(reused.Count);
                results.AddRange(reused.Select(j => (j, false)));
                continue;
            }

            List<Judged> judged;
            try
            {
                judged = await GenerateAndJudgeAsync(seed, generator, stats, options, slots, cancellationToken).ConfigureAwait(false);
            }
            catch (BudgetReachedException)
            {
                // The budget allows no more requests: this seed (with any repair under way) is left, unrecorded, for the
                // next run, which finds every answer received so far in the state store.
                stats.CountLeftForBudget();
                continue;
            }

            // A run being cancelled may have killed what judged the last candidate: record nothing it said. Nor is an
            // outcome recorded that a garbled answer decided: the next run tries the seed again.
            cancellationToken.ThrowIfCancellationRequested();
            if (!judged.Any(j => j.Candidate.Provisional))
            {
                journal?.Record(seed, generator, judged);
            }
            results.AddRange(judged.Select(j => (j, true)));
        }

        return results;
    }

    /// <summary>Generates a seed's candidates with one generator and judges them (repairs included).</summary>
    private async ValueTask<List<Judged>> GenerateAndJudgeAsync(
        Seed seed, ISampleGenerator generator, RunStats stats, PipelineOptions options, Slots slots, CancellationToken cancellationToken)
    {
        // At most llm.concurrency generations (LLM requests) at once; at most one validation per core.
        var candidates = new List<Candidate>();
        await slots.Generation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (var candidate in generator.GenerateAsync(seed, cancellationToken).ConfigureAwait(false))
            {
                stats.Candidates.Add();
                candidates.Add(candidate);
            }
        }
        finally
        {
            slots.Generation.Release();
        }

        var judged = new List<Judged>(candidates.Count);
        foreach (var candidate in candidates)
        {
            var result = await JudgeAsync(candidate, stats, options.RepairRounds, slots, cancellationToken).ConfigureAwait(false);
            judged.Add(result with { Candidate = result.Candidate with { CreatedAt = result.Candidate.CreatedAt ?? stats.Time.GetUtcNow() } });
        }

        // k answers of one seed are one group: its pass rate, its difficulty, its one SFT row.
        return CandidateGroup.Settle(judged);
    }

    /// <summary>
    /// Validates a candidate; one that fails in a way the model can fix goes back to its generator with the verdict's
    /// detail (the compiler's or test runner's own words), up to <paramref name="rounds"/> times. The last verdict counts.
    /// </summary>
    private async ValueTask<Judged> JudgeAsync(Candidate candidate, RunStats stats, int rounds, Slots slots, CancellationToken cancellationToken)
    {
        var judged = await ValidateAsync(candidate, slots.Validation, cancellationToken).ConfigureAwait(false);
        var weakTestsRepaired = false;
        while (judged.Candidate.RepairRounds < rounds
               && Array.IndexOf(Repairable, judged.Verdict) >= 0
               && !(judged.Verdict == Verdict.WeakTests && weakTestsRepaired)
               && _repairers.TryGetValue(judged.Candidate.Task, out var repairer))
        {
            // Tests too weak get one chance to be strengthened, however many rounds are left for code that fails.
            weakTestsRepaired |= judged.Verdict == Verdict.WeakTests;
            stats.CountRepair(judged.Verdict);
            Candidate repaired;
            await slots.Generation.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                repaired = await repairer.RepairAsync(judged, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slots.Generation.Release();
            }

            // The failing answer stays with its repair: a preference pair's rejected answer, a feedback conversation's turns.
            judged = await ValidateAsync(repaired, slots.Validation, cancellationToken).ConfigureAwait(false) with { Before = judged };
            if (judged.Verdict == Verdict.Passed)
            {
                stats.CountRepaired();
            }
        }

        return judged;
    }

    /// <summary>The run's two limits: generations (LLM requests) and validations (cores) in flight.</summary>
    private sealed record Slots(SemaphoreSlim Generation, SemaphoreSlim Validation);

    private async ValueTask<Judged> ValidateAsync(Candidate candidate, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await validator.ValidateAsync(candidate, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>
    /// Harvests the seeds a run would take and asks each generator that calls a paid service what they would cost,
    /// without calling it, generating, validating or writing anything (<c>--dry-run</c>). Seeds the journal already
    /// holds samples for cost nothing.
    /// </summary>
    public async Task<RunPlan> PlanAsync(HarvestRequest request, RunStats stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stats);
        long seeds = 0, requests = 0, cached = 0, tokens = 0;
        await foreach (var seed in UniqueSeeds(source.HarvestAsync(request, stats, cancellationToken), request.Limit, stats, cancellationToken))
        {
            seeds++;
            foreach (var generator in _generators)
            {
                if (generator is not IRequestPlanner planner)
                {
                    continue;
                }

                if (journal?.Knows(seed, generator) == true)
                {
                    // Judged by an earlier run: reused, not asked again.
                    requests += generator.Candidates;
                    cached += generator.Candidates;
                    continue;
                }

                var plan = planner.Plan(seed);
                requests += plan.Requests;
                cached += plan.Cached;
                tokens += plan.PromptTokens;
            }
        }

        return new RunPlan(seeds, requests, cached, tokens);
    }

    private async IAsyncEnumerable<Seed> UniqueSeeds(
        IAsyncEnumerable<Seed> seeds, int? limit, RunStats stats, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The same unit from a copied or vendored file would only produce the same samples again.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var taken = 0;
        await foreach (var seed in seeds.WithCancellation(cancellationToken))
        {
            if (limit is { } max && taken >= max)
            {
                break;
            }

            if (seen.Contains(seed.Id))
            {
                stats.RejectSeed("duplicate-seed");
                continue;
            }

            // Licence, secrets, near-duplicates: decided before any generator (and any LLM call) sees the seed.
            Seed? kept = seed;
            foreach (var filter in _seedFilters)
            {
                kept = filter.Filter(kept, out var reason, out var example);
                if (kept is null)
                {
                    stats.RejectSeed(reason ?? "filtered", example);
                    break;
                }
            }

            if (kept is null)
            {
                // Only a seed that is used counts as seen: a GPL copy left out for its licence must not turn the MIT
                // original that follows into a duplicate.
                continue;
            }

            seen.Add(seed.Id);
            taken++;
            stats.Seeds.Add();
            yield return kept;
        }

        stats.Seeds.Finish();
    }
}
