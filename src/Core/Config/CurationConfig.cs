namespace AutoRefiner.Core.Config;

/// <summary><c>curation</c>: what the output leaves out.</summary>
public sealed record CurationConfig
{
    /// <summary>Near-duplicate removal (MinHash + LSH) on seeds and samples.</summary>
    public bool NearDuplicates { get; init; } = true;

    /// <summary>Estimated Jaccard similarity from which two items are near-duplicates.</summary>
    public double NearDuplicateThreshold { get; init; } = 0.7;

    /// <summary>MinHash permutations.</summary>
    public int MinHashPermutations { get; init; } = 256;

    /// <summary>Tokens per shingle.</summary>
    public int ShingleSize { get; init; } = 5;

    /// <summary>
    /// Evaluation sets to keep out: <c>builtin</c> (the C# HumanEval and MBPP shipped with AutoRefiner, the default) and
    /// JSONL or Parquet files; <c>[]</c> turns decontamination off.
    /// </summary>
    public IReadOnlyList<string> Benchmarks { get; init; } = [Curation.BuiltinBenchmarks.Keyword];

    /// <summary>
    /// Where each of <see cref="Benchmarks"/> is written (<c>harvest.yml:12</c>), for messages about the file: its existence
    /// is checked by the commands that read it, so others (push, report) run where the files are not.
    /// </summary>
    public IReadOnlyList<string> BenchmarkLocations { get; init; } = [];

    /// <summary>Length of the n-grams compared with the benchmarks.</summary>
    public int BenchmarkNgram { get; init; } = 10;

    /// <summary>What to do with a secret: <c>drop</c> the sample or <c>redact</c> it.</summary>
    public string Secrets { get; init; } = "drop";

    /// <summary>SPDX ids (in any case) whose code may be in the dataset, local sources included.</summary>
    public IReadOnlyList<string> Licenses { get; init; } = ["mit", "apache-2.0", "bsd-2-clause", "bsd-3-clause"];

    /// <summary>What to do with code that has no licence anywhere (no licence file above it, none in its header): <c>keep</c> or <c>drop</c>.</summary>
    public string UnlicensedLocal { get; init; } = "keep";

    /// <summary>
    /// Most doc-comment rows whose documentation has one template (names masked, as DocTemplate reads it); the
    /// first ones found are kept. 0 = no cap.
    /// </summary>
    public int MaxPerTemplate { get; init; } = 3;

    /// <summary>Most doc-comment rows from one source file; the first ones found are kept. 0 = no cap.</summary>
    public int MaxPerFile { get; init; } = 3;

    /// <summary>Known values of <see cref="Secrets"/>.</summary>
    public static readonly IReadOnlyList<string> SecretActions = ["drop", "redact"];

    /// <summary>Known values of <see cref="UnlicensedLocal"/>.</summary>
    public static readonly IReadOnlyList<string> UnlicensedActions = ["keep", "drop"];
}
