using System.Collections.Concurrent;

namespace AutoRefiner.Validator;

/// <summary>
/// Compiles code nested deeply: Roslyn's work on code from outside (parse, bind, emit) on threads of their own with a large stack. Roslyn
/// recurses over nested syntax; on a pool thread's stack (1.5 MB on Linux) a few hundred levels of nesting could end
/// the process, which no catch stops, so the depth limit had to be so low that real code (a concatenation of some
/// hundreds of strings) was refused. On this stack <see cref="DepthLimit"/> levels bind with room to spare, and
/// deeper code is refused before it is bound.
/// </summary>
/// <remarks>
/// The threads live for the process, one per core (at least two), and take the work in the order it comes: a harvest
/// compiles thousands of small units, and a new thread for each (its stack mapped and faulted in again) cost more than
/// some of the compilations. Work asked for on one of these threads runs there at once, so nested calls cannot wait
/// for themselves.
/// </remarks>
internal static class DeepCode
{
    /// <summary>The stack of each thread (reserved, committed only as it is used).</summary>
    public const int StackBytes = 256 * 1024 * 1024;

    /// <summary>Deepest nesting compiled on this stack.</summary>
    public const int DepthLimit = 2000;

    /// <summary>The error of code nested deeper than <see cref="DepthLimit"/>.</summary>
    public static string TooDeep { get; } = $"error AR0001: the code is nested deeper than {DepthLimit} levels";

    /// <summary>Threads that do the work.</summary>
    public static int Threads { get; } = Math.Max(2, Environment.ProcessorCount);

    private static readonly Lazy<BlockingCollection<Action>> Queue = new(Start);

    [ThreadStatic]
    private static bool t_onLargeStack;

    /// <summary>Runs <paramref name="work"/> on a large-stack thread and returns what it returns or throws what it throws.</summary>
    public static T Run<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (t_onLargeStack)
        {
            return work();
        }

        var outcome = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Value.Add(() =>
        {
            try
            {
                outcome.SetResult(work());
            }
            catch (Exception e)
            {
                outcome.SetException(e);
            }
        });

        // The caller waits, as it would for the work done on its own thread; the exception comes out as thrown.
        return outcome.Task.GetAwaiter().GetResult();
    }

    private static BlockingCollection<Action> Start()
    {
        var queue = new BlockingCollection<Action>();
        for (var i = 0; i < Threads; i++)
        {
            new Thread(
                () =>
                {
                    t_onLargeStack = true;
                    foreach (var work in queue.GetConsumingEnumerable())
                    {
                        work();
                    }
                },
                StackBytes)
            { IsBackground = true, Name = "roslyn (large stack)" }.Start();
        }

        return queue;
    }
}
