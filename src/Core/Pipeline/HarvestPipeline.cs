using System.Runtime.CompilerServices;
using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>
/// Wires the stages: seeds → generators → validation (parallel, in order) → curation → export. Every stage streams,
/// so memory does not grow with the size of the run, and one token cancels them all.
/// </summary>
public sealed class HarvestPipeline(
    ISeedSource source,
    IEnumerable<ISampleGenerator> generators,
    ICandidateValidator validator,
    IEnumerable<ICurator> curators,
    IDatasetSinkFactory sinks,
    IEnumerable<IRepairer>? repairers = null)
{
    private readonly IReadOnlyList<ISampleGenerator> _generators = [.. generators];
    private readonly IReadOnlyList<ICurator> _curators = [.. curators];
    private readonly Dictionary<string, IRepairer> _repairers = (repairers ?? []).ToDictionary(r => r.Task, StringComparer.Ordinal);

    /// <summary>Verdicts worth a repair round: the model can fix code, not an answer it did not write in the format.</summary>
    private static readonly Verdict[] Repairable = [Verdict.CompileError, Verdict.TestFailed, Verdict.Timeout, Verdict.Crashed, Verdict.BannedApi];

    /// <summary>Runs the whole pipeline; the output appears only when it completes.</summary>
    public async Task RunAsync(HarvestRequest request, RunStats stats, PipelineOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(options);

        var seeds = UniqueSeeds(source.HarvestAsync(request, stats, cancellationToken), request.Limit, stats, cancellationToken);
        var candidates = Generate(seeds, stats, Math.Max(1, options.GenerationConcurrency), cancellationToken);
        // Repairs wait on the model: while they do, other candidates keep the cores busy.
        var degree = Math.Max(1, options.Parallelism) + (options.RepairRounds > 0 && _repairers.Count > 0 ? Math.Max(1, options.GenerationConcurrency) : 0);
        var judged = candidates.SelectAsync(degree, (c, ct) => JudgeAsync(c, stats, options.RepairRounds, ct), cancellationToken);

        await using var sink = sinks.Open(stats);
        await foreach (var item in judged.WithCancellation(cancellationToken))
        {
            stats.Validated.Add();
            var curated = item;
            foreach (var curator in _curators)
            {
                curated = curator.Curate(curated);
            }

            stats.CountVerdict(curated.Verdict);
            await sink.AddAsync(curated, cancellationToken);
        }

        stats.Validated.Finish();
        await sink.CompleteAsync(stats, cancellationToken);
    }

    private static async IAsyncEnumerable<Seed> UniqueSeeds(
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

            if (!seen.Add(seed.Id))
            {
                stats.RejectSeed("duplicate-seed");
                continue;
            }

            taken++;
            stats.Seeds.Add();
            yield return seed;
        }

        stats.Seeds.Finish();
    }

    /// <summary>
    /// Validates a candidate; one that fails in a way the model can fix goes back to its generator with the verdict's
    /// detail (the compiler's or test runner's own words), up to <paramref name="rounds"/> times. The last verdict counts.
    /// </summary>
    private async ValueTask<Judged> JudgeAsync(Candidate candidate, RunStats stats, int rounds, CancellationToken cancellationToken)
    {
        var judged = await validator.ValidateAsync(candidate, cancellationToken).ConfigureAwait(false);
        while (judged.Candidate.RepairRounds < rounds
               && Array.IndexOf(Repairable, judged.Verdict) >= 0
               && _repairers.TryGetValue(judged.Candidate.Task, out var repairer))
        {
            stats.CountRepair(judged.Verdict);
            var repaired = await repairer.RepairAsync(judged, cancellationToken).ConfigureAwait(false);
            judged = await validator.ValidateAsync(repaired, cancellationToken).ConfigureAwait(false);
            if (judged.Verdict == Verdict.Passed)
            {
                stats.CountRepaired();
            }
        }

        return judged;
    }

    /// <summary>
    /// Harvests the seeds a run would take and asks each generator that calls a paid service what they would cost,
    /// without calling it, generating, validating or writing anything (<c>--dry-run</c>).
    /// </summary>
    public async Task<RunPlan> PlanAsync(HarvestRequest request, RunStats stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stats);
        var planners = _generators.OfType<IRequestPlanner>().ToList();
        long seeds = 0, requests = 0, cached = 0, tokens = 0;
        await foreach (var seed in UniqueSeeds(source.HarvestAsync(request, stats, cancellationToken), request.Limit, stats, cancellationToken))
        {
            seeds++;
            foreach (var planner in planners)
            {
                var plan = planner.Plan(seed);
                requests += plan.Requests;
                cached += plan.Cached;
                tokens += plan.PromptTokens;
            }
        }

        return new RunPlan(seeds, requests, cached, tokens);
    }

    /// <summary>
    /// Runs the generators over up to <paramref name="concurrency"/> seeds at once (an LLM endpoint is kept busy while
    /// answers are slow) and yields their candidates in seed order, so the output does not depend on timing.
    /// </summary>
    private async IAsyncEnumerable<Candidate> Generate(
        IAsyncEnumerable<Seed> seeds, RunStats stats, int concurrency, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var perSeed = seeds.SelectAsync(
            concurrency,
            async (seed, ct) =>
            {
                var list = new List<Candidate>(_generators.Count);
                foreach (var generator in _generators)
                {
                    await foreach (var candidate in generator.GenerateAsync(seed, ct).ConfigureAwait(false))
                    {
                        list.Add(candidate);
                    }
                }

                return list;
            },
            cancellationToken);

        await foreach (var list in perSeed.WithCancellation(cancellationToken))
        {
            foreach (var candidate in list)
            {
                stats.Candidates.Add();
                yield return candidate;
            }
        }

        stats.Candidates.Finish();
    }
}
