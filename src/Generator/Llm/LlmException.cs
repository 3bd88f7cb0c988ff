namespace AutoRefiner.Generator.Llm;

/// <summary>A chat request that got no answer. <see cref="IsFatal"/> ones stop the run; the others lose one sample.</summary>
public sealed class LlmException : Exception
{
    /// <summary>Creates the exception; the message must already be free of secrets.</summary>
    public LlmException(string message, bool isFatal, string reason, Exception? inner = null)
        : base(message, inner)
    {
        IsFatal = isFatal;
        Reason = reason;
    }

    /// <summary>No later request can succeed either (dead endpoint after its retries, refused key, unknown model).</summary>
    public bool IsFatal { get; }

    /// <summary>Short reason for the counts (<c>rejected-400</c>, <c>unavailable</c>, …).</summary>
    public string Reason { get; }

    /// <summary>The reason of a 200 whose body is not a chat completion.</summary>
    public const string InvalidAnswer = "invalid-answer";

    /// <summary>
    /// The same request may well succeed next time: its answer was garbled on the way. A refusal (a 400: too long for
    /// the model's context, filtered) would be refused again, so it is an outcome to record.
    /// </summary>
    public bool IsTransient => Reason == InvalidAnswer;
}
