namespace AutoRefiner.Exporter;

/// <summary>The mutation part of <see cref="Manifest"/>: how well the kept rows' tests tell their solutions from mutants.</summary>
public sealed class ManifestMutation
{
    /// <summary><c>validation.mutants</c>: mutants per sample at most.</summary>
    public int MutantsPerSample { get; set; }

    /// <summary><c>validation.min-mutation-score</c>.</summary>
    public double MinScore { get; set; }

    /// <summary>Rows whose tests were mutation-tested.</summary>
    public long Rows { get; set; }

    /// <summary>Of <see cref="Rows"/>, those whose solution had no place to mutate (recorded with 0 mutants).</summary>
    public long RowsWithoutMutants { get; set; }

    /// <summary>Mutants run over all rows.</summary>
    public long Mutants { get; set; }

    /// <summary>Mutants killed over all rows.</summary>
    public long Killed { get; set; }

    /// <summary><see cref="Killed"/> / <see cref="Mutants"/>, or null without a mutant.</summary>
    public double? Score { get; set; }

    /// <summary>Candidates rejected as <c>weak-tests</c> in this run.</summary>
    public long WeakTests { get; set; }
}
