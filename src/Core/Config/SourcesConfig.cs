namespace AutoRefiner.Core.Config;

/// <summary><c>sources</c>.</summary>
public sealed record SourcesConfig
{
    /// <summary><c>sources.github</c>.</summary>
    public GitHubSourceConfig GitHub { get; init; } = new();

    /// <summary><c>sources.local</c>: directories or local git checkouts.</summary>
    public IReadOnlyList<string> Local { get; init; } = [];
}
