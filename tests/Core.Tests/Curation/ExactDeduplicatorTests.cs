using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Tests.Curation;

public sealed class ExactDeduplicatorTests
{
    private static Judged Passed(string instruction, string response, Verdict verdict = Verdict.Passed) => new(
        new Candidate
        {
            Task = "doc-comments",
            Instruction = instruction,
            Response = response,
            Generator = "doc-comments",
            PromptVersion = "1",
            Provenance = new Provenance("r", "p", "", "", ""),
            SeedId = "s",
        },
        verdict,
        "");

    [Fact]
    public void Curate_SecondCopyDifferingOnlyInWhitespace_IsDuplicate()
    {
        var dedup = new ExactDeduplicator();

        var first = dedup.Curate(Passed("Write F.", "```csharp\nclass A { }\n```"));
        var second = dedup.Curate(Passed("Write  F.", "```csharp\r\nclass A {  }\r\n```"));

        Assert.Equal(Verdict.Passed, first.Verdict);
        Assert.Equal(Verdict.Duplicate, second.Verdict);
        Assert.Contains(SampleId.Of(first.Candidate), second.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Curate_DifferentContent_IsKept()
    {
        var dedup = new ExactDeduplicator();

        dedup.Curate(Passed("Write F.", "```csharp\nclass A { }\n```"));

        Assert.Equal(Verdict.Passed, dedup.Curate(Passed("Write G.", "```csharp\nclass A { }\n```")).Verdict);
    }

    [Fact]
    public void Curate_RejectedSamples_AreLeftAsTheyAreAndNotRemembered()
    {
        var dedup = new ExactDeduplicator();

        var rejected = dedup.Curate(Passed("Write F.", "x", Verdict.CompileError));
        var later = dedup.Curate(Passed("Write F.", "x"));

        Assert.Equal(Verdict.CompileError, rejected.Verdict);
        Assert.Equal(Verdict.Passed, later.Verdict);
    }

    [Fact]
    public void SplitOf_IsDeterministicAndHonoursTheShare()
    {
        var ids = Enumerable.Range(0, 5000).Select(i => SampleId.Of(Passed($"i{i}", "r").Candidate)).ToList();

        Assert.Equal(ids.Select(id => SampleId.SplitOf(id, 0.1)), ids.Select(id => SampleId.SplitOf(id, 0.1)));
        Assert.All(ids, id => Assert.Equal("train", SampleId.SplitOf(id, 0)));
        Assert.InRange(ids.Count(id => SampleId.SplitOf(id, 0.1) == "test"), 400, 600);
    }

    [Fact]
    public void SplitOf_RowsOfOneSourceFile_ShareTheirSplitWhateverTheirIds()
    {
        var splits = Enumerable.Range(0, 200).Select(f =>
        {
            var provenance = new Provenance("o/r", $"src/F{f}.cs", "c", "mit", "");
            return Enumerable.Range(0, 5)
                .Select(i => Passed($"i{f}-{i}", "r").Candidate with { Provenance = provenance })
                .Select(c => SampleId.SplitOf(c, SampleId.Of(c), 0.3))
                .Distinct()
                .Count();
        }).ToList();

        Assert.All(splits, n => Assert.Equal(1, n));
    }
}
