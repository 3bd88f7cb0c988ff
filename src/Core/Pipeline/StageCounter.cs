namespace AutoRefiner.Core.Pipeline;

/// <summary>A live count of one stage, read by progress displays while the run goes on.</summary>
public sealed class StageCounter(string name, TimeProvider time)
{
    private long _count;
    private long _total = -1;
    private long _startedAt;
    private long _finishedAt;

    /// <summary>Stage name (files, seeds, …).</summary>
    public string Name { get; } = name;

    /// <summary>Items done.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Items expected, when known.</summary>
    public long? Total => Interlocked.Read(ref _total) is var t and >= 0 ? t : null;

    /// <summary>The stage has seen its last item.</summary>
    public bool IsFinished => Interlocked.Read(ref _finishedAt) != 0;

    /// <summary>Time from the first item to the last (or to now).</summary>
    public TimeSpan Elapsed
    {
        get
        {
            var start = Interlocked.Read(ref _startedAt);
            if (start == 0)
            {
                return TimeSpan.Zero;
            }

            var end = Interlocked.Read(ref _finishedAt);
            return time.GetElapsedTime(start, end == 0 ? time.GetTimestamp() : end);
        }
    }

    /// <summary>Items per second so far.</summary>
    public double Rate => Elapsed.TotalSeconds > 0 ? Count / Elapsed.TotalSeconds : 0;

    /// <summary>Time left at the current rate, when the total is known.</summary>
    public TimeSpan? Eta => Total is { } total && Rate > 0 && !IsFinished ? TimeSpan.FromSeconds(Math.Max(0, total - Count) / Rate) : null;

    /// <summary>Counts items.</summary>
    public void Add(long n = 1)
    {
        Start();
        Interlocked.Add(ref _count, n);
    }

    /// <summary>Marks the stage as started (the clock for its rate).</summary>
    public void Start() => Interlocked.CompareExchange(ref _startedAt, time.GetTimestamp(), 0);

    /// <summary>Sets the expected total.</summary>
    public void SetTotal(long total) => Interlocked.Exchange(ref _total, total);

    /// <summary>Marks the stage as done.</summary>
    public void Finish()
    {
        Start();
        Interlocked.CompareExchange(ref _finishedAt, time.GetTimestamp(), 0);
    }
}
