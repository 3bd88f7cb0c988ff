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
        var sb = new StringBuilder();
        sb.AppendLine("## Near-duplicate detection");
        sb.AppendLine();
        sb.AppendLine(MachineSection());
        sb.AppendLine(Inv($"- command: `dotnet run -c Release --project bench/AutoRefiner.Bench -- neardup {n}`"));
        sb.AppendLine("- the tokenizer of this commit (every declared name canonicalised) and the one before it (lower-case locals only), alternately in the same run (new, old, old, new, new, old: a busy spell weighs on both), each run in its own child process (peak RSS and CPU time by GNU time `%M %U %S`); medians per tokenizer");
        var runs = new Dictionary<string, List<(double Wall, double Cpu, long Peak, string Stdout)>>(StringComparer.Ordinal) { ["declared"] = [], ["legacy"] = [] };
        foreach (var mode in new[] { "declared", "legacy", "legacy", "declared", "declared", "legacy" })
        {
            Load.WaitForQuiet(TimeSpan.FromSeconds(45));
            var (stdout, peak, cpu) = RunChild(n, mode);
            var wall = double.Parse(stdout.Trim().Split('\n').First(l => l.StartsWith("total-seconds ", StringComparison.Ordinal))["total-seconds ".Length..], CultureInfo.InvariantCulture);
            runs[mode].Add((wall, cpu, peak, stdout));
        }

        double Median(IEnumerable<double> values) => Report.Median(values.ToList());
        foreach (var (mode, list) in runs)
        {
            var lines = list[0].Stdout.Trim().Split('\n');
            sb.AppendLine();
            sb.AppendLine(Inv($"### Tokenizer: {mode}"));
            sb.AppendLine();
            sb.AppendLine(lines[0]);
            sb.AppendLine();
            sb.AppendLine("First run:");
            sb.AppendLine();
            sb.AppendLine(string.Join('\n', lines.Skip(1)));
            sb.AppendLine();
            sb.AppendLine(Inv($"All runs: wall {string.Join(", ", list.Select(r => r.Wall.ToString("0.00", CultureInfo.InvariantCulture)))} s; CPU {string.Join(", ", list.Select(r => r.Cpu.ToString("0.00", CultureInfo.InvariantCulture)))} s; peak RSS {string.Join(", ", list.Select(r => Report.Mb(r.Peak)))}. Median wall **{Median(list.Select(r => r.Wall)):0.00} s**, median CPU **{Median(list.Select(r => r.Cpu)):0.00} s**, highest peak RSS **{Report.Mb(list.Max(r => r.Peak))}**."));
        }

        var (newWall, oldWall) = (Median(runs["declared"].Select(r => r.Wall)), Median(runs["legacy"].Select(r => r.Wall)));
        var (newCpu, oldCpu) = (Median(runs["declared"].Select(r => r.Cpu)), Median(runs["legacy"].Select(r => r.Cpu)));
        var (newPeak, oldPeak) = (runs["declared"].Max(r => r.Peak), runs["legacy"].Max(r => r.Peak));
        sb.AppendLine();
        sb.AppendLine(Inv($"New vs old: median wall {newWall / oldWall:P0} of the old ({newWall:0.00} s vs {oldWall:0.00} s), median CPU {newCpu / oldCpu:P0} ({newCpu:0.00} s vs {oldCpu:0.00} s), peak RSS {(double)newPeak / oldPeak:P0}. Limit: no more than 120 % of either: {(newWall <= oldWall * 1.2 && newPeak <= oldPeak * 1.2 ? "met" : "NOT met")}."));
        sb.AppendLine();
        sb.AppendLine(Inv($"Roslyn's semantic model instead, for comparison: {RoslynCost(2_000)}"));
        Console.Write(sb.ToString());
        return Task.FromResult(0);
    }

    private static (string Stdout, long Peak, double Cpu) RunChild(int n, string mode)
    {
        var self = typeof(CurationBench).Assembly.Location;
        var args = new[] { self, "neardup-run", n.ToString(CultureInfo.InvariantCulture), mode };
        var timeFile = Path.Combine(Path.GetTempPath(), $"ar-neardup-time-{Environment.ProcessId}.txt");
        var r = File.Exists("/usr/bin/time")
            ? Child.Run("/usr/bin/time", ["-f", "%M %e %U %S", "-o", timeFile, "dotnet", .. args], Path.GetTempPath(), TimeSpan.FromMinutes(20))
            : Child.Run("dotnet", args, Path.GetTempPath(), TimeSpan.FromMinutes(20), measureRss: true);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException(r.Stdout + r.Stderr);
        }

        var fields = File.Exists(timeFile) ? File.ReadAllText(timeFile).Trim().Split('\n')[^1].Split(' ') : [];
        var peak = fields.Length > 0 ? long.Parse(fields[0], CultureInfo.InvariantCulture) * 1024 : r.PeakRssBytes;
        var cpu = fields.Length > 3 ? double.Parse(fields[2], CultureInfo.InvariantCulture) + double.Parse(fields[3], CultureInfo.InvariantCulture) : double.NaN;
        File.Delete(timeFile);
        return (r.Stdout, peak, cpu);
    }

    /// <summary>
    /// What binding each snippet with Roslyn would cost: parse, a compilation of the one tree (no references: only
    /// whether a name binds to the snippet's own declarations matters), and a symbol lookup per identifier.
    /// </summary>
    private static string RoslynCost(int count)
    {
        var clock = Stopwatch.StartNew();
        var names = 0;
        for (var i = 0; i < count; i++)
        {
            var (text, _) = SnippetGenerator.Snippet(i);
            var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("class C {\n" + text + "\n}");
            var model = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("s", [tree]).GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax name)
                {
                    names += Microsoft.CodeAnalysis.CSharp.CSharpExtensions.GetSymbolInfo(model, name).Symbol?.Locations.Any(l => l.IsInSource) == true ? 1 : 0;
                }
                else if (Microsoft.CodeAnalysis.ModelExtensions.GetDeclaredSymbol(model, node) is not null)
                {
                    names++;
                }
            }
        }

        var perSnippet = clock.Elapsed.TotalMilliseconds / count;

        // Roslyn's syntax tree alone (no binding) also gives every declaration of the unit: parse and walk the declared names.
        clock.Restart();
        var declared = 0;
        for (var i = 0; i < count; i++)
        {
            var (text, _) = SnippetGenerator.Snippet(i);
            var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("class C {\n" + text + "\n}");
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                declared += node is Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax
                    or Microsoft.CodeAnalysis.CSharp.Syntax.ParameterSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax
                    or Microsoft.CodeAnalysis.CSharp.Syntax.TypeParameterSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.SingleVariableDesignationSyntax
                    or Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.EnumMemberDeclarationSyntax ? 1 : 0;
            }
        }

        var perParse = clock.Elapsed.TotalMilliseconds / count;
        return Inv($"{perSnippet:0.00} ms a snippet on one thread ({count:N0} snippets, {names:N0} names bound to the snippet), so about {perSnippet * 200_000 / 1000 / Environment.ProcessorCount:0} s for 200,000 on {Environment.ProcessorCount} threads. Roslyn's syntax tree without binding (parse, then walk the {declared:N0} declarations): {perParse:0.00} ms a snippet, about {perParse * 200_000 / 1000 / Environment.ProcessorCount:0} s for 200,000 on {Environment.ProcessorCount} threads. Both against the whole lexical path above, so the tokenizer finds declared names lexically.");
    }

    /// <summary>
    /// The measured part, run in its own process. Snippets stream in batches, as samples reach the curator: each is made
    /// (deterministically from its number), signed, looked up and forgotten; only the index of kept items stays.
    /// </summary>
    public static int NearDuplicatesRun(string[] args)
    {
        var n = args.Length > 0 ? CompileBench.ParsePositive(args[0], "n") : 200_000;
        var legacy = args.Length > 1 && args[1] == "legacy";
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
                if (legacy)
                {
                    LegacyCodeTokens.Tokenize(text, tokens);
                }
                else
                {
                    CodeTokens.Tokenize(text, tokens);
                }

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
        Console.WriteLine(Inv($"total-seconds {total:0.000}"));
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
