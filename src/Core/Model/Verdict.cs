using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.Core.Model;

/// <summary>How a candidate ended. Exactly one per candidate (the verdict table in docs/how-it-works.md, "Validation and curation").</summary>
public enum Verdict
{
    /// <summary>Kept.</summary>
    Passed,

    /// <summary>No usable code in the answer.</summary>
    Unparseable,

    /// <summary>The code does not compile.</summary>
    CompileError,

    /// <summary>The code uses an API on the deny-list.</summary>
    BannedApi,

    /// <summary>A test failed.</summary>
    TestFailed,

    /// <summary>The tests ran out of time.</summary>
    Timeout,

    /// <summary>The test process died.</summary>
    Crashed,

    /// <summary>Same content as a sample already kept.</summary>
    Duplicate,

    /// <summary>Overlaps an evaluation benchmark.</summary>
    Contaminated,

    /// <summary>Contains a secret.</summary>
    Secret,

    /// <summary>The source's licence is not allowed.</summary>
    License,

    /// <summary>The code needs a NuGet package the sandbox does not have; the detail names it.</summary>
    MissingDependency,

    /// <summary>The tests pass but kill too few mutants of the solution (<c>validation.min-mutation-score</c>); the detail shows survivors.</summary>
    WeakTests,
}

/// <summary>Wire names of <see cref="Verdict"/>.</summary>
public static class VerdictNames
{
    private static readonly string[] Names =
        ["passed", "unparseable", "compile-error", "banned-api", "test-failed", "timeout", "crashed", "duplicate", "contaminated", "secret", "license", "missing-dependency", "weak-tests"];

    /// <summary>The kebab-case name used in files (<c>compile-error</c>).</summary>
    public static string ToWire(this Verdict verdict) => Names[(int)verdict];

    /// <summary>Every verdict in declaration order.</summary>
    public static IReadOnlyList<Verdict> All { get; } = Enum.GetValues<Verdict>();
}

/// <summary>A candidate with its verdict.</summary>
/// <param name="Candidate">What was judged.</param>
/// <param name="Verdict">The outcome.</param>
/// <param name="Detail">Why: the first diagnostics, the failed test, the symbol named; empty when passed.</param>
/// <param name="TestsRun">Tests executed.</param>
/// <param name="TestsPassed">Tests that passed.</param>
public sealed record Judged(Candidate Candidate, Verdict Verdict, string Detail, int TestsRun = 0, int TestsPassed = 0)
{
    /// <summary>Mutants of the solution its tests were run against (0: the solution has no place to mutate); null where nothing was mutation-tested.</summary>
    public int? Mutants { get; init; }

    /// <summary>Of <see cref="Mutants"/>, those the tests told apart from the solution (a failed test, a timeout or a crash); null likewise.</summary>
    public int? MutantsKilled { get; init; }

    /// <summary>The failing answer this one was repaired from (with the verdict and detail sent back), or null.</summary>
    public Judged? Before { get; init; }

    /// <summary>Of the seed's <c>generation.candidates</c> answers, the share that passed; null where the generator asks no model, or asks for one answer.</summary>
    public double? PassRate { get; init; }

    /// <summary><c>easy</c>, <c>medium</c> or <c>hard</c> from <see cref="PassRate"/> (<see cref="CandidateGroup"/>); null likewise.</summary>
    public string? Difficulty { get; init; }

    /// <summary>Passed, but another answer for the same seed is its SFT row (better mutation score or shorter); used as a preference pair's chosen answer only.</summary>
    public bool Alternative { get; init; }

    /// <summary>Its text overlaps a benchmark, holds a secret or its licence is refused: it never enters a preference pair or feedback conversation.</summary>
    public bool Tainted { get; init; }
}
