namespace AutoRefiner.Core.Config;

/// <summary><c>hub</c>.</summary>
public sealed record HubConfig
{
    /// <summary>owner/name of the dataset repository; null = no push.</summary>
    public string? Repo { get; init; }

    /// <summary>Create the repository private.</summary>
    public bool Private { get; init; } = true;
}
