namespace AutoRefiner.Generator.Llm;

/// <summary>
/// An answer larger than <see cref="LlmHttp.MaxAnswerBytes"/>, said by its <c>Content-Length</c> or found while reading it.
/// Not an <see cref="HttpRequestException"/>: the retry pipeline would ask again and get the same.
/// </summary>
internal sealed class LlmAnswerTooLargeException : Exception
{
    public LlmAnswerTooLargeException()
        : base($"the answer is larger than {LlmHttp.MaxAnswerBytes / (1024 * 1024)} MB")
    {
    }

    public LlmAnswerTooLargeException(string message)
        : base(message)
    {
    }

    public LlmAnswerTooLargeException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
