using System.Collections.Concurrent;

namespace AutoRefiner.Core.Pipeline;

/// <summary>What a run asked of the LLM and what it cost; updated from many requests at once.</summary>
public sealed class LlmUsage
{
    private readonly ConcurrentDictionary<string, long> _failures = new(StringComparer.Ordinal);
    private long _answered;
    private long _cached;
    private long _attempts;
    private long _retries;
    private long _promptTokens;
    private long _completionTokens;
    private long _waitingUntil;

    /// <summary>Requests the endpoint answered in this run (each paid once, whatever its retries).</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Requests answered from the state store's cache: no call made.</summary>
    public long Cached => Interlocked.Read(ref _cached);

    /// <summary>HTTP requests sent, retries included.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>HTTP requests that were retries (after a 408, 429, 5xx, timeout or dropped connection).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Prompt tokens billed in this run (cached answers cost none).</summary>
    public long PromptTokens => Interlocked.Read(ref _promptTokens);

    /// <summary>Completion tokens billed in this run.</summary>
    public long CompletionTokens => Interlocked.Read(ref _completionTokens);

    /// <summary>Requests that got no usable answer, by reason (<c>rejected-400</c>, …).</summary>
    public IReadOnlyDictionary<string, long> Failures => new SortedDictionary<string, long>(_failures.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);

    /// <summary>Counts an answer received from the endpoint.</summary>
    public void CountAnswer(int promptTokens, int completionTokens)
    {
        Interlocked.Increment(ref _answered);
        Interlocked.Add(ref _promptTokens, promptTokens);
        Interlocked.Add(ref _completionTokens, completionTokens);
    }

    /// <summary>Counts an answer served from the cache.</summary>
    public void CountCached() => Interlocked.Increment(ref _cached);

    /// <summary>Counts an HTTP request sent; <paramref name="retry"/> when it repeats an earlier one.</summary>
    public void CountAttempt(bool retry)
    {
        Interlocked.Increment(ref _attempts);
        if (retry)
        {
            Interlocked.Increment(ref _retries);
        }
    }

    /// <summary>
    /// Until when a request waits before it is sent again (what <c>Retry-After</c> asked, or a backoff); the latest of
    /// the waits under way, or null when there was none. Compare with the run's clock: a past time means no wait now.
    /// </summary>
    public DateTimeOffset? WaitingUntil => Interlocked.Read(ref _waitingUntil) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Records that a request waits until <paramref name="until"/> before it is sent again.</summary>
    public void WaitUntil(DateTimeOffset until)
    {
        var ticks = until.UtcTicks;
        long seen;
        while (ticks > (seen = Interlocked.Read(ref _waitingUntil)) && Interlocked.CompareExchange(ref _waitingUntil, ticks, seen) != seen)
        {
        }
    }

    /// <summary>Counts a request that ended without a usable answer.</summary>
    public void CountFailure(string reason) => _failures.AddOrUpdate(reason, 1, (_, n) => n + 1);
}
