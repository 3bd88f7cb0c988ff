namespace AutoRefiner.Core.Curation;

/// <summary>
/// Locality-sensitive hashing over MinHash signatures: the signature is cut into bands of rows; items that agree on a
/// whole band become candidates, and a candidate is a near-duplicate when the signatures agree in at least
/// <see cref="Threshold"/> of their positions (the estimated Jaccard similarity). Items are added in order; the first
/// of a group is kept and the later ones are its duplicates, so the outcome does not depend on timing. Memory: one
/// signature and one bucket entry per band for each kept item.
/// </summary>
public sealed class NearDuplicateIndex
{
    private readonly Dictionary<ulong, int>[] _heads;
    private readonly List<int>[] _next;
    private readonly List<uint[]> _signatures = [];
    private readonly List<string> _ids = [];
    private readonly Dictionary<string, int> _byId = new(StringComparer.Ordinal);
    private readonly int _rows;

    /// <summary>Creates an index for signatures of <paramref name="permutations"/> values.</summary>
    public NearDuplicateIndex(int permutations, double threshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1.0);
        Threshold = threshold;
        (Bands, _rows) = BandsFor(permutations, threshold);
        _heads = [.. Enumerable.Range(0, Bands).Select(_ => new Dictionary<ulong, int>())];
        _next = [.. Enumerable.Range(0, Bands).Select(_ => new List<int>())];
    }

    /// <summary>Estimated Jaccard similarity from which two items are near-duplicates.</summary>
    public double Threshold { get; }

    /// <summary>LSH bands.</summary>
    public int Bands { get; }

    /// <summary>Items kept.</summary>
    public int Count => _ids.Count;

    /// <summary>
    /// The (bands, rows) split of the signature whose S-curve (1/b)^(1/r) sits just below the threshold, so that pairs
    /// at the threshold become candidates with high probability and the exact check decides.
    /// </summary>
    public static (int Bands, int Rows) BandsFor(int permutations, double threshold)
    {
        var best = (Bands: permutations, Rows: 1);
        var bestGap = double.MaxValue;
        for (var rows = 1; rows <= permutations; rows++)
        {
            if (permutations % rows != 0)
            {
                continue;
            }

            var bands = permutations / rows;
            var point = Math.Pow(1.0 / bands, 1.0 / rows);
            var gap = threshold - point;
            if (gap >= 0.03 && gap < bestGap)
            {
                (best, bestGap) = ((bands, rows), gap);
            }
        }

        return best;
    }

    /// <summary>Whether an item with this id was kept.</summary>
    public bool Contains(string id) => _byId.ContainsKey(id);

    /// <summary>The kept item <paramref name="signature"/> is a near-duplicate of, with the similarity; null when none.</summary>
    public (string Id, double Similarity)? Find(uint[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        HashSet<int>? checkedItems = null;
        (string, double)? best = null;
        for (var band = 0; band < Bands; band++)
        {
            if (!_heads[band].TryGetValue(BandKey(signature, band), out var item))
            {
                continue;
            }

            for (; item >= 0; item = _next[band][item])
            {
                checkedItems ??= [];
                if (!checkedItems.Add(item))
                {
                    continue;
                }

                var similarity = MinHasher.Similarity(signature, _signatures[item]);
                if (similarity >= Threshold && (best is null || similarity > best.Value.Item2))
                {
                    best = (_ids[item], similarity);
                }
            }
        }

        return best;
    }

    /// <summary>Keeps an item.</summary>
    public void Add(string id, uint[] signature)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(signature);
        if (_byId.ContainsKey(id))
        {
            return;
        }

        var index = _ids.Count;
        _ids.Add(id);
        _signatures.Add(signature);
        _byId[id] = index;
        for (var band = 0; band < Bands; band++)
        {
            // Items with the same band key are chained, the newest first.
            var key = BandKey(signature, band);
            _next[band].Add(_heads[band].TryGetValue(key, out var head) ? head : -1);
            _heads[band][key] = index;
        }
    }

    private ulong BandKey(uint[] signature, int band)
    {
        var h = 14695981039346656037UL;
        for (var r = band * _rows; r < (band + 1) * _rows; r++)
        {
            h = (h ^ signature[r]) * 1099511628211UL;
        }

        return h;
    }
}
