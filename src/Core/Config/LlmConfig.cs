namespace AutoRefiner.Core.Config;

/// <summary><c>llm</c>.</summary>
public sealed record LlmConfig
{
    /// <summary>OpenAI-compatible base URL; null = <c>$OPENAI_BASE_URL</c>; neither = no LLM.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Model id.</summary>
    public string? Model { get; init; }

    /// <summary>Name of the environment variable that holds the API key.</summary>
    public string ApiKeyEnv { get; init; } = "OPENAI_API_KEY";

    /// <summary>Requests in flight at once.</summary>
    public int Concurrency { get; init; } = 8;
}
