namespace AutoRefiner.Exporter;

/// <summary><c>manifest.json</c>: how a dataset was made, with every count a user may want to check.</summary>
public sealed class Manifest
{
    /// <summary>Always <c>autorefiner</c>.</summary>
    public string Tool { get; set; } = "autorefiner";

    /// <summary>AutoRefiner's version.</summary>
    public string ToolVersion { get; set; } = "";

    /// <summary>Hash of the effective configuration.</summary>
    public string ConfigHash { get; set; } = "";

    /// <summary>Command that reproduces the run.</summary>
    public string Command { get; set; } = "";

    /// <summary>Language.</summary>
    public string Lang { get; set; } = "";

    /// <summary>Sources as given.</summary>
    public List<string> Sources { get; set; } = [];

    /// <summary>Chat model, or null.</summary>
    public string? Model { get; set; }

    /// <summary>Generator → prompt version.</summary>
    public Dictionary<string, string> PromptVersions { get; set; } = [];

    /// <summary>Start (UTC).</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>End (UTC).</summary>
    public DateTimeOffset FinishedAt { get; set; }

    /// <summary>Counts per stage.</summary>
    public ManifestCounts Counts { get; set; } = new();

    /// <summary>Seconds per stage (from its first to its last item).</summary>
    public Dictionary<string, double> TimingsSeconds { get; set; } = [];

    /// <summary>Tokens spent.</summary>
    public Dictionary<string, long> TokenUsage { get; set; } = [];

    /// <summary>Which run this was and what it added.</summary>
    public ManifestRun Run { get; set; } = new();

    /// <summary>How the run curated, when it did.</summary>
    public ManifestCuration? Curation { get; set; }

    /// <summary>How generated tests were run, or null when none was.</summary>
    public ManifestSandbox? Sandbox { get; set; }

    /// <summary>Mutation testing of the rows' tests, or null when no row was mutation-tested.</summary>
    public ManifestMutation? Mutation { get; set; }

    /// <summary>What this run asked of the LLM, or null when none was used.</summary>
    public ManifestLlm? Llm { get; set; }

    /// <summary>Peak resident memory of the process.</summary>
    public long PeakWorkingSetBytes { get; set; }

    /// <summary>Files written.</summary>
    public List<ManifestFile> Files { get; set; } = [];

    /// <summary>Rows per split of the configs beside the default one (<c>preference</c>, <c>feedback</c>); those with no rows are absent.</summary>
    public SortedDictionary<string, SortedDictionary<string, long>> Configs { get; set; } = [];

    /// <summary>SFT rows per difficulty (<c>easy</c>, <c>medium</c>, <c>hard</c>), for rows a model wrote.</summary>
    public SortedDictionary<string, long> Difficulty { get; set; } = [];
}

/// <summary>Counts of <see cref="Manifest"/>.</summary>
public sealed class ManifestCounts
{
    /// <summary>GitHub repositories harvested.</summary>
    public long Repositories { get; set; }

    /// <summary>GitHub repositories passed over, by reason.</summary>
    public SortedDictionary<string, long> RepositoriesSkipped { get; set; } = [];

    /// <summary>HTTP requests sent to GitHub (retries and redirects included).</summary>
    public long GitHubRequests { get; set; }

    /// <summary>C# files considered.</summary>
    public long Files { get; set; }

    /// <summary>Files skipped, by reason.</summary>
    public SortedDictionary<string, long> FilesSkipped { get; set; } = [];

    /// <summary>Documented methods found.</summary>
    public long DocumentedMethods { get; set; }

    /// <summary>Documented methods that compiled on their own.</summary>
    public long SelfContained { get; set; }

    /// <summary><see cref="SelfContained"/> / <see cref="DocumentedMethods"/>.</summary>
    public double SeedYield { get; set; }

    /// <summary>Inspiration seeds: methods not self-contained or not documented, used by the instruct generator only.</summary>
    public long InspirationSeeds { get; set; }

    /// <summary>Documented methods that did not become seeds, by reason.</summary>
    public SortedDictionary<string, long> SeedsRejected { get; set; } = [];

    /// <summary>The first few documented methods rejected for each reason, with why.</summary>
    public SortedDictionary<string, List<string>> SeedRejectExamples { get; set; } = [];

    /// <summary>Seeds passed to generators.</summary>
    public long Seeds { get; set; }

    /// <summary>Candidates generated.</summary>
    public long Candidates { get; set; }

    /// <summary>Candidates per verdict (every verdict listed).</summary>
    public Dictionary<string, long> Verdicts { get; set; } = [];

    /// <summary>Repair rounds started, by the verdict that prompted them.</summary>
    public SortedDictionary<string, long> Repairs { get; set; } = [];

    /// <summary>Candidates that passed after a repair round.</summary>
    public long Repaired { get; set; }

    /// <summary>Rows per split.</summary>
    public SortedDictionary<string, long> Rows { get; set; } = [];
}

/// <summary>A file of the output.</summary>
public sealed class ManifestFile
{
    /// <summary>Path relative to the output folder.</summary>
    public string Path { get; set; } = "";

    /// <summary>Rows (lines for JSONL), or null for other files.</summary>
    public long? Rows { get; set; }

    /// <summary>Size.</summary>
    public long Bytes { get; set; }

    /// <summary>SHA-256 of the content.</summary>
    public string Sha256 { get; set; } = "";
}

/// <summary>The LLM part of <see cref="Manifest"/>: what this run sent and what it cost.</summary>
public sealed class ManifestLlm
{
    /// <summary>Answers received from the endpoint in this run.</summary>
    public long Answered { get; set; }

    /// <summary>Requests answered from the state store (no call made).</summary>
    public long Cached { get; set; }

    /// <summary>HTTP requests sent, retries included.</summary>
    public long Attempts { get; set; }

    /// <summary>Retries after a 408, 429, 5xx, timeout or dropped connection.</summary>
    public long Retries { get; set; }

    /// <summary>Requests that got no usable answer, by reason.</summary>
    public SortedDictionary<string, long> Failures { get; set; } = [];

    /// <summary>Prompt tokens billed in this run (cached answers cost none).</summary>
    public long PromptTokensBilled { get; set; }

    /// <summary>Completion tokens billed in this run.</summary>
    public long CompletionTokensBilled { get; set; }

    /// <summary>Cost of the billed tokens at the prices in <c>llm.prices</c>, or null when the model is not listed.</summary>
    public double? EstimatedCost { get; set; }

    /// <summary><see cref="EstimatedCost"/> divided by the rows the run exported; null without a price or a row.</summary>
    public double? CostPerKeptSample { get; set; }

    /// <summary><c>llm.max-cost</c>, when set.</summary>
    public double? MaxCost { get; set; }

    /// <summary><c>llm.max-tokens-total</c>, when set.</summary>
    public long? MaxTokensTotal { get; set; }

    /// <summary>The limit that stopped the run from sending (<c>llm.max-cost 0.5</c>), or null.</summary>
    public string? BudgetReached { get; set; }

    /// <summary>Seeds (per generator) left for the next run by the budget.</summary>
    public long SeedsLeftForBudget { get; set; }
}

/// <summary>The sandbox part of <see cref="Manifest"/>.</summary>
public sealed class ManifestSandbox
{
    /// <summary>The isolation layers in force (docs/sandbox.md).</summary>
    public string Isolation { get; set; } = "";

    /// <summary>Worker processes started.</summary>
    public long WorkersStarted { get; set; }

    /// <summary>Workers replaced after a timeout, a crash or code left running.</summary>
    public long WorkersReplaced { get; set; }
}

/// <summary>The run part of <see cref="Manifest"/>.</summary>
public sealed class ManifestRun
{
    /// <summary><c>harvest</c> or <c>refresh</c>.</summary>
    public string Kind { get; set; } = "harvest";

    /// <summary>The run's number in the state store.</summary>
    public long? Id { get; set; }

    /// <summary>Rows the previous completed run exported, when there was one.</summary>
    public long? PreviousRows { get; set; }

    /// <summary>Rows judged for the first time in this run.</summary>
    public long AddedRows { get; set; }

    /// <summary>Judged samples reused from earlier runs instead of being generated again.</summary>
    public long Reused { get; set; }

    /// <summary>Judged samples of seeds this run did not see, carried into the union (refresh).</summary>
    public long Carried { get; set; }
}

/// <summary>The curation part of <see cref="Manifest"/>.</summary>
public sealed class ManifestCuration
{
    /// <summary>Near-duplicate settings, or <c>off</c>.</summary>
    public string NearDuplicates { get; set; } = "";

    /// <summary>Evaluation sets kept out, with their item counts.</summary>
    public SortedDictionary<string, int> Benchmarks { get; set; } = [];

    /// <summary><c>drop</c> or <c>redact</c>.</summary>
    public string Secrets { get; set; } = "";

    /// <summary>Licences allowed.</summary>
    public List<string> Licenses { get; set; } = [];

    /// <summary>What happens to code without a known licence.</summary>
    public string UnlicensedLocal { get; set; } = "";
}
