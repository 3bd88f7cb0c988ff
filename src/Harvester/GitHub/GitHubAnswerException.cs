namespace AutoRefiner.Harvester.GitHub;

/// <summary>
/// An answer from the GitHub API that AutoRefiner does not read: larger than <see cref="RateLimitHandler.MaxAnswerBytes"/>.
/// Not an <see cref="HttpRequestException"/>, which would pass for a dropped connection and be retried.
/// </summary>
internal sealed class GitHubAnswerException : Exception
{
    /// <summary>Creates the exception; the message names the request, without the token.</summary>
    public GitHubAnswerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public GitHubAnswerException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public GitHubAnswerException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
