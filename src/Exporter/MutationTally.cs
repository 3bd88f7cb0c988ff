using AutoRefiner.Core.Config;

namespace AutoRefiner.Exporter;

/// <summary>Adds up the <c>mutants</c> and <c>mutants_killed</c> columns of the rows written, for the manifest.</summary>
internal sealed class MutationTally
{
    private long _rows;
    private long _withoutMutants;
    private long _mutants;
    private long _killed;

    /// <summary>Counts one written row (rows without tests carry no counts and are not counted).</summary>
    public void Add(DatasetRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Mutants is not { } mutants)
        {
            return;
        }

        _rows++;
        _withoutMutants += mutants == 0 ? 1 : 0;
        _mutants += mutants;
        _killed += row.MutantsKilled ?? 0;
    }

    /// <summary>The manifest's section, or null when no row was mutation-tested.</summary>
    public ManifestMutation? ToManifest(ValidationConfig validation, long weakTests)
    {
        ArgumentNullException.ThrowIfNull(validation);
        return _rows == 0 && weakTests == 0 ? null : new ManifestMutation
        {
            MutantsPerSample = validation.Mutants,
            MinScore = validation.MinMutationScore,
            Rows = _rows,
            RowsWithoutMutants = _withoutMutants,
            Mutants = _mutants,
            Killed = _killed,
            Score = _mutants == 0 ? null : Math.Round((double)_killed / _mutants, 4),
            WeakTests = weakTests,
        };
    }
}
