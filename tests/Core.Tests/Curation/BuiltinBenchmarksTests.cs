using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Tests.Curation;

/// <summary>The evaluation sets shipped with AutoRefiner, as the default configuration uses them.</summary>
public sealed class BuiltinBenchmarksTests
{
    /// <summary>HumanEval/0 as a model might hand it back: every name changed, the text reworded, the asserts rewritten.</summary>
    internal const string DisguisedInstruction =
        "Implement AnyPairWithin: given a sequence of single-precision values and a tolerance, report whether some two " +
        "distinct entries differ by less than the tolerance.";

    internal const string DisguisedCode = """
        using System;
        using System.Collections.Generic;
        using Xunit;

        public static class Closeness
        {
            public static bool AnyPairWithin(List<float> samples, float tolerance)
            {
                for (var a = 0; a < samples.Count; a++)
                    for (var b = a + 1; b < samples.Count; b++)
                        if (Math.Abs(samples[a] - samples[b]) < tolerance) return true;
                return false;
            }
        }

        public class ClosenessTests
        {
            [Fact]
            public void Examples()
            {
                Assert.True(Closeness.AnyPairWithin(new List<float> { 1.0f, 2.0f, 3.9f, 4.0f, 5.0f, 2.2f }, 0.3f));
                Assert.False(Closeness.AnyPairWithin(new List<float> { 1.0f, 2.0f, 3.9f, 4.0f, 5.0f, 2.2f }, 0.05f));
                Assert.True(Closeness.AnyPairWithin(new List<float> { 1.0f, 2.0f, 5.9f, 4.0f, 5.0f }, 0.95f));
                Assert.False(Closeness.AnyPairWithin(new List<float> { 1.0f, 2.0f, 5.9f, 4.0f, 5.0f }, 0.8f));
                Assert.True(Closeness.AnyPairWithin(new List<float> { 1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 2.0f }, 0.1f));
            }
        }
        """;

    private static Judged Sample(string instruction, string code) => new(
        new Candidate
        {
            Task = "instruct", Instruction = instruction, Response = "Here:\n\n" + AutoRefiner.Core.Text.CodeBlocks.Fence(code), Generator = "m", PromptVersion = "p",
            Provenance = new Provenance("o/r", "a.cs", "", "mit", ""), SeedId = "s",
        },
        Verdict.Passed,
        "");

    private static DecontaminationCurator DefaultCurator()
    {
        var config = new CurationConfig();
        Assert.Equal([BuiltinBenchmarks.Keyword], config.Benchmarks);
        var index = new BenchmarkIndex(config.BenchmarkNgram);
        BuiltinBenchmarks.LoadInto(index);
        return new DecontaminationCurator(index);
    }

    [Fact]
    public void Items_HoldHumanEvalZero_WithItsPromptAndTests()
    {
        var item = Assert.Single(BuiltinBenchmarks.Items(), i => i.Id == "HumanEval/0");

        Assert.Equal("humaneval-cs", item.Benchmark);
        Assert.Contains("HasCloseElements(List<float> numbers, float threshold)", item.Text, StringComparison.Ordinal);
        Assert.Contains("Debug.Assert(", item.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultCuration_RejectsARenamedRewordedHumanEvalZero_AsContaminated_NamingTheSetAndItem()
    {
        var judged = DefaultCurator().Curate(Sample(DisguisedInstruction, DisguisedCode));

        Assert.Equal(Verdict.Contaminated, judged.Verdict);
        Assert.Contains("humaneval-cs item HumanEval/0", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultCuration_KeepsOrdinaryCodeWithNumbersInIt()
    {
        var judged = DefaultCurator().Curate(Sample(
            "Write a method that returns the median of a list of numbers, with tests.",
            """
            public static class Stats
            {
                public static double Median(List<double> values)
                {
                    var sorted = values.OrderBy(v => v).ToList();
                    var mid = sorted.Count / 2;
                    return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
                }
            }

            public class StatsTests
            {
                [Fact]
                public void Odd() => Assert.Equal(3.0, Stats.Median(new List<double> { 1.0, 2.0, 3.0, 4.0, 5.0 }));

                [Fact]
                public void Even() => Assert.Equal(2.5, Stats.Median(new List<double> { 1.0, 2.0, 3.0, 4.0 }));

                [Fact]
                public void Unsorted() => Assert.Equal(4.0, Stats.Median(new List<double> { 5.0, 1.0, 4.0, 2.0, 7.0 }));
            }
            """));

        Assert.Equal(Verdict.Passed, judged.Verdict);
    }

    [Fact]
    public void DefaultCuration_CodeWithVersionNumbers_IsJudgedNotAFault()
    {
        // Found on dnlib: "0.0.0" and an IP address used to end the run in a FormatException.
        var judged = DefaultCurator().Curate(Sample(
            "Return the version a module states when it states none.",
            """
            public static class Versions
            {
                /// <summary>Version 0.0.0.0, as 1.2.3 and 10.0.0.1 are read too.</summary>
                public static System.Version Zero() => new System.Version("0.0.0.0");
            }
            """));

        Assert.Equal(Verdict.Passed, judged.Verdict);
        Assert.Equal([Literals.Of("1.2")[0], Literals.Of(".3")[0]], Literals.Of("1.2.3"));
    }
}
