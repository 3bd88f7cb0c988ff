using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace AutoRefiner.Core.Curation;

/// <summary>
/// The evaluation sets AutoRefiner keeps out of every dataset by default (<c>curation.benchmarks: [builtin]</c>):
/// MultiPL-E's C# translations of HumanEval and MBPP. Only their fingerprints ship (<see cref="BenchmarkFingerprint"/>:
/// hashes of n-grams and literal runs, no text), made by <c>bench … benchmark-fingerprints</c> from the prompts and tests
/// <c>scripts/build-builtin-benchmarks.py</c> translates. Their licences and what the shipped file holds are in
/// <c>src/Core/Curation/Benchmarks/NOTICE.md</c>.
/// </summary>
public static class BuiltinBenchmarks
{
    /// <summary>The word that stands for these sets in <c>curation.benchmarks</c>.</summary>
    public const string Keyword = "builtin";

    /// <summary>The n the shipped fingerprints were made with (the default <c>curation.benchmark-ngram</c>).</summary>
    public const int Ngram = 10;

    private const string ResourceName = "AutoRefiner.BuiltinBenchmarks";
    private const string Format = "autorefiner-benchmark-fingerprints/1";

    /// <summary>What a built-in set is, for the dataset card; null for a user's own file.</summary>
    public static string? Describe(string benchmark) => benchmark switch
    {
        "humaneval-cs" => "MultiPL-E's C# translation of OpenAI HumanEval, shipped with AutoRefiner as fingerprints",
        "mbpp-cs" => "MultiPL-E's C# translation of Google's MBPP, shipped with AutoRefiner as fingerprints",
        _ => null,
    };

    /// <summary>
    /// What a dataset card says of the built-in sets' licences when it names one of them: MultiPL-E's licence forbids
    /// using its contents as training data, so the card states they only served to reject samples.
    /// </summary>
    public const string Terms =
        "The built-in sets are MultiPL-E's C# translations (BSD 3-Clause License with Machine Learning Restriction, whose " +
        "clause 4 forbids using them as training data) of OpenAI's HumanEval (MIT) and Google Research's MBPP (CC BY 4.0); " +
        "AutoRefiner used them only to find and reject overlapping samples, and no text of theirs is in this dataset.";

    /// <summary>Adds every built-in item to <paramref name="index"/>; returns how many.</summary>
    public static int LoadInto(BenchmarkIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var count = 0;
        foreach (var item in Items())
        {
            index.Add(item);
            count++;
        }

        return count;
    }

    /// <summary>The built-in items' fingerprints, in file order.</summary>
    public static IEnumerable<BenchmarkFingerprint> Items()
    {
        // A build without the resource is a broken build, not a user error.
        var stream = typeof(BuiltinBenchmarks).Assembly.GetManifestResourceStream(ResourceName)
                     ?? throw new InvalidOperationException($"the resource {ResourceName} is missing from this build");
        return Read(stream);
    }

    /// <summary>
    /// Reads fingerprints written by <see cref="Write"/>. They are hashes of this build's tokens, so a file made by a
    /// tokenizer that has changed since would match nothing: its probe (see <see cref="Probe"/>) must agree.
    /// </summary>
    public static IEnumerable<BenchmarkFingerprint> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        using (var header = JsonDocument.Parse(reader.ReadLine() ?? "{}"))
        {
            var format = Field(header.RootElement, "format");
            var probe = Field(header.RootElement, "probe");
            if (format != Format || probe != Probe())
            {
                throw new InvalidOperationException(
                    $"the built-in benchmark fingerprints (format '{format}', probe '{probe}') were not made by this build's tokenizer " +
                    $"(format '{Format}', probe '{Probe()}'); rebuild them as src/Core/Curation/Benchmarks/NOTICE.md says");
            }
        }

        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            yield return new BenchmarkFingerprint(
                Field(root, "benchmark"), Field(root, "id"), root.GetProperty("ngram").GetInt32(),
                Hashes(root, "words"), Hashes(root, "code"), Hashes(root, "literals"), Hashes(root, "common"));
        }
    }

    /// <summary>Writes the fingerprints of <paramref name="items"/> at n = <see cref="Ngram"/>, the same bytes for the same items.</summary>
    public static void Write(IEnumerable<BenchmarkItem> items, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(stream);
        using var gzip = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string> { ["format"] = Format, ["probe"] = Probe() }));
        foreach (var item in items)
        {
            var f = BenchmarkIndex.Fingerprint(item, Ngram);
            writer.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["benchmark"] = f.Benchmark, ["id"] = f.Id, ["ngram"] = f.Ngram,
                ["words"] = Base64(f.Words), ["code"] = Base64(f.Code), ["literals"] = Base64(f.Literals), ["common"] = Base64(f.CommonLiterals),
            }));
        }
    }

    /// <summary>
    /// A hash of the fingerprint of a fixed piece of code and prose written here: it changes whenever the tokenizer, the
    /// literal reader or the hashing would fingerprint the benchmarks differently.
    /// </summary>
    public static string Probe()
    {
        const string text = """
            Return true when any two distinct numbers of the list are closer to each other than the given threshold.
            public static bool Probe<T>(List<float> values, float limit, string name = "x\ty", char c = 'q') where T : class
            {
                for (var i = 0; i < values.Count; i++) { if (Math.Abs(values[i] - 1.5f) < limit && name != $"{c}") return i >= 0x1F; }
                Debug.Assert(Probe<object>(new List<float> { 1.0f, 2.0f, 3.9f, 4.0f, 5.0f, 2.2f }, 0.3f, @"a""b", '\n') == !false);
                return values is [1, 2, 3, 4, 5, 6, 7] || 10L * 2.5e3 > -7 % 3;
            }
            """;
        var f = BenchmarkIndex.Fingerprint(new BenchmarkItem("probe", "0", text), Ngram);
        var h = 14695981039346656037UL;
        foreach (var list in new[] { f.Words, f.Code, f.Literals, f.CommonLiterals })
        {
            h = (h ^ (ulong)list.Count) * 1099511628211UL;
            foreach (var value in list)
            {
                h = (h ^ value) * 1099511628211UL;
            }
        }

        return h.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Base64(IReadOnlyList<ulong> hashes)
    {
        var bytes = new byte[hashes.Count * sizeof(ulong)];
        for (var i = 0; i < hashes.Count; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)), hashes[i]);
        }

        return Convert.ToBase64String(bytes);
    }

    private static ulong[] Hashes(JsonElement root, string name)
    {
        var bytes = Convert.FromBase64String(Field(root, name));
        var hashes = new ulong[bytes.Length / sizeof(ulong)];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)));
        }

        return hashes;
    }

    private static string Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
