namespace AutoRefiner.Exporter.Hub;

/// <summary>A request to the Hub that failed in a way the user can act on; the message is a sentence, free of the token.</summary>
public sealed class HubException(string message, int? status = null, bool isUsage = false) : Exception(message)
{
    /// <summary>The HTTP status, when there was an answer.</summary>
    public int? Status { get; } = status;

    /// <summary>The user must change something (repository name, token, revision) rather than try again.</summary>
    public bool IsUsage { get; } = isUsage;
}
