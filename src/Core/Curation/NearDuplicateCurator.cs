using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Core.Curation;

/// <summary>
/// Near-duplicate removal with MinHash + LSH over normalised code tokens (<see cref="CodeTokens"/>): on seeds, before
/// any LLM call, and on samples (instruction and code, or what the generator says to compare: a doc-comment row's
/// context, member and masked documentation). The first of a group is kept. The index of kept items is
/// persisted in the state store, so a refresh is de-duplicated against everything kept by earlier runs, and an item
/// kept before is recognised by its id and kept again.
/// </summary>
public sealed class NearDuplicateCurator : ICurator, ISeedFilter
{
    /// <inheritdoc />
    public bool Remembers => true;

    private readonly MinHasher _hasher;
    private readonly NearDuplicateIndex _samples;
    private readonly NearDuplicateIndex _seeds;
    private readonly IMinHashStore? _store;
    private readonly Lock _gate = new();

    /// <summary>Creates the curator, loading what the store kept before.</summary>
    public NearDuplicateCurator(CurationConfig config, IMinHashStore? store)
    {
        ArgumentNullException.ThrowIfNull(config);
        _hasher = new MinHasher(config.MinHashPermutations, config.ShingleSize);
        _samples = new NearDuplicateIndex(config.MinHashPermutations, config.NearDuplicateThreshold);
        _seeds = new NearDuplicateIndex(config.MinHashPermutations, config.NearDuplicateThreshold);
        _store = store;
        if (store is not null)
        {
            foreach (var (id, signature) in store.MinHashes("sample", config.MinHashPermutations))
            {
                _samples.Add(id, signature);
            }

            foreach (var (id, signature) in store.MinHashes("seed", config.MinHashPermutations))
            {
                _seeds.Add(id, signature);
            }
        }
    }

    /// <summary>The signature of a text's normalised tokens.</summary>
    public uint[] Signature(string text)
    {
        var tokens = new List<uint>(text.Length / 4);
        CodeTokens.Tokenize(text, tokens);
        return _hasher.Signature(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(tokens));
    }

    /// <inheritdoc />
    public Judged Curate(Judged judged)
    {
        ArgumentNullException.ThrowIfNull(judged);
        if (judged.Verdict != Verdict.Passed)
        {
            return judged;
        }

        var c = judged.Candidate;
        var id = SampleId.Of(c);
        var signature = Signature(c.Compared.Length > 0 ? c.Compared : c.Instruction + "\n" + string.Join('\n', CodeBlocks.All(c.Response).Select(b => b.Body)));
        lock (_gate)
        {
            if (!_samples.Contains(id) && _samples.Find(signature) is { } twin)
            {
                return judged with { Verdict = Verdict.Duplicate, Detail = $"near-duplicate of sample {twin.Id} (estimated Jaccard similarity {twin.Similarity:0.00})" };
            }

            _samples.Add(id, signature);
            _store?.PutMinHash("sample", id, signature);
        }

        return judged;
    }

    /// <inheritdoc />
    public Seed? Filter(Seed seed, out string? reason, out string? example)
    {
        ArgumentNullException.ThrowIfNull(seed);
        (reason, example) = (null, null);
        var signature = Signature(seed.Code);
        lock (_gate)
        {
            if (!_seeds.Contains(seed.Id) && _seeds.Find(signature) is { } twin)
            {
                (reason, example) = ("near-duplicate", $"{seed.Provenance.Repo}/{seed.Provenance.Path} {seed.Name}: near-duplicate of seed {twin.Id} (estimated Jaccard similarity {twin.Similarity:0.00})");
                return null;
            }

            _seeds.Add(seed.Id, signature);
            _store?.PutMinHash("seed", seed.Id, signature);
        }

        return seed;
    }
}
