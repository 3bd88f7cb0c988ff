using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace AutoRefiner.Harvester.Local;

/// <summary>
/// Runs pieces of work at the same time, each writing its outputs as it goes, and yields the outputs in the order of the
/// work: all of the first piece's, then the second's, and so on, exactly as running them one after the other would. At
/// most <c>degree</c> pieces run at once, and together no more than a memory budget by their estimated cost (the first
/// piece waiting always starts). A piece that finishes ahead of its turn keeps its outputs until the consumer reaches it;
/// its result is handed to the consumer's <c>done</c> callback in order, too.
/// </summary>
internal static class OrderedConcurrentRuns
{
    /// <summary>Runs <paramref name="items"/> with <paramref name="run"/>; see the type's summary.</summary>
    public static async IAsyncEnumerable<TOut> RunAsync<TItem, TOut, TDone>(
        IReadOnlyList<TItem> items,
        Func<TItem, long> cost,
        int degree,
        long budget,
        Func<TItem, ChannelWriter<TOut>, CancellationToken, Task<TDone>> run,
        Action<TDone> done,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var gate = new BudgetGate(degree, budget);
        var started = Channel.CreateUnbounded<(ChannelReader<TOut> Outputs, Task<TDone> Work)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var all = new List<Task>();
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var item in items)
                    {
                        var weight = Math.Max(0, cost(item));
                        await gate.EnterAsync(weight, cts.Token).ConfigureAwait(false);
                        var outputs = Channel.CreateUnbounded<TOut>(new UnboundedChannelOptions { SingleReader = true });
                        var work = Task.Run(
                            async () =>
                            {
                                try
                                {
                                    var result = await run(item, outputs.Writer, cts.Token).ConfigureAwait(false);
                                    outputs.Writer.TryComplete();
                                    return result;
                                }
                                catch (Exception e)
                                {
                                    outputs.Writer.TryComplete(e);
                                    throw;
                                }
                                finally
                                {
                                    gate.Leave(weight);
                                }
                            },
                            CancellationToken.None);
                        lock (all)
                        {
                            all.Add(work);
                        }

                        started.Writer.TryWrite((outputs.Reader, work));
                    }

                    started.Writer.TryComplete();
                }
                catch (Exception e)
                {
                    started.Writer.TryComplete(e);
                }
            },
            CancellationToken.None);

        try
        {
            await foreach (var (outputs, work) in started.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                await foreach (var output in outputs.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    yield return output;
                }

                done(await work.ConfigureAwait(false));
            }
        }
        finally
        {
            // The consumer stopped early or failed: stop the rest and observe every piece, so none outlives the run.
            await cts.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
            Task[] pieces;
            lock (all)
            {
                pieces = [.. all];
            }

            foreach (var piece in pieces)
            {
                try
                {
                    await piece.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Its failure, if it mattered, was already raised to the consumer in its turn.
                }
            }
        }
    }
}
