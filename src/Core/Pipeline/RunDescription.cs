namespace AutoRefiner.Core.Pipeline;

/// <summary>What the manifest and the dataset card say about how a run was made.</summary>
/// <param name="ToolVersion">AutoRefiner's version.</param>
/// <param name="ConfigHash">Hash of the effective configuration.</param>
/// <param name="Sources">The sources as given.</param>
/// <param name="Model">The chat model, or null when no LLM was used.</param>
/// <param name="Command">The command line that reproduces the run (no secrets).</param>
public sealed record RunDescription(string ToolVersion, string ConfigHash, IReadOnlyList<string> Sources, string? Model, string Command)
{
    /// <summary>Generator → prompt version, when the run had no generators of its own (a merge of other runs' outputs).</summary>
    public IReadOnlyDictionary<string, string>? PromptVersions { get; init; }
}
