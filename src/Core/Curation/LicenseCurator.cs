using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.Core.Curation;

/// <summary>
/// Keeps out code whose licence is not on <c>curation.licenses</c> (verdict <c>license</c>), on seeds and on samples, for
/// every source, local ones included. Only code with no licence anywhere (no licence file above it, no licence in its
/// header) follows <c>curation.unlicensed-local</c>; a licence text that was not recognised is <c>unknown</c>, which is
/// refused unless listed, and copyleft code is kept only when its own id is admitted by the list.
/// </summary>
public sealed class LicenseCurator(CurationConfig config) : ICurator, ISeedFilter
{
    /// <summary>Why <paramref name="license"/> is not allowed, or null when it is.</summary>
    public string? Refusal(string license)
    {
        ArgumentNullException.ThrowIfNull(license);
        if (license.Length == 0)
        {
            return config.UnlicensedLocal == "drop" ? "no licence was found for its source (curation.unlicensed-local: drop)" : null;
        }

        return Spdx.IsAllowed(license, config.Licenses)
            ? null
            : $"its licence {license} is not in curation.licenses ({string.Join(", ", config.Licenses)})"
              + (Spdx.IsCopyleft(license) ? "; copyleft code is kept only when its own id is listed" : "");
    }

    /// <inheritdoc />
    public Judged Curate(Judged judged)
    {
        ArgumentNullException.ThrowIfNull(judged);
        return judged.Verdict == Verdict.Passed && Refusal(judged.Candidate.Provenance.License) is { } why
            ? judged with { Verdict = Verdict.License, Detail = why }
            : judged;
    }

    /// <inheritdoc />
    public Seed? Filter(Seed seed, out string? reason, out string? example)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var why = Refusal(seed.Provenance.License);
        (reason, example) = why is null ? (null, null) : ("license", $"{seed.Provenance.Repo}/{seed.Provenance.Path} {seed.Name}: {why}");
        return why is null ? seed : null;
    }
}
