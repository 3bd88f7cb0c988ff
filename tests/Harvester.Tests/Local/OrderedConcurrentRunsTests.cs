using System.Threading.Channels;
using AutoRefiner.Harvester.Local;

namespace AutoRefiner.Harvester.Tests.Local;

/// <summary>
/// Pieces of work run at the same time within a count and a memory budget, and their outputs come out in the order of
/// the pieces. Every wait is on a signal the test controls; the time-outs only turn a hang into a failure.
/// </summary>
public sealed class OrderedConcurrentRunsTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private static async Task<(List<string> Outputs, List<int> Done)> RunAsync(
        int pieces, int degree, long budget, Func<int, ChannelWriter<string>, CancellationToken, Task> body, long cost = 10)
    {
        var done = new List<int>();
        var outputs = new List<string>();
        var runs = OrderedConcurrentRuns.RunAsync<int, string, int>(
            [.. Enumerable.Range(0, pieces)],
            _ => cost,
            degree,
            budget,
            async (i, writer, ct) =>
            {
                await body(i, writer, ct);
                return i;
            },
            done.Add,
            default);
        await foreach (var output in runs)
        {
            outputs.Add(output);
        }

        return (outputs, done);
    }

    [Fact]
    public async Task RunAsync_LaterPieceFinishesFirst_OutputsComeInPieceOrder()
    {
        var secondFinished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var (outputs, done) = await RunAsync(2, degree: 2, budget: 100, async (i, writer, ct) =>
        {
            if (i == 0)
            {
                // The first piece writes, then waits for the second to have finished: only possible when both run at once.
                await writer.WriteAsync("0a", ct);
                await secondFinished.Task.WaitAsync(Hang, ct);
                await writer.WriteAsync("0b", ct);
                return;
            }

            await writer.WriteAsync("1a", ct);
            await writer.WriteAsync("1b", ct);
            secondFinished.SetResult();
        }).WaitAsync(Hang);

        Assert.Equal(["0a", "0b", "1a", "1b"], outputs);
        Assert.Equal([0, 1], done);
    }

    [Fact]
    public async Task RunAsync_TwoDoNotFitTheBudget_OneRunsAtATime()
    {
        var running = 0;
        var most = 0;

        var (outputs, _) = await RunAsync(4, degree: 4, budget: 15, async (i, writer, ct) =>
        {
            most = Math.Max(most, Interlocked.Increment(ref running));
            await Task.Yield();
            await writer.WriteAsync($"{i}", ct);
            Interlocked.Decrement(ref running);
        }).WaitAsync(Hang);

        Assert.Equal(1, most);
        Assert.Equal(["0", "1", "2", "3"], outputs);
    }

    [Fact]
    public async Task RunAsync_PieceLargerThanTheBudget_StillRuns()
    {
        var (outputs, _) = await RunAsync(2, degree: 2, budget: 5, async (i, writer, ct) => await writer.WriteAsync($"{i}", ct), cost: 1000).WaitAsync(Hang);

        Assert.Equal(["0", "1"], outputs);
    }

    [Fact]
    public async Task RunAsync_DegreeOne_NextStartsOnlyAfterThePreviousFinished()
    {
        var finished = new List<int>();
        var (outputs, _) = await RunAsync(3, degree: 1, budget: long.MaxValue, async (i, writer, ct) =>
        {
            lock (finished)
            {
                Assert.Equal(i, finished.Count);
            }

            await Task.Yield();
            await writer.WriteAsync($"{i}", ct);
            lock (finished)
            {
                finished.Add(i);
            }
        }).WaitAsync(Hang);

        Assert.Equal(["0", "1", "2"], outputs);
    }

    [Fact]
    public async Task RunAsync_APieceFails_TheFailureComesAfterTheOutputsBeforeIt()
    {
        var outputs = new List<string>();
        var runs = OrderedConcurrentRuns.RunAsync<int, string, int>(
            [0, 1, 2],
            _ => 1,
            2,
            100,
            async (i, writer, ct) =>
            {
                await writer.WriteAsync($"{i}", ct);
                return i == 1 ? throw new InvalidOperationException("piece 1 failed") : i;
            },
            _ => { },
            default);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var output in runs)
            {
                outputs.Add(output);
            }
        }).WaitAsync(Hang);

        Assert.Equal("piece 1 failed", e.Message);
        Assert.Equal(["0", "1"], outputs);
    }
}
