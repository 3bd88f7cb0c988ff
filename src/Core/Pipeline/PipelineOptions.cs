namespace AutoRefiner.Core.Pipeline;

/// <summary>How hard a run works.</summary>
/// <param name="Parallelism">Candidates validated at once (compilations; one per core by default).</param>
/// <param name="GenerationConcurrency">Seeds being generated at once: LLM requests in flight (<c>llm.concurrency</c>).</param>
/// <param name="RepairRounds">Times a failing candidate goes back to its generator (<c>generation.repair-rounds</c>).</param>
public sealed record PipelineOptions(int Parallelism, int GenerationConcurrency = 1, int RepairRounds = 0)
{
    /// <summary>Export also what earlier runs judged for seeds this run did not see (<c>refresh</c>: the union of all runs).</summary>
    public bool CarryOver { get; init; }
}
