using AutoRefiner.Core.Model;
using AutoRefiner.Validator.Mutation;

namespace AutoRefiner.Validator.Tests.Mutation;

public sealed class MutationTesterTests(MutationFixture fixture) : IClassFixture<MutationFixture>
{
    private const string Grade = """
        namespace Exercises;

        public static class Grades
        {
            public static string Of(int score)
            {
                if (score < 0 || score > 100)
                {
                    throw new ArgumentOutOfRangeException(nameof(score));
                }

                if (score >= 90)
                {
                    return "A";
                }

                return score >= 50 ? "pass" : "fail";
            }

            public static int Bonus(int score, int extra) => Math.Min(100, score + extra * 2);
        }
        """;

    private const string StrongTests = """
        using Exercises;

        public class GradeTests
        {
            [Theory]
            [InlineData(0, "fail")]
            [InlineData(49, "fail")]
            [InlineData(50, "pass")]
            [InlineData(89, "pass")]
            [InlineData(90, "A")]
            [InlineData(100, "A")]
            public void Letters(int score, string grade) => Assert.Equal(grade, Grades.Of(score));

            [Theory]
            [InlineData(-1)]
            [InlineData(101)]
            public void OutOfRange(int score) => Assert.Throws<ArgumentOutOfRangeException>(() => Grades.Of(score));

            [Theory]
            [InlineData(10, 3, 16)]
            [InlineData(95, 10, 100)]
            public void Bonus(int score, int extra, int result) => Assert.Equal(result, Grades.Bonus(score, extra));
        }
        """;

    private const string WeakTests = """
        using Exercises;

        public class GradeTests
        {
            [Fact]
            public void GivesAGrade() => Assert.NotNull(Grades.Of(70));

            [Fact]
            public void GivesABonus() => Grades.Bonus(1, 1);
        }
        """;

    [Fact]
    public async Task Validate_TestsThatCheckTheAnswers_ArePassedWithAScoreAboveTheBar()
    {
        var judged = await fixture.JudgeAsync(Grade, StrongTests);

        Assert.Equal(Verdict.Passed, judged.Verdict);
        Assert.Equal(20, judged.Mutants);
        Assert.True(judged.MutantsKilled >= 10, $"killed {judged.MutantsKilled} of 20");
    }

    [Fact]
    public async Task Validate_TestsThatCheckAlmostNothing_AreWeakTestsShowingSurvivorsAsDiffs()
    {
        var judged = await fixture.JudgeAsync(Grade, WeakTests);

        Assert.Equal(Verdict.WeakTests, judged.Verdict);
        Assert.Equal("weak-tests", judged.Verdict.ToWire());
        Assert.Equal(20, judged.Mutants);
        Assert.True(judged.MutantsKilled < 10);
        Assert.StartsWith($"the tests kill {judged.MutantsKilled} of 20 mutants of the solution", judged.Detail, StringComparison.Ordinal);
        Assert.Contains("below validation.min-mutation-score 0.5", judged.Detail, StringComparison.Ordinal);
        Assert.Contains("\n- ", judged.Detail, StringComparison.Ordinal);
        Assert.Contains("Grades.", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ASolutionWithNothingToMutate_RecordsZeroMutantsAndPasses()
    {
        var judged = await fixture.JudgeAsync(
            "public sealed record Person(string Name);",
            "public class P { [Fact] public void Named() => Assert.Equal(\"Ann\", new Person(\"Ann\").Name); }");

        Assert.Equal(Verdict.Passed, judged.Verdict);
        Assert.Equal((0, 0), (judged.Mutants, judged.MutantsKilled));
    }

    [Fact]
    public async Task Score_AMutantThatLoopsForever_IsKilledByTimeAndTheOthersStillRun()
    {
        // Removing `i++` loops forever: the test runs out of time, the loop sees the halt flag and ends, and the same
        // worker goes on with the next mutants.
        const string Sum = """
            public static class Sums
            {
                public static int UpTo(int n)
                {
                    var total = 0;
                    var i = 1;
                    while (i <= n)
                    {
                        total += i;
                        i++;
                    }

                    return total;
                }
            }
            """;
        const string Tests = "public class S { [Fact] public void Ten() => Assert.Equal(55, Sums.UpTo(10)); }";
        var replaced = fixture.Pool.Replaced;

        var score = await fixture.Tester.ScoreAsync(Sum, Tests, [new AutoRefiner.Sandbox.TestResult("S.Ten", "passed", null, 1)], null, CancellationToken.None);

        Assert.Equal(MutantSchemata.Build(Sum, Tests, 20, null, CancellationToken.None).Mutants.Count, score.Mutants);
        Assert.DoesNotContain(score.Survivors, m => m.Diff == "- i++;");
        Assert.Equal(replaced, fixture.Pool.Replaced);
        Assert.True(score.Killed >= score.Mutants - 2, $"killed {score.Killed} of {score.Mutants}: {string.Join("; ", score.Survivors.Select(s => s.Diff))}");
    }

    [Fact]
    public async Task Score_MutableStaticState_GivesEachMutantAFreshLoad()
    {
        // The first mutant changes a member no test calls, and the memo it fills holds right answers: reused, the
        // assembly would answer every later mutant of Fib from that memo, and they would all survive.
        const string Memo = """
            public static class Memo
            {
                private static readonly Dictionary<int, long> Cache = [];

                public static int Unused(int x) => x + 1;

                public static long Fib(int n)
                {
                    if (n < 2)
                    {
                        return n;
                    }

                    if (!Cache.ContainsKey(n))
                    {
                        Cache[n] = Fib(n - 1) + Fib(n - 2);
                    }

                    return Cache[n];
                }
            }
            """;
        const string Tests = "public class F { [Fact] public void Twenty() => Assert.Equal(6765, Memo.Fib(20)); [Fact] public void Ten() => Assert.Equal(55, Memo.Fib(10)); }";

        var score = await fixture.Tester.ScoreAsync(Memo, Tests, [], null, CancellationToken.None);

        Assert.Contains(score.Survivors, m => m.Member.StartsWith("Memo.Unused", StringComparison.Ordinal));
        Assert.DoesNotContain(score.Survivors, m => m.Diff.Contains("Fib(n - 1) + Fib(n - 2)", StringComparison.Ordinal) && m.Kind == "arithmetic");
        Assert.DoesNotContain(score.Survivors, m => m.Kind == "relational");
    }
}
