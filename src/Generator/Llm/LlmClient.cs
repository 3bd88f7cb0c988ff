using System.Net;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;
using AutoRefiner.Core.Text;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using ChatTokenUsage = OpenAI.Chat.ChatTokenUsage;
using Polly.Timeout;

namespace AutoRefiner.Generator.Llm;

/// <summary>
/// Chat completion through Semantic Kernel's OpenAI connector, against any OpenAI-compatible endpoint. Retries live in
/// the HttpClient beneath it (<see cref="LlmHttp"/>); failures come out as <see cref="LlmException"/> with the key scrubbed.
/// </summary>
public sealed partial class LlmClient : IDisposable
{
    private readonly LlmEndpoint _endpoint;
    private readonly LlmUsage _usage;
    private readonly HttpClient _http;
    private readonly OpenAIChatCompletionService _chat;
    private readonly bool _adapt;
    private volatile TokenLimitField _field;
    private volatile bool _temperature = true;
    private readonly Lock _gate = new();
    private int _sameRefusals;
    private string? _lastRefusal;

    /// <summary>
    /// Identical failures in a row with no answer between them — refusals (a 4xx other than those of a dead endpoint,
    /// not about one request's size or content) or answers that are not chat completions — after which the endpoint is
    /// taken to fail everything this run sends.
    /// </summary>
    public const int RefusalsBeforeGivingUp = 5;

    /// <summary>Which request fields carry the token limit.</summary>
    public enum TokenLimitField
    {
        /// <summary><c>max_completion_tokens</c> (OpenAI's current name) and <c>max_tokens</c> (what most local servers read).</summary>
        Both,

        /// <summary><c>max_completion_tokens</c> only: OpenAI refuses the two together, and <c>max_tokens</c> for reasoning models.</summary>
        MaxCompletionTokens,

        /// <summary><c>max_tokens</c> only, for servers that refuse the newer name.</summary>
        MaxTokens,
    }

    /// <summary>
    /// Creates a client that counts its requests in <paramref name="usage"/>; its retry waits and time limits run on
    /// <paramref name="time"/> (the system clock when null).
    /// </summary>
    public LlmClient(LlmEndpoint endpoint, LlmUsage usage, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(usage);
        _endpoint = endpoint;
        _usage = usage;
        _http = LlmHttp.Create(endpoint, usage, time ?? TimeProvider.System);

        // Local servers want no key, but the SDK wants one to send; theirs ignore it.
        _chat = new OpenAIChatCompletionService(endpoint.Model, endpoint.BaseUrl, endpoint.ApiKey ?? "none", organization: null, httpClient: _http);
        _adapt = endpoint.Config.MaxTokensField == "auto";
        _field = endpoint.Config.MaxTokensField switch
        {
            "both" => TokenLimitField.Both,
            "max_completion_tokens" => TokenLimitField.MaxCompletionTokens,
            "max_tokens" => TokenLimitField.MaxTokens,
            _ => IsOpenAi(endpoint.BaseUrl) ? TokenLimitField.MaxCompletionTokens : TokenLimitField.Both,
        };
    }

    /// <summary>The request settings for how the token limit is sent, and whether the temperature is.</summary>
    private OpenAIPromptExecutionSettings Settings(TokenLimitField field, bool temperature, int choices = 1, int index = 0)
    {
        var config = _endpoint.Config;

        // The connector sends MaxTokens as max_completion_tokens; max_tokens goes in the extra body, and so does n: the
        // connector has no setting for it.
        var extra = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (field is TokenLimitField.Both or TokenLimitField.MaxTokens)
        {
            extra["max_tokens"] = config.MaxTokens;
        }

        if (choices > 1)
        {
            extra["n"] = choices;
        }

        return new OpenAIPromptExecutionSettings
        {
            Temperature = temperature ? config.Temperature : null,
            MaxTokens = field is TokenLimitField.Both or TokenLimitField.MaxCompletionTokens ? config.MaxTokens : null,
            // Answer i of k asked one by one gets seed + i: the same seed would make a server that honours it repeat itself.
            Seed = config.Seed + index,
            ExtraBody = extra.Count > 0 ? extra : null,
        };
    }

    /// <summary>The fields the token limit is sent in now (<c>auto</c> may have changed them after a refusal).</summary>
    public TokenLimitField TokenLimit => _field;

    /// <summary>Whether the temperature is sent (not after the endpoint refused it: reasoning models take only their own).</summary>
    public bool SendsTemperature => _temperature;

    private static bool IsOpenAi(Uri url) =>
        url.Host.Equals("api.openai.com", StringComparison.OrdinalIgnoreCase) || url.Host.EndsWith(".openai.azure.com", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// After a 400 that names a parameter the endpoint will not take the way it was sent — a token-limit field (OpenAI
    /// refuses <c>max_tokens</c> next to <c>max_completion_tokens</c>; older servers do not know the latter) or a
    /// temperature (reasoning models take only their default) — how to send it instead; null when the refusal is about
    /// something else, or <c>llm.max-tokens-field</c> pins the choice.
    /// </summary>
    private (TokenLimitField Field, bool Temperature)? Instead(TokenLimitField field, bool temperature, HttpOperationException e)
    {
        if (e.StatusCode != HttpStatusCode.BadRequest || e.ResponseContent is not { } body)
        {
            return null;
        }

        // Only a refusal of the parameter itself counts: "'max_tokens' is too large" is about the value, not the name.
        if (!RefusedParameter().IsMatch(body) || ValueTooLarge().IsMatch(body))
        {
            return null;
        }

        // OpenAI names the parameter in error.param; other servers only in the message.
        var param = ErrorParam(body);
        var namesOld = param is null ? MaxTokensWord().IsMatch(body) : param == "max_tokens" || MaxTokensWord().IsMatch(body);
        var namesNew = param is null ? body.Contains("max_completion_tokens", StringComparison.Ordinal) : param == "max_completion_tokens" || body.Contains("max_completion_tokens", StringComparison.Ordinal);
        var aboutTemperature = param == "temperature" || (param is null && !namesOld && !namesNew && body.Contains("temperature", StringComparison.Ordinal));
        if (aboutTemperature)
        {
            return temperature ? (field, false) : null;
        }

        if (!_adapt)
        {
            return null;
        }

        TokenLimitField? instead = (field, namesOld, namesNew) switch
        {
            // "Setting 'max_tokens' and 'max_completion_tokens' at the same time is not supported", or "'max_tokens' is
            // not supported with this model. Use 'max_completion_tokens' instead": the newer name alone.
            (TokenLimitField.Both or TokenLimitField.MaxTokens, true, _) => TokenLimitField.MaxCompletionTokens,

            // "Unrecognized request argument supplied: max_completion_tokens": the older name alone.
            (TokenLimitField.Both or TokenLimitField.MaxCompletionTokens, false, true) => TokenLimitField.MaxTokens,
            _ => null,
        };
        return instead is { } f ? (f, temperature) : null;
    }

    private static string? ErrorParam(string body)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(body)?["error"]?["param"]?.GetValue<string>();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?i)unsupported|not supported|does not support|unrecognized|unknown|not permitted|extra (?:fields|inputs)|at the same time|cannot both|only the default")]
    private static partial System.Text.RegularExpressions.Regex RefusedParameter();

    [System.Text.RegularExpressions.GeneratedRegex(@"(?i)too large|too big|exceed|maximum context|must be (?:less|at most)")]
    private static partial System.Text.RegularExpressions.Regex ValueTooLarge();

    [System.Text.RegularExpressions.GeneratedRegex(@"\bmax_tokens\b")]
    private static partial System.Text.RegularExpressions.Regex MaxTokensWord();

    /// <summary>The parameters that shape an answer, as they enter the cache key.</summary>
    public string ParametersKey => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"temperature={_endpoint.Config.Temperature};max_tokens={_endpoint.Config.MaxTokens};seed={_endpoint.Config.Seed}");

    /// <summary>The model id.</summary>
    public string Model => _endpoint.Model;

    /// <summary>Sends one chat request and returns the assistant's text with its token usage.</summary>
    /// <remarks><paramref name="index"/> is which of a prompt's <c>generation.candidates</c> answers it is; it shifts <c>llm.seed</c>.</remarks>
    public async Task<CachedAnswer> CompleteAsync(IReadOnlyList<ChatTurn> messages, CancellationToken cancellationToken, int index = 0) =>
        (await CompleteChoicesAsync(messages, 1, cancellationToken, index).ConfigureAwait(false))[0];

    /// <summary>
    /// Sends one chat request for <paramref name="choices"/> answers (OpenAI's <c>n</c>); returns those the endpoint sent,
    /// at least one. The request's token usage goes with the first (the prompt is billed once).
    /// </summary>
    private async Task<IReadOnlyList<CachedAnswer>> CompleteChoicesAsync(IReadOnlyList<ChatTurn> messages, int choices, CancellationToken cancellationToken, int index = 0)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var history = new ChatHistory();
        foreach (var turn in messages)
        {
            history.AddMessage(turn.Role switch
            {
                "system" => AuthorRole.System,
                "assistant" => AuthorRole.Assistant,
                _ => AuthorRole.User,
            }, turn.Content);
        }

        ChatMessageContent answer;
        try
        {
            var (field, temperature) = (_field, _temperature);
            for (var changes = 0; ; changes++)
            {
                try
                {
                    answer = await _chat.GetChatMessageContentAsync(history, Settings(field, temperature, choices, index), kernel: null, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (HttpOperationException e) when (choices > 1 && RefusesChoices(e))
                {
                    // The endpoint will not take n: this run asks for one answer per request from now on.
                    _choices = false;
                    choices = 1;
                }
                catch (HttpOperationException e) when (changes < 2 && Instead(field, temperature, e) is { } instead)
                {
                    // The endpoint refused a parameter the way it was sent: every request would be refused the same way,
                    // so all of them change, and this one is sent again.
                    // Each setting changes on its own: another request may have changed the other one meanwhile.
                    if (instead.Field != field)
                    {
                        _field = instead.Field;
                    }

                    if (instead.Temperature != temperature)
                    {
                        _temperature = instead.Temperature;
                    }

                    (field, temperature) = instead;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (Find<LlmAnswerTooLargeException>(e) is not null)
        {
            // An endless or huge answer is the endpoint's fault, not the seed's; asking again at once would bring the same.
            throw Garbage(
                $"the LLM endpoint ({_endpoint}) sent an answer too large (over {LlmHttp.MaxAnswerBytes / (1024 * 1024)} MB, the most AutoRefiner reads)",
                LlmException.AnswerTooLarge);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or TimeoutRejectedException or OperationCanceledException or System.ClientModel.ClientResultException)
        {
            throw Translate(e);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException or InvalidCastException)
        {
            // A 200 whose body is not a chat completion (an HTML page from a proxy, "choices": [] …): this answer is lost,
            // the next request may be fine.
            var what = e switch
            {
                System.Text.Json.JsonException or FormatException => "it is not JSON",
                ArgumentOutOfRangeException => "it holds no choice (\"choices\" is empty)",
                _ => "its JSON lacks the fields of a chat completion",
            };
            throw Garbage($"the LLM endpoint ({_endpoint}) answered 200 with something that is not a chat completion: {what}", LlmException.InvalidAnswer);
        }

        // The endpoint works: failures counted towards giving up start again from none.
        lock (_gate)
        {
            (_sameRefusals, _lastRefusal) = (0, null);
        }

        var usage = answer.Metadata?.TryGetValue("Usage", out var u) == true ? u as ChatTokenUsage : null;
        var result = new CachedAnswer(answer.Content ?? "", usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0);
        _usage.CountAnswer(result.PromptTokens, result.CompletionTokens);
        return choices > 1 ? Choices(answer, result, choices) : [result];
    }

    /// <summary>A lost answer; the run stops after <see cref="RefusalsBeforeGivingUp"/> of the same kind in a row.</summary>
    private LlmException Garbage(string message, string reason) =>
        SameFailureInARow("answer:" + reason)
            ? new LlmException(_endpoint.Scrub($"{message}; that is {RefusalsBeforeGivingUp} such answers in a row and none usable, so the run stops"), true, reason)
            : new LlmException(_endpoint.Scrub(message), false, reason);

    private static T? Find<T>(Exception? e)
        where T : Exception => e switch
        {
            null => null,
            T found => found,
            _ => Find<T>(e.InnerException),
        };

    private LlmException Translate(Exception e)
    {
        var attempts = _endpoint.Config.MaxRetries + 1;
        var where = _endpoint.ToString();
        var status = e switch
        {
            HttpOperationException h => h.StatusCode,
            System.ClientModel.ClientResultException c when c.Status != 0 => (HttpStatusCode)c.Status,
            _ => null,
        };
        var body = e is HttpOperationException { ResponseContent: { Length: > 0 } content } ? Shorten(content) : Shorten(Innermost(e).Message);
        LlmException Fail(string message, bool fatal, string reason, bool aboutTheSample = false) => new(_endpoint.Scrub(message), fatal, reason, null, aboutTheSample);

        return status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => Fail(
                $"the LLM endpoint ({where}) refused the API key ({(int)status} {status}): check ${_endpoint.Config.ApiKeyEnv}; {body}", true, "refused"),
            HttpStatusCode.NotFound => Fail(
                $"the LLM endpoint ({where}) answered 404: check llm.endpoint (most servers want the base URL ending in /v1) and that model '{_endpoint.Model}' exists; {body}", true, "not-found"),
            HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError => Fail(
                $"the LLM endpoint ({where}) still answered {(int)status.Value} after {Words.Count(attempts, "attempt")}; {body}", true, "unavailable"),
            // An endpoint that refuses every request the same way (a parameter it will not take, a model it will not
            // serve) stops the run after a few, rather than turning every seed into the same rejection.
            { } other when RefusesEverything(body) => Fail(
                $"the LLM endpoint ({where}) refused {RefusalsBeforeGivingUp} requests in a row the same way, answering none of them ({(int)other} {other}): {body}", true, $"rejected-{(int)other}"),
            { } other => Fail($"the LLM endpoint ({where}) rejected a request ({(int)other} {other}): {body}", false, $"rejected-{(int)other}", PerRequestRefusal().IsMatch(body)),
            // The time limit's exception wraps the socket's own ("Operation canceled", an I/O error): look along the chain.
            null when Find<TimeoutRejectedException>(e) is not null || Find<TimeoutException>(e) is not null || Innermost(e) is OperationCanceledException => Fail(
                $"the LLM endpoint ({where}) gave no answer within llm.timeout-seconds ({_endpoint.Config.TimeoutSeconds} s), {Words.Count(attempts, "time")}", true, "timeout"),
            null => Fail($"the LLM endpoint ({where}) cannot be reached after {Words.Count(attempts, "attempt")}: {body}", true, "unreachable"),
        };
    }

    /// <summary>
    /// Whether this failure makes <see cref="RefusalsBeforeGivingUp"/> identical ones (numbers aside) since the last
    /// answer. Refusals about one request — too long for the context, filtered content — never count: other seeds may pass.
    /// </summary>
    private bool RefusesEverything(string body)
    {
        if (PerRequestRefusal().IsMatch(body))
        {
            return false;
        }

        return SameFailureInARow(Digits().Replace(body, "#"));
    }

    /// <summary>Counts a failure of this <paramref name="shape"/>; whether it makes <see cref="RefusalsBeforeGivingUp"/> in a row.</summary>
    private bool SameFailureInARow(string shape)
    {
        lock (_gate)
        {
            _sameRefusals = shape == _lastRefusal ? _sameRefusals + 1 : 1;
            _lastRefusal = shape;
            return _sameRefusals >= RefusalsBeforeGivingUp;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?i)context|content[ _-]?(?:filter|management|policy)|filtered|too long|too large|too many tokens|maximum|exceed")]
    private static partial System.Text.RegularExpressions.Regex PerRequestRefusal();

    [System.Text.RegularExpressions.GeneratedRegex(@"\d+")]
    private static partial System.Text.RegularExpressions.Regex Digits();

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    private static string Shorten(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= 300 ? oneLine : oneLine[..300] + "…";
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
