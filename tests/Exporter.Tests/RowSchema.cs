namespace AutoRefiner.Exporter.Tests;

/// <summary>The row schema of DESIGN.md, in its order.</summary>
internal static class RowSchema
{
    public static readonly string[] Columns =
    [
        "id", "task", "instruction", "response", "tests", "messages", "lang",
        "source_repo", "source_path", "source_commit", "source_license", "source_url",
        "generator", "prompt_version", "tests_run", "tests_passed", "repair_rounds",
        "prompt_tokens", "completion_tokens", "created_at",
    ];

    public static readonly string[] StringColumns =
    [
        "id", "task", "instruction", "response", "tests", "lang",
        "source_repo", "source_path", "source_commit", "source_license", "source_url", "generator", "prompt_version",
    ];

    public static readonly string[] Int32Columns = ["tests_run", "tests_passed", "repair_rounds", "prompt_tokens", "completion_tokens"];
}
