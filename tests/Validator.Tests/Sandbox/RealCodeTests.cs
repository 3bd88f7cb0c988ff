using AutoRefiner.Core.Model;

namespace AutoRefiner.Validator.Tests.Sandbox;

/// <summary>
/// Correct code of the kinds real test suites hold must pass: iterators and trees compared with xunit's collection
/// assertions, JSON of the sample's own types, tasks and threads that finish, reflection over the sample's own types,
/// culture formatting, long concatenations. Each of these was rejected before (issue 16).
/// </summary>
public sealed class RealCodeTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private async Task AssertPassesAsync(string solution, string tests)
    {
        var judged = await sandbox.JudgeAsync(solution, tests);
        Assert.True(judged.Verdict == Verdict.Passed, $"{judged.Verdict.ToWire()}: {judged.Detail}");
        Assert.True(judged.TestsRun > 0);
        Assert.Equal(judged.TestsRun, judged.TestsPassed);
    }

    [Fact]
    public async Task AYieldReturnIteratorComparedWithAssertEqual_Passes()
    {
        // xunit's collection assertions cache per-type helpers: held by a shared xunit, they kept the sample's
        // assembly loaded, and that was reported as a thread left running.
        await AssertPassesAsync(
            """
            public enum Colour { Red, Green }
            public static class Accumulator
            {
                public static IEnumerable<U> Accumulate<T, U>(this IEnumerable<T> items, Func<T, U> f)
                {
                    foreach (var item in items)
                    {
                        yield return f(item);
                    }
                }
            }
            """,
            """
            public class AccumulateTests
            {
                [Fact] public void Squares() => Assert.Equal(new[] { 1, 4, 9 }, new[] { 1, 2, 3 }.Accumulate(x => x * x));
                [Fact] public void Colours() => Assert.Equal(new[] { Colour.Green }, new[] { 1 }.Accumulate(x => (Colour)x));
                [Fact] public void Empty() => Assert.Empty(Array.Empty<int>().Accumulate(x => x));
            }
            """);
    }

    [Fact]
    public async Task ABinaryTreeComparedAsACollection_Passes()
    {
        await AssertPassesAsync(
            """
            public sealed class Tree : IEnumerable<int>
            {
                private Tree? _left, _right;
                public Tree(int value) => Value = value;
                public int Value { get; }
                public Tree Add(int value)
                {
                    if (value <= Value) { if (_left is null) _left = new Tree(value); else _left.Add(value); }
                    else { if (_right is null) _right = new Tree(value); else _right.Add(value); }
                    return this;
                }
                public IEnumerator<int> GetEnumerator()
                {
                    if (_left is not null) foreach (var v in _left) yield return v;
                    yield return Value;
                    if (_right is not null) foreach (var v in _right) yield return v;
                }
                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
            }
            """,
            """
            public class TreeTests
            {
                [Fact] public void Sorted() => Assert.Equal(new[] { 1, 2, 3, 5 }, new Tree(3).Add(1).Add(5).Add(2));
            }
            """);
    }

    [Fact]
    public async Task JsonOfTheSamplesOwnTypes_Passes()
    {
        await AssertPassesAsync(
            """
            using System.Text.Json;
            public sealed record User(string Name, decimal Balance);
            public static class Api
            {
                public static string Get(IEnumerable<User> users) => JsonSerializer.Serialize(users.OrderBy(u => u.Name));
                public static User Parse(string json) => JsonSerializer.Deserialize<User>(json)!;
            }
            """,
            """
            public class ApiTests
            {
                [Fact] public void Lists() => Assert.Equal("[{\"Name\":\"Adam\",\"Balance\":1}]", Api.Get([new User("Adam", 1m)]));
                [Fact] public void Parses() => Assert.Equal(new User("Bob", 2.5m), Api.Parse("{\"Name\":\"Bob\",\"Balance\":2.5}"));
            }
            """);
    }

    [Fact]
    public async Task TasksAndThreadsThatFinish_Pass()
    {
        await AssertPassesAsync(
            """
            public sealed class Account
            {
                private readonly object _gate = new();
                public decimal Balance { get; private set; }
                public void Deposit(decimal amount) { lock (_gate) { Balance += amount; } }
            }
            """,
            """
            public class ConcurrencyTests
            {
                [Fact]
                public async Task TaskRunAndStartNew()
                {
                    var account = new Account();
                    var tasks = Enumerable.Range(0, 20).Select(_ => Task.Factory.StartNew(() => account.Deposit(1))).ToList();
                    tasks.Add(Task.Run(() => account.Deposit(1)));
                    await Task.WhenAll(tasks);
                    Assert.Equal(21m, account.Balance);
                }

                [Fact]
                public void ParallelFor()
                {
                    var account = new Account();
                    Parallel.For(0, 100, _ => account.Deposit(1));
                    Assert.Equal(100m, account.Balance);
                }

                [Fact]
                public void ThreadsJoined()
                {
                    var account = new Account();
                    var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() => account.Deposit(1))).ToList();
                    threads.ForEach(t => t.Start());
                    threads.ForEach(t => t.Join());
                    Assert.Equal(4m, account.Balance);
                }

                [Fact]
                public void ThreadPoolWorkAwaited()
                {
                    var account = new Account();
                    using var done = new CountdownEvent(3);
                    for (var i = 0; i < 3; i++)
                    {
                        ThreadPool.QueueUserWorkItem(_ => { account.Deposit(1); done.Signal(); });
                    }

                    done.Wait();
                    Assert.Equal(3m, account.Balance);
                }

                [Fact]
                public async Task ATimerDisposed()
                {
                    var ticks = 0;
                    var ticked = new TaskCompletionSource();
                    using (var timer = new Timer(_ => { if (Interlocked.Increment(ref ticks) == 2) ticked.TrySetResult(); }, null, 0, 1))
                    {
                        await ticked.Task;
                    }

                    Assert.True(ticks >= 2);
                }
            }
            """);
    }

    [Fact]
    public async Task ReflectionOverTheSamplesOwnTypes_Passes()
    {
        await AssertPassesAsync(
            """
            public sealed class Pile<T>
            {
                private readonly List<T> _items = [];
                public Pile() { }
                public Pile(T first) => _items.Add(first);
                public int Count => _items.Count;
            }
            """,
            """
            using System.Reflection;
            public class ShapeTests
            {
                [Fact]
                public void HasACountProperty()
                {
                    PropertyInfo? count = typeof(Pile<>).GetProperty("Count");
                    Assert.NotNull(count);
                    Assert.False(count!.CanWrite);
                    Assert.Contains(typeof(Pile<int>).GetProperties(), p => p.Name == "Count");
                }

                [Fact]
                public void BuildsThroughItsConstructor()
                {
                    var type = typeof(Pile<>).MakeGenericType(typeof(int));
                    var constructor = type.GetConstructor([typeof(int)]);
                    var stack = (Pile<int>?)constructor?.Invoke([7]);
                    Assert.Equal(1, typeof(Pile<int>).GetProperty("Count")!.GetValue(stack));
                    Assert.Equal(0, Activator.CreateInstance<Pile<string>>().Count);
                }
            }
            """);
    }

    [Fact]
    public async Task CultureFormatting_Passes()
    {
        await AssertPassesAsync(
            """
            using System.Globalization;
            public static class Ledger
            {
                public static string Amount(decimal value, string culture) => value.ToString("C", new CultureInfo(culture));
                public static string Day(DateTime date, string culture) => date.ToString("d", CultureInfo.GetCultureInfo(culture));
            }
            """,
            """
            public class LedgerTests
            {
                [Fact] public void Dollars() => Assert.Equal("$1,234.50", Ledger.Amount(1234.5m, "en-US"));
                [Fact] public void Euros() => Assert.Equal("€ 1.234,50", Ledger.Amount(1234.5m, "nl-NL"));
                [Fact] public void Dates() => Assert.Equal("12-01-2015", Ledger.Day(new DateTime(2015, 1, 12), "nl-NL"));
            }
            """);
    }

    [Fact]
    public async Task ALongConcatenationAndADeepExpression_CompileAndRun()
    {
        // 1500 terms in one concatenation (1500 levels of nesting), and 900 parenthesised levels (1800 of nesting): both
        // under the limit, bound on the large stack by Roslyn and compiled by the worker's JIT.
        var concatenation = string.Join(" + ", Enumerable.Range(0, 1500).Select(i => $"\"{i % 10}\""));
        var deep = string.Concat(Enumerable.Repeat("(x + ", 900)) + "x" + new string(')', 900);

        await AssertPassesAsync(
            $"public static class Song {{ public static string Text() => {concatenation}; public static int Sum(int x) => {deep}; }}",
            "public class SongTests { [Fact] public void Long() => Assert.Equal(1500, Song.Text().Length); [Fact] public void Deep() => Assert.Equal(901, Song.Sum(1)); }");
    }

    [Fact]
    public async Task APackageTheSandboxLacks_IsMissingDependencyNamingIt()
    {
        var judged = await sandbox.JudgeAsync(
            "using Sprache;\npublic static class P { public static Parser<char> Digit => Parse.Digit; }",
            "using FakeItEasy;\npublic class PTests { [Fact] public void A() { var f = A.Fake<IDisposable>(); Assert.NotNull(P.Digit); } }");

        Assert.Equal(Verdict.MissingDependency, judged.Verdict);
        Assert.Equal("missing-dependency", judged.Verdict.ToWire());
        Assert.Contains("needs the NuGet packages Sprache: `using Sprache;` at Solution.cs(1,1); FakeItEasy: `using FakeItEasy;` at Tests.cs(1,1)", judged.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("CS0246", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUsingOfANamespaceThatDoesNotExist_WithNothingElseMissing_StaysACompileError()
    {
        var judged = await sandbox.JudgeAsync("public static class P { public static int One() => 1; }", "using Exercism;\npublic class PTests { [Fact] public void A() => Assert.Equal(1, P.One()); }");

        Assert.Equal(Verdict.CompileError, judged.Verdict);
        Assert.Contains("CS0246", judged.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("System.Reactive.Linq", "System.Reactive")]
    [InlineData("Microsoft.Extensions.Time.Testing", "Microsoft.Extensions.TimeProvider.Testing")]
    [InlineData("Microsoft.Extensions.Logging", "Microsoft.Extensions.Logging")]
    [InlineData("FsCheck.Fluent", "FsCheck")]
    [InlineData("global::Moq", "Moq")]
    public void APackage_IsNamedFromItsNamespace(string ns, string package) => Assert.Equal(package, MissingPackages.Package(ns));

    [Fact]
    public async Task TestsWrittenAsAFencedBlock_AreRunAsCode()
    {
        var rows = new SftRowValidator(sandbox.Validator);

        var judged = await rows.ValidateAsync(
            "Add.",
            "```csharp\npublic static class Calc { public static int Add(int a, int b) => a + b; }\n```",
            "```csharp\npublic class CalcTests { [Fact] public void Adds() => Assert.Equal(5, Calc.Add(2, 3)); }\n```\n",
            CancellationToken.None);

        Assert.Equal(Verdict.Passed, judged.Verdict);
        Assert.Equal(1, judged.TestsPassed);
    }

    [Fact]
    public void TheHeapCap_IsValidationMemoryMb() =>
        Assert.Equal(2048L * 1024 * 1024, AutoRefiner.Validator.Sandbox.SandboxOptions.From(new AutoRefiner.Core.Config.ValidationConfig { MemoryMb = 2048 }).MemoryCapBytes);
}
