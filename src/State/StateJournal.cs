using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.State;

/// <summary>The <see cref="ISampleJournal"/> of one run, kept in the state store; a read-only one (<c>--dry-run</c>) writes nothing.</summary>
public sealed class StateJournal(JudgedSampleStore store, long run, bool readOnly = false) : ISampleJournal
{
    /// <summary>The run's id in the store.</summary>
    public long Run => run;

    /// <summary>The key of a (seed, generator): what determines the samples, so a new model or prompt makes new ones.</summary>
    public static string KeyOf(Seed seed, ISampleGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(generator);
        // k answers per seed are another outcome than one; with one, the key is what earlier runs stored.
        var k = generator.Candidates > 1 ? $"|k{generator.Candidates}" : "";
        return $"{seed.Id}|{generator.Task}|{generator.Model}|{generator.PromptVersion}{k}";
    }

    /// <summary>
    /// The samples judged before for this seed's content. The key is the content, so they may have been made from an
    /// identical file of another repository: they take this seed's provenance, since a row names its own source.
    /// </summary>
    public IReadOnlyList<Judged>? TryReuse(Seed seed, ISampleGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return !readOnly && store.TakeJudged(KeyOf(seed, generator), run) is { } stored
            ? [.. stored.Select(JudgedJson.Read).Select(j => j with { Candidate = j.Candidate with { Provenance = seed.Provenance } })]
            : null;
    }

    /// <inheritdoc />
    public bool Knows(Seed seed, ISampleGenerator generator) => store.FirstRunOf(KeyOf(seed, generator)) is not null;

    /// <inheritdoc />
    public void Record(Seed seed, ISampleGenerator generator, IReadOnlyList<Judged> judged)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(judged);
        if (readOnly)
        {
            return;
        }

        store.PutJudged(
            KeyOf(seed, generator),
            seed.Id,
            [.. judged.Select(j => (j.Verdict.ToWire(), JudgedJson.Write(j)))],
            run);
    }

    /// <inheritdoc />
    public IEnumerable<Judged> CarryOver() => readOnly ? [] : store.JudgedNotSeenIn(run).Select(JudgedJson.Read);
}
