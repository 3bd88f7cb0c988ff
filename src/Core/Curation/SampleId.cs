using AutoRefiner.Core.Model;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Core.Curation;

/// <summary>The row id: a stable hash of the normalised instruction and response.</summary>
public static class SampleId
{
    /// <summary>The id of a candidate.</summary>
    public static string Of(Candidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return ContentHash.Of(candidate.Instruction, candidate.Response);
    }

    /// <summary>The split a row belongs to: <c>test</c> for a stable share of ids, else <c>train</c>.</summary>
    public static string SplitOf(string id, double testShare) => ContentHash.UnitInterval(id) < testShare ? "test" : "train";
}
