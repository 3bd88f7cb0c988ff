using System.Text;

namespace AutoRefiner.Core.Curation;

/// <summary>An item of an evaluation set to keep out of the dataset.</summary>
/// <param name="Benchmark">The set's name (its file name).</param>
/// <param name="Id">The item's id (<c>task_id</c>, <c>id</c>, … or its row number).</param>
/// <param name="Text">Its text: prompt, solution, tests.</param>
public sealed record BenchmarkItem(string Benchmark, string Id, string Text);

/// <summary>
/// What the index keeps of an item: hashes of its word n-grams, code n-grams and literal sequences, never its text. The
/// built-in sets ship in this form (<see cref="BuiltinBenchmarks"/>), so no benchmark text is in AutoRefiner.
/// </summary>
/// <param name="Benchmark">The set's name.</param>
/// <param name="Id">The item's id.</param>
/// <param name="Ngram">The n of <paramref name="Words"/> and <paramref name="Code"/>.</param>
/// <param name="Words">Hashes of its n-grams of lower-case words.</param>
/// <param name="Code">Hashes of its n-grams of code tokens, normalised as for near-duplicates.</param>
/// <param name="Literals">Hashes of its runs of literals (its test data).</param>
/// <param name="CommonLiterals">Those of <paramref name="Literals"/> made only of small integers (weak evidence).</param>
public sealed record BenchmarkFingerprint(
    string Benchmark, string Id, int Ngram, IReadOnlyList<ulong> Words, IReadOnlyList<ulong> Code, IReadOnlyList<ulong> Literals,
    IReadOnlyList<ulong> CommonLiterals);

/// <summary>
/// Finds samples that overlap an evaluation set, the way datatrove and NeMo Curator do, made robust to paraphrase: a
/// sample is contaminated when its instruction shares an n-gram of words with an item, or when its code contains at
/// least half of an item's code n-grams (tokens normalised as for near-duplicates, so renamed variables and
/// reformatting do not hide a copied solution), or when it repeats a good part of an item's test data: the sequence of its
/// literals (numbers by value, so <c>1.0f</c>, <c>1.0</c> and <c>1L</c> agree, and strings), which survives renaming every
/// name, rewording the text and rewriting the asserts in another test style. Reports which benchmark and which item.
/// </summary>
public sealed class BenchmarkIndex
{
    private readonly int _n;
    private readonly List<(string Benchmark, string Id)> _items = [];

    // Word and code n-grams by n: the built-in fingerprints are made at one n, a user's files at curation.benchmark-ngram.
    private readonly SortedDictionary<int, (Dictionary<ulong, int> Words, Dictionary<ulong, List<int>> Code)> _grams = [];
    private readonly List<int> _codeCounts = [];
    private readonly Dictionary<ulong, List<int>> _literals = [];
    private readonly List<int> _literalCounts = [];
    private readonly HashSet<ulong> _commonLiteralGrams = [];

    /// <summary>Creates an empty index comparing n-grams of <paramref name="n"/> tokens.</summary>
    public BenchmarkIndex(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 3);
        _n = n;
    }

    /// <summary>Items indexed.</summary>
    public int Count => _items.Count;

    /// <summary>Benchmarks indexed, with their item counts.</summary>
    public IReadOnlyDictionary<string, int> Benchmarks => _items.GroupBy(i => i.Benchmark).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>Adds an item.</summary>
    public void Add(BenchmarkItem item) => Add(Fingerprint(item, _n));

    /// <summary>What the index keeps of <paramref name="item"/>, its n-grams of <paramref name="n"/>.</summary>
    public static BenchmarkFingerprint Fingerprint(BenchmarkItem item, int n)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 3);
        var common = new HashSet<ulong>();
        return new BenchmarkFingerprint(
            item.Benchmark, item.Id, n,
            [.. WordGrams(item.Text, n).Order()],
            [.. CodeGrams(item.Text, n).Order()],
            [.. LiteralGrams(item.Text, common).Order()],
            [.. common.Order()]);
    }

    /// <summary>Adds an item by its fingerprint.</summary>
    public void Add(BenchmarkFingerprint item)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentOutOfRangeException.ThrowIfLessThan(item.Ngram, 3);
        var index = _items.Count;
        _items.Add((item.Benchmark, item.Id));
        if (!_grams.TryGetValue(item.Ngram, out var tables))
        {
            _grams[item.Ngram] = tables = ([], []);
        }

        foreach (var gram in item.Words)
        {
            tables.Words.TryAdd(gram, index);
        }

        var code = item.Code.ToHashSet();
        foreach (var gram in code)
        {
            if (!tables.Code.TryGetValue(gram, out var list))
            {
                tables.Code[gram] = list = [];
            }

            list.Add(index);
        }

        _codeCounts.Add(code.Count);

        var literals = item.Literals.ToHashSet();
        foreach (var gram in literals)
        {
            if (!_literals.TryGetValue(gram, out var list))
            {
                _literals[gram] = list = [];
            }

            list.Add(index);
        }

        _commonLiteralGrams.UnionWith(item.CommonLiterals);
        _literalCounts.Add(literals.Count);
    }

    /// <summary>What a sample overlaps, as "benchmark item (why)", or null.</summary>
    public string? Match(string instruction, string code)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(code);
        if (_items.Count == 0)
        {
            return null;
        }

        foreach (var (n, tables) in _grams)
        {
            foreach (var gram in WordGrams(instruction, n))
            {
                if (tables.Words.TryGetValue(gram, out var item))
                {
                    return $"{_items[item].Benchmark} item {_items[item].Id} (the instruction shares a {n}-word sequence with it)";
                }
            }
        }

        // Each item sits in the table of its own n, so counting over every table counts each item's n-grams once.
        var hits = new Dictionary<int, (int Count, int N)>();
        foreach (var (n, tables) in _grams)
        {
            foreach (var gram in CodeGrams(code, n))
            {
                if (tables.Code.TryGetValue(gram, out var items))
                {
                    foreach (var item in items)
                    {
                        hits[item] = (hits.GetValueOrDefault(item).Count + 1, n);
                    }
                }
            }
        }

        foreach (var (item, (count, n)) in hits.OrderByDescending(kv => (double)kv.Value.Count / Math.Max(1, _codeCounts[kv.Key])).ThenBy(kv => kv.Key))
        {
            var share = (double)count / Math.Max(1, _codeCounts[item]);
            if (share >= 0.5 && _codeCounts[item] > 0)
            {
                return $"{_items[item].Benchmark} item {_items[item].Id} (the code holds {share:P0} of its {n}-token sequences)";
            }
        }

        return MatchLiterals(instruction + "\n" + code);
    }

    /// <summary>
    /// Items whose test data the text repeats: at least <see cref="MinLiteralGrams"/> of the item's literal sequences, and
    /// at least a quarter of them. A sequence must hold three different values, so runs like 0, 0, 0 or 0, 1, 0, 1 that
    /// any code has do not count. Sequences made only of small integers (1, 2, 3, 4, 5, 1: <see cref="Literals.IsCommon"/>)
    /// are weak evidence — a test writing [1, 2, 3, 4, 5] twice has them — so a match resting on those alone needs half of
    /// the item's sequences.
    /// </summary>
    private string? MatchLiterals(string text)
    {
        var hits = new Dictionary<int, (int All, int Distinctive)>();
        foreach (var gram in LiteralGrams(text, common: null))
        {
            if (_literals.TryGetValue(gram, out var items))
            {
                var distinctive = _commonLiteralGrams.Contains(gram) ? 0 : 1;
                foreach (var item in items)
                {
                    var (all, d) = hits.GetValueOrDefault(item);
                    hits[item] = (all + 1, d + distinctive);
                }
            }
        }

        foreach (var (item, (count, distinctiveCount)) in hits.OrderByDescending(kv => (double)kv.Value.All / _literalCounts[kv.Key]))
        {
            var total = _literalCounts[item];
            if (count >= MinLiteralGrams && count * 4 >= total && (distinctiveCount > 0 || count * 2 >= total))
            {
                return $"{_items[item].Benchmark} item {_items[item].Id} (the text repeats {count} of its {total} sequences of {LiteralGramLength} literals: its test data)";
            }
        }

        return null;
    }

    /// <summary>Literals per compared sequence.</summary>
    internal const int LiteralGramLength = 6;

    /// <summary>Shared literal sequences below which no item is matched on its test data.</summary>
    internal const int MinLiteralGrams = 4;

    /// <summary>
    /// Hashes of the runs of <see cref="LiteralGramLength"/> literals that hold at least three different values; those
    /// made only of small integers are also added to <paramref name="common"/>.
    /// </summary>
    private static HashSet<ulong> LiteralGrams(string text, HashSet<ulong>? common)
    {
        var literals = Literals.Of(text);
        var grams = new HashSet<ulong>();
        for (var i = 0; i + LiteralGramLength <= literals.Count; i++)
        {
            var window = literals.GetRange(i, LiteralGramLength);
            if (window.Distinct().Count() < 3)
            {
                continue;
            }

            var h = 14695981039346656037UL;
            foreach (var literal in window)
            {
                h = (h ^ literal) * 1099511628211UL;
            }

            grams.Add(h);
            if (common is not null && window.TrueForAll(Literals.IsCommon))
            {
                common.Add(h);
            }
        }

        return grams;
    }

    /// <summary>Hashes of the n-grams of lower-case words (letters and digits).</summary>
    private static HashSet<ulong> WordGrams(string text, int n)
    {
        var words = new List<uint>();
        var sb = new StringBuilder();
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch))
            {
                sb.Append(char.ToLowerInvariant(ch));
            }
            else if (sb.Length > 0)
            {
                words.Add(CodeTokens.Hash(sb.ToString()));
                sb.Clear();
            }
        }

        if (sb.Length > 0)
        {
            words.Add(CodeTokens.Hash(sb.ToString()));
        }

        return Grams(words, n);
    }

    private static HashSet<ulong> CodeGrams(string text, int n)
    {
        var tokens = new List<uint>();
        CodeTokens.Tokenize(text, tokens);
        return Grams(tokens, n);
    }

    private static HashSet<ulong> Grams(List<uint> tokens, int n)
    {
        var grams = new HashSet<ulong>();
        for (var i = 0; i + n <= tokens.Count; i++)
        {
            var h = 14695981039346656037UL;
            for (var j = i; j < i + n; j++)
            {
                h = (h ^ tokens[j]) * 1099511628211UL;
            }

            grams.Add(h);
        }

        return grams;
    }
}
