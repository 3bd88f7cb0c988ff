using System.IO.Compression;
using System.Text.Json;
using AutoRefiner.Core.Curation;

namespace AutoRefiner.Bench;

/// <summary>
/// <c>benchmark-fingerprints &lt;in.jsonl[.gz]&gt; &lt;out.jsonl.gz&gt;</c>: turns the prompts and tests that
/// <c>scripts/build-builtin-benchmarks.py</c> translates (one JSON object a line: benchmark, id, prompt, tests) into the
/// fingerprints AutoRefiner ships (<see cref="BuiltinBenchmarks"/>). The text stays on the machine that built it; only
/// hashes go into the repository.
/// </summary>
internal static class BenchmarkFingerprints
{
    public static int Run(string[] args)
    {
        if (args.Length != 2)
        {
            throw new BenchUsageException("benchmark-fingerprints needs the translated sets (.jsonl or .jsonl.gz) and the file to write");
        }

        var items = Read(args[0]).ToList();
        using (var output = File.Create(args[1]))
        {
            BuiltinBenchmarks.Write(items, output);
        }

        Console.WriteLine($"wrote the fingerprints of {items.Count} items ({string.Join(", ", items.GroupBy(i => i.Benchmark).Select(g => $"{g.Key} {g.Count()}"))}) to {args[1]}");
        return 0;
    }

    private static IEnumerable<BenchmarkItem> Read(string path)
    {
        using var file = File.OpenRead(path);
        using var stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? (Stream)new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            yield return new BenchmarkItem(Text(root, "benchmark"), Text(root, "id"), Text(root, "prompt") + "\n" + Text(root, "tests"));
        }
    }

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
