using AutoRefiner.Core;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Generator.Llm;

/// <summary>
/// The chat endpoint a run talks to, resolved from <c>llm</c> in harvest.yml and the environment
/// (<c>OPENAI_BASE_URL</c>, the variable named by <c>llm.api-key-env</c>). The key is kept here and nowhere else;
/// <see cref="ToString"/> never shows it.
/// </summary>
public sealed class LlmEndpoint
{
    /// <summary>The conventional variable for the base URL.</summary>
    public const string BaseUrlVariable = "OPENAI_BASE_URL";

    private LlmEndpoint(Uri baseUrl, string model, string? apiKey, LlmConfig config)
    {
        BaseUrl = baseUrl;
        Model = model;
        ApiKey = apiKey;
        Config = config;
    }

    /// <summary>Base URL (e.g. <c>http://localhost:11434/v1</c>); requests go to <c>{base}/chat/completions</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Model id.</summary>
    public string Model { get; }

    /// <summary>The API key, or null for servers that need none.</summary>
    internal string? ApiKey { get; }

    /// <summary>The <c>llm</c> settings.</summary>
    public LlmConfig Config { get; }

    /// <summary>First wait before a retry when the server names none; doubles each time (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; private init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between retries, whatever <c>Retry-After</c> asks for.</summary>
    public TimeSpan MaxRetryDelay { get; private init; } = TimeSpan.FromMinutes(2);

    /// <summary>The same endpoint with other retry waits (tests and benchmarks use short ones).</summary>
    public LlmEndpoint WithRetryDelays(TimeSpan baseDelay, TimeSpan maxDelay) =>
        new(BaseUrl, Model, ApiKey, Config) { RetryBaseDelay = baseDelay, MaxRetryDelay = maxDelay };

    /// <summary>
    /// The endpoint the configuration and environment name, or null when none is configured (doc-comment pairs only):
    /// no URL, or only <c>OPENAI_BASE_URL</c> with no <c>llm.model</c>. An <c>llm.endpoint</c> without a model, or a URL
    /// that is not http(s), is a usage error.
    /// </summary>
    public static LlmEndpoint? Resolve(LlmConfig config, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        var fromEnv = config.Endpoint is null;
        var url = config.Endpoint ?? environment(BaseUrlVariable);
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw AutoRefinerException.Usage(fromEnv
                ? $"{BaseUrlVariable} must be an http(s) URL such as http://localhost:11434/v1"
                : "llm.endpoint must be an http(s) URL such as http://localhost:11434/v1");
        }

        if (string.IsNullOrWhiteSpace(config.Model))
        {
            // A base URL set for other tools is not a request to use it here; one written in harvest.yml is.
            return fromEnv
                ? null
                : throw AutoRefinerException.Usage("llm.endpoint is set but llm.model is not: name the model to use in harvest.yml");
        }

        if (!LlmConfig.IsVariableName(config.ApiKeyEnv))
        {
            throw AutoRefinerException.Usage("llm.api-key-env " + LlmConfig.NotAVariableName);
        }

        var key = environment(config.ApiKeyEnv);
        if (!string.IsNullOrEmpty(key) && uri.Scheme == "http" && !uri.IsLoopback)
        {
            // A key sent in clear text to another machine can be read on the way; local servers need none.
            throw AutoRefinerException.Usage(
                $"{(fromEnv ? BaseUrlVariable : "llm.endpoint")} is plain http to {uri.Host}: the key in ${config.ApiKeyEnv} would travel unencrypted. Use https, or unset ${config.ApiKeyEnv} for a local server that needs no key");
        }

        return new LlmEndpoint(uri, config.Model, string.IsNullOrEmpty(key) ? null : key, config);
    }

    /// <summary>The endpoint and model, never the key.</summary>
    public override string ToString() => $"{Model} at {Redact.Credentials(BaseUrl.ToString())}";

    /// <summary>Removes the key and any credentials in URLs (user-info, query values) from a message before anyone sees it.</summary>
    public string Scrub(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Redact.Shown(message, ApiKey);
    }
}
