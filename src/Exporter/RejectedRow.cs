using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;

namespace AutoRefiner.Exporter;

/// <summary>A line of <c>rejected.jsonl</c>: the candidate's fields so far, its verdict and why.</summary>
public sealed class RejectedRow
{
    /// <summary>Id the row would have had.</summary>
    public string Id { get; set; } = "";

    /// <summary>The verdict (kebab-case).</summary>
    public string Verdict { get; set; } = "";

    /// <summary>First diagnostics, failed test or symbol named.</summary>
    public string Detail { get; set; } = "";

    /// <summary>Generator task.</summary>
    public string Task { get; set; } = "";

    /// <summary>User turn.</summary>
    public string Instruction { get; set; } = "";

    /// <summary>Assistant turn.</summary>
    public string Response { get; set; } = "";

    /// <summary>Tests, if any.</summary>
    public string Tests { get; set; } = "";

    /// <summary>Seed id.</summary>
    public string SeedId { get; set; } = "";

    /// <summary>Seed repository.</summary>
    public string SourceRepo { get; set; } = "";

    /// <summary>Seed path.</summary>
    public string SourcePath { get; set; } = "";

    /// <summary>Seed commit.</summary>
    public string SourceCommit { get; set; } = "";

    /// <summary>Seed licence.</summary>
    public string SourceLicense { get; set; } = "";

    /// <summary>Seed URL.</summary>
    public string SourceUrl { get; set; } = "";

    /// <summary>Generator.</summary>
    public string Generator { get; set; } = "";

    /// <summary>Prompt version.</summary>
    public string PromptVersion { get; set; } = "";

    /// <summary>Tests run.</summary>
    public int TestsRun { get; set; }

    /// <summary>Tests passed.</summary>
    public int TestsPassed { get; set; }

    /// <summary>Repair rounds.</summary>
    public int RepairRounds { get; set; }

    /// <summary>Prompt tokens.</summary>
    public int PromptTokens { get; set; }

    /// <summary>Completion tokens.</summary>
    public int CompletionTokens { get; set; }

    /// <summary>Builds the line of a rejection.</summary>
    public static RejectedRow From(Judged judged)
    {
        ArgumentNullException.ThrowIfNull(judged);
        var c = judged.Candidate;
        return new RejectedRow
        {
            Id = SampleId.Of(c),
            Verdict = judged.Verdict.ToWire(),
            Detail = judged.Detail,
            Task = c.Task,
            Instruction = c.Instruction,
            Response = c.Response,
            Tests = c.Tests,
            SeedId = c.SeedId,
            SourceRepo = c.Provenance.Repo,
            SourcePath = c.Provenance.Path,
            SourceCommit = c.Provenance.Commit,
            SourceLicense = c.Provenance.License,
            SourceUrl = c.Provenance.Url,
            Generator = c.Generator,
            PromptVersion = c.PromptVersion,
            TestsRun = judged.TestsRun,
            TestsPassed = judged.TestsPassed,
            RepairRounds = c.RepairRounds,
            PromptTokens = c.PromptTokens,
            CompletionTokens = c.CompletionTokens,
        };
    }
}
