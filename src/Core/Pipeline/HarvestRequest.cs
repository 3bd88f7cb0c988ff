using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>What a run was asked to do.</summary>
/// <param name="Sources">Directories, local git checkouts, GitHub repositories (<c>owner/name</c> or their URL).</param>
/// <param name="Limit">Stop after this many seeds; null = all.</param>
public sealed record HarvestRequest(IReadOnlyList<string> Sources, int? Limit)
{
    /// <summary>A GitHub search to harvest in addition (qualifiers; the language is added), or null.</summary>
    public string? GitHubQuery { get; init; }

    /// <summary>Take only this part of the repositories (<c>--shard i/n</c>), or all when null.</summary>
    public Shard? Shard { get; init; }
}
