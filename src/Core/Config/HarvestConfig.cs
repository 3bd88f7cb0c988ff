namespace AutoRefiner.Core.Config;

/// <summary>The whole of <c>harvest.yml</c>, validated. Defaults are those of the documented file.</summary>
public sealed record HarvestConfig
{
    /// <summary>Languages this build can harvest.</summary>
    public static readonly IReadOnlyList<string> SupportedLanguages = ["csharp"];

    /// <summary>The language to harvest (<c>lang</c>).</summary>
    public string Lang { get; init; } = "csharp";

    /// <summary>Where code comes from (<c>sources</c>).</summary>
    public SourcesConfig Sources { get; init; } = new();

    /// <summary>How seeds are cut out of files (<c>extraction</c>).</summary>
    public ExtractionConfig Extraction { get; init; } = new();

    /// <summary>The chat model (<c>llm</c>).</summary>
    public LlmConfig Llm { get; init; } = new();

    /// <summary>Which generators run (<c>generation</c>).</summary>
    public GenerationConfig Generation { get; init; } = new();

    /// <summary>How candidates are judged (<c>validation</c>).</summary>
    public ValidationConfig Validation { get; init; } = new();

    /// <summary>What is written (<c>export</c>).</summary>
    public ExportConfig Export { get; init; } = new();

    /// <summary>Where the dataset is published (<c>hub</c>).</summary>
    public HubConfig Hub { get; init; } = new();

    /// <summary>The state store file (<c>state</c>).</summary>
    public string State { get; init; } = ".autorefiner/state.db";

    /// <summary>The directory relative paths in the file are resolved against (the file's own directory).</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Resolves a path from the configuration against <see cref="BaseDirectory"/>.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, BaseDirectory);
}

/// <summary><c>sources</c>.</summary>
public sealed record SourcesConfig
{
    /// <summary><c>sources.github</c>.</summary>
    public GitHubSourceConfig GitHub { get; init; } = new();

    /// <summary><c>sources.local</c>: directories or local git checkouts.</summary>
    public IReadOnlyList<string> Local { get; init; } = [];
}

/// <summary><c>sources.github</c>.</summary>
public sealed record GitHubSourceConfig
{
    /// <summary>Search qualifiers; null = no search.</summary>
    public string? Query { get; init; }

    /// <summary>Explicit owner/name repositories.</summary>
    public IReadOnlyList<string> Repos { get; init; } = [];

    /// <summary>Upper bound on repositories taken from the search.</summary>
    public int MaxRepos { get; init; } = 50;

    /// <summary>SPDX licence ids (lower case) that may be harvested.</summary>
    public IReadOnlyList<string> Licenses { get; init; } = ["mit", "apache-2.0", "bsd-2-clause", "bsd-3-clause"];

    /// <summary>Longest wait for a rate limit before the run stops (to be resumed later).</summary>
    public int MaxWaitMinutes { get; init; } = 15;
}

/// <summary><c>extraction</c>: file filters and seed extraction.</summary>
public sealed record ExtractionConfig
{
    /// <summary>Files larger than this many KiB are skipped (data tables, generated code).</summary>
    public int MaxFileKb { get; init; } = 256;

    /// <summary>Largest number of files analysed together in one compilation (bounds memory on huge projects).</summary>
    public int MaxFilesPerCompilation { get; init; } = 2000;

    /// <summary>Largest self-contained unit, in lines, that becomes a seed.</summary>
    public int MaxSeedLines { get; init; } = 200;

    /// <summary>Directory names never entered, in addition to bin, obj and .git.</summary>
    public IReadOnlyList<string> ExcludeDirs { get; init; } = ["node_modules", "packages", ".vs"];
}

/// <summary><c>llm</c>.</summary>
public sealed record LlmConfig
{
    /// <summary>OpenAI-compatible base URL; null = <c>$OPENAI_BASE_URL</c>; neither = no LLM.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Model id.</summary>
    public string? Model { get; init; }

    /// <summary>Name of the environment variable that holds the API key.</summary>
    public string ApiKeyEnv { get; init; } = "OPENAI_API_KEY";

    /// <summary>Requests in flight at once.</summary>
    public int Concurrency { get; init; } = 8;
}

/// <summary><c>generation</c>.</summary>
public sealed record GenerationConfig
{
    /// <summary>Known task names.</summary>
    public static readonly IReadOnlyList<string> KnownTasks = ["instruct", "doc-comments"];

    /// <summary>Generators to run.</summary>
    public IReadOnlyList<string> Tasks { get; init; } = ["instruct", "doc-comments"];

    /// <summary>Repair rounds per failing candidate.</summary>
    public int RepairRounds { get; init; } = 1;
}

/// <summary><c>validation</c>.</summary>
public sealed record ValidationConfig
{
    /// <summary>Run generated tests.</summary>
    public bool Tests { get; init; } = true;

    /// <summary>Wall-clock limit per test run.</summary>
    public int TimeoutSeconds { get; init; } = 10;

    /// <summary>Compilations in parallel; 0 = one per core.</summary>
    public int Parallelism { get; init; }
}

/// <summary><c>export</c>.</summary>
public sealed record ExportConfig
{
    /// <summary>Known output formats.</summary>
    public static readonly IReadOnlyList<string> KnownFormats = ["parquet", "jsonl"];

    /// <summary>Known Parquet codecs.</summary>
    public static readonly IReadOnlyList<string> KnownCompressions = ["zstd", "snappy", "gzip", "none"];

    /// <summary>Output directory.</summary>
    public string Out { get; init; } = "out";

    /// <summary>Formats to write.</summary>
    public IReadOnlyList<string> Formats { get; init; } = ["parquet", "jsonl"];

    /// <summary>Share of rows in the test split, in [0, 1).</summary>
    public double TestSplit { get; init; } = 0.05;

    /// <summary>Parquet codec.</summary>
    public string Compression { get; init; } = "zstd";

    /// <summary>Rows per Parquet row group.</summary>
    public int RowGroupRows { get; init; } = 10_000;

    /// <summary>Rows per Parquet file before a new shard starts.</summary>
    public int ShardRows { get; init; } = 250_000;
}

/// <summary><c>hub</c>.</summary>
public sealed record HubConfig
{
    /// <summary>owner/name of the dataset repository; null = no push.</summary>
    public string? Repo { get; init; }

    /// <summary>Create the repository private.</summary>
    public bool Private { get; init; } = true;
}
