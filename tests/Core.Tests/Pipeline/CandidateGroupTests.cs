using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.Core.Tests.Pipeline;

public sealed class CandidateGroupTests
{
    private static Judged Answer(int index, Verdict verdict, string response, int? mutants = null, int? killed = null) => new(
        new Candidate
        {
            Task = "instruct", Instruction = "Double it.", Response = response, Generator = "m", PromptVersion = "instruct/1",
            Provenance = new Provenance("o/r", "a.cs", "c", "mit", "u"), SeedId = "s", CandidateIndex = index,
        },
        verdict,
        verdict == Verdict.Passed ? "" : "error CS0103")
    { Mutants = mutants, MutantsKilled = killed };

    [Theory]
    [InlineData(3, 3, "easy")]
    [InlineData(2, 3, "easy")]
    [InlineData(1, 3, "medium")]
    [InlineData(0, 3, "hard")]
    [InlineData(1, 4, "hard")]
    [InlineData(2, 4, "medium")]
    [InlineData(1, 1, "easy")]
    [InlineData(0, 1, "hard")]
    public void DifficultyOf_PassedOutOfTotal_EasyFromTwoThirdsHardBelowOneThird(int passed, int total, string expected) =>
        Assert.Equal(expected, CandidateGroup.DifficultyOf(passed, total));

    [Fact]
    public void Settle_SeveralPassing_BestMutationScoreFirstThenShortest_OthersAlternatives()
    {
        var group = CandidateGroup.Settle(
        [
            Answer(0, Verdict.Passed, "short", mutants: 10, killed: 6),
            Answer(1, Verdict.CompileError, "broken"),
            Answer(2, Verdict.Passed, "a longer answer", mutants: 10, killed: 9),
            Answer(3, Verdict.Passed, "longest answer of them", mutants: 10, killed: 9),
        ]);

        Assert.Equal([2, 0, 1, 3], group.Select(j => j.Candidate.CandidateIndex ?? -1));
        Assert.False(group[0].Alternative);
        Assert.Equal([true, false, true], group.Skip(1).Select(j => j.Alternative));
        Assert.All(group, j => Assert.Equal((0.75, "easy"), (j.PassRate!.Value, j.Difficulty)));
    }

    [Fact]
    public void Settle_EqualScores_ShortestResponseWins()
    {
        var group = CandidateGroup.Settle([Answer(0, Verdict.Passed, "a long response"), Answer(1, Verdict.Passed, "short"), Answer(2, Verdict.TestFailed, "x")]);

        Assert.Equal(1, group[0].Candidate.CandidateIndex);
        Assert.Equal("easy", group[0].Difficulty);
    }

    [Fact]
    public void Settle_NoneFromAModel_LeavesThemAlone()
    {
        var doc = Answer(0, Verdict.Passed, "x") with { Candidate = Answer(0, Verdict.Passed, "x").Candidate with { CandidateIndex = null } };

        var group = CandidateGroup.Settle([doc]);

        Assert.Null(Assert.Single(group).PassRate);
        Assert.Null(group[0].Difficulty);
    }

    [Fact]
    public void Settle_OneAnswer_NoPassRateOrDifficulty()
    {
        var group = CandidateGroup.Settle([Answer(0, Verdict.Passed, "x")]);

        Assert.Null(Assert.Single(group).PassRate);
        Assert.Null(group[0].Difficulty);
        Assert.False(group[0].Alternative);
    }
}
