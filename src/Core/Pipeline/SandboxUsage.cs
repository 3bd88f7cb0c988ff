namespace AutoRefiner.Core.Pipeline;

/// <summary>What the test sandbox did in a run: its isolation and how often workers had to be replaced.</summary>
public sealed class SandboxUsage
{
    private long _started;
    private long _replaced;

    /// <summary>The isolation layers in force, in words, once a worker has started; null when no test ran.</summary>
    public string? Isolation { get; set; }

    /// <summary>Worker processes started.</summary>
    public long WorkersStarted => Interlocked.Read(ref _started);

    /// <summary>Workers replaced after a timeout, a crash or code left running.</summary>
    public long WorkersReplaced => Interlocked.Read(ref _replaced);

    /// <summary>Counts a worker started.</summary>
    public void CountStarted() => Interlocked.Increment(ref _started);

    /// <summary>Counts a worker replaced.</summary>
    public void CountReplaced() => Interlocked.Increment(ref _replaced);
}
