using AutoRefiner.Sandbox;
using AutoRefiner.Validator.Sandbox;
using Microsoft.CodeAnalysis.Text;

namespace AutoRefiner.Validator.Mutation;

/// <summary>
/// Mutation testing of a sample whose tests passed: its mutants are compiled into one assembly
/// (<see cref="MutantSchemata"/>) and its tests run once per mutant in the sandbox pool, with the same memory cap and
/// isolation as the ordinary run. A mutant whose run fails a test, times out or crashes is killed.
/// </summary>
/// <param name="sandbox">The pool the ordinary runs use.</param>
/// <param name="mutants">At most this many mutants per sample (<c>validation.mutants</c>); 0 = none.</param>
/// <param name="minScore">The bar (<c>validation.min-mutation-score</c>).</param>
public sealed class MutationTester(SandboxPool sandbox, int mutants, double minScore)
{
    /// <summary>Least time a test of a mutant gets, however fast the original ran.</summary>
    private static readonly TimeSpan MinTestTime = TimeSpan.FromSeconds(1);

    /// <summary>Mutants per sample.</summary>
    public int Mutants => mutants;

    /// <summary>The bar.</summary>
    public double MinScore => minScore;

    /// <summary>
    /// Scores <paramref name="tests"/> against the mutants of <paramref name="solution"/> (within <paramref name="scope"/>
    /// when given). <paramref name="original"/> are the results of the ordinary run: a mutant's test may take ten times
    /// the slowest of them plus half a second (at least a second, at most the configured limit) before it counts as an
    /// endless loop; on an assembly kept loaded the worker tightens that to ten times what the test took on the original
    /// there plus 100 ms. The loops of a mutant check a halt flag, so one that loops forever stops, and the worker goes on.
    /// </summary>
    public async Task<MutationScore> ScoreAsync(string solution, string tests, IReadOnlyList<TestResult> original, TextSpan? scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(original);
        var built = MutantSchemata.Build(solution, tests, mutants, scope, cancellationToken);
        if (built.Image is not { } image || built.Mutants.Count == 0)
        {
            return new MutationScore(0, 0, []) { Problem = built.Problem };
        }

        var slowest = original.Count == 0 ? 0 : original.Max(t => t.Milliseconds);
        var limit = TimeSpan.FromMilliseconds(slowest * 10) + TimeSpan.FromMilliseconds(500);
        limit = limit < MinTestTime ? MinTestTime : limit;
        var runs = await sandbox.RunMutantsAsync(image, [.. built.Mutants.Select(m => m.Id)], limit, built.Reusable, cancellationToken).ConfigureAwait(false);
        var survived = runs.Where(r => !r.Killed).Select(r => r.Id).ToHashSet();
        return new MutationScore(runs.Count, runs.Count - survived.Count, [.. built.Mutants.Where(m => survived.Contains(m.Id))]);
    }
}
