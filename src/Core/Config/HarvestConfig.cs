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

    /// <summary>What the output leaves out (<c>curation</c>).</summary>
    public CurationConfig Curation { get; init; } = new();

    /// <summary>What is written (<c>export</c>).</summary>
    public ExportConfig Export { get; init; } = new();

    /// <summary>Where the dataset is published (<c>hub</c>).</summary>
    public HubConfig Hub { get; init; } = new();

    /// <summary>The state store file (<c>state</c>).</summary>
    public string State { get; init; } = ".autorefiner/state.db";

    /// <summary>The directory relative paths in the file are resolved against (the file's own directory).</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>
    /// Resolves a path from the configuration against <see cref="BaseDirectory"/>; <c>~</c> and <c>~/…</c> mean the home
    /// folder, as in a shell (a YAML file is not expanded by one, and a folder literally named <c>~</c> is never meant).
    /// </summary>
    public string ResolvePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || (OperatingSystem.IsWindows() && path.StartsWith("~\\", StringComparison.Ordinal)))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (home.Length > 0)
            {
                return Path.GetFullPath(Path.Combine(home, path.Length > 2 ? path[2..] : ""));
            }
        }

        return Path.GetFullPath(path, BaseDirectory);
    }
}
