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

    /// <summary>MBPP 108 (merge three lists into one sorted list) in disguise: renamed, reworded, the asserts in xunit's order.</summary>
    internal const string DisguisedMbppInstruction =
        "Create a Combine method that takes three unordered collections of integers and returns every element of all " +
        "three in ascending order, with tests.";

    internal const string DisguisedMbppCode = """
        using System.Collections.Generic;
        using System.Linq;
        using Xunit;

        public static class Sequences
        {
            public static List<long> Combine(List<long> first, List<long> second, List<long> third) =>
                first.Concat(second).Concat(third).OrderBy(x => x).ToList();
        }

        public class SequencesTests
        {
            [Fact]
            public void CombinesAndOrders()
            {
                Assert.Equal(new List<long> { 4, 5, 11, 15, 19, 20, 24, 24, 25, 25, 26, 29, 48, 54, 56, 110, 154, 233 },
                    Sequences.Combine(new List<long> { 25, 24, 15, 4, 5, 29, 110 }, new List<long> { 19, 20, 11, 56, 25, 233, 154 }, new List<long> { 24, 26, 54, 48 }));
                Assert.Equal(new List<long> { 1, 1, 2, 3, 4, 5, 5, 6, 7, 7, 8, 8, 9, 11, 12 },
                    Sequences.Combine(new List<long> { 1, 3, 5, 6, 8, 9 }, new List<long> { 2, 5, 7, 11 }, new List<long> { 1, 4, 7, 8, 12 }));
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
    public void Items_ShipFingerprintsOnly_MadeByThisBuildsTokenizer()
    {
        var item = Assert.Single(BuiltinBenchmarks.Items(), i => i.Id == "HumanEval/0");

        Assert.Equal("humaneval-cs", item.Benchmark);
        Assert.Equal(BuiltinBenchmarks.Ngram, item.Ngram);
        Assert.NotEmpty(item.Words);
        Assert.NotEmpty(item.Code);
        Assert.NotEmpty(item.Literals);

        // The resource holds hashes, not the sets' text: no line of HumanEval/0's C# prompt is in it.
        using var stream = typeof(BuiltinBenchmarks).Assembly.GetManifestResourceStream("AutoRefiner.BuiltinBenchmarks")!;
        using var gzip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress);
        var raw = new StreamReader(gzip).ReadToEnd();
        Assert.DoesNotContain("HasCloseElements", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("threshold", raw, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FingerprintsOfAnotherTokenizer_AreRefusedInsteadOfMatchingNothing()
    {
        using var stream = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new StreamWriter(gzip))
        {
            writer.WriteLine("""{"format":"autorefiner-benchmark-fingerprints/1","probe":"0000000000000000"}""");
        }

        stream.Position = 0;
        var e = Assert.Throws<InvalidOperationException>(() => BuiltinBenchmarks.Read(stream).ToList());
        Assert.Contains("not made by this build's tokenizer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteThenRead_GivesTheFingerprintsTheIndexWouldMake_AndTheyMatchLikeTheText()
    {
        var item = new BenchmarkItem("set", "1", DisguisedInstruction + "\n" + DisguisedCode);
        using var stream = new MemoryStream();
        BuiltinBenchmarks.Write([item], stream);
        stream.Position = 0;

        var read = Assert.Single(BuiltinBenchmarks.Read(stream).ToList());
        var made = BenchmarkIndex.Fingerprint(item, BuiltinBenchmarks.Ngram);
        Assert.Equal(made.Words, read.Words);
        Assert.Equal(made.Code, read.Code);
        Assert.Equal(made.Literals, read.Literals);
        Assert.Equal(made.CommonLiterals, read.CommonLiterals);

        // Held at n = 10 in an index whose own n is 13 (a user's curation.benchmark-ngram), it still matches.
        var index = new BenchmarkIndex(13);
        index.Add(read);
        Assert.StartsWith("set item 1", index.Match("", DisguisedCode), StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultCuration_RejectsARenamedRewordedHumanEvalZero_AsContaminated_NamingTheSetAndItem()
    {
        var judged = DefaultCurator().Curate(Sample(DisguisedInstruction, DisguisedCode));

        Assert.Equal(Verdict.Contaminated, judged.Verdict);
        Assert.Contains("humaneval-cs item HumanEval/0", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Items_HoldMultiplEsCSharpHumanEvalAndMbpp_AsShipped()
    {
        var counts = BuiltinBenchmarks.Items().GroupBy(i => i.Benchmark).ToDictionary(g => g.Key, g => g.Count());

        // All 158 problems MultiPL-E translates to C# (6 of HumanEval's 164 have no C# form), and the 97 of mbpp-cs
        // this build could read (see src/Core/Curation/Benchmarks/NOTICE.md).
        Assert.Equal(158, counts["humaneval-cs"]);
        Assert.Equal(97, counts["mbpp-cs"]);
        Assert.Single(BuiltinBenchmarks.Items(), i => i.Id == "Mbpp/108");
    }

    [Fact]
    public void DefaultCuration_RejectsARenamedRewordedMbppItem_AsContaminated_NamingTheSetAndItem()
    {
        var judged = DefaultCurator().Curate(Sample(DisguisedMbppInstruction, DisguisedMbppCode));

        Assert.Equal(Verdict.Contaminated, judged.Verdict);
        Assert.Contains("mbpp-cs item Mbpp/108", judged.Detail, StringComparison.Ordinal);
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
    public void DefaultCuration_KeepsTestsThatCountOneToFive()
    {
        // Found on Newtonsoft.Json's JsonTextWriterTest: arrays of 1 to 5 written again and again share 4 of the 14 runs of
        // six literals of MBPP 19's tests ([1, 2, 3, 4, 5], [1, 2, 3, 4, 4], ...): small integers say little about where
        // data came from, so such runs alone must make up half of an item's.
        var judged = DefaultCurator().Curate(Sample(
            "Write arrays out as JSON, indented and not.",
            """
            public class WriterTests
            {
                [Fact]
                public void Arrays()
                {
                    var writer = new JsonWriter();
                    writer.WriteArray(new[] { 1, 2, 3, 4, 5 });
                    writer.WriteArray(new List<int> { 1, 2, 3, 4, 5 });
                    writer.WriteArray(new int[] { 1, 2, 3, 4, 5 });
                    Assert.Equal(15, writer.Count);
                }
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
