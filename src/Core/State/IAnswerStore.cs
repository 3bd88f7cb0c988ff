namespace AutoRefiner.Core.State;

/// <summary>Where LLM answers are kept between runs, so that no answer is paid for twice.</summary>
public interface IAnswerStore
{
    /// <summary>The stored answer to the request with <paramref name="key"/>, or null.</summary>
    CachedAnswer? GetAnswer(string key);

    /// <summary>Stores an answer as soon as it arrives; a key already stored keeps its first answer.</summary>
    void PutAnswer(string key, string model, string promptVersion, CachedAnswer answer, DateTimeOffset now);
}
