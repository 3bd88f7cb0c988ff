namespace AutoRefiner.Core.Config;

/// <summary><c>generation</c>.</summary>
public sealed record GenerationConfig
{
    /// <summary>Known task names.</summary>
    public static readonly IReadOnlyList<string> KnownTasks = ["instruct", "doc-comments", TestsTask];

    /// <summary>The task whose rows are model-written xunit tests of a harvested real member (needs an LLM).</summary>
    public const string TestsTask = "tests";

    /// <summary>How a <see cref="TestsTask"/> row's instruction opens: <c>validate</c> recognises such rows by it.</summary>
    public const string TestsInstructionOpening = "Write xunit tests for this member: ";

    /// <summary>Generators to run.</summary>
    public IReadOnlyList<string> Tasks { get; init; } = ["instruct", "doc-comments"];

    /// <summary>Repair rounds per failing candidate.</summary>
    public int RepairRounds { get; init; } = 1;

    /// <summary>The most answers asked for per request (<c>generation.candidates</c>).</summary>
    public const int MaxCandidates = 16;

    /// <summary>
    /// Answers asked for per LLM request (k): each is judged, the best passing one becomes the SFT row, the pass rate
    /// gives the row's difficulty, and passing and failing answers of one instruction make preference pairs.
    /// </summary>
    public int Candidates { get; init; } = 1;
}
