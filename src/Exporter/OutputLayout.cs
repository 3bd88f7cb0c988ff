namespace AutoRefiner.Exporter;

/// <summary>
/// What a command writes into its output folder, and how it knows a folder it wrote before: by its <see cref="Marker"/>,
/// a JSON file saying <c>"tool": "autorefiner"</c> whose <c>files</c> list names every other file the run wrote.
/// </summary>
/// <param name="Marker">The file that marks the folder as AutoRefiner's and lists what it wrote.</param>
/// <param name="Owned">Top-level files every run writes: replaced whenever the marker is AutoRefiner's.</param>
/// <param name="Written">Other top-level files a run writes: replaced only when the marker lists them.</param>
/// <param name="Folders">Folders a run writes files into: a file in them is replaced or removed only when the marker lists it.</param>
/// <param name="Kept">Extensions of the top-level files earlier runs of this layout wrote under other names (validate's copies of its inputs).</param>
public sealed record OutputLayout(string Marker, IReadOnlyList<string> Owned, IReadOnlyList<string> Written, IReadOnlyList<string> Folders, IReadOnlyList<string>? Kept = null)
{
    /// <summary>A dataset (<c>harvest</c>, <c>refresh</c>, <c>merge</c>; <c>report</c> adds <c>report.html</c> to one).</summary>
    public static OutputLayout Dataset { get; } = new(
        "manifest.json", ["manifest.json", "README.md", "rejected.jsonl", "ATTRIBUTION.md", "report.html"], [], ["data", "jsonl"]);

    /// <summary>The results of <c>validate</c>: the passing rows under the input's own name, a verdict per row, and the report.</summary>
    public static OutputLayout Validation(string keptFile) => new("report.json", ["report.json", "verdicts.jsonl"], [keptFile], [], [".jsonl", ".parquet"]);

    /// <summary>
    /// Whether a run of this layout may have written <paramref name="relative"/>: a name it writes, a file in one of its
    /// folders, or a top-level file of a kept kind. A hand-edited marker cannot hand over photos/a.jpg.
    /// </summary>
    public bool MayHaveWritten(string relative) =>
        Written.Contains(relative)
        || Folders.Any(d => relative.StartsWith(d + "/", StringComparison.Ordinal))
        || (Kept is { } kinds && !relative.Contains('/', StringComparison.Ordinal) && !Owned.Contains(relative)
            && kinds.Any(k => relative.EndsWith(k, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Every top-level name a run of this layout may write.</summary>
    public IEnumerable<string> Names => Owned.Concat(Written).Concat(Folders).Distinct(StringComparer.Ordinal);
}
