using AutoRefiner.Core.Model;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Core.Curation;

/// <summary>The row id (a stable hash of the normalised instruction and response) and the split a row belongs to.</summary>
public static class SampleId
{
    /// <summary>The id of a candidate.</summary>
    public static string Of(Candidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return ContentHash.Of(candidate.Instruction, candidate.Response);
    }

    /// <summary>
    /// The group a row is split with: its source file (<c>repo/path</c>), so rows of one file — overloads, a
    /// <c>*_NoLock</c> family, near-copies — never straddle train and test. A row without a source is its own group.
    /// </summary>
    public static string GroupOf(Provenance provenance, string id)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        return provenance.Repo.Length == 0 && provenance.Path.Length == 0 ? "row:" + id : $"file:{provenance.Repo}/{provenance.Path}";
    }

    /// <summary>The split a group belongs to: <c>test</c> for a stable share of group hashes, else <c>train</c>.</summary>
    public static string SplitOf(string group, double testShare) =>
        ContentHash.UnitInterval(ContentHash.Of(group)) < testShare ? "test" : "train";

    /// <summary>The split of a candidate with id <paramref name="id"/>: that of its source file's group.</summary>
    public static string SplitOf(Candidate candidate, string id, double testShare)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return SplitOf(GroupOf(candidate.Provenance, id), testShare);
    }
}
