using System.Text;

namespace AutoRefiner.Core.Curation;

/// <summary>An item of an evaluation set to keep out of the dataset.</summary>
/// <param name="Benchmark">The set's name (its file name).</param>
/// <param name="Id">The item's id (<c>task_id</c>, <c>id</c>, … or its row number).</param>
/// <param name="Text">Its text: prompt, solution, tests.</param>
public sealed record BenchmarkItem(string Benchmark, string Id, string Text);

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
    private readonly List<BenchmarkItem> _items = [];
    private readonly Dictionary<ulong, int> _words = [];
    private readonly Dictionary<ulong, List<int>> _code = [];
    private readonly List<int> _codeCounts = [];
    private readonly Dictionary<ulong, List<int>> _literals = [];
    private readonly List<int> _literalCounts = [];

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
    public void Add(BenchmarkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var index = _items.Count;
        _items.Add(item);
        foreach (var gram in WordGrams(item.Text))
        {
            _words.TryAdd(gram, index);
        }

        var codeGrams = CodeGrams(item.Text);
        foreach (var gram in codeGrams)
        {
            if (!_code.TryGetValue(gram, out var list))
            {
                _code[gram] = list = [];
            }

            if (list.Count == 0 || list[^1] != index)
            {
                list.Add(index);
            }
        }

        _codeCounts.Add(codeGrams.Count);

        var literalGrams = LiteralGrams(item.Text);
        foreach (var gram in literalGrams)
        {
            if (!_literals.TryGetValue(gram, out var list))
            {
                _literals[gram] = list = [];
            }

            if (list.Count == 0 || list[^1] != index)
            {
                list.Add(index);
            }
        }

        _literalCounts.Add(literalGrams.Count);
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

        foreach (var gram in WordGrams(instruction))
        {
            if (_words.TryGetValue(gram, out var item))
            {
                return $"{_items[item].Benchmark} item {_items[item].Id} (the instruction shares a {_n}-word sequence with it)";
            }
        }

        var hits = new Dictionary<int, int>();
        foreach (var gram in CodeGrams(code))
        {
            if (_code.TryGetValue(gram, out var items))
            {
                foreach (var item in items)
                {
                    hits[item] = hits.GetValueOrDefault(item) + 1;
                }
            }
        }

        foreach (var (item, count) in hits.OrderByDescending(kv => (double)kv.Value / Math.Max(1, _codeCounts[kv.Key])))
        {
            var share = (double)count / Math.Max(1, _codeCounts[item]);
            if (share >= 0.5 && _codeCounts[item] > 0)
            {
                return $"{_items[item].Benchmark} item {_items[item].Id} (the code holds {share:P0} of its {_n}-token sequences)";
            }
        }

        return MatchLiterals(instruction + "\n" + code);
    }

    /// <summary>
    /// Items whose test data the text repeats: at least <see cref="MinLiteralGrams"/> of the item's literal sequences, and
    /// at least a quarter of them. A sequence must hold three different values, so runs like 0, 0, 0 or 0, 1, 0, 1 that
    /// any code has do not count.
    /// </summary>
    private string? MatchLiterals(string text)
    {
        var hits = new Dictionary<int, int>();
        foreach (var gram in LiteralGrams(text))
        {
            if (_literals.TryGetValue(gram, out var items))
            {
                foreach (var item in items)
                {
                    hits[item] = hits.GetValueOrDefault(item) + 1;
                }
            }
        }

        foreach (var (item, count) in hits.OrderByDescending(kv => (double)kv.Value / _literalCounts[kv.Key]))
        {
            var total = _literalCounts[item];
            if (count >= MinLiteralGrams && count * 4 >= total)
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

    /// <summary>Hashes of the runs of <see cref="LiteralGramLength"/> literals that hold at least three different values.</summary>
    private static HashSet<ulong> LiteralGrams(string text)
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
        }

        return grams;
    }

    /// <summary>Hashes of the n-grams of lower-case words (letters and digits).</summary>
    private HashSet<ulong> WordGrams(string text)
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

        return Grams(words);
    }

    private HashSet<ulong> CodeGrams(string text)
    {
        var tokens = new List<uint>();
        CodeTokens.Tokenize(text, tokens);
        return Grams(tokens);
    }

    private HashSet<ulong> Grams(List<uint> tokens)
    {
        var grams = new HashSet<ulong>();
        for (var i = 0; i + _n <= tokens.Count; i++)
        {
            var h = 14695981039346656037UL;
            for (var j = i; j < i + _n; j++)
            {
                h = (h ^ tokens[j]) * 1099511628211UL;
            }

            grams.Add(h);
        }

        return grams;
    }
}
