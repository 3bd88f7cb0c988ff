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
}
