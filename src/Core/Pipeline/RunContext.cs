using AutoRefiner.Core.Config;

namespace AutoRefiner.Core.Pipeline;

/// <summary>
/// What a run is, fixed before it starts: its kind, its number in the state store, what the previous run exported, how
/// it curates, and the model it pays for. The counters that change while it runs are in <see cref="RunStats"/>.
/// </summary>
/// <param name="Kind">Harvest, refresh or merge.</param>
public sealed record RunContext(RunKind Kind)
{
    /// <summary>The run's number in the state store; null for a dry run and a merge.</summary>
    public long? Id { get; init; }

    /// <summary>Rows the previous completed run exported, when there was one.</summary>
    public long? PreviousRows { get; init; }

    /// <summary>How the run curates, when it does.</summary>
    public CurationSummary? Curation { get; init; }

    /// <summary>The chat model the run asks, or null when it uses no LLM.</summary>
    public string? Model { get; init; }

    /// <summary>The LLM settings: prices and budget limits.</summary>
    public LlmConfig Llm { get; init; } = new();
}
