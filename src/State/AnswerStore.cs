using AutoRefiner.Core.State;

namespace AutoRefiner.State;

/// <summary>The <c>llm_cache</c> table: every LLM answer, kept as soon as it arrives.</summary>
public sealed class AnswerStore : IAnswerStore
{
    private readonly StateDatabase _db;

    internal AnswerStore(StateDatabase database) => _db = database;

    /// <inheritdoc />
    public CachedAnswer? GetAnswer(string key)
    {
        lock (_db.Gate)
        {
            using var command = _db.Command("SELECT answer, prompt_tokens, completion_tokens FROM llm_cache WHERE key = $key", ("$key", key));
            using var reader = command.ExecuteReader();
            return reader.Read() ? new CachedAnswer(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)) : null;
        }
    }

    /// <inheritdoc />
    public void PutAnswer(string key, string model, string promptVersion, CachedAnswer answer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(answer);
        lock (_db.Gate)
        {
            using var command = _db.Command(
                """
                INSERT INTO llm_cache (key, model, prompt_version, answer, prompt_tokens, completion_tokens, created_at)
                VALUES ($key, $model, $version, $answer, $prompt, $completion, $now) ON CONFLICT(key) DO NOTHING
                """,
                ("$key", key), ("$model", model), ("$version", promptVersion), ("$answer", answer.Text),
                ("$prompt", answer.PromptTokens), ("$completion", answer.CompletionTokens), ("$now", StateDatabase.Now(now)));
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Answers stored.</summary>
    public long AnswerCount() => _db.Count("llm_cache");
}
