using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>
/// Failing answers become preference pairs' rejected answers and feedback conversations' turns, so they go through the
/// same licence, secret and benchmark checks as a passing one (duplicate detection aside: it would remember them). One
/// those checks refuse is marked <see cref="Judged.Tainted"/> and never written into either config; the others keep the
/// checks' redactions.
/// </summary>
internal static class PairingScreen
{
    /// <summary>Verdicts whose answers never enter a pair or a conversation, whatever the checks say.</summary>
    private static readonly Verdict[] Refused = [Verdict.BannedApi, Verdict.Secret, Verdict.License, Verdict.Contaminated];

    /// <summary>
    /// <paramref name="curated"/> with its failing answers — itself when it failed, and the answers it was repaired from —
    /// screened; <paramref name="original"/> is what it was before curation, since a redacted secret is no longer found.
    /// </summary>
    public static Judged Screen(Judged original, Judged curated, IReadOnlyList<ICurator> curators)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(curated);
        ArgumentNullException.ThrowIfNull(curators);
        var screened = curated.Verdict == Verdict.Passed ? curated : curated with { Tainted = Check(original, curators).Tainted };
        return original.Before is null ? screened : screened with { Before = ScreenChain(original.Before, curators) };
    }

    private static Judged ScreenChain(Judged failed, IReadOnlyList<ICurator> curators)
    {
        var screened = Check(failed, curators);
        return failed.Before is null ? screened : screened with { Before = ScreenChain(failed.Before, curators) };
    }

    private static Judged Check(Judged failed, IReadOnlyList<ICurator> curators)
    {
        if (Array.IndexOf(Refused, failed.Verdict) >= 0)
        {
            return failed with { Tainted = true };
        }

        // Judged as if it had passed: the checks refuse only passing samples, and redact in any case.
        var probe = failed with { Verdict = Verdict.Passed, Before = null };
        foreach (var curator in curators)
        {
            if (!curator.Remembers)
            {
                probe = curator.Curate(probe);
            }
        }

        // A refused answer keeps the redactions too: it is never written, but it travels to the writer.
        return probe.Verdict == Verdict.Passed
            ? failed with { Candidate = probe.Candidate, Detail = probe.Detail.Length > 0 ? probe.Detail : failed.Detail }
            : failed with { Candidate = probe.Candidate, Detail = Curation.SecretScanner.Redact(failed.Detail, Curation.SecretScanner.Scan(failed.Detail)), Tainted = true };
    }
}
