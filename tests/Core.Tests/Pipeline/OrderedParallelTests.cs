using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.Core.Tests.Pipeline;

public sealed class OrderedParallelTests
{
    private static async IAsyncEnumerable<int> Range(int count, Action<int>? onRead = null)
    {
        for (var i = 0; i < count; i++)
        {
            onRead?.Invoke(i);
            await Task.Yield();
            yield return i;
        }
    }

    [Fact]
    public async Task SelectAsync_KeepsInputOrderWhateverTheFinishingOrder()
    {
        var results = await Range(50).SelectAsync(4, async (i, ct) =>
        {
            await Task.Delay((50 - i) % 7, ct);
            return i * 10;
        }).ToListAsync();

        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 10), results);
    }

    [Fact]
    public async Task SelectAsync_RunsUpToDegreeAtOnce()
    {
        var running = 0;
        var peak = 0;
        await Range(40).SelectAsync(3, async (i, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Delay(5, ct);
            Interlocked.Decrement(ref running);
            return i;
        }).ToListAsync();

        Assert.InRange(peak, 2, 3);
    }

    [Fact]
    public async Task SelectAsync_SlowConsumer_BoundsReadAhead()
    {
        var read = 0;
        var source = Range(1000, _ => Interlocked.Increment(ref read));
        await using var enumerator = source.SelectAsync(2, (i, _) => ValueTask.FromResult(i)).GetAsyncEnumerator();

        Assert.True(await enumerator.MoveNextAsync());
        await Task.Delay(200);

        // Memory must not grow with the stream: only a window of a few items is read ahead.
        Assert.InRange(Volatile.Read(ref read), 1, 10);
    }

    [Fact]
    public async Task SelectAsync_BodyThrows_FailsTheEnumeration()
    {
        var stream = Range(20).SelectAsync(2, (i, _) => i == 7 ? throw new InvalidOperationException("boom") : ValueTask.FromResult(i));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await stream.ToListAsync());
        Assert.Equal("boom", e.Message);
    }

    [Fact]
    public async Task SelectAsync_Cancelled_StopsWithOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var seen = 0;
        var stream = Range(100_000).SelectAsync(2, (i, _) => ValueTask.FromResult(i), cts.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in stream)
            {
                if (++seen == 10)
                {
                    await cts.CancelAsync();
                }
            }
        });
        Assert.InRange(seen, 10, 20);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    [Fact]
    public async Task SelectAsync_WideWindow_OtherWorkersGoOnBehindASlowFirstItem()
    {
        // The first item is held until 30 others have finished: with a window of 2 × degree the others would wait for it.
        var finished = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var results = Range(40).SelectAsync(2, 32, async (i, ct) =>
        {
            if (i == 0)
            {
                await release.Task.WaitAsync(ct);
            }
            else if (Interlocked.Increment(ref finished) == 30)
            {
                release.TrySetResult();
            }

            return i;
        });

        var all = await results.ToListAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(Enumerable.Range(0, 40), all);
    }

    [Fact]
    public async Task SelectAsync_WindowBoundsTheItemsStartedBehindASlowOne()
    {
        var started = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var results = Range(100).SelectAsync(2, 8, async (i, ct) =>
        {
            Interlocked.Increment(ref started);
            if (i == 0)
            {
                await release.Task.WaitAsync(ct);
            }

            return i;
        });
        await using var enumerator = results.GetAsyncEnumerator();
        var first = enumerator.MoveNextAsync().AsTask();

        // The first item is unfinished, so the workers run out of room: the window's 8, the one the reader awaits, and
        // one started and waiting for room. A slower machine only starts them later, never more of them.
        await WaitUntil(() => Volatile.Read(ref started) >= 9);
        await Task.Delay(100);
        Assert.InRange(Volatile.Read(ref started), 9, 10);
        release.TrySetResult();
        Assert.True(await first);
        Assert.Equal(0, enumerator.Current);
    }

    [Fact]
    public async Task SelectAsync_WindowSmallerThanTheDegree_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Range(1).SelectAsync(4, 3, (i, _) => ValueTask.FromResult(i)).ToListAsync());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = Task.Delay(TimeSpan.FromMinutes(1));
        while (!condition())
        {
            Assert.False(deadline.IsCompleted, "the condition did not come true within a minute");
            await Task.Delay(10);
        }
    }
}
