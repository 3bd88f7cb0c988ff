namespace AutoRefiner.Validator.Mutation;

/// <summary>How well a sample's tests tell its solution from its mutants.</summary>
/// <param name="Mutants">Mutants run (0: the solution has no place to mutate, which is no failure).</param>
/// <param name="Killed">Those a test failed on, timed out on or crashed on.</param>
/// <param name="Survivors">The mutants every test passed on, in id order.</param>
public sealed record MutationScore(int Mutants, int Killed, IReadOnlyList<Mutant> Survivors)
{
    /// <summary>
    /// Why the solution's mutants could not be built although it has places to mutate, or null. Tests that cannot be
    /// checked are not taken on trust: such a sample is below any bar above 0.
    /// </summary>
    public string? Problem { get; init; }

    /// <summary>Killed / mutants; 1 when there is none.</summary>
    public double Score => Mutants == 0 ? 1 : (double)Killed / Mutants;

    /// <summary>Whether the score is below <paramref name="bar"/> (never with no mutants, always when they could not be built).</summary>
    public bool IsBelow(double bar) => Problem is not null ? bar > 0 : Mutants > 0 && Killed < bar * Mutants - 1e-9;

    /// <summary>The detail of a <c>weak-tests</c> verdict: the counts and one or two survivors as diffs.</summary>
    public string Detail(double bar)
    {
        if (Problem is not null)
        {
            return $"the tests could not be checked against mutants of the solution: {Problem}";
        }

        var shown = Survivors.Take(2).Select(m => m.Describe());
        return $"the tests kill {Killed} of {Mutants} mutants of the solution (score {Score.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}, below validation.min-mutation-score {bar.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}); "
               + $"these changed versions of the solution still pass every test:\n\n{string.Join("\n\n", shown)}";
    }
}
