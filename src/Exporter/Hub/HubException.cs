namespace AutoRefiner.Exporter.Hub;

/// <summary>A request to the Hub that failed in a way the user can act on; the message is a sentence, free of the token.</summary>
public sealed class HubException(string message, int? status = null, bool isUsage = false, bool mayHaveTakenEffect = false) : Exception(message)
{
    /// <summary>The HTTP status, when there was an answer.</summary>
    public int? Status { get; } = status;

    /// <summary>The user must change something (repository name, token, revision) rather than try again.</summary>
    public bool IsUsage { get; } = isUsage;

    /// <summary>
    /// The request reached the Hub and its answer was an error or was lost (a 5xx, a dropped connection, a timeout): it
    /// may have been carried out anyway. Only requests that are safe to repeat are retried blindly after that.
    /// </summary>
    public bool MayHaveTakenEffect { get; } = mayHaveTakenEffect;
}
