using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Exporter.Tests.Support;

namespace AutoRefiner.Exporter.Tests.Configs;

/// <summary>The judged answers of seeds asked for several candidates, as the pipeline hands them to the writer.</summary>
internal static class ConfigSamples
{
    public const string Instruction = "Write a static class Twice with Of(int x) returning 2x.";

    public static Candidate Answer(int seed, int index, string body, string? instruction = null) => Samples.Candidate(seed) with
    {
        SeedId = $"seed-{seed}",
        Instruction = instruction ?? Instruction + " #" + seed,
        Response = $"Doubles.\n```csharp\npublic static class Twice{seed} {{ public static int Of(int x) => {body}; }}\n```\n",
        Tests = $"public class T{seed} {{ [Xunit.Fact] public void Doubles() => Xunit.Assert.Equal(8, Twice{seed}.Of(4)); }}",
        CandidateIndex = index,
    };

    public static Judged Pass(int seed, int index, string body = "x * 2") => new(Answer(seed, index, body), Verdict.Passed, "", 1, 1);

    public static Judged Fail(int seed, int index, Verdict verdict, string body, string detail) => new(Answer(seed, index, body), verdict, detail, 1, 0);

    /// <summary>
    /// Seed 1: a pass, a compile error and a test failure (medium). Seed 2: a compile error repaired into a pass, and a
    /// banned-API answer (easy, 1 of 2 passes... as the pipeline settles it). Settled the way the pipeline does.
    /// </summary>
    public static List<Judged> Groups()
    {
        var first = CandidateGroup.Settle(
        [
            Pass(1, 0),
            Fail(1, 1, Verdict.CompileError, "x * two", "error CS0103: The name 'two' does not exist in the current context"),
            Fail(1, 2, Verdict.TestFailed, "x + 2", "Assert.Equal() Failure: Values differ\nExpected: 8\nActual:   6"),
        ]);
        var broken = Fail(2, 0, Verdict.CompileError, "x * too", "error CS0103: The name 'too' does not exist in the current context");
        var repaired = Pass(2, 0) with { Before = broken, Candidate = Answer(2, 0, "x * 2") with { RepairRounds = 1 } };
        var second = CandidateGroup.Settle(
        [
            repaired,
            Fail(2, 1, Verdict.BannedApi, "System.Environment.ProcessorCount * x", "System.Environment is not allowed"),
        ]);
        return [.. first, .. second];
    }
}
