using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Core.Curation;

/// <summary>Keeps evaluation sets out of the dataset (verdict <c>contaminated</c>, naming the benchmark and the item).</summary>
public sealed class DecontaminationCurator(BenchmarkIndex index) : ICurator
{
    /// <inheritdoc />
    public Judged Curate(Judged judged)
    {
        ArgumentNullException.ThrowIfNull(judged);
        if (judged.Verdict != Verdict.Passed || index.Count == 0)
        {
            return judged;
        }

        var c = judged.Candidate;
        var code = string.Join('\n', CodeBlocks.All(c.Response).Select(b => b.Body).Append(c.Tests));
        return index.Match(c.Instruction, code) is { } match
            ? judged with { Verdict = Verdict.Contaminated, Detail = $"overlaps {match}" }
            : judged;
    }
}
