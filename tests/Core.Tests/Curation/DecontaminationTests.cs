using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Tests.Curation;

public sealed class DecontaminationTests
{
    /// <summary>A C# translation of HumanEval/0, as an evaluation set would hold it.</summary>
    private static readonly BenchmarkItem HasCloseElements = new("humaneval-csharp", "HumanEval/0", """
        using System.Collections.Generic;

        class Problem {
            // Check if in given list of numbers, are any two numbers closer to each other than given threshold.
            // >>> HasCloseElements((new List<double>(new double[]{(double)1.0f, (double)2.0f, (double)3.0f})), (0.5f))
            // (false)
            public static bool HasCloseElements(List<double> numbers, double threshold) {
                for (int idx = 0; idx < numbers.Count; idx++) {
                    for (int idx2 = 0; idx2 < numbers.Count; idx2++) {
                        if (idx != idx2) {
                            double distance = Math.Abs(numbers[idx] - numbers[idx2]);
                            if (distance < threshold) {
                                return true;
                            }
                        }
                    }
                }
                return false;
            }
        }
        """);

    private static DecontaminationCurator Curator()
    {
        var index = new BenchmarkIndex(10);
        index.Add(HasCloseElements);
        index.Add(new BenchmarkItem("humaneval-csharp", "HumanEval/2", "Given a positive floating point number, it can be decomposed into an integer part (largest integer smaller than given number) and decimals (leftover part always smaller than 1). Return the decimal part of the number."));
        return new DecontaminationCurator(index);
    }

    private static Judged Sample(string instruction, string code) => new(
        new Candidate
        {
            Task = "instruct", Instruction = instruction, Response = "Here:\n\n" + AutoRefiner.Core.Text.CodeBlocks.Fence(code), Generator = "m", PromptVersion = "p",
            Provenance = new Provenance("o/r", "a.cs", "", "mit", ""), SeedId = "s",
        },
        Verdict.Passed,
        "");

    [Fact]
    public void AParaphrasedProblemWithTheSameSolution_IsCaught_NamingTheBenchmarkAndItem()
    {
        var judged = Curator().Curate(Sample(
            "Write a method that tells whether a list of doubles holds two values nearer to one another than a given limit.",
            """
            public static class Proximity
            {
                public static bool AnyTwoClose(List<double> values, double limit)
                {
                    for (int i = 0; i < values.Count; i++)
                    {
                        for (int j = 0; j < values.Count; j++)
                        {
                            if (i != j)
                            {
                                double gap = Math.Abs(values[i] - values[j]);
                                if (gap < limit)
                                {
                                    return true;
                                }
                            }
                        }
                    }

                    return false;
                }
            }
            """));

        Assert.Equal(Verdict.Contaminated, judged.Verdict);
        Assert.Contains("humaneval-csharp item HumanEval/0", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInstructionCopyingABenchmarkSentence_IsCaught()
    {
        var judged = Curator().Curate(Sample(
            "Given a positive floating point number, it can be decomposed into an integer part and decimals. Return the decimal part of the number.",
            "public static class F { public static double Frac(double x) => x - Math.Floor(x); }"));

        Assert.Equal(Verdict.Contaminated, judged.Verdict);
        Assert.Contains("HumanEval/2", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void UnrelatedSamplesWithCommonLoops_AreKept()
    {
        var judged = Curator().Curate(Sample(
            "Write a method that returns the index of the largest value in a list of numbers.",
            """
            public static class Finder
            {
                public static int IndexOfMax(List<double> values)
                {
                    int best = 0;
                    for (int i = 0; i < values.Count; i++)
                    {
                        if (values[i] > values[best])
                        {
                            best = i;
                        }
                    }

                    return best;
                }
            }
            """));

        Assert.Equal(Verdict.Passed, judged.Verdict);
    }
}
