using System.Runtime.ExceptionServices;

namespace AutoRefiner.Validator;

/// <summary>
/// Compiles code nested deeply: Roslyn's work on code from outside (parse, bind, emit) on a thread of its own with a large stack. Roslyn
/// recurses over nested syntax; on a pool thread's stack (1.5 MB on Linux) a few hundred levels of nesting could end
/// the process, which no catch stops, so the depth limit had to be so low that real code (a concatenation of some
/// hundreds of strings) was refused. On this stack <see cref="DepthLimit"/> levels bind with room to spare, and
/// deeper code is refused before it is bound.
/// </summary>
internal static class DeepCode
{
    /// <summary>The stack of the thread (reserved, committed only as it is used).</summary>
    public const int StackBytes = 256 * 1024 * 1024;

    /// <summary>Deepest nesting compiled on this stack.</summary>
    public const int DepthLimit = 2000;

    /// <summary>The error of code nested deeper than <see cref="DepthLimit"/>.</summary>
    public static string TooDeep { get; } = $"error AR0001: the code is nested deeper than {DepthLimit} levels";

    /// <summary>Runs <paramref name="work"/> on a large-stack thread and returns what it returns or throws what it throws.</summary>
    public static T Run<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
            },
            StackBytes)
        { IsBackground = true, Name = "roslyn (large stack)" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
