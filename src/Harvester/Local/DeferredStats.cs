using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.Harvester.Local;

/// <summary>
/// What one project's analysis counted, kept apart while it runs beside others and added to the run's counts in its
/// turn: the counts, and the first examples of each rejection reason, are then those of projects analysed one after
/// the other.
/// </summary>
internal static class DeferredStats
{
    /// <summary>Counters for one project's analysis, on the run's clock.</summary>
    public static RunStats For(RunStats run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new RunStats(run.Time);
    }

    /// <summary>Adds what <paramref name="project"/> counted (files read, skipped, documented methods, seeds, rejections) to <paramref name="run"/>.</summary>
    public static void AddTo(RunStats run, RunStats project)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(project);
        run.AddFindingsOf(new FindingCounts(
            Repositories: 0,
            RepositorySkips: new Dictionary<string, long>(),
            GitHubRequests: 0,
            FileSkips: project.FileSkips,
            DocumentedMethods: project.DocumentedMethods,
            SelfContained: project.SelfContained,
            InspirationSeeds: project.InspirationSeeds,
            SeedRejects: project.SeedRejects,
            SeedRejectExamples: project.SeedRejectExamples.ToDictionary(kv => kv.Key, kv => kv.Value.ToList(), StringComparer.Ordinal)));
        run.Files.Add(project.Files.Count);
        foreach (var notice in project.Notices)
        {
            run.Notice(notice);
        }
    }
}
