namespace AutoRefiner.Core.Config;

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

    /// <summary>
    /// Keep trivial members, uninformative docs and members with code their build does not compile out of doc-comment
    /// rows (<c>trivial</c>, <c>uninformative-doc</c>, <c>conditional-code</c>).
    /// Always on in a run; off only where the closure itself is under test with one-line members.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool SeedGates { get; init; } = true;

    /// <summary>
    /// Also yield inspiration seeds: methods that are not self-contained or not documented, as written, for generators
    /// that need only an idea (instruct). Set by the command line when such a generator runs; not a file key.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool InspirationSeeds { get; init; }
}
