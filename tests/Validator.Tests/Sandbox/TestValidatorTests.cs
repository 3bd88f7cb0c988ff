using AutoRefiner.Core.Model;

namespace AutoRefiner.Validator.Tests.Sandbox;

public sealed class TestValidatorTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const string Calc = """
        namespace Exercises;

        public static class Calc
        {
            public static int Add(int a, int b) => a + b;

            public static async Task<int> AddLaterAsync(int a, int b)
            {
                await Task.Yield();
                return a + b;
            }
        }
        """;

    [Fact]
    public async Task Validate_PassingFactsTheoriesAndAsyncTests_IsPassedWithTheCounts()
    {
        var judged = await sandbox.JudgeAsync(Calc, """
            using Xunit;
            using Exercises;

            public class CalcTests
            {
                [Fact]
                public void AddsTwoNumbers() => Assert.Equal(5, Calc.Add(2, 3));

                [Theory]
                [InlineData(1, 1, 2)]
                [InlineData(-1, 1, 0)]
                [InlineData(int.MaxValue, 0, int.MaxValue)]
                public void AddsRows(int a, int b, int sum) => Assert.Equal(sum, Calc.Add(a, b));

                [Fact]
                public async Task AddsLater() => Assert.Equal(3, await Calc.AddLaterAsync(1, 2));

                [Theory]
                [MemberData(nameof(Rows))]
                public void AddsMembers(long a, long b) => Assert.Equal(a + b, Calc.Add((int)a, (int)b));

                public static IEnumerable<object[]> Rows() => [[1L, 2L], [3L, 4L]];

                [Fact(Skip = "not today")]
                public void Skipped() => Assert.Fail("never runs");
            }
            """);

        Assert.Equal(Verdict.Passed, judged.Verdict);
        Assert.Equal((7, 7), (judged.TestsRun, judged.TestsPassed));
    }

    [Fact]
    public async Task Validate_AFailingAssertion_IsTestFailedWithXunitsOwnMessage()
    {
        var judged = await sandbox.JudgeAsync(Calc, """
            public class CalcTests
            {
                [Fact]
                public void Right() => Assert.Equal(5, Exercises.Calc.Add(2, 3));

                [Fact]
                public void Wrong() => Assert.Equal(6, Exercises.Calc.Add(2, 3));
            }
            """);

        Assert.Equal(Verdict.TestFailed, judged.Verdict);
        Assert.Equal((2, 1), (judged.TestsRun, judged.TestsPassed));
        Assert.StartsWith("1 of 2 tests failed; CalcTests.Wrong: Assert.Equal() Failure", judged.Detail, StringComparison.Ordinal);
        Assert.Contains("Expected: 6", judged.Detail, StringComparison.Ordinal);
        Assert.Contains("Actual:   5", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_AnExceptionInTheSolution_IsTestFailedNamingIt()
    {
        var judged = await sandbox.JudgeAsync("public static class Boom { public static int Go() => throw new InvalidOperationException(\"no way\"); }", """
            public class BoomTests
            {
                [Fact]
                public void Goes() => Assert.Equal(1, Boom.Go());
            }
            """);

        Assert.Equal(Verdict.TestFailed, judged.Verdict);
        Assert.Contains("BoomTests.Goes: System.InvalidOperationException: no way", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_TestsThatDoNotCompile_IsCompileErrorNamingTheFile()
    {
        var judged = await sandbox.JudgeAsync(Calc, "public class T { [Fact] public void A() => Assert.Equal(1, Calc.Missing()); }");

        Assert.Equal(Verdict.CompileError, judged.Verdict);
        Assert.Contains("Tests.cs(1,", judged.Detail, StringComparison.Ordinal);
        Assert.Contains("error CS0103", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_NoTestMethod_IsTestFailed()
    {
        var judged = await sandbox.JudgeAsync(Calc, "public class NotATest { public void A() { } }");

        Assert.Equal(Verdict.TestFailed, judged.Verdict);
        Assert.Contains("no test found", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ManySamples_ReuseTheWorkers()
    {
        var before = sandbox.Pool.Started;
        for (var i = 0; i < 12; i++)
        {
            var judged = await sandbox.JudgeAsync(Calc, $"public class T{i} {{ [Fact] public void A() => Assert.Equal({i + 1}, Exercises.Calc.Add({i}, 1)); }}");
            Assert.Equal(Verdict.Passed, judged.Verdict);
        }

        Assert.True(sandbox.Pool.Started - before <= 2, $"{sandbox.Pool.Started - before} workers started for 12 samples");
    }
}
