using System.Text.Json.Serialization;

namespace AutoRefiner.Exporter.Configs;

/// <summary>
/// One row of the <c>preference</c> config, in TRL's conversational preference form: the same prompt, a passing answer
/// (<c>chosen</c>) and a failing one (<c>rejected</c>), each one assistant message. Parquet and JSONL share these names.
/// </summary>
public sealed class PreferenceRow
{
    /// <summary>Stable hash of the prompt and both answers.</summary>
    [JsonPropertyName("id")] public string Id { get; set; } = "";

    /// <summary>Generator task.</summary>
    [JsonPropertyName("task")] public string Task { get; set; } = "";

    /// <summary>The user turn: the instruction.</summary>
    [JsonPropertyName("prompt")] public List<ChatMessage> Prompt { get; set; } = [];

    /// <summary>One assistant message: the passing answer.</summary>
    [JsonPropertyName("chosen")] public List<ChatMessage> Chosen { get; set; } = [];

    /// <summary>One assistant message: the failing answer.</summary>
    [JsonPropertyName("rejected")] public List<ChatMessage> Rejected { get; set; } = [];

    /// <summary>Always <c>passed</c>.</summary>
    [JsonPropertyName("chosen_verdict")] public string ChosenVerdict { get; set; } = "";

    /// <summary><c>compile-error</c>, <c>test-failed</c>, <c>weak-tests</c> or <c>timeout</c>.</summary>
    [JsonPropertyName("rejected_verdict")] public string RejectedVerdict { get; set; } = "";

    /// <summary>The compiler's or test runner's words on the rejected answer.</summary>
    [JsonPropertyName("rejected_detail")] public string RejectedDetail { get; set; } = "";

    /// <summary>The xunit tests the chosen answer passed (empty where the task has none).</summary>
    [JsonPropertyName("chosen_tests")] public string ChosenTests { get; set; } = "";

    /// <summary>The xunit tests the rejected answer was judged with.</summary>
    [JsonPropertyName("rejected_tests")] public string RejectedTests { get; set; } = "";

    /// <summary>Whether the rejected answer is the one the chosen answer was repaired from (<c>repair</c>) or another answer to the same prompt (<c>candidate</c>).</summary>
    [JsonPropertyName("rejected_source")] public string RejectedSource { get; set; } = "";

    /// <summary>Of the seed's answers, the share that passed.</summary>
    [JsonPropertyName("pass_rate")] public double? PassRate { get; set; }

    /// <summary><c>easy</c>, <c>medium</c> or <c>hard</c>.</summary>
    [JsonPropertyName("difficulty")] public string? Difficulty { get; set; }

    /// <summary>Language.</summary>
    [JsonPropertyName("lang")] public string Lang { get; set; } = "csharp";

    /// <summary>Seed repository.</summary>
    [JsonPropertyName("source_repo")] public string SourceRepo { get; set; } = "";

    /// <summary>Seed path.</summary>
    [JsonPropertyName("source_path")] public string SourcePath { get; set; } = "";

    /// <summary>Seed commit.</summary>
    [JsonPropertyName("source_commit")] public string SourceCommit { get; set; } = "";

    /// <summary>Seed licence (SPDX id).</summary>
    [JsonPropertyName("source_license")] public string SourceLicense { get; set; } = "";

    /// <summary>Seed URL.</summary>
    [JsonPropertyName("source_url")] public string SourceUrl { get; set; } = "";

    /// <summary><c>start-end</c> of the seed in its file.</summary>
    [JsonPropertyName("source_lines")] public string SourceLines { get; set; } = "";

    /// <summary>The notices the seed's licence asks to keep with it.</summary>
    [JsonPropertyName("source_notice")] public string SourceNotice { get; set; } = "";

    /// <summary>Model id.</summary>
    [JsonPropertyName("generator")] public string Generator { get; set; } = "";

    /// <summary>Prompt version of the chosen answer.</summary>
    [JsonPropertyName("prompt_version")] public string PromptVersion { get; set; } = "";
}
