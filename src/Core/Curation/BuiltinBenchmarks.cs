using System.IO.Compression;
using System.Text.Json;

namespace AutoRefiner.Core.Curation;

/// <summary>
/// The evaluation sets shipped inside AutoRefiner (<c>curation.benchmarks: [builtin]</c>, the default): MultiPL-E's C#
/// translations of HumanEval and MBPP, prompts and tests, built by <c>scripts/build-builtin-benchmarks.py</c>. Their
/// licences and what the shipped file holds are in <c>src/Core/Curation/Benchmarks/NOTICE.md</c>.
/// </summary>
public static class BuiltinBenchmarks
{
    /// <summary>The word that stands for these sets in <c>curation.benchmarks</c>.</summary>
    public const string Keyword = "builtin";

    private const string ResourceName = "AutoRefiner.BuiltinBenchmarks";

    /// <summary>What a built-in set is, for the dataset card; null for a user's own file.</summary>
    public static string? Describe(string benchmark) => benchmark switch
    {
        "humaneval-cs" => "MultiPL-E's C# translation of OpenAI HumanEval, shipped with AutoRefiner",
        "mbpp-cs" => "MultiPL-E's C# translation of Google's MBPP, shipped with AutoRefiner",
        _ => null,
    };

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

    /// <summary>The built-in items, in file order.</summary>
    public static IEnumerable<BenchmarkItem> Items()
    {
        // A build without the resource is a broken build, not a user error.
        using var stream = typeof(BuiltinBenchmarks).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"the resource {ResourceName} is missing from this build");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var text = Field(root, "prompt") + "\n" + Field(root, "tests");
            yield return new BenchmarkItem(Field(root, "benchmark"), Field(root, "id"), text);
        }
    }

    private static string Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
