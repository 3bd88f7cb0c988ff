namespace AutoRefiner.Core.Model;

/// <summary>An instruction/response pair a generator wrote, not judged yet.</summary>
public sealed record Candidate
{
    /// <summary><c>instruct</c>, <c>doc-comments</c>, …</summary>
    public required string Task { get; init; }

    /// <summary>The user turn.</summary>
    public required string Instruction { get; init; }

    /// <summary>The assistant turn: markdown with a <c>```csharp</c> block.</summary>
    public required string Response { get; init; }

    /// <summary>
    /// What near-duplicate detection compares of this sample, when the generator knows better than the whole text: a
    /// doc-comment row's context, member and masked documentation, without the instruction's fixed wording that every
    /// row shares. Empty = the instruction and the response's code. Kept in the state store with the sample: a sample
    /// rejected as a near-duplicate and reused by a refresh must be compared by the same text, or it would pass.
    /// </summary>
    public string Compared { get; init; } = "";

    /// <summary>xunit tests, or empty when the task has none.</summary>
    public string Tests { get; init; } = "";

    /// <summary>Model id, or the name of a generator that uses none.</summary>
    public required string Generator { get; init; }

    /// <summary>Version of the prompt or template that produced it.</summary>
    public required string PromptVersion { get; init; }

    /// <summary>The seed's provenance.</summary>
    public required Provenance Provenance { get; init; }

    /// <summary>Id of the seed it was made from.</summary>
    public required string SeedId { get; init; }

    /// <summary>Tokens sent to the model.</summary>
    public int PromptTokens { get; init; }

    /// <summary>Tokens received from the model.</summary>
    public int CompletionTokens { get; init; }

    /// <summary>
    /// Why the generator's answer gave no usable sample (no sections, no code, the endpoint refused the request), or
    /// null. The validator judges such a candidate <c>unparseable</c> with this as the detail.
    /// </summary>
    public string? ParseError { get; init; }

    /// <summary>When it was judged first; kept when a later run reuses it. Null until then (export time is used).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>
    /// Which of the seed's <c>generation.candidates</c> answers it is (0-based); null for a generator that asks no
    /// model. Candidates with an index are judged as a group: pass rate, difficulty, the one SFT row, preference pairs.
    /// </summary>
    public int? CandidateIndex { get; init; }

    /// <summary>Repair rounds spent on it.</summary>
    public int RepairRounds { get; init; }

    /// <summary>
    /// Its verdict comes from a failure that may not happen again (the endpoint sent something that is not an answer):
    /// it is reported in this run, but not recorded in the state store, so the next run asks again.
    /// </summary>
    public bool Provisional { get; init; }
}
