using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace AutoRefiner.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> on which every wait (<c>Task.Delay</c>, a retry pipeline's delay) ends at once by
/// moving the clock forward by exactly its length, while a time limit (a timer that cancels a
/// <see cref="CancellationTokenSource"/>) fires only when the clock is moved past it. Tests run at full speed, never
/// sleep, and assert the waits that were asked for.
/// </summary>
internal sealed class SkippingTime() : FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 7, 0, 0, TimeSpan.Zero))
{
    private readonly ConcurrentQueue<TimeSpan> _waits = new();

    /// <summary>The waits asked for so far, in order.</summary>
    public IReadOnlyList<TimeSpan> Waits => [.. _waits];

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (state is not CancellationTokenSource && dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            _waits.Enqueue(dueTime);
            Advance(dueTime);
        }

        return timer;
    }
}
