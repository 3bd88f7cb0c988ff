using System.Diagnostics;
using System.Globalization;

namespace AutoRefiner.Sandbox;

/// <summary>
/// Work going on in the worker beyond the runner itself: threads of the sample's, timers, and queued thread-pool work
/// (a pool thread busy with the sample's code is not told apart from an idle one here, as the pool's own counts did
/// not show it; it keeps the sample's assembly loaded, which the runner checks after this). Counted
/// before a sample runs and after its tests end; what is there after and was not before is work the sample left
/// running. Threads are counted from <c>/proc/self/task</c> by name: the runtime names its own service threads
/// "<c>.NET …</c>" (the thread pool's, the finalizer, tiered compilation), and a thread the sample starts is named
/// after the thread that started it, or by the sample. Elsewhere than Linux threads are not counted, and a sample that
/// keeps its assembly loaded only retires its worker.
/// </summary>
internal readonly record struct WorkInFlight(int Threads, long Timers)
{
    private const string TaskDirectory = "/proc/self/task";

    /// <summary>The counts now.</summary>
    public static WorkInFlight Now() => new(SampleThreads(), Timer.ActiveCount);

    /// <summary>
    /// What is still running compared with <paramref name="before"/> (<c>1 thread, 2 timers</c>) once it has had
    /// <paramref name="settle"/> to wind down, or null as soon as nothing is.
    /// </summary>
    public static string? Settled(WorkInFlight before, TimeSpan settle)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var running = Running(before);
            if (running is null || clock.Elapsed >= settle)
            {
                return running;
            }

            Thread.Sleep(5);
        }
    }

    private static string? Running(WorkInFlight before)
    {
        var parts = new List<string>();
        var now = Now();
        if (now.Threads > before.Threads)
        {
            parts.Add(Count(now.Threads - before.Threads, "thread"));
        }

        if (ThreadPool.PendingWorkItemCount > 0)
        {
            parts.Add(Count(ThreadPool.PendingWorkItemCount, "queued work item"));
        }

        if (now.Timers > before.Timers)
        {
            parts.Add(Count(now.Timers - before.Timers, "timer"));
        }

        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static string Count(long n, string what) => n.ToString(CultureInfo.InvariantCulture) + " " + what + (n == 1 ? "" : "s");

    /// <summary>Threads that are neither the runtime's service threads nor idle pool threads.</summary>
    private static int SampleThreads()
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists(TaskDirectory))
        {
            return 0;
        }

        int own = 0, poolNamed = 0;
        foreach (var task in Directory.EnumerateDirectories(TaskDirectory))
        {
            string name;
            try
            {
                name = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // it ended while being listed
            }

            if (name.StartsWith(".NET TP Worker", StringComparison.Ordinal))
            {
                poolNamed++;
            }
            else if (!name.StartsWith(".NET ", StringComparison.Ordinal) || name.StartsWith(".NET Long Run", StringComparison.Ordinal))
            {
                // Long-running tasks get a thread of their own, named by the runtime, that is the sample's work.
                own++;
            }
        }

        // A thread started from a pool thread inherits the pool's name: those beyond the pool's own count are the sample's.
        return own + Math.Max(0, poolNamed - ThreadPool.ThreadCount);
    }
}
