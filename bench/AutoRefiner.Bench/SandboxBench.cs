using System.Diagnostics;
using System.Globalization;
using System.Text;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;
using AutoRefiner.Validator;
using AutoRefiner.Validator.Sandbox;
using static AutoRefiner.Bench.BenchEnv;

namespace AutoRefiner.Bench;

/// <summary>
/// <c>sandbox [n] [k]</c>: compiled-and-tested samples per second — the real <see cref="TestValidator"/> (solution and
/// xunit tests compiled together with Roslyn, the deny-list, the tests run in the pool of sandbox workers) over n
/// instruct-style samples, one per core at a time as the pipeline runs them — against <c>dotnet test</c> of a fresh
/// xunit project per sample for k of them, measured in the same run.
/// </summary>
internal static class SandboxBench
{
    private const int Runs = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        var n = args.Length > 0 ? CompileBench.ParsePositive(args[0], "n") : 300;
        var k = args.Length > 1 ? CompileBench.ParsePositive(args[1], "k") : 3;
        var samples = Enumerable.Range(0, n).Select(Exercises.Make).ToList();
        var candidates = samples.Select((s, i) => new Candidate
        {
            Task = "instruct",
            Instruction = "bench",
            Response = CodeBlocks.Fence(s.Solution),
            Tests = s.Tests,
            Generator = "bench",
            PromptVersion = "bench",
            Provenance = new Provenance("bench", $"sample{i}.cs", "", "", ""),
            SeedId = i.ToString(CultureInfo.InvariantCulture),
        }).ToList();
        var degree = Environment.ProcessorCount;
        var usage = new SandboxUsage();
        await using var pool = new SandboxPool(new SandboxOptions { Workers = degree }, usage);
        var validator = new TestValidator(new CompileValidator(new RoslynCompiler()), pool, runTests: true);

        Report.Progress($"warming up on {n} samples");
        for (var w = 0; w < 2; w++)
        {
            var sw = Stopwatch.StartNew();
            var warm = await ValidateAllAsync(validator, candidates, degree);
            Report.Progress(Inv($"warm-up pass {w + 1}: {n / sw.Elapsed.TotalSeconds:0} samples/s, {warm.Passed}/{n} passed"));
        }

        var runs = new List<(double Wall, double OwnCpu, double AllCpu, int Passed, int Tests)>();
        for (var r = 0; r < Runs; r++)
        {
            Load.WaitForQuiet(TimeSpan.FromSeconds(45));
            var meter = new Load.Meter();
            var (passed, tests) = await ValidateAllAsync(validator, candidates, degree);
            var (wall, own, other) = meter.Stop();
            runs.Add((wall, own, own + (other * wall), passed, tests));
            Report.Progress(Inv($"pass {r + 1}: {n / wall:0.0} samples/s ({passed}/{n} passed, {tests} tests)"));
        }

        var wallMedian = Report.Median(runs.Select(x => x.Wall));
        var rate = n / wallMedian;

        // Baseline: what checking a sample by hand costs — a fresh xunit project and `dotnet test`.
        var tmp = NewTempDir("sandbox");
        try
        {
            Report.Progress($"baseline: dotnet test of {k} fresh xunit projects (+1 warm-up)");
            var warmup = DotnetTest(tmp, "warmup", samples[0]);
            Report.Progress(Inv($"warm-up dotnet test: {warmup.Seconds:0.00} s (exit {warmup.ExitCode})"));
            var baseline = new List<(double Seconds, int ExitCode)>();
            for (var i = 0; i < k; i++)
            {
                Load.WaitForQuiet(TimeSpan.FromSeconds(45));
                baseline.Add(DotnetTest(tmp, $"s{i}", samples[(i + 1) % samples.Count]));
                Report.Progress(Inv($"dotnet test {i + 1}: {baseline[^1].Seconds:0.00} s (exit {baseline[^1].ExitCode})"));
            }

            var baselineMedian = Report.Median(baseline.Select(b => b.Seconds));
            var ratio = rate * baselineMedian;
            var sb = new StringBuilder();
            sb.AppendLine("## Compiled-and-tested samples (sandbox)");
            sb.AppendLine();
            sb.AppendLine(MachineSection());
            sb.AppendLine(Inv($"- command: `dotnet run -c Release --project bench/AutoRefiner.Bench -- sandbox {n} {k}`"));
            sb.AppendLine(Inv($"- samples: {n} instruct-style exercises ({Exercises.Kinds} kinds of solution, each with 3–6 xunit tests: `[Fact]`s and a `[Theory]` with `[InlineData]` rows), all distinct"));
            sb.AppendLine(Inv($"- ours: `TestValidator` — solution + tests compiled together in memory, deny-list, emit, tests run in the `SandboxPool` ({degree} workers, reused; isolation: {pool.Isolation}) — over `OrderedParallel.SelectAsync` with degree {degree}; 2 warm-up passes, then {Runs} timed passes over all {n}, each after waiting (≤ 45 s) for a quiet machine; medians"));
            sb.AppendLine(Inv($"- baseline: per sample a fresh xunit project (net10.0, xunit 2.9.3, xunit.runner.visualstudio, Microsoft.NET.Test.Sdk; packages already in the local NuGet cache) holding the same two files, `dotnet test` timed whole (restore, build, test host); one untimed warm-up, then {k} timed"));
            sb.AppendLine(Inv($"- workers started in all: {usage.WorkersStarted} (replaced: {usage.WorkersReplaced})"));
            sb.AppendLine();
            sb.Append(Report.Table(
                ["approach", "samples", "median wall", "samples/s", "ms per sample", "CPU ms per sample (ours / all processes)", "passed", "tests run", "vs dotnet test"],
                [
                    [
                        Inv($"ours: Roslyn + sandbox pool, {degree} at a time"),
                        Report.N(n),
                        Inv($"{wallMedian:0.000} s"),
                        Inv($"**{rate:0.0}** (best {n / runs.Min(x => x.Wall):0.0})"),
                        Inv($"{wallMedian * 1000 / n:0.00}"),
                        Inv($"{Report.Median(runs.Select(x => x.OwnCpu)) * 1000 / n:0.00} / {Report.Median(runs.Select(x => x.AllCpu)) * 1000 / n:0.00}"),
                        Inv($"{runs[0].Passed}/{n}"),
                        Inv($"{runs[0].Tests}"),
                        Inv($"**{Report.X(ratio)}**"),
                    ],
                    [
                        "baseline: `dotnet test` per sample",
                        Report.N(k),
                        Inv($"{baselineMedian:0.00} s per sample"),
                        Inv($"{1 / baselineMedian:0.000}"),
                        Inv($"{baselineMedian * 1000:0}"),
                        "",
                        Inv($"{baseline.Count(b => b.ExitCode == 0)}/{k}"),
                        "",
                        "1×",
                    ],
                ],
                "lrrrrrrrr"));
            sb.AppendLine();
            sb.AppendLine(Inv($"Timed passes (s): {string.Join(", ", runs.Select(x => x.Wall.ToString("0.000", CultureInfo.InvariantCulture)))}; dotnet test per sample (s): {string.Join(", ", baseline.Select(b => b.Seconds.ToString("0.00", CultureInfo.InvariantCulture)))} (warm-up {warmup.Seconds:0.00})."));
            sb.AppendLine();
            sb.AppendLine(Inv($"Goal ≥ 50 samples/s: {(rate >= 50 ? "met" : "NOT met")} ({rate:0.0}); goal ≥ 100× `dotnet test` per sample: {(ratio >= 100 ? "met" : "NOT met")} ({Report.X(ratio)})."));
            Console.Write(sb.ToString());
            return 0;
        }
        finally
        {
            TryDelete(tmp);
        }
    }

    private static async Task<(int Passed, int Tests)> ValidateAllAsync(TestValidator validator, List<Candidate> candidates, int degree)
    {
        var passed = 0;
        var tests = 0;
        await foreach (var judged in candidates.ToAsyncEnumerable().SelectAsync(degree, validator.ValidateAsync))
        {
            if (judged.Verdict == Verdict.Passed)
            {
                passed++;
            }
            else
            {
                Report.Progress($"not passed: {judged.Verdict.ToWire()}: {judged.Detail}");
            }

            tests += judged.TestsRun;
        }

        return (passed, tests);
    }

    private static (double Seconds, int ExitCode) DotnetTest(string root, string name, (string Solution, string Tests) sample)
    {
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Sample.Tests.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <IsPackable>false</IsPackable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
                <PackageReference Include="xunit" Version="2.9.3" />
                <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
                <Using Include="Xunit" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir, "Solution.cs"), sample.Solution);
        File.WriteAllText(Path.Combine(dir, "Tests.cs"), sample.Tests);
        var r = Child.Run("dotnet", ["test"], dir, TimeSpan.FromMinutes(5));
        if (r.ExitCode != 0)
        {
            Console.Error.WriteLine(r.Stdout);
        }

        return (r.Elapsed.TotalSeconds, r.ExitCode);
    }

    /// <summary>Instruct-style samples: a small solution and its xunit tests, made distinct by an index.</summary>
    internal static class Exercises
    {
        public const int Kinds = 6;

        public static (string Solution, string Tests) Make(int i)
        {
            var name = $"Ex{i}";
            return (i % Kinds) switch
            {
                0 => ($$"""
                    namespace Bench;

                    public static class {{name}}
                    {
                        public static long Fibonacci(int n)
                        {
                            ArgumentOutOfRangeException.ThrowIfNegative(n);
                            long a = 0, b = 1;
                            for (var k = 0; k < n; k++) (a, b) = (b, a + b);
                            return a + {{i}} - {{i}};
                        }
                    }
                    """, $$"""
                    using Bench;

                    public class {{name}}Tests
                    {
                        [Theory]
                        [InlineData(0, 0)]
                        [InlineData(1, 1)]
                        [InlineData(10, 55)]
                        [InlineData(50, 12586269025)]
                        public void Computes(int n, long expected) => Assert.Equal(expected, {{name}}.Fibonacci(n));

                        [Fact]
                        public void RejectsNegative() => Assert.Throws<ArgumentOutOfRangeException>(() => {{name}}.Fibonacci(-1));
                    }
                    """),
                1 => ($$"""
                    namespace Bench;

                    public static class {{name}}
                    {
                        public static bool IsPalindrome(string text)
                        {
                            var letters = text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray();
                            return letters.SequenceEqual(letters.Reverse());
                        }
                    }
                    """, $$"""
                    using Bench;

                    public class {{name}}Tests
                    {
                        [Theory]
                        [InlineData("A man, a plan, a canal: Panama", true)]
                        [InlineData("racecar", true)]
                        [InlineData("hello", false)]
                        [InlineData("", true)]
                        public void Checks(string text, bool expected) => Assert.Equal(expected, {{name}}.IsPalindrome(text));
                    }
                    """),
                2 => ($$"""
                    namespace Bench;

                    public static class {{name}}
                    {
                        public static int Gcd(int a, int b)
                        {
                            a = Math.Abs(a);
                            b = Math.Abs(b);
                            while (b != 0) (a, b) = (b, a % b);
                            return a;
                        }
                    }
                    """, $$"""
                    using Bench;

                    public class {{name}}Tests
                    {
                        [Fact]
                        public void Basic() => Assert.Equal(6, {{name}}.Gcd(54, 24));

                        [Fact]
                        public void Negative() => Assert.Equal(4, {{name}}.Gcd(-8, 12));

                        [Fact]
                        public void Zero() => Assert.Equal(7, {{name}}.Gcd(7, 0));
                    }
                    """),
                3 => ($$"""
                    namespace Bench;

                    public static class {{name}}
                    {
                        public static IReadOnlyDictionary<string, int> WordCounts(string text) =>
                            text.Split([' ', '\n', '\t', ',', '.'], StringSplitOptions.RemoveEmptyEntries)
                                .GroupBy(w => w.ToLowerInvariant())
                                .ToDictionary(g => g.Key, g => g.Count());
                    }
                    """, $$"""
                    using Bench;

                    public class {{name}}Tests
                    {
                        [Fact]
                        public void Counts()
                        {
                            var counts = {{name}}.WordCounts("the cat and the hat. The end");
                            Assert.Equal(3, counts["the"]);
                            Assert.Equal(1, counts["cat"]);
                            Assert.Equal(5, counts.Count);
                        }

                        [Fact]
                        public void Empty() => Assert.Empty({{name}}.WordCounts(""));
                    }
                    """),
                4 => ($$"""
                    namespace Bench;

                    public static class {{name}}
                    {
                        public static int BinarySearch(IReadOnlyList<int> sorted, int value)
                        {
                            int lo = 0, hi = sorted.Count - 1;
                            while (lo <= hi)
                            {
                                var mid = lo + ((hi - lo) / 2);
                                if (sorted[mid] == value) return mid;
                                if (sorted[mid] < value) lo = mid + 1; else hi = mid - 1;
                            }

                            return ~lo;
                        }
                    }
                    """, $$"""
                    using Bench;

                    public class {{name}}Tests
                    {
                        private static readonly int[] Data = [1, 3, 5, 7, 9, 11];

                        [Theory]
                        [InlineData(1, 0)]
                        [InlineData(7, 3)]
                        [InlineData(11, 5)]
                        public void Finds(int value, int index) => Assert.Equal(index, {{name}}.BinarySearch(Data, value));

                        [Fact]
                        public void MissingGivesTheInsertionPoint() => Assert.Equal(~2, {{name}}.BinarySearch(Data, 4));
                    }
                    """),
                _ => ($$"""
                    namespace Bench;

                    public static class {{name}}
                    {
                        public static string ToRoman(int number)
                        {
                            ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
                            ArgumentOutOfRangeException.ThrowIfGreaterThan(number, 3999);
                            (int Value, string Symbol)[] table = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
                            var sb = new System.Text.StringBuilder();
                            foreach (var (value, symbol) in table)
                            {
                                while (number >= value)
                                {
                                    sb.Append(symbol);
                                    number -= value;
                                }
                            }

                            return sb.ToString();
                        }
                    }
                    """, $$"""
                    using Bench;

                    public class {{name}}Tests
                    {
                        [Theory]
                        [InlineData(1, "I")]
                        [InlineData(4, "IV")]
                        [InlineData(1994, "MCMXCIV")]
                        [InlineData(3999, "MMMCMXCIX")]
                        public void Converts(int n, string roman) => Assert.Equal(roman, {{name}}.ToRoman(n));

                        [Fact]
                        public void RejectsZero() => Assert.Throws<ArgumentOutOfRangeException>(() => {{name}}.ToRoman(0));
                    }
                    """),
            };
        }
    }
}
