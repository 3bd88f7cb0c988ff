using System.Collections;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace AutoRefiner.Sandbox;

/// <summary>
/// Runs the xunit tests of one assembly the way xunit does for the features generated tests use: public classes,
/// <c>[Fact]</c> methods, <c>[Theory]</c> methods with <c>[InlineData]</c> or <c>[MemberData]</c>, sync or async
/// (<c>Task</c>/<c>ValueTask</c>), a fresh instance per test, <c>IDisposable</c>/<c>IAsyncDisposable</c> and
/// xunit's <c>IAsyncLifetime</c> honoured, <c>Skip</c> respected. Each test runs on its own thread with a time limit;
/// the assembly lives in a collectible load context that is unloaded afterwards.
/// </summary>
internal static class TestRunner
{
    /// <summary>
    /// Stack of the threads that load, discover and run a sample: the JIT compiles its methods on them, recursing over
    /// its expressions, and code nested as deep as the validator accepts (<c>DeepCode.DepthLimit</c>) must fit.
    /// Reserved, committed only as used.
    /// </summary>
    internal const int TestStackBytes = 64 * 1024 * 1024;

    /// <summary>How long a halted test's thread may take to end.</summary>
    private static readonly TimeSpan HaltGrace = TimeSpan.FromMilliseconds(500);

    /// <summary>How long work the tests started may take to wind down after the last test before it counts as left running.</summary>
    internal static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs every test of <paramref name="image"/>.</summary>
    public static RunResponse Run(byte[] image, TimeSpan testTimeout)
    {
        // Counted before the sample runs, so nothing an earlier sample of this worker left behind is charged to this one.
        var before = WorkInFlight.Now();
        var (response, context) = OnLargeStack(() => RunInContext(image, testTimeout));
        if (response.Retiring)
        {
            return response;
        }

        // Work the sample started and did not finish is named where it can be seen — threads, queued work, timers —
        // once it has had a moment to wind down. Code still running on a pool thread shows only in that it keeps the
        // assembly loaded; so does a cache holding one of the sample's types, which is why those are emptied first:
        // xunit's assertion caches are loaded per sample (SampleLoadContext), the framework's are cleared through its
        // own hook. Before, xunit's caches alone made single-threaded code look as if it left threads running.
        var running = WorkInFlight.Settled(before, Settle);
        if (!Unloaded(context))
        {
            CacheClearing.ClearFrameworkCaches();
            running ??= Unloaded(context) ? null : "code of the sample still in use: a task or callback still running, or a handler it registered";
        }

        // Whatever still runs, this worker is done: a fresh one takes the next sample.
        return running is null ? response : response with { Retiring = true, LeftRunning = true, Running = running };
    }

    internal static T OnLargeStack<T>(Func<T> work)
    {
        T result = default!;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception e)
                {
                    // Out of memory, mostly: the worker's loop reports it and retires.
                    failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                }
            },
            TestStackBytes)
        { Name = "runner" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    internal static bool Unloaded(WeakReference context)
    {
        for (var i = 0; i < 8 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return !context.IsAlive;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (RunResponse Response, WeakReference Context) RunInContext(byte[] image, TimeSpan testTimeout)
    {
        var context = new SampleLoadContext();
        var weak = new WeakReference(context);
        try
        {
            Assembly assembly;
            try
            {
                using var stream = new MemoryStream(image, writable: false);
                assembly = context.LoadFromStream(stream);
            }
            catch (BadImageFormatException e)
            {
                return (new RunResponse([], $"the assembly cannot be loaded: {e.Message}"), weak);
            }

            var tests = Discover(assembly, out var discoveryError);
            if (discoveryError is not null)
            {
                return (new RunResponse([], discoveryError), weak);
            }

            if (tests.Count == 0)
            {
                return (new RunResponse([], "no test found: no public class has a [Fact] or a [Theory] with data"), weak);
            }

            var results = new List<TestResult>(tests.Count);
            foreach (var test in tests)
            {
                var result = RunOne(test, testTimeout);
                results.Add(result);
                if (result.Outcome is "timeout" or "crashed")
                {
                    // Its thread may still be running (or the heap is exhausted): run nothing more in this process.
                    return (new RunResponse(results, null) { Retiring = true }, weak);
                }
            }

            return (new RunResponse(results, null), weak);
        }
        finally
        {
            context.Unload();
        }
    }

    internal sealed record TestCase(string Name, Type Class, MethodInfo Method, object?[] Arguments, string? Skip, string? Problem);

    internal static List<TestCase> Discover(Assembly assembly, out string? error)
    {
        error = null;
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            error = $"the assembly's types cannot be loaded: {e.LoaderExceptions.FirstOrDefault()?.Message}";
            return [];
        }

        var tests = new List<TestCase>();
        foreach (var type in types.Where(t => t.IsPublic && t.IsClass && !t.IsAbstract && !t.ContainsGenericParameters).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Where(m => !m.IsSpecialName).OrderBy(m => m.MetadataToken))
            {
                var attributes = method.GetCustomAttributesData();
                var fact = attributes.FirstOrDefault(a => IsA(a.AttributeType, "Xunit.FactAttribute"));
                if (fact is null)
                {
                    continue;
                }

                var skip = fact.NamedArguments.FirstOrDefault(n => n.MemberName == "Skip").TypedValue.Value as string;
                var name = $"{type.Name}.{method.Name}";
                if (!IsA(fact.AttributeType, "Xunit.TheoryAttribute"))
                {
                    tests.Add(new TestCase(name, type, method, [], skip, method.GetParameters().Length > 0 ? "a [Fact] method cannot take parameters" : null));
                    continue;
                }

                var rows = 0;
                foreach (var data in attributes.Where(a => a.AttributeType.FullName == "Xunit.InlineDataAttribute"))
                {
                    var values = data.ConstructorArguments.Count == 1 && data.ConstructorArguments[0].Value is IReadOnlyCollection<CustomAttributeTypedArgument> array
                        ? array.Select(Unwrap).ToArray()
                        : data.ConstructorArguments.Select(Unwrap).ToArray();
                    tests.Add(new TestCase($"{name}({string.Join(", ", values.Select(Show))})", type, method, values, skip, null));
                    rows++;
                }

                foreach (var data in attributes.Where(a => a.AttributeType.FullName == "Xunit.MemberDataAttribute"))
                {
                    List<object?[]> memberRows;
                    try
                    {
                        memberRows = [.. MemberRows(type, data)];
                    }
                    catch (Exception e)
                    {
                        // The data source is generated code too: its failure is the test's, not the worker's.
                        var cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                        tests.Add(new TestCase(name, type, method, [], skip, $"the [MemberData] source threw {Describe(cause)}"));
                        rows++;
                        continue;
                    }

                    foreach (var values in memberRows)
                    {
                        tests.Add(new TestCase($"{name}({string.Join(", ", values.Select(SafeShow))})", type, method, values, skip, null));
                        rows++;
                    }
                }

                if (rows == 0)
                {
                    tests.Add(new TestCase(name, type, method, [], skip, "a [Theory] without [InlineData] or [MemberData] rows has nothing to run"));
                }
            }
        }

        return tests;
    }

    private static bool IsA(Type type, string fullName)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.FullName == fullName)
            {
                return true;
            }
        }

        return false;
    }

    private static object? Unwrap(CustomAttributeTypedArgument argument) => argument.Value switch
    {
        IReadOnlyCollection<CustomAttributeTypedArgument> array => array.Select(Unwrap).ToArray(),
        _ when argument.ArgumentType.IsEnum => Enum.ToObject(argument.ArgumentType, argument.Value!),
        var value => value,
    };

    private static IEnumerable<object?[]> MemberRows(Type testClass, CustomAttributeData data)
    {
        var memberName = data.ConstructorArguments.FirstOrDefault().Value as string;
        var declaring = data.NamedArguments.FirstOrDefault(n => n.MemberName == "MemberType").TypedValue.Value as Type ?? testClass;
        if (memberName is null)
        {
            yield break;
        }

        const BindingFlags Flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.FlattenHierarchy;
        object? source = declaring.GetProperty(memberName, Flags)?.GetValue(null)
                         ?? declaring.GetField(memberName, Flags)?.GetValue(null)
                         ?? declaring.GetMethod(memberName, Flags, Type.EmptyTypes)?.Invoke(null, null);
        if (source is not IEnumerable rows)
        {
            yield break;
        }

        foreach (var row in rows)
        {
            yield return row as object?[] ?? (row is ITuple tuple ? [.. Enumerable.Range(0, tuple.Length).Select(i => tuple[i])] : [row]);
        }
    }

    private static string SafeShow(object? value)
    {
        try
        {
            return Show(value);
        }
        catch (Exception)
        {
            return value?.GetType().Name ?? "null";
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{(s.Length > 40 ? s[..40] + "…" : s)}\"",
        char c => $"'{c}'",
        object?[] array => $"[{string.Join(", ", array.Select(Show))}]",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    internal static TestResult RunOne(TestCase test, TimeSpan timeout) => RunOne(test, timeout, halt: null, out _);

    /// <summary>
    /// Runs one test; on a timeout, <paramref name="halt"/> (when given) asks the code to stop — a mutant's loops check a
    /// flag it sets — and <paramref name="stopped"/> says whether the test's thread then ended within a moment, so that
    /// the process can go on.
    /// </summary>
    internal static TestResult RunOne(TestCase test, TimeSpan timeout, Action? halt, out bool stopped)
    {
        stopped = true;
        if (test.Problem is not null)
        {
            return new TestResult(test.Name, "failed", test.Problem, 0);
        }

        if (test.Skip is not null)
        {
            return new TestResult(test.Name, "skipped", test.Skip, 0);
        }

        Exception? failure = null;
        var clock = Stopwatch.StartNew();
        var thread = new Thread(
            () =>
            {
                try
                {
                    Invoke(test);
                }
                catch (Exception e)
                {
                    failure = e;
                }
            },
            TestStackBytes)
        { IsBackground = true, Name = test.Name };
        thread.Start();
        if (!thread.Join(timeout))
        {
            halt?.Invoke();
            stopped = halt is not null && thread.Join(HaltGrace);
            return new TestResult(test.Name, "timeout", $"the test did not finish within {timeout.TotalMilliseconds:0} ms", clock.Elapsed.TotalMilliseconds);
        }

        var ms = clock.Elapsed.TotalMilliseconds;
        return failure switch
        {
            null => new TestResult(test.Name, "passed", null, ms),
            OutOfMemoryException or InsufficientExecutionStackException => new TestResult(test.Name, "crashed", Describe(failure), ms),
            _ => new TestResult(test.Name, "failed", Describe(failure), ms),
        };
    }

    private static void Invoke(TestCase test)
    {
        var instance = test.Method.IsStatic ? null : Activator.CreateInstance(test.Class);
        try
        {
            if (instance is not null && test.Class.GetInterface("Xunit.IAsyncLifetime") is { } lifetime)
            {
                Await(lifetime.GetMethod("InitializeAsync")!.Invoke(instance, null));
            }

            var parameters = test.Method.GetParameters();
            var arguments = test.Arguments;
            if (arguments.Length != parameters.Length)
            {
                throw new TargetParameterCountException($"the data row has {arguments.Length} values for {parameters.Length} parameters");
            }

            var method = test.Method.IsGenericMethodDefinition ? test.Method.MakeGenericMethod([.. test.Method.GetGenericArguments().Select(_ => typeof(object))]) : test.Method;
            Await(method.Invoke(instance, [.. arguments.Select((a, i) => Convert(a, parameters[i].ParameterType))]));
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
        finally
        {
            if (instance is not null && test.Class.GetInterface("Xunit.IAsyncLifetime") is { } lifetime)
            {
                Await(lifetime.GetMethod("DisposeAsync")!.Invoke(instance, null));
            }
            else if (instance is IAsyncDisposable asyncDisposable)
            {
                asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            else if (instance is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    /// <summary>InlineData gives ints where a test takes longs, doubles, decimals…: convert as xunit does.</summary>
    private static object? Convert(object? value, Type target)
    {
        if (value is null || target.IsInstanceOfType(value))
        {
            return value;
        }

        var type = Nullable.GetUnderlyingType(target) ?? target;
        try
        {
            if (type == typeof(decimal) && value is IConvertible)
            {
                return System.Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture);
            }

            if (type.IsEnum)
            {
                return Enum.ToObject(type, value);
            }

            if (type.IsArray && value is object?[] items)
            {
                var element = type.GetElementType()!;
                var array = Array.CreateInstance(element, items.Length);
                for (var i = 0; i < items.Length; i++)
                {
                    array.SetValue(Convert(items[i], element), i);
                }

                return array;
            }

            return value is IConvertible ? System.Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture) : value;
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            return value;
        }
    }

    private static void Await(object? result)
    {
        switch (result)
        {
            case Task task:
                task.GetAwaiter().GetResult();
                break;
            case ValueTask valueTask:
                valueTask.AsTask().GetAwaiter().GetResult();
                break;
            case not null when result.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(ValueTask<>):
                ((Task)t.GetMethod("AsTask")!.Invoke(result, null)!).GetAwaiter().GetResult();
                break;
        }
    }

    private static string Describe(Exception e)
    {
        string message;
        try
        {
            message = e.Message.Trim();
        }
        catch (Exception)
        {
            message = "(its Message threw)";
        }

        var name = e.GetType().FullName ?? e.GetType().Name;

        // xunit's assertion exceptions say everything in their message; others are named like a test runner names them.
        var text = name.StartsWith("Xunit.Sdk.", StringComparison.Ordinal) ? message : $"{name}: {message}";
        return text.Length <= 2000 ? text : text[..2000] + "…";
    }
}
