namespace AutoRefiner.Exporter.Tests;

/// <summary>The row schema of README.md ("What it writes"), in its order.</summary>
internal static class RowSchema
{
    public static readonly string[] Columns =
    [
        "id", "task", "instruction", "response", "tests", "messages", "lang",
        "source_repo", "source_path", "source_commit", "source_license", "source_url",
        "generator", "prompt_version", "tests_run", "tests_passed", "repair_rounds",
        "prompt_tokens", "completion_tokens", "created_at",
        "source_lines", "source_project_version", "license_origin", "source_notice",
        "mutants", "mutants_killed", "pass_rate", "difficulty",
    ];

    public static readonly string[] StringColumns =
    [
        "id", "task", "instruction", "response", "tests", "lang",
        "source_repo", "source_path", "source_commit", "source_license", "source_url", "generator", "prompt_version",
        "source_lines", "source_project_version", "license_origin", "source_notice",
    ];

    public static readonly string[] Int32Columns = ["tests_run", "tests_passed", "repair_rounds", "prompt_tokens", "completion_tokens"];

    /// <summary>Int32 columns that are null where they do not apply (no tests: no mutation testing).</summary>
    public static readonly string[] NullableInt32Columns = ["mutants", "mutants_killed"];
}
