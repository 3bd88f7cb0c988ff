using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>
/// What a run remembers of the samples it judges, so that a run started again after being stopped (or a refresh)
/// reuses them instead of generating and judging them again, and a refresh can export the union of all runs.
/// </summary>
public interface ISampleJournal
{
    /// <summary>The samples <paramref name="generator"/> made of <paramref name="seed"/> in an earlier run, judged; null when there are none.</summary>
    IReadOnlyList<Judged>? TryReuse(Seed seed, ISampleGenerator generator);

    /// <summary>Whether an earlier run judged what <paramref name="generator"/> makes of <paramref name="seed"/> (read only).</summary>
    bool Knows(Seed seed, ISampleGenerator generator);

    /// <summary>Records what <paramref name="generator"/> made of <paramref name="seed"/>, all at once.</summary>
    void Record(Seed seed, ISampleGenerator generator, IReadOnlyList<Judged> judged);

    /// <summary>The judged samples of seeds this run did not see (files gone upstream, sources not harvested this time).</summary>
    IEnumerable<Judged> CarryOver();
}
