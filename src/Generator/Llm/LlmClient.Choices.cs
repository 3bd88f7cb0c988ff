using System.ClientModel.Primitives;
using System.Net;
using System.Text.Json.Nodes;
using AutoRefiner.Core.State;
using Microsoft.SemanticKernel;

namespace AutoRefiner.Generator.Llm;

/// <summary>
/// Several answers in one request (<c>generation.candidates</c>): OpenAI's <c>n</c> parameter, sent where the endpoint
/// takes it. Semantic Kernel's connector reads only the first choice of a completion, so the others are read from the
/// completion the SDK parsed (its JSON model keeps every choice).
/// </summary>
public sealed partial class LlmClient
{
    private volatile bool _choices = true;

    /// <summary>Whether requests still ask for several answers at once (not after the endpoint refused or ignored <c>n</c>).</summary>
    public bool SendsChoices => _choices;

    /// <summary>
    /// Up to <paramref name="count"/> answers to one prompt: one request with <c>n</c> while the endpoint honours it,
    /// else one answer. An endpoint that refuses <c>n</c> or sends fewer choices than asked is asked one answer at a
    /// time for the rest of the run; the caller asks again for what is missing.
    /// </summary>
    public async Task<IReadOnlyList<CachedAnswer>> CompleteManyAsync(IReadOnlyList<ChatTurn> messages, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (count <= 1 || !_choices)
        {
            return [await CompleteAsync(messages, cancellationToken).ConfigureAwait(false)];
        }

        var answers = await CompleteChoicesAsync(messages, count, cancellationToken).ConfigureAwait(false);
        if (answers.Count < count)
        {
            // Most local servers ignore n and send one choice: asking for several again would only repeat that.
            _choices = false;
        }

        return answers;
    }

    /// <summary>The choices of a completion, in their order; the first carries the request's token usage.</summary>
    private static List<CachedAnswer> Choices(ChatMessageContent answer, CachedAnswer first, int asked)
    {
        var answers = new List<CachedAnswer> { first };
        if (answer.InnerContent is not IJsonModel<OpenAI.Chat.ChatCompletion> completion)
        {
            return answers;
        }

        var json = JsonNode.Parse(ModelReaderWriter.Write(completion, ModelReaderWriterOptions.Json).ToString());
        if (json?["choices"] is not JsonArray choices)
        {
            return answers;
        }

        foreach (var choice in choices.OrderBy(c => c?["index"]?.GetValue<int>() ?? 0).Skip(1).Take(asked - 1))
        {
            var text = choice?["message"]?["content"]?.GetValue<string>();
            if (text is not null)
            {
                answers.Add(new CachedAnswer(text, 0, 0));
            }
        }

        return answers;
    }

    /// <summary>A 400 that names <c>n</c> as a parameter the endpoint will not take (or not above 1).</summary>
    private static bool RefusesChoices(HttpOperationException e)
    {
        if (e.StatusCode != HttpStatusCode.BadRequest || e.ResponseContent is not { } body)
        {
            return false;
        }

        return ErrorParam(body) == "n" || NParameter().IsMatch(body);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?i)(?:['""`]n['""`]|\bparameter n\b|\bn must be\b|\bn > 1\b|\bn\s*=\s*\d+)")]
    private static partial System.Text.RegularExpressions.Regex NParameter();
}
