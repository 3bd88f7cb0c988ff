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

    private sealed record Loaded(byte[] Image, SampleLoadContext Context, Assembly Assembly, List<TestRunner.TestCase> Tests, string? Error);

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
        var loaded = _kept is { } kept && kept.Image.AsSpan().SequenceEqual(image) ? kept : Load(image);
        _kept = null;
        var results = new List<TestResult>();
        var retiring = false;
        if (loaded.Error is null)
        {
            var field = loaded.Assembly.GetType(SwitchType)?.GetField(SwitchField, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);
            if (field is null)
            {
                return Finish(loaded, new RunResponse([], $"the assembly has no mutant switch ({SwitchType}.{SwitchField})"), keepLoaded: false);
            }

            field.SetValue(null, mutant);
            foreach (var test in loaded.Tests)
            {
                var result = TestRunner.RunOne(test, testTimeout);
                results.Add(result);
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

    private static Loaded Load(byte[] image)
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
        return new Loaded(image, context, assembly, tests, error ?? (tests.Count == 0 ? "no test found: no public class has a [Fact] or a [Theory] with data" : null));
    }
}
