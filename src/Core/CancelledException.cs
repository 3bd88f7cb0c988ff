namespace AutoRefiner.Core;

/// <summary>
/// A cancellation that says what it left behind, for a command whose state after a cancel is not the harvest's
/// "nothing was written" (a push may have committed). The top-level handler prints <see cref="Exception.Message"/>.
/// </summary>
public sealed class CancelledException : OperationCanceledException
{
    /// <summary>Creates one saying <paramref name="whatWasLeft"/> (a sentence).</summary>
    public CancelledException(string whatWasLeft, Exception? inner, CancellationToken token)
        : base(whatWasLeft, inner, token)
    {
    }

    /// <summary>Creates one saying <paramref name="whatWasLeft"/>.</summary>
    public CancelledException(string whatWasLeft)
        : base(whatWasLeft)
    {
    }

    /// <summary>Creates one with the default sentence.</summary>
    public CancelledException()
        : base("cancelled")
    {
    }

    /// <summary>Creates one saying <paramref name="whatWasLeft"/>, caused by <paramref name="inner"/>.</summary>
    public CancelledException(string whatWasLeft, Exception? inner)
        : base(whatWasLeft, inner)
    {
    }
}
