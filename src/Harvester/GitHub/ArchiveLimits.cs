namespace AutoRefiner.Harvester.GitHub;

/// <summary>
/// Bounds on what <see cref="ArchiveExtractor"/> reads and writes. Every limit is checked while streaming, so a hostile
/// or broken archive costs at most these amounts of disk and time.
/// </summary>
internal sealed record ArchiveLimits
{
    /// <summary>Largest archive accepted, in compressed bytes on disk (default 512 MiB).</summary>
    public long MaxArchiveBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Most tar entries read, directories and metadata entries included (default 200,000).</summary>
    public int MaxEntries { get; init; } = 200_000;

    /// <summary>Largest single file written (default 1 MiB); larger files are skipped as <c>too-large</c>.</summary>
    public long MaxFileBytes { get; init; } = 1024 * 1024;

    /// <summary>Most bytes written in all (default 1 GiB); going over fails the extraction.</summary>
    public long MaxTotalBytes { get; init; } = 1024L * 1024 * 1024;

    /// <summary>
    /// Most bytes decompressed from the gzip stream, skipped entries included (default 8 GiB). Guards against
    /// decompression bombs, whose skipped entries cost no disk but unbounded time.
    /// </summary>
    public long MaxUncompressedBytes { get; init; } = 8L * 1024 * 1024 * 1024;

    /// <summary>
    /// File extensions written (default <c>.cs</c>), compared case-insensitively; a missing leading dot is
    /// supplied. An empty list writes nothing.
    /// </summary>
    public IReadOnlyList<string> Extensions { get; init; } = [".cs"];
}
