using System.Text.Json.Serialization;
using AutoRefiner.Core.Model;
using Parquet.Serialization.Attributes;

namespace AutoRefiner.Exporter;

/// <summary>One row of the dataset (the row list in README.md, "What it writes"). Parquet and JSONL share these names.</summary>
internal class DatasetRow
{
    /// <summary>Stable hash of the normalised instruction + response.</summary>
    [JsonPropertyName("id")] public string Id { get; set; } = "";

    /// <summary>Generator task.</summary>
    [JsonPropertyName("task")] public string Task { get; set; } = "";

    /// <summary>User turn.</summary>
    [JsonPropertyName("instruction")] public string Instruction { get; set; } = "";

    /// <summary>Assistant turn.</summary>
    [JsonPropertyName("response")] public string Response { get; set; } = "";

    /// <summary>The tests that passed.</summary>
    [JsonPropertyName("tests")] public string Tests { get; set; } = "";

    /// <summary>Chat form.</summary>
    [JsonPropertyName("messages")] public List<ChatMessage> Messages { get; set; } = [];

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

    /// <summary>Model id or generator name.</summary>
    [JsonPropertyName("generator")] public string Generator { get; set; } = "";

    /// <summary>Prompt version.</summary>
    [JsonPropertyName("prompt_version")] public string PromptVersion { get; set; } = "";

    /// <summary>Tests run.</summary>
    [JsonPropertyName("tests_run")] public int TestsRun { get; set; }

    /// <summary>Tests passed.</summary>
    [JsonPropertyName("tests_passed")] public int TestsPassed { get; set; }

    /// <summary>Repair rounds.</summary>
    [JsonPropertyName("repair_rounds")] public int RepairRounds { get; set; }

    /// <summary>Prompt tokens.</summary>
    [JsonPropertyName("prompt_tokens")] public int PromptTokens { get; set; }

    /// <summary>Completion tokens.</summary>
    [JsonPropertyName("completion_tokens")] public int CompletionTokens { get; set; }

    /// <summary>When the row was made (UTC).</summary>
    [JsonPropertyName("created_at")]
    [ParquetTimestamp(ParquetTimestampResolution.Microseconds, true, true)]
    public DateTime CreatedAt { get; set; }

    /// <summary><c>start-end</c> (1-based) of the seed in its file, or empty.</summary>
    [JsonPropertyName("source_lines")] public string SourceLines { get; set; } = "";

    /// <summary>The seed's project version as its .csproj, .props or .nuspec states it, or empty.</summary>
    [JsonPropertyName("source_project_version")] public string SourceProjectVersion { get; set; } = "";

    /// <summary>Where <see cref="SourceLicense"/> was read: <c>file</c> (the file's header) or <c>project</c> (a licence file), or empty.</summary>
    [JsonPropertyName("license_origin")] public string LicenseOrigin { get; set; } = "";

    /// <summary>The copyright lines and NOTICE text the seed's licence asks to keep with it, or empty.</summary>
    [JsonPropertyName("source_notice")] public string SourceNotice { get; set; } = "";

    /// <summary>Mutants of the solution the tests ran against (0: nothing to mutate); null where nothing was mutation-tested.</summary>
    [JsonPropertyName("mutants")] public int? Mutants { get; set; }

    /// <summary>Of <see cref="Mutants"/>, those a test failed, timed out or crashed on; null likewise.</summary>
    [JsonPropertyName("mutants_killed")] public int? MutantsKilled { get; set; }

    /// <summary>Of the seed's <c>generation.candidates</c> answers, the share that passed; null where no model wrote the row or it was asked for one answer.</summary>
    [JsonPropertyName("pass_rate")] public double? PassRate { get; set; }

    /// <summary><c>easy</c> (pass rate ≥ 2/3), <c>medium</c> or <c>hard</c> (&lt; 1/3); null likewise.</summary>
    [JsonPropertyName("difficulty")] public string? Difficulty { get; set; }

    /// <summary>Builds the row of a passed candidate.</summary>
    public static DatasetRow From(Judged judged, string id, string lang, DateTime createdAtUtc) =>
        Fill(new DatasetRow(), judged, id, lang, createdAtUtc);

    /// <summary>Sets every column of <paramref name="row"/> from a judged candidate.</summary>
    protected static T Fill<T>(T row, Judged judged, string id, string lang, DateTime createdAtUtc)
        where T : DatasetRow
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(judged);
        var c = judged.Candidate;
        row.Id = id;
        row.Task = c.Task;
        row.Instruction = c.Instruction;
        row.Response = c.Response;
        row.Tests = c.Tests;
        row.Messages = [new ChatMessage { Role = "user", Content = c.Instruction }, new ChatMessage { Role = "assistant", Content = c.Response }];
        row.Lang = lang;
        row.SourceRepo = c.Provenance.Repo;
        row.SourcePath = c.Provenance.Path;
        row.SourceCommit = c.Provenance.Commit;
        row.SourceLicense = c.Provenance.License;
        row.SourceUrl = c.Provenance.Url;
        row.SourceLines = c.Provenance.Lines;
        row.SourceProjectVersion = c.Provenance.Version;
        row.LicenseOrigin = c.Provenance.LicenseOrigin;
        row.SourceNotice = c.Provenance.Notice;
        row.Generator = c.Generator;
        row.PromptVersion = c.PromptVersion;
        row.TestsRun = judged.TestsRun;
        row.TestsPassed = judged.TestsPassed;
        row.RepairRounds = c.RepairRounds;
        row.Mutants = judged.Mutants;
        row.MutantsKilled = judged.MutantsKilled;
        row.PassRate = judged.PassRate;
        row.Difficulty = judged.Difficulty;
        row.PromptTokens = c.PromptTokens;
        row.CompletionTokens = c.CompletionTokens;

        // Parquet stores microseconds: keep no finer ticks, or the JSONL would disagree with the Parquet.
        row.CreatedAt = new DateTime(createdAtUtc.Ticks - (createdAtUtc.Ticks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);
        return row;
    }
}

/// <summary>One turn of <see cref="DatasetRow.Messages"/>.</summary>
public sealed class ChatMessage
{
    /// <summary><c>user</c> or <c>assistant</c>.</summary>
    [JsonPropertyName("role")] public string Role { get; set; } = "";

    /// <summary>The text.</summary>
    [JsonPropertyName("content")] public string Content { get; set; } = "";
}

/// <summary>Turning written rows back into judged samples (<c>merge</c>).</summary>
internal static class DatasetRows
{
    /// <summary>The judged sample a row was written from: passed for a dataset row, its verdict for a rejected one.</summary>
    public static Judged ToJudged(DatasetRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var rejected = row as RejectedRow;
        var candidate = new Candidate
        {
            Task = row.Task,
            Instruction = row.Instruction,
            Response = row.Response,
            Tests = row.Tests,
            Generator = row.Generator,
            PromptVersion = row.PromptVersion,
            Provenance = new Provenance(row.SourceRepo, row.SourcePath, row.SourceCommit, row.SourceLicense, row.SourceUrl)
            {
                Lines = row.SourceLines ?? "",
                Version = row.SourceProjectVersion ?? "",
                LicenseOrigin = row.LicenseOrigin ?? "",
                Notice = row.SourceNotice ?? "",
            },
            SeedId = rejected?.SeedId ?? "",
            PromptTokens = row.PromptTokens,
            CompletionTokens = row.CompletionTokens,
            RepairRounds = row.RepairRounds,
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)),
        };
        var verdict = rejected is null ? Verdict.Passed : VerdictNames.All.FirstOrDefault(v => v.ToWire() == rejected.Verdict, Verdict.Unparseable);
        return new Judged(candidate, verdict, rejected?.Detail ?? "", row.TestsRun, row.TestsPassed) { Mutants = row.Mutants, MutantsKilled = row.MutantsKilled, PassRate = row.PassRate, Difficulty = row.Difficulty };
    }
}
