using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace AutoRefiner.Core.Pipeline;

/// <summary>Parallel map over an async stream that keeps the input order and bounds the work in flight.</summary>
public static class OrderedParallel
{
    /// <summary>
    /// Applies <paramref name="body"/> to up to <paramref name="degree"/> items at once and yields the results in
    /// input order. At most about twice <paramref name="degree"/> results wait for the consumer, so memory stays flat
    /// however long the stream is; the source is read ahead on its own task so that stages overlap.
    /// </summary>
    public static async IAsyncEnumerable<TOut> SelectAsync<TIn, TOut>(
        this IAsyncEnumerable<TIn> source,
        int degree,
        Func<TIn, CancellationToken, ValueTask<TOut>> body,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var throttle = new SemaphoreSlim(degree);
        var pending = Channel.CreateBounded<Task<TOut>>(new BoundedChannelOptions(degree * 2) { SingleReader = true, SingleWriter = true });

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
