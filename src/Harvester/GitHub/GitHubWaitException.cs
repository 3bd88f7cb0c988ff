namespace AutoRefiner.Harvester.GitHub;

/// <summary>
/// A rate limit asks for a wait too long to spend inside one request (Octokit would cancel it): the caller waits
/// <see cref="Wait"/> with the run's cancellation token and asks again.
/// </summary>
internal sealed class GitHubWaitException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GitHubWaitException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public GitHubWaitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public GitHubWaitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a wait.</summary>
    public GitHubWaitException(TimeSpan wait, string why)
        : base(why) => Wait = wait;

    /// <summary>How long to wait before asking again.</summary>
    public TimeSpan Wait { get; }
}
