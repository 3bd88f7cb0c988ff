namespace AutoRefiner.Core.Pipeline;

/// <summary>What a run found before generating anything, as its manifest records it (see <see cref="RunStats.AddFindingsOf"/>).</summary>
/// <param name="Repositories">Repositories harvested.</param>
/// <param name="RepositorySkips">Repositories passed over, by reason.</param>
/// <param name="GitHubRequests">Requests sent to the GitHub API.</param>
/// <param name="FileSkips">Files skipped, by reason.</param>
/// <param name="DocumentedMethods">Documented methods found.</param>
/// <param name="SelfContained">Documented methods that compiled on their own.</param>
/// <param name="InspirationSeeds">Further methods used as inspiration for instruct.</param>
/// <param name="SeedRejects">Documented methods that did not become seeds, by reason.</param>
/// <param name="SeedRejectExamples">A few examples per reason.</param>
public sealed record FindingCounts(
    long Repositories,
    IReadOnlyDictionary<string, long> RepositorySkips,
    long GitHubRequests,
    IReadOnlyDictionary<string, long> FileSkips,
    long DocumentedMethods,
    long SelfContained,
    long InspirationSeeds,
    IReadOnlyDictionary<string, long> SeedRejects,
    IReadOnlyDictionary<string, List<string>> SeedRejectExamples);
