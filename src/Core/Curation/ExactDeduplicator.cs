using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Core.Curation;

/// <summary>
/// Rejects a passed sample whose normalised instruction + response was already kept in this run (verdict
/// <c>duplicate</c>). Memory: one 16-byte key per kept sample.
/// </summary>
public sealed class ExactDeduplicator : ICurator
{
    /// <inheritdoc />
    public bool Remembers => true;

    private readonly HashSet<UInt128> _seen = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public Judged Curate(Judged judged)
    {
        ArgumentNullException.ThrowIfNull(judged);
        if (judged.Verdict != Verdict.Passed)
        {
            return judged;
        }

        var id = SampleId.Of(judged.Candidate);
        var key = UInt128.Parse(id, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        lock (_gate)
        {
            if (_seen.Add(key))
            {
                return judged;
            }
        }

        return judged with { Verdict = Verdict.Duplicate, Detail = $"same normalised instruction and response as sample {id}" };
    }
}
