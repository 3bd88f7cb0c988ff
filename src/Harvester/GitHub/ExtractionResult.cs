namespace AutoRefiner.Harvester.GitHub;

/// <summary>What an extraction wrote and what it passed over.</summary>
/// <param name="FilesWritten">Regular files written under the target directory.</param>
/// <param name="BytesWritten">Their total size in bytes.</param>
/// <param name="Skipped">
/// Entries not written, counted by reason (see <see cref="ArchiveExtractor.Reasons"/>); regular files filtered out by
/// extension are counted as <c>not-wanted</c>. Directories and pax global headers are not counted, except that any
/// entry whose name is refused (absolute, <c>..</c>, bad characters) is counted under that reason, whatever its type.
/// </param>
internal sealed record ExtractionResult(int FilesWritten, long BytesWritten, IReadOnlyDictionary<string, int> Skipped)
{
    /// <summary>
    /// The <c>comment</c> of the archive's pax global header: for an archive made by <c>git archive</c> (GitHub's
    /// tarballs), the full SHA of the commit it holds; empty when there is none.
    /// </summary>
    public string Comment { get; init; } = "";
}
