namespace AutoRefiner.Core.Config;

/// <summary><c>sources.github</c>.</summary>
public sealed record GitHubSourceConfig
{
    /// <summary>Search qualifiers; null = no search.</summary>
    public string? Query { get; init; }

    /// <summary>Explicit owner/name repositories.</summary>
    public IReadOnlyList<string> Repos { get; init; } = [];

    /// <summary>Upper bound on repositories taken from the search.</summary>
    public int MaxRepos { get; init; } = 50;

    /// <summary>SPDX licence ids (lower case) that may be harvested.</summary>
    public IReadOnlyList<string> Licenses { get; init; } = ["mit", "apache-2.0", "bsd-2-clause", "bsd-3-clause"];

    /// <summary>Longest wait for a rate limit before the run stops (to be resumed later).</summary>
    public int MaxWaitMinutes { get; init; } = 15;
}
