using System.Text.Json.Serialization;

namespace AutoRefiner.Exporter.Configs;

/// <summary>
/// One row of the <c>feedback</c> config (Code-Feedback style): the task, the assistant's failing answer, a user turn
/// with the compiler's or test runner's words verbatim, and the assistant's repaired answer — which passed — with one
/// more pair of turns per further repair round. Parquet and JSONL share these names.
/// </summary>
public sealed class FeedbackRow
{
    /// <summary>Stable hash of the conversation.</summary>
    [JsonPropertyName("id")] public string Id { get; set; } = "";

    /// <summary>Generator task.</summary>
    [JsonPropertyName("task")] public string Task { get; set; } = "";

    /// <summary>user, assistant, user (feedback), assistant, …; the last assistant answer passed.</summary>
    [JsonPropertyName("messages")] public List<ChatMessage> Messages { get; set; } = [];

    /// <summary>The verdict of each failing answer, in order.</summary>
    [JsonPropertyName("feedback_verdicts")] public List<string> FeedbackVerdicts { get; set; } = [];

    /// <summary>The tests the last answer passed.</summary>
    [JsonPropertyName("tests")] public string Tests { get; set; } = "";

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

    /// <summary>Prompt version of the last answer.</summary>
    [JsonPropertyName("prompt_version")] public string PromptVersion { get; set; } = "";
}
