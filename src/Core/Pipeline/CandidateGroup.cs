using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>
/// The k answers of one seed (<c>generation.candidates</c>), judged as a group: each gets the group's pass rate and
/// difficulty, and of the passing ones exactly one is the SFT row — the best mutation score, then the shortest response.
/// </summary>
public static class CandidateGroup
{
    /// <summary>Pass rate from which a seed is <c>easy</c> (at least 2/3 of its answers pass).</summary>
    public const string Easy = "easy";

    /// <summary>Between the two.</summary>
    public const string Medium = "medium";

    /// <summary>Under 1/3 of its answers pass.</summary>
    public const string Hard = "hard";

    /// <summary>Every difficulty, easiest first.</summary>
    public static IReadOnlyList<string> Difficulties { get; } = [Easy, Medium, Hard];

    /// <summary>The difficulty of <paramref name="passed"/> passing answers out of <paramref name="total"/>, in whole numbers so 2/3 is exact.</summary>
    public static string DifficultyOf(int passed, int total)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total);
        return passed * 3 >= total * 2 ? Easy : passed * 3 < total ? Hard : Medium;
    }

    /// <summary>
    /// The group with pass rate and difficulty (when it has more than one answer) and the alternatives marked, the SFT row first (so duplicate detection keeps
    /// it, not an alternative with the same code); unchanged when no candidate came from a model.
    /// </summary>
    public static List<Judged> Settle(IReadOnlyList<Judged> judged)
    {
        ArgumentNullException.ThrowIfNull(judged);
        var indexed = judged.Where(j => j.Candidate.CandidateIndex is not null).ToList();
        if (indexed.Count == 0)
        {
            return [.. judged];
        }

        // One answer says whether it passed, not how hard the task is: pass rate and difficulty need several.
        var passed = indexed.Count(j => j.Verdict == Verdict.Passed);
        double? rate = indexed.Count > 1 ? (double)passed / indexed.Count : null;
        var difficulty = indexed.Count > 1 ? DifficultyOf(passed, indexed.Count) : null;
        var best = indexed
            .Where(j => j.Verdict == Verdict.Passed)
            .OrderByDescending(MutationScore)
            .ThenBy(j => j.Candidate.Response.Length)
            .ThenBy(j => j.Candidate.CandidateIndex)
            .FirstOrDefault();
        var settled = new List<Judged>(judged.Count);
        if (best is not null)
        {
            settled.Add(best with { PassRate = rate, Difficulty = difficulty });
        }

        foreach (var j in judged)
        {
            if (ReferenceEquals(j, best))
            {
                continue;
            }

            settled.Add(j.Candidate.CandidateIndex is null
                ? j
                : j with { PassRate = rate, Difficulty = difficulty, Alternative = j.Verdict == Verdict.Passed });
        }

        return settled;
    }

    /// <summary>Killed mutants over mutants; -1 where nothing was mutation-tested, so a tested answer wins.</summary>
    private static double MutationScore(Judged judged) =>
        judged is { Mutants: > 0 and var mutants, MutantsKilled: { } killed } ? (double)killed / mutants : judged.Mutants is 0 ? 1 : -1;
}
