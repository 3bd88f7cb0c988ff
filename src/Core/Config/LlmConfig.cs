namespace AutoRefiner.Core.Config;

/// <summary><c>llm</c>.</summary>
public sealed record LlmConfig
{
    /// <summary>OpenAI-compatible base URL (ending in <c>/v1</c> for most servers); null = <c>$OPENAI_BASE_URL</c>; neither = no LLM.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Model id.</summary>
    public string? Model { get; init; }

    /// <summary>Name of the environment variable that holds the API key.</summary>
    public string ApiKeyEnv { get; init; } = "OPENAI_API_KEY";

    /// <summary>
    /// Whether <paramref name="name"/> can name an environment variable (letters, digits and _, not starting with a
    /// digit). A key pasted where its variable's name belongs fails this, and must then never be shown.
    /// </summary>
    public static bool IsVariableName(string name) =>
        name is { Length: > 0 and <= 255 } && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && !LooksLikeKey(name);

    /// <summary>The prefixes providers give their keys and tokens (Groq, Hugging Face, GitHub, OpenAI, Anthropic, xAI, …).</summary>
    private static readonly string[] KeyPrefixes = ["gsk_", "hf_", "ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_", "sk-", "sk_", "xai-", "glpat-", "pplx-", "AIza"];

    /// <summary>
    /// Whether <paramref name="name"/> has the shape of a key rather than of a variable's name: a provider's key prefix, or
    /// 32 characters or more mixing lower case, upper case and digits (variable names are words, mostly in capitals).
    /// Such a value passes for a name by its characters alone (<c>gsk_…</c>), and would be printed in "check $…".
    /// </summary>
    public static bool LooksLikeKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (KeyPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal) && name.Length >= p.Length + 8))
        {
            return true;
        }

        return name.Length >= 32 && name.Any(char.IsAsciiLetterLower) && name.Any(char.IsAsciiLetterUpper) && name.Any(char.IsAsciiDigit);
    }

    /// <summary>What is said of an <c>llm.api-key-env</c> that names no variable; the value itself is not shown.</summary>
    public const string NotAVariableName =
        "must be the name of an environment variable (letters, digits and _, such as OPENAI_API_KEY), not the key itself; the value is not shown, as it may be a key: put the key in that variable";

    /// <summary>Requests in flight at once.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Sampling temperature.</summary>
    public double Temperature { get; init; } = 0.7;

    /// <summary>Most tokens one answer may have (sent as <see cref="MaxTokensField"/> says).</summary>
    public int MaxTokens { get; init; } = 2048;

    /// <summary>The values <see cref="MaxTokensField"/> takes.</summary>
    public static readonly IReadOnlyList<string> MaxTokensFields = ["auto", "max_completion_tokens", "max_tokens", "both"];

    /// <summary>
    /// Which request field carries <see cref="MaxTokens"/>: <c>auto</c> sends <c>max_completion_tokens</c> to OpenAI and
    /// Azure OpenAI and both fields elsewhere (local servers read <c>max_tokens</c>), and drops the one an endpoint refuses.
    /// </summary>
    public string MaxTokensField { get; init; } = "auto";

    /// <summary>Sampling seed, for servers that honour it; null = none sent.</summary>
    public int? Seed { get; init; }

    /// <summary>Longest wait for one answer before the attempt is abandoned and retried (slow local models need minutes).</summary>
    public int TimeoutSeconds { get; init; } = 300;

    /// <summary>Retries of one request after a 408, 429, 5xx, a timeout or a dropped connection.</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>
    /// Most a run may spend, in the currency of <see cref="Prices"/> (which must price the model); null = no limit. A
    /// request whose worst case (its prompt estimate plus <see cref="MaxTokens"/>) could cross it is not sent.
    /// </summary>
    public double? MaxCost { get; init; }

    /// <summary>Most tokens (prompt and completion) a run may be billed; null = no limit. Checked like <see cref="MaxCost"/>.</summary>
    public long? MaxTokensTotal { get; init; }

    /// <summary>Prices per million tokens by model id, for the estimated cost; empty = no estimate.</summary>
    public IReadOnlyDictionary<string, TokenPrice> Prices { get; init; } = new Dictionary<string, TokenPrice>(StringComparer.Ordinal);
}

/// <summary>What a model charges, per million tokens, in the currency of the price table.</summary>
/// <param name="Input">Per million prompt tokens.</param>
/// <param name="Output">Per million completion tokens.</param>
public sealed record TokenPrice(double Input, double Output);
