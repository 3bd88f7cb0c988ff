using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;

namespace AutoRefiner.Generator.Llm;

/// <summary>
/// LLM answers kept in the state store, keyed by what determines an answer and nothing else: the model, the prompt
/// version, the messages and the sampling parameters. The endpoint is not part of the key, so moving from one server to
/// another (or adding a proxy) reuses every answer already paid for. Each answer is stored the moment it arrives.
/// </summary>
/// <remarks>A request the <paramref name="budget"/> does not allow is not sent (<see cref="BudgetReachedException"/>); a stored answer is always served.</remarks>
public sealed class ResponseCache(LlmClient client, IAnswerStore store, LlmUsage usage, TimeProvider time, LlmBudget? budget = null)
{
    /// <summary>The model behind the cache.</summary>
    public string Model => client.Model;

    /// <summary>
    /// The cache key of a request; <paramref name="index"/> tells apart the k answers asked for with
    /// <c>generation.candidates</c> (answer 0 has the key a run with one answer per request used, so its cache stays valid).
    /// </summary>
    public string KeyOf(string promptVersion, IReadOnlyList<ChatTurn> messages, int index = 0)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", client.Model);
            json.WriteString("prompt_version", promptVersion);
            json.WriteString("parameters", client.ParametersKey);
            if (index > 0)
            {
                json.WriteNumber("candidate", index);
            }

            json.WriteStartArray("messages");
            foreach (var turn in messages)
            {
                json.WriteStartArray();
                json.WriteStringValue(turn.Role);
                json.WriteStringValue(turn.Content);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    /// <summary>Whether an answer to this request is stored.</summary>
    public bool Contains(string promptVersion, IReadOnlyList<ChatTurn> messages, int index = 0) => store.GetAnswer(KeyOf(promptVersion, messages, index)) is not null;

    /// <summary>The stored answer (answer <paramref name="index"/> of the request), or a fresh one from the endpoint (stored before it is returned).</summary>
    public async Task<CachedAnswer> GetOrAskAsync(string promptVersion, IReadOnlyList<ChatTurn> messages, CancellationToken cancellationToken, int index = 0)
    {
        var key = KeyOf(promptVersion, messages, index);
        if (store.GetAnswer(key) is { } cached)
        {
            usage.CountCached();
            return cached;
        }

        CachedAnswer answer;
        using (budget?.Reserve(EstimateTokens(messages)))
        {
            answer = await client.CompleteAsync(messages, cancellationToken, index).ConfigureAwait(false);
        }

        if (answer.Text.Trim().Length > 0)
        {
            // An empty answer (a refusal, a cut-off reasoning model) may come out differently next time: not kept.
            store.PutAnswer(key, client.Model, promptVersion, answer, time.GetUtcNow());
        }

        return answer;
    }

    /// <summary>
    /// Answers 0 to <paramref name="count"/> − 1 of a request (<c>generation.candidates</c>): those stored are served, the
    /// missing ones asked for in one request with <c>n</c> where the endpoint honours it, else one request each. Each is
    /// stored under its own index the moment it arrives, so a run stopped midway asks only for what it lacks.
    /// </summary>
    public async Task<IReadOnlyList<CachedAnswer>> GetOrAskAllAsync(string promptVersion, IReadOnlyList<ChatTurn> messages, int count, CancellationToken cancellationToken)
    {
        var answers = new CachedAnswer?[count];
        var missing = new List<int>();
        for (var i = 0; i < count; i++)
        {
            if (store.GetAnswer(KeyOf(promptVersion, messages, i)) is { } cached)
            {
                usage.CountCached();
                answers[i] = cached;
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 1 && client.SendsChoices)
        {
            IReadOnlyList<CachedAnswer> received;
            var reservations = new List<IDisposable>();
            try
            {
                // The worst case of n answers is n times that of one.
                foreach (var _ in missing)
                {
                    if (budget?.Reserve(EstimateTokens(messages) / missing.Count) is { } reservation)
                    {
                        reservations.Add(reservation);
                    }
                }

                received = await client.CompleteManyAsync(messages, missing.Count, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                reservations.ForEach(r => r.Dispose());
            }

            for (var j = 0; j < received.Count && j < missing.Count; j++)
            {
                answers[missing[j]] = received[j];
                if (received[j].Text.Trim().Length > 0)
                {
                    store.PutAnswer(KeyOf(promptVersion, messages, missing[j]), client.Model, promptVersion, received[j], time.GetUtcNow());
                }
            }
        }

        for (var i = 0; i < count; i++)
        {
            answers[i] ??= await GetOrAskAsync(promptVersion, messages, cancellationToken, i).ConfigureAwait(false);
        }

        return [.. answers.Select(a => a!)];
    }

    /// <summary>Rough prompt size in tokens (about four characters each), for <c>--dry-run</c>.</summary>
    public static long EstimateTokens(IReadOnlyList<ChatTurn> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages.Sum(m => (long)Encoding.UTF8.GetByteCount(m.Content)) / 4;
    }
}
