using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace AutoRefiner.Core.Pipeline;

/// <summary>Parallel map over an async stream that keeps the input order and bounds the work in flight.</summary>
public static class OrderedParallel
{
    /// <summary>
    /// Applies <paramref name="body"/> to up to <paramref name="degree"/> items at once and yields the results in
    /// input order. At most twice <paramref name="degree"/> items are started and not yet taken by the consumer, so
    /// memory stays flat however long the stream is; the source is read ahead on its own task so that stages overlap.
    /// </summary>
    public static IAsyncEnumerable<TOut> SelectAsync<TIn, TOut>(
        this IAsyncEnumerable<TIn> source,
        int degree,
        Func<TIn, CancellationToken, ValueTask<TOut>> body,
        CancellationToken cancellationToken = default) =>
        SelectAsync(source, degree, degree * 2, body, cancellationToken);

    /// <summary>
    /// Applies <paramref name="body"/> to up to <paramref name="degree"/> items at once and yields the results in input
    /// order, with at most <paramref name="window"/> items started and not yet taken by the consumer. A slow item holds
    /// the ones after it until it is done: a window much wider than the degree keeps the other workers busy meanwhile
    /// when the items' costs vary widely.
    /// </summary>
    /// <param name="source">The items, read ahead on their own task.</param>
    /// <param name="degree">Items worked on at once.</param>
    /// <param name="window">Items started and not yet taken by the consumer, at least <paramref name="degree"/>.</param>
    /// <param name="body">The work on one item.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public static async IAsyncEnumerable<TOut> SelectAsync<TIn, TOut>(
        this IAsyncEnumerable<TIn> source,
        int degree,
        int window,
        Func<TIn, CancellationToken, ValueTask<TOut>> body,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, degree);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var throttle = new SemaphoreSlim(degree);
        var pending = Channel.CreateBounded<Task<TOut>>(new BoundedChannelOptions(window) { SingleReader = true, SingleWriter = true });

        var producer = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var item in source.WithCancellation(cts.Token).ConfigureAwait(false))
                    {
                        await throttle.WaitAsync(cts.Token).ConfigureAwait(false);
                        var task = Task.Run(
                            async () =>
                            {
                                try
                                {
                                    return await body(item, cts.Token).ConfigureAwait(false);
                                }
                                finally
                                {
                                    throttle.Release();
                                }
                            },
                            cts.Token);
                        await pending.Writer.WriteAsync(task, cts.Token).ConfigureAwait(false);
                    }

                    pending.Writer.TryComplete();
                }
                catch (Exception e)
                {
                    pending.Writer.TryComplete(e);
                }
            },
            CancellationToken.None);

        try
        {
            await foreach (var task in pending.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return await task.ConfigureAwait(false);
            }
        }
        finally
        {
            await cts.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);

            // Drain what was started so no task outlives the enumeration with an unobserved failure.
            while (pending.Reader.TryRead(out var leftover))
            {
                try
                {
                    await leftover.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The consumer stopped early or failed; these results are not wanted.
                }
            }
        }
    }
}
