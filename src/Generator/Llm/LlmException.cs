namespace AutoRefiner.Generator.Llm;

/// <summary>A chat request that got no answer. <see cref="IsFatal"/> ones stop the run; the others lose one sample.</summary>
internal sealed class LlmException : Exception
{
    /// <summary>Creates the exception; the message must already be free of secrets.</summary>
    public LlmException(string message, bool isFatal, string reason, Exception? inner = null, bool isAboutTheSample = false)
        : base(message, inner)
    {
        IsFatal = isFatal;
        Reason = reason;
        IsAboutTheSample = isAboutTheSample;
    }

    /// <summary>No later request can succeed either (dead endpoint after its retries, refused key, unknown model).</summary>
    public bool IsFatal { get; }

    /// <summary>Short reason for the counts (<c>rejected-400</c>, <c>unavailable</c>, …).</summary>
    public string Reason { get; }

    /// <summary>The reason of a 200 whose body is not a chat completion.</summary>
    public const string InvalidAnswer = "invalid-answer";

    /// <summary>The reason of an answer larger than AutoRefiner reads.</summary>
    public const string AnswerTooLarge = "answer-too-large";

    /// <summary>
    /// The refusal is a verdict on this request's own content — longer than the model's context, stopped by a content
    /// filter — so the same model would refuse it again: it is recorded as the seed's outcome (a new model or prompt asks
    /// anew, as they key the record). Anything else blames the endpoint (a parameter it will not take, a garbled or
    /// oversized answer, a 5xx) and is never recorded: the next run asks again, once the endpoint is fixed.
    /// </summary>
    public bool IsAboutTheSample { get; }
}
