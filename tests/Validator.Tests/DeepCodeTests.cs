using AutoRefiner.Validator;

namespace AutoRefiner.Validator.Tests;

/// <summary>The large-stack threads Roslyn's work on outside code runs on: shared, reused, and never waiting on themselves.</summary>
public sealed class DeepCodeTests
{
    [Fact]
    public async Task Run_ManyCallersAtOnce_EachGetsItsOwnResultFromALargeStackThread()
    {
        var callers = Enumerable.Range(0, DeepCode.Threads * 4).Select(i => Task.Run(() => DeepCode.Run(() => (i, Thread.CurrentThread.Name))));

        var results = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(Enumerable.Range(0, DeepCode.Threads * 4), results.Select(r => r.i));
        Assert.All(results, r => Assert.Equal("roslyn (large stack)", r.Name));
    }

    [Fact]
    public async Task Run_CalledFromWorkOnEveryThreadAtOnce_RunsInlineInsteadOfWaitingForAFreeThread()
    {
        // Every thread busy with work that asks for more: queued, the inner work would wait for a thread forever.
        using var allIn = new Barrier(DeepCode.Threads);
        var callers = Enumerable.Range(0, DeepCode.Threads).Select(i => Task.Run(() => DeepCode.Run(() =>
        {
            allIn.SignalAndWait(TimeSpan.FromMinutes(1));
            var outer = Environment.CurrentManagedThreadId;
            return DeepCode.Run(() => Environment.CurrentManagedThreadId == outer);
        })));

        var inline = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.All(inline, Assert.True);
    }

    [Fact]
    public void Run_WorkThrows_TheCallerGetsTheSameException()
    {
        var thrown = Assert.Throws<InvalidOperationException>(() => DeepCode.Run<int>(() => throw new InvalidOperationException("from the work")));

        Assert.Equal("from the work", thrown.Message);
        Assert.Equal(7, DeepCode.Run(() => 7));
    }
}
