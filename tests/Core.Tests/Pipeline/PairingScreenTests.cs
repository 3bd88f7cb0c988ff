using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.Core.Tests.Pipeline;

public sealed class PairingScreenTests
{
    private const string Token = "ghp_R4nd0mT0k3nV4lu3Th4tL00ksR34l1234567";

    private static Judged Answer(Verdict verdict, string body) => new(
        new Candidate
        {
            Task = "instruct", Instruction = "Double it.", Response = $"```csharp\nclass A {{ int F() => {body}; }}\n```", Generator = "m",
            PromptVersion = "instruct/1", Provenance = new Provenance("o/r", "a.cs", "c", "mit", "u"), SeedId = "s", CandidateIndex = 0,
        },
        verdict,
        verdict == Verdict.Passed ? "" : "error CS0103");

    private static IReadOnlyList<ICurator> Curators(string secrets = "drop") =>
        [new LicenseCurator(new CurationConfig()), new SecretCurator(new CurationConfig { Secrets = secrets }), new ExactDeduplicator()];

    [Fact]
    public void Screen_FailingAnswerWithASecret_IsTaintedThoughCurationRedactedIt()
    {
        var curators = Curators();
        var original = Answer(Verdict.CompileError, $"\"{Token}\".Length");
        var curated = curators.Aggregate(original, (j, c) => c.Curate(j));

        var screened = PairingScreen.Screen(original, curated, curators);

        Assert.True(screened.Tainted);
        Assert.DoesNotContain(Token, screened.Candidate.Response, StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_RepairedFromABannedApiAndASecret_BothEarlierAnswersTainted_CleanOnesNot()
    {
        var curators = Curators();
        var banned = Answer(Verdict.BannedApi, "System.Environment.ProcessorCount");
        var secret = Answer(Verdict.TestFailed, $"\"{Token}\".Length") with { Before = banned };
        var passed = Answer(Verdict.Passed, "2") with { Before = secret };

        var screened = PairingScreen.Screen(passed, passed, curators);

        Assert.False(screened.Tainted);
        Assert.True(screened.Before!.Tainted);
        Assert.DoesNotContain(Token, screened.Before.Candidate.Response, StringComparison.Ordinal);
        Assert.True(screened.Before.Before!.Tainted);
        Assert.False(PairingScreen.Screen(Answer(Verdict.TestFailed, "3"), Answer(Verdict.TestFailed, "3"), curators).Tainted);
    }

    [Fact]
    public void Screen_DuplicateDetection_NeverSeesTheFailingAnswers()
    {
        var deduplicator = new ExactDeduplicator();
        var failing = Answer(Verdict.TestFailed, "3");

        PairingScreen.Screen(failing, failing, [deduplicator]);

        // Had the screen remembered it, the same code passing later would be a duplicate.
        Assert.Equal(Verdict.Passed, deduplicator.Curate(failing with { Verdict = Verdict.Passed, Detail = "" }).Verdict);
    }
}
