using System.Diagnostics;
using System.Globalization;
using System.Text;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using static AutoRefiner.Bench.BenchEnv;

namespace AutoRefiner.Bench;

/// <summary>
/// <c>neardup [n]</c>: MinHash + LSH near-duplicate detection over n synthetic code snippets (default 200,000; 5 % of
/// them renamed or reformatted copies of earlier ones) in a child process whose peak memory GNU time measures; and
/// <c>secrets [megabytes]</c>: secret-scanning throughput over real C# source, against running every pattern over the
/// whole text (the obvious way), measured in the same run.
/// </summary>
internal static class CurationBench
{
    public static Task<int> NearDuplicatesAsync(string[] args)
    {
        var n = args.Length > 0 ? CompileBench.ParsePositive(args[0], "n") : 200_000;
        Load.WaitForQuiet(TimeSpan.FromSeconds(45));
        var self = typeof(CurationBench).Assembly.Location;
        var timeFile = Path.Combine(Path.GetTempPath(), $"ar-neardup-time-{Environment.ProcessId}.txt");
        var r = File.Exists("/usr/bin/time")
            ? Child.Run("/usr/bin/time", ["-f", "%M %e %U %S", "-o", timeFile, "dotnet", self, "neardup-run", n.ToString(CultureInfo.InvariantCulture)], Path.GetTempPath(), TimeSpan.FromMinutes(20))
            : Child.Run("dotnet", [self, "neardup-run", n.ToString(CultureInfo.InvariantCulture)], Path.GetTempPath(), TimeSpan.FromMinutes(20), measureRss: true);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException(r.Stdout + r.Stderr);
        }

        var fields = File.Exists(timeFile) ? File.ReadAllText(timeFile).Trim().Split('\n')[^1].Split(' ') : [];
        var peak = fields.Length > 0 ? long.Parse(fields[0], CultureInfo.InvariantCulture) * 1024 : r.PeakRssBytes;
        var sb = new StringBuilder();
        sb.AppendLine("## Near-duplicate detection");
        sb.AppendLine();
        sb.AppendLine(MachineSection());
        sb.AppendLine(Inv($"- command: `dotnet run -c Release --project bench/AutoRefiner.Bench -- neardup {n}`"));
        sb.AppendLine(Inv($"- in a child process (peak RSS by GNU time `%M`): {r.Stdout.Trim().Split('\n')[0]}"));
        sb.AppendLine();
        sb.AppendLine(string.Join('\n', r.Stdout.Trim().Split('\n').Skip(1)));
        sb.AppendLine();
        sb.AppendLine(Inv($"Peak RSS of the whole process: **{Report.Mb(peak)}**."));
        Console.Write(sb.ToString());
        File.Delete(timeFile);
        return Task.FromResult(0);
    }

    /// <summary>
    /// The measured part, run in its own process. Snippets stream in batches, as samples reach the curator: each is made
    /// (deterministically from its number), signed, looked up and forgotten; only the index of kept items stays.
    /// </summary>
    public static int NearDuplicatesRun(string[] args)
    {
        var n = args.Length > 0 ? CompileBench.ParsePositive(args[0], "n") : 200_000;
        var config = new CurationConfig();
        var hasher = new MinHasher(config.MinHashPermutations, config.ShingleSize);
        var index = new NearDuplicateIndex(config.MinHashPermutations, config.NearDuplicateThreshold);
        const int Batch = 8192;
        long bytes = 0, lines = 0;
        int copies = 0, found = 0, copiesFound = 0;
        double signing = 0, indexing = 0;
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < n; start += Batch)
        {
            var count = Math.Min(Batch, n - start);
            var batch = new (uint[] Signature, bool Copy, int Length, int Lines)[count];
            var t0 = clock.Elapsed.TotalSeconds;
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
            {
                var (text, copy) = SnippetGenerator.Snippet(start + k);
                var tokens = new List<uint>(256);
                CodeTokens.Tokenize(text, tokens);
                batch[k] = (hasher.Signature(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(tokens)), copy, text.Length, text.Count(c => c == '\n'));
            });
            var t1 = clock.Elapsed.TotalSeconds;
            for (var k = 0; k < count; k++)
            {
                bytes += batch[k].Length;
                lines += batch[k].Lines;
                copies += batch[k].Copy ? 1 : 0;
                if (index.Find(batch[k].Signature) is not null)
                {
                    found++;
                    copiesFound += batch[k].Copy ? 1 : 0;
                }
                else
                {
                    index.Add((start + k).ToString(CultureInfo.InvariantCulture), batch[k].Signature);
                }
            }

            signing += t1 - t0;
            indexing += clock.Elapsed.TotalSeconds - t1;
        }

        var total = clock.Elapsed.TotalSeconds;
        Console.WriteLine(Inv($"{n:N0} snippets ({bytes / 1e6:0.0} M characters of code, {(double)lines / n:0} lines on average), {copies:N0} of them renamed or reformatted copies of earlier ones; streamed in batches of {Batch:N0}; {config.MinHashPermutations} permutations, {config.ShingleSize}-token shingles, threshold {config.NearDuplicateThreshold}"));
        Console.WriteLine("| step | wall |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(Inv($"| making the snippets, tokens and signatures ({Environment.ProcessorCount} threads) | {signing:0.00} s |"));
        Console.WriteLine(Inv($"| LSH lookups and insertions, in order | {indexing:0.00} s |"));
        Console.WriteLine(Inv($"| **total** | **{total:0.00} s** ({n / total:N0} snippets/s) |"));
        Console.WriteLine();
        Console.WriteLine(Inv($"Found {found:N0} near-duplicates: {copiesFound:N0} of the {copies:N0} planted copies (recall {(double)copiesFound / Math.Max(1, copies):P1}), {found - copiesFound:N0} among the generated originals; kept {index.Count:N0} in the index."));
        Console.WriteLine(Inv($"Goal: 200,000 snippets in under 60 s: {(n >= 200_000 && total < 60 ? "met" : n < 200_000 ? "(fewer snippets than the goal)" : "NOT met")} ({total:0.0} s)."));
        return 0;
    }

    private static double Median(IEnumerable<int> values) => Report.Median(values.Select(v => (double)v));

    /// <summary>Synthetic methods with varied names, APIs, literals and shapes; every 20th is a renamed or reformatted copy.</summary>
    private sealed class SnippetGenerator
    {
        private static readonly string[] Nouns = ["order", "item", "customer", "price", "count", "total", "name", "path", "buffer", "node", "edge", "key", "value", "index", "line", "token", "record", "entry", "score", "limit"];
        private static readonly string[] Types = ["int", "long", "double", "string", "bool", "decimal", "List<int>", "Dictionary<string, int>", "IEnumerable<string>", "StringBuilder"];
        private static readonly string[] Calls = ["Math.Max", "Math.Min", "Math.Abs", "string.Join", "Console.WriteLine", "Enumerable.Range", "Array.Sort", "Convert.ToInt32", "int.Parse", "Path.Combine", "Guid.NewGuid", "DateTime.UtcNow.AddDays", "Regex.IsMatch", "Encoding.UTF8.GetBytes", "Task.Delay"];
        private static readonly string[] Methods = [".Where", ".Select", ".OrderBy", ".Sum", ".Count", ".Any", ".First", ".Skip", ".Take", ".Distinct", ".ToList", ".Trim", ".Split", ".Contains", ".Append"];
        private readonly Random _random;

        private SnippetGenerator(int seed) => _random = new Random(seed);

        /// <summary>Snippet number <paramref name="i"/>, the same every time; every 20th (from 100 on) copies an earlier one.</summary>
        public static (string Text, bool Copy) Snippet(int i)
        {
            if (i >= 100 && i % 20 == 0)
            {
                var original = (int)(((long)i * 7919) % i);
                while (original >= 100 && original % 20 == 0)
                {
                    original--;
                }

                return (new SnippetGenerator(i).CopyOf(new SnippetGenerator(original).Next()), true);
            }

            return (new SnippetGenerator(i).Next(), false);
        }

        private string Word() => Nouns[_random.Next(Nouns.Length)] + (_random.Next(3) == 0 ? Nouns[_random.Next(Nouns.Length)].ToUpperInvariant()[..1] + Nouns[_random.Next(Nouns.Length)][1..] : "");

        private string Next()
        {
            var sb = new StringBuilder();
            var name = char.ToUpperInvariant(Word()[0]) + Word()[1..] + _random.Next(1000).ToString(CultureInfo.InvariantCulture);
            var parameters = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => $"{Types[_random.Next(Types.Length)]} {Word()}").ToList();
            sb.Append(CultureInfo.InvariantCulture, $"public static {Types[_random.Next(Types.Length)]} {name}({string.Join(", ", parameters)})\n{{\n");
            var statements = _random.Next(4, 30);
            for (var s = 0; s < statements; s++)
            {
                var shape = _random.Next(6);
                var w = Word();
                sb.Append(shape switch
                {
                    0 => $"    var {w} = {Calls[_random.Next(Calls.Length)]}({Word()}, {_random.Next(100)});\n",
                    1 => $"    if ({Word()} > {_random.Next(1000)}) {{ {w} = {Word()}{Methods[_random.Next(Methods.Length)]}(x => x != {_random.Next(50)}); }}\n",
                    2 => $"    for (var i = 0; i < {Word()}.Length; i++) {{ {w} += {Word()}[i] * {_random.Next(10)}; }}\n",
                    3 => $"    {w} = {Word()}{Methods[_random.Next(Methods.Length)]}(){Methods[_random.Next(Methods.Length)]}();\n",
                    4 => $"    foreach (var {w} in {Word()}) {{ {Calls[_random.Next(Calls.Length)]}({w}); }}\n",
                    _ => $"    // {Word()} {Word()}\n    {w} = \"{Word()}-{_random.Next(100000)}\";\n",
                });
            }

            sb.Append(CultureInfo.InvariantCulture, $"    return {Word()};\n}}\n");
            return sb.ToString();
        }

        private string CopyOf(string original)
        {
            if (_random.Next(2) == 0)
            {
                // Reformatted: other indentation and line breaks, a comment added.
                return "// borrowed\n" + original.Replace("\n    ", "\n\t\t", StringComparison.Ordinal).Replace("{ ", "{\n ", StringComparison.Ordinal);
            }

            // Renamed: one of the nouns becomes another word throughout (a local renamed).
            var from = Nouns[_random.Next(Nouns.Length)];
            return System.Text.RegularExpressions.Regex.Replace(original, $@"\b{from}\b", "renamed" + _random.Next(100));
        }
    }

    public static async Task<int> SecretsAsync(string[] args)
    {
        var (folders, options) = BenchArgs.Split(args, ["--megabytes"]);
        var megabytes = options.TryGetValue("--megabytes", out var mb) ? CompileBench.ParsePositive(mb, "megabytes") : 64;

        // The repository's own source, plus the code bases named on the command line.
        var sources = new[] { Path.Combine(RepoRoot, "src") }.Concat(folders).ToList();
        var text = new StringBuilder();
        var files = 0;
        foreach (var file in sources.SelectMany(s => Directory.EnumerateFiles(s, "*.cs", SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
        {
            text.Append(await File.ReadAllTextAsync(file)).Append('\n');
            files++;
        }

        var corpus = text.ToString();
        var chunks = new List<string>();
        var size = 0L;
        for (var copy = 0; size < megabytes * 1_000_000L; copy++)
        {
            // Plant a secret in each copy so the scanner has work to do.
            var chunk = corpus + $"\nconst string Token{copy} = \"ghp_{copy:D6}AbCdEfGhIjKlMnOpQrStUvWxYz0123\";\n";
            chunks.Add(chunk);
            size += Encoding.UTF8.GetByteCount(chunk);
        }

        int Scan(Func<string, int> scanner) => chunks.Sum(scanner);
        Scan(c => SecretScanner.Scan(c).Count); // warm-up
        var ours = new List<double>();
        var naive = new List<double>();
        var found = 0;
        for (var run = 0; run < 5; run++)
        {
            Load.WaitForQuiet(TimeSpan.FromSeconds(30));
            var clock = Stopwatch.StartNew();
            found = Scan(c => SecretScanner.Scan(c).Count);
            ours.Add(clock.Elapsed.TotalSeconds);
            clock.Restart();
            Scan(NaiveScan);
            naive.Add(clock.Elapsed.TotalSeconds);
        }

        var oursRate = size / 1e6 / Report.Median(ours);
        var naiveRate = size / 1e6 / Report.Median(naive);
        var sb = new StringBuilder();
        sb.AppendLine("## Secret scanning");
        sb.AppendLine();
        sb.AppendLine(MachineSection());
        sb.AppendLine(Inv($"- command: `dotnet run -c Release --project bench/AutoRefiner.Bench -- secrets --megabytes {megabytes}{string.Concat(folders.Select(f => " <" + Path.GetFileName(f.TrimEnd('/')) + ">"))}`"));
        sb.AppendLine(Inv($"- text: the C# of {files:N0} files ({string.Join(", ", sources.Select(Path.GetFileName))}), {corpus.Length / 1e6:0.0} MB, repeated to {size / 1e6:0} MB with a planted token per copy; one thread; 5 runs after a warm-up, medians"));
        sb.AppendLine("- baseline, same run: the bare patterns (without the captured values, the entropy check and the overlap resolution) run over the whole text — what the scanner cannot go below");
        sb.AppendLine();
        sb.Append(Report.Table(
            ["scanner", "MB/s", "vs baseline", "findings"],
            [
                ["ours: `SecretScanner.Scan` (source-generated patterns, values, entropy, overlaps)", Inv($"**{oursRate:0}**"), Report.X(oursRate / naiveRate), Inv($"{found:N0}")],
                ["baseline: the bare patterns over the whole text", Inv($"{naiveRate:0}"), "1×", ""],
            ],
            "lrrr"));
        sb.AppendLine();
        sb.AppendLine(Inv($"Goal ≥ 50 MB/s: {(oursRate >= 50 ? "met" : "NOT met")} ({oursRate:0} MB/s)."));
        Console.Write(sb.ToString());
        return 0;
    }

    /// <summary>The obvious scanner: every pattern of the scanner over the whole text.</summary>
    private static int NaiveScan(string text) => NaivePatterns.Sum(p => p.Count(text));

    private static readonly System.Text.RegularExpressions.Regex[] NaivePatterns =
    [
        .. new[]
        {
            @"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY", @"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b",
            @"(?i:aws[_-]?secret(?:[_-]?access)?[_-]?key)\W{0,5}[A-Za-z0-9/+=]{40}", @"(?i:accountkey)=[A-Za-z0-9+/]{40,}", @"[?&]sig=[A-Za-z0-9%+/]{30,}",
            @"[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{31,34}", @"AIza[0-9A-Za-z_-]{35}", @"gh[pousr]_[A-Za-z0-9]{36,}", @"xox[baprs]-[A-Za-z0-9-]{10,}",
            @"hooks\.slack\.com/services/", @"[sr]k_(?:live|test)_[A-Za-z0-9]{20,}", @"sk-[A-Za-z0-9_-]{20,}", @"hf_[A-Za-z0-9]{30,}",
            @"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}", @"(?i:password|pwd)\s*=\s*[^;""'\s]{4,}", @"://[^/\s:@""']{1,64}:[^/\s:@""']{3,128}@",
            @"(?i:password|passwd|secret|api[_-]?key|token|access[_-]?key|client[_-]?secret)\w*[""']?\s*(?:=|:|=>)\s*@?[""'][^""'\s]{8,200}[""']",
            @"<RSAKeyValue>", @"(?i:bearer)[ \t]+[A-Za-z0-9._~+/-]{16,}", @"AuthenticationHeaderValue\(", @"(?i:basic)[ \t]+[A-Za-z0-9+/]{12,}",
            @"NetworkCredential\(\s*@?""[^""\r\n]{0,256}""\s*,\s*@?""[^""\r\n]{4,256}""",
        }.Select(p => new System.Text.RegularExpressions.Regex(p, System.Text.RegularExpressions.RegexOptions.Compiled)),
    ];
}
