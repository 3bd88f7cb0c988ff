namespace AutoRefiner.Harvester.GitHub;

/// <summary>
/// The fields of a repository the harvester reads (Octokit's own model lacks <c>disabled</c>), deserialised by
/// Octokit's serializer from the documented JSON (<c>full_name</c>, <c>stargazers_count</c>, …).
/// </summary>
public sealed class GitHubRepo
{
    /// <summary>Repository id.</summary>
    public long Id { get; set; }

    /// <summary>owner/name.</summary>
    public string FullName { get; set; } = "";

    /// <summary>A fork of another repository.</summary>
    public bool Fork { get; set; }

    /// <summary>Read-only, archived by its owner.</summary>
    public bool Archived { get; set; }

    /// <summary>Disabled by GitHub.</summary>
    public bool Disabled { get; set; }

    /// <summary>Size in KiB; 0 = empty.</summary>
    public long Size { get; set; }

    /// <summary>Stars.</summary>
    public int StargazersCount { get; set; }

    /// <summary>Default branch.</summary>
    public string DefaultBranch { get; set; } = "";

    /// <summary>The licence GitHub detected, or null.</summary>
    public GitHubLicense? License { get; set; }

    /// <summary>Web page of the repository.</summary>
    public string HtmlUrl { get; set; } = "";
}

/// <summary>A detected licence.</summary>
public sealed class GitHubLicense
{
    /// <summary>GitHub's key (<c>mit</c>).</summary>
    public string Key { get; set; } = "";

    /// <summary>SPDX id (<c>MIT</c>), <c>NOASSERTION</c> or null.</summary>
    public string? SpdxId { get; set; }
}

/// <summary>A page of <c>GET /search/repositories</c>.</summary>
internal sealed class GitHubSearchPage
{
    /// <summary>Matches in all (only the first 1,000 can be paged).</summary>
    public int TotalCount { get; set; }

    /// <summary>The search timed out before finding all.</summary>
    public bool IncompleteResults { get; set; }

    /// <summary>This page's repositories.</summary>
    public IReadOnlyList<GitHubRepo> Items { get; set; } = [];
}
