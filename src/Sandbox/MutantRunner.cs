using System.Reflection;
using System.Runtime.CompilerServices;

namespace AutoRefiner.Sandbox;

/// <summary>
/// Runs a sample's tests against one mutant of a mutant-schemata assembly: every mutant is compiled into the one
/// assembly, each behind a check of the static <c>__ArMutant.Id</c>, which is set here before the tests run. When the
/// validator says no static state can leak from one mutant to the next (<see cref="RunRequest.KeepLoaded"/>), the
/// assembly stays loaded for the next request with the same image, so it is loaded, discovered and JIT-compiled once
/// for all its mutants rather than once per mutant.
/// </summary>
internal static class MutantRunner
{
    /// <summary>The class the mutant-schemata compiler adds (global namespace) and its switch field.</summary>
    public const string SwitchType = "__ArMutant";

    /// <summary>See <see cref="SwitchType"/>.</summary>
    public const string SwitchField = "Id";

    private static Loaded? _kept;

    /// <summary>See <see cref="SwitchType"/>: the flag a mutant's loops check.</summary>
    public const string HaltField = "Halt";

    /// <summary>Least time a test of a mutant gets on a kept assembly, however fast the original ran.</summary>
    private static readonly TimeSpan MinWarmLimit = TimeSpan.FromMilliseconds(100);

    /// <summary>An assembly loaded for its mutants; <see cref="WarmLimit"/> is what a test may take there, from a run of the original in it.</summary>
    private sealed record Loaded(byte[] Image, SampleLoadContext Context, Assembly Assembly, List<TestRunner.TestCase> Tests, string? Error)
    {
        public TimeSpan? WarmLimit { get; init; }
    }

    /// <summary>Runs the tests with <paramref name="mutant"/> switched on; they stop at the first one that does not pass.</summary>
    public static RunResponse Run(byte[] image, int mutant, bool keepLoaded, TimeSpan testTimeout)
    {
        var before = WorkInFlight.Now();
        var (response, released) = TestRunner.OnLargeStack(() => RunHere(image, mutant, keepLoaded, testTimeout));
        if (response.Retiring || released is null)
        {
            // Retiring: the process ends after this answer, the kept assembly with it.
            return response;
        }

        // The last mutant of a sample: the same check as after an ordinary run, so no work of its code outlives it.
        var running = WorkInFlight.Settled(before, TestRunner.Settle);
        if (!TestRunner.Unloaded(released))
        {
            CacheClearing.ClearFrameworkCaches();
            running ??= TestRunner.Unloaded(released) ? null : "code of the sample still in use: a task or callback still running, or a handler it registered";
        }

        return running is null ? response : response with { Retiring = true, LeftRunning = true, Running = running };
    }

    /// <summary>Unloads a kept assembly (a sample whose mutants were not all run), then does <paramref name="work"/>.</summary>
    public static RunResponse ReleaseThen(Func<RunResponse> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Release();
        return work();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Release()
    {
        if (_kept is { } kept)
        {
            _kept = null;
            kept.Context.Unload();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (RunResponse Response, WeakReference? Released) RunHere(byte[] image, int mutant, bool keepLoaded, TimeSpan testTimeout)
    {
        var loaded = _kept is { } kept && kept.Image.AsSpan().SequenceEqual(image) ? kept : Load(image, warm: keepLoaded, testTimeout);
        _kept = null;
        var results = new List<TestResult>();
        var retiring = false;
        var type = loaded.Assembly.GetType(SwitchType);
        var field = type?.GetField(SwitchField, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);
        var halt = type?.GetField(HaltField, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);
        if (loaded.Error is null)
        {
            if (field is null || halt is null)
            {
                return Finish(loaded, new RunResponse([], $"the assembly has no mutant switch ({SwitchType}.{SwitchField})"), keepLoaded: false);
            }

            // On a kept assembly, everything the tests touch is compiled already: a test may take ten times what it took
            // on the original there (at least MinWarmLimit), which stops a mutant that loops forever in a fraction of a second.
            var limit = loaded.WarmLimit is { } warm && warm < testTimeout ? warm : testTimeout;
            field.SetValue(null, mutant);
            foreach (var test in loaded.Tests)
            {
                var result = TestRunner.RunOne(test, limit, () => halt.SetValue(null, true), out var stopped);
                halt.SetValue(null, false);
                results.Add(result);
                if (result.Outcome == "timeout" && stopped)
                {
                    // Killed, and its loop checked the halt flag and ended: the process goes on.
                    break;
                }

                if (result.Outcome is "timeout" or "crashed")
                {
                    // Its thread may still be running the mutant: nothing more runs in this process.
                    retiring = true;
                    break;
                }

                if (result.Outcome == "failed")
                {
                    // Killed: the other tests cannot change that.
                    break;
                }
            }

            field.SetValue(null, 0);
        }

        var response = new RunResponse(results, loaded.Error) { Retiring = retiring };
        return retiring ? (response, null) : Finish(loaded, response, keepLoaded && loaded.Error is null);
    }

    private static (RunResponse, WeakReference?) Finish(Loaded loaded, RunResponse response, bool keepLoaded)
    {
        if (keepLoaded)
        {
            _kept = loaded;
            return (response, null);
        }

        var weak = new WeakReference(loaded.Context);
        loaded.Context.Unload();
        return (response, weak);
    }

    private static Loaded Load(byte[] image, bool warm, TimeSpan testTimeout)
    {
        Release();
        var context = new SampleLoadContext();
        Assembly assembly;
        try
        {
            using var stream = new MemoryStream(image, writable: false);
            assembly = context.LoadFromStream(stream);
        }
        catch (BadImageFormatException e)
        {
            return new Loaded(image, context, typeof(MutantRunner).Assembly, [], $"the assembly cannot be loaded: {e.Message}");
        }

        var tests = TestRunner.Discover(assembly, out var error);
        var loaded = new Loaded(image, context, assembly, tests, error ?? (tests.Count == 0 ? "no test found: no public class has a [Fact] or a [Theory] with data" : null));
        if (!warm || loaded.Error is not null)
        {
            return loaded;
        }

        // The original (mutant 0) once, to compile what the tests touch and to learn how long each takes when warm.
        var slowest = TimeSpan.Zero;
        foreach (var test in tests)
        {
            var result = TestRunner.RunOne(test, testTimeout);
            if (result.Outcome is not ("passed" or "skipped"))
            {
                // Not a baseline to time mutants against: each gets the limit it was sent with.
                return loaded;
            }

            slowest = TimeSpan.FromMilliseconds(Math.Max(slowest.TotalMilliseconds, result.Milliseconds));
        }

        var limit = (slowest * 10) + MinWarmLimit;
        return loaded with { WarmLimit = limit };
    }
}
