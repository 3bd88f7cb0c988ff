using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AutoRefiner.Config;
using AutoRefiner.Core.Config;
using AutoRefiner.CSharp;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;
using AutoRefiner.Harvester.Local;
using AutoRefiner.Harvester.Seeds;
using AutoRefiner.Validator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static AutoRefiner.Bench.BenchEnv;

namespace AutoRefiner.Bench;

/// <summary>
/// <c>yield &lt;dir&gt;...</c>: documented methods → self-contained seeds per code base, the real harvester (the CLI in a
/// child process) against the naive way (each documented method wrapped alone in a class with its file's usings).
/// </summary>
internal static class YieldBench
{
    private sealed record Naive(
        long Files, long Documented, long Compiled, TimeSpan Elapsed, IReadOnlyList<(string Code, long Count)> TopErrors,
        IReadOnlyList<(string Path, string Name)> Successes, long Kept)
    {
        public double OtherLoad { get; set; }
    }

    private sealed record Ours(
        long Files, long Documented, long SelfContained, double Yield, long Rows, TimeSpan Wall, long PeakRss,
        IReadOnlyDictionary<string, long> Rejected, int Blocks, int BlocksCompiled, IReadOnlyList<string> BlockFailures,
        IReadOnlyList<(string Path, string Name)> Seeds)
    {
        public double OtherLoad { get; set; }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            throw new BenchUsageException("yield needs at least one directory");
        }

        var dirs = args.Select(Path.GetFullPath).ToList();
        foreach (var d in dirs.Where(d => !Directory.Exists(d)))
        {
            throw new BenchUsageException($"{d} is not a directory");
        }

        var configPath = Path.Combine(RepoRoot, "harvest.yml");
        var config = File.Exists(configPath) ? ConfigLoader.Load(configPath) : new HarvestConfig();
        var compiler = new RoslynCompiler();
        compiler.Compile("public class Warm { }", CancellationToken.None); // JIT and reference loading, outside any timing

        var rows = new List<(string Dir, string Commit, Naive Naive, Ours Ours)>();
        foreach (var dir in dirs)
        {
            var commit = GitHead(dir);
            Report.Progress($"{dir}: our harvester (CLI, Release)");
            Load.WaitForQuiet(TimeSpan.FromSeconds(30));
            var ours = RunOurs(dir, configPath);
            Report.Progress($"{dir}: ours {ours.SelfContained}/{ours.Documented} in {ours.Wall.TotalSeconds:0.0} s; naive way");
            Load.WaitForQuiet(TimeSpan.FromSeconds(30));
            var meter = new Load.Meter();
            var naive = RunNaive(dir, config.Extraction, compiler);
            naive.OtherLoad = meter.Stop().OtherCores;
            Report.Progress($"{dir}: naive {naive.Compiled}/{naive.Documented} in {naive.Elapsed.TotalSeconds:0.0} s");
            rows.Add((dir, commit, naive, ours));
        }

        var sb = new StringBuilder();
        sb.AppendLine("## Seed yield: documented methods → self-contained seeds");
        sb.AppendLine();
        sb.AppendLine(MachineSection());
        sb.AppendLine(Inv($"- command: `dotnet run -c Release --project bench/AutoRefiner.Bench -- yield {string.Join(' ', args)}`"));
        sb.AppendLine("- naive gated = the naive methods that compiled and that the harvester's own seed gates keep (not `trivial`, not `uninformative-doc`): the naive rows a trainer would keep, to compare with our rows, which pass those gates");
        sb.AppendLine("- ours = `autorefiner harvest --lang csharp --source <dir> --out <tmp>` (Release CLI, child process, harvest.yml defaults), counts from manifest.json; naive = each documented method alone in `public [static] class <ContainingType>` with its file's using directives, compiled by RoslynCompiler");
        sb.AppendLine();
        sb.Append(Report.Table(
            ["code base", "commit", "files", "documented (naive / ours)", "naive compiled", "naive yield", "naive gated", "ours self-contained", "our yield", "ours ÷ naive", "rows", "rows ÷ naive", "rows ÷ naive gated", "ours wall", "naive wall", "rows valid"],
            rows.Select(r => (IReadOnlyList<string>)
            [
                Path.GetFileName(r.Dir.TrimEnd('/')) is "src" ? "AutoRefiner/src" : Path.GetFileName(r.Dir.TrimEnd('/')),
                r.Commit.Length >= 12 ? $"`{r.Commit[..12]}`" : r.Commit,
                Report.N(r.Naive.Files),
                Inv($"{Report.N(r.Naive.Documented)} / {Report.N(r.Ours.Documented)}{(r.Naive.Documented == r.Ours.Documented ? " ✓" : " ✗ MISMATCH")}"),
                Report.N(r.Naive.Compiled),
                Report.Pct(r.Naive.Documented == 0 ? 0 : (double)r.Naive.Compiled / r.Naive.Documented),
                Report.N(r.Naive.Kept),
                Report.N(r.Ours.SelfContained),
                Report.Pct(r.Ours.Yield),
                Report.X(r.Naive.Compiled == 0 ? double.PositiveInfinity : (double)r.Ours.SelfContained / r.Naive.Compiled),
                Report.N(r.Ours.Rows),
                Report.X(r.Naive.Compiled == 0 ? double.PositiveInfinity : (double)r.Ours.Rows / r.Naive.Compiled),
                Report.X(r.Naive.Kept == 0 ? double.PositiveInfinity : (double)r.Ours.Rows / r.Naive.Kept),
                Inv($"{r.Ours.Wall.TotalSeconds:0.0} s"),
                Inv($"{r.Naive.Elapsed.TotalSeconds:0.0} s"),
                Inv($"{r.Ours.BlocksCompiled}/{r.Ours.Blocks}"),
            ]),
            "ll"));

        var totalDoc = rows.Sum(r => r.Ours.Documented);
        var totalNaiveDoc = rows.Sum(r => r.Naive.Documented);
        var totalNaive = rows.Sum(r => r.Naive.Compiled);
        var totalOurs = rows.Sum(r => r.Ours.SelfContained);
        sb.AppendLine(Inv($"| **all** | | {Report.N(rows.Sum(r => r.Naive.Files))} | {Report.N(totalNaiveDoc)} / {Report.N(totalDoc)} | {Report.N(totalNaive)} | {Report.Pct((double)totalNaive / Math.Max(1, totalNaiveDoc))} | {Report.N(rows.Sum(r => r.Naive.Kept))} | {Report.N(totalOurs)} | {Report.Pct((double)totalOurs / Math.Max(1, totalDoc))} | {Report.X(totalNaive == 0 ? double.PositiveInfinity : (double)totalOurs / totalNaive)} | {Report.N(rows.Sum(r => r.Ours.Rows))} | {Report.X(totalNaive == 0 ? double.PositiveInfinity : (double)rows.Sum(r => r.Ours.Rows) / totalNaive)} | {Report.X(rows.Sum(r => r.Naive.Kept) == 0 ? double.PositiveInfinity : (double)rows.Sum(r => r.Ours.Rows) / rows.Sum(r => r.Naive.Kept))} | {rows.Sum(r => r.Ours.Wall.TotalSeconds):0.0} s | {rows.Sum(r => r.Naive.Elapsed.TotalSeconds):0.0} s | {rows.Sum(r => r.Ours.BlocksCompiled)}/{rows.Sum(r => r.Ours.Blocks)} |"));
        sb.AppendLine();
        var ratios = rows.Where(r => r.Naive.Compiled > 0).Select(r => (double)r.Ours.SelfContained / r.Naive.Compiled).ToList();
        sb.AppendLine(Inv($"Medians over the {rows.Count} code bases: naive yield {Report.Pct(Report.Median(rows.Select(r => (double)r.Naive.Compiled / Math.Max(1, r.Naive.Documented))))}, our yield {Report.Pct(Report.Median(rows.Select(r => r.Ours.Yield)))}, ours ÷ naive {(ratios.Count > 0 ? Report.X(Report.Median(ratios)) : "n/a")}."));
        sb.AppendLine();
        sb.AppendLine("Why documented methods did not become seeds (ours, from manifest.json `seeds_rejected`; `duplicate-seed` = a unit already taken), and the naive way's most frequent first errors:");
        sb.AppendLine();
        sb.Append(Report.Table(
            ["code base", "ours: rejected by reason", "ours rows", "ours peak RSS", "other load ours / naive (cores)", "naive: top first errors", "naive-only methods"],
            rows.Select(r => (IReadOnlyList<string>)
            [
                Path.GetFileName(r.Dir.TrimEnd('/')),
                string.Join(", ", r.Ours.Rejected.Select(kv => Inv($"{kv.Key} {kv.Value}"))),
                Report.N(r.Ours.Rows),
                Report.Mb(r.Ours.PeakRss),
                Inv($"{r.Ours.OtherLoad:0.00} / {r.Naive.OtherLoad:0.00}"),
                string.Join(", ", r.Naive.TopErrors.Select(e => Inv($"{e.Code} {e.Count}"))),
                Report.N(NaiveOnly(r.Naive, r.Ours).Count),
            ]),
            "lll"));
        sb.AppendLine();
        sb.AppendLine("naive-only = methods that compiled when wrapped alone but have no seed of ours with the same file and method name (overloads share a name, so this is a lower bound).");
        foreach (var r in rows.Where(r => NaiveOnly(r.Naive, r.Ours).Count > 0))
        {
            sb.AppendLine(Inv($"- {Path.GetFileName(r.Dir.TrimEnd('/'))}: {string.Join(", ", NaiveOnly(r.Naive, r.Ours).Take(8).Select(m => $"`{m.Path}` {m.Name}"))}{(NaiveOnly(r.Naive, r.Ours).Count > 8 ? ", …" : "")}"));
        }
        var failures = rows.SelectMany(r => r.Ours.BlockFailures.Select(f => $"{Path.GetFileName(r.Dir.TrimEnd('/'))}: {f}")).ToList();
        if (failures.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Response blocks that did NOT compile:");
            foreach (var f in failures.Take(20))
            {
                sb.AppendLine($"- {f}");
            }
        }

        Console.WriteLine(sb.ToString());
        await Console.Out.FlushAsync();
        return rows.All(r => r.Naive.Documented == r.Ours.Documented && r.Ours.BlocksCompiled == r.Ours.Blocks) ? 0 : 1;
    }

    /// <summary>Naive successes with no seed of ours of the same method name in the same file.</summary>
    private static List<(string Path, string Name)> NaiveOnly(Naive naive, Ours ours)
    {
        var byName = ours.Seeds.ToLookup(s => s.Name, s => s.Path, StringComparer.Ordinal);
        return [.. naive.Successes
            .Where(n => !byName[n.Name].Any(p => p == n.Path || p.EndsWith("/" + n.Path, StringComparison.Ordinal)))
            .Distinct()
            .Order()];
    }

    /// <summary>The real harvester: the Release CLI in a child process, then every response block recompiled.</summary>
    private static Ours RunOurs(string dir, string configPath)
    {
        var tmp = NewTempDir("yield");
        try
        {
            var outDir = Path.Combine(tmp, "out");
            List<string> cliArgs = ["harvest", "--lang", "csharp", "--source", dir, "--out", outDir];
            if (File.Exists(configPath))
            {
                cliArgs.AddRange(["--config", configPath]);
            }

            var meter = new Load.Meter();
            var r = Child.RunCli(cliArgs, tmp, TimeSpan.FromMinutes(30));
            var otherLoad = meter.Stop(r.CpuSeconds).OtherCores;
            if (r.ExitCode != 0)
            {
                throw new InvalidOperationException($"harvest of {dir} failed ({r.ExitCode}):\n{r.Stdout}\n{r.Stderr}");
            }

            using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "manifest.json")));
            var m = manifest.RootElement;
            var counts = m.GetProperty("counts");
            var rejected = counts.GetProperty("seeds_rejected").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
            var rows = counts.GetProperty("rows").EnumerateObject().Sum(p => p.Value.GetInt64());

            // Spot-check: every row is judged again as the validator judges it (a doc-comment row: its context compiles,
            // the response is one member, that member compiles spliced in place of its stub, its body is not in the instruction).
            var validator = new CompileValidator(new RoslynCompiler());
            var blocks = new List<(string Where, Core.Model.Candidate Candidate)>();
            var seeds = new List<(string Path, string Name)>();
            foreach (var file in Directory.EnumerateFiles(Path.Combine(outDir, "jsonl"), "*.jsonl").Order(StringComparer.Ordinal))
            {
                var line = 0;
                foreach (var text in File.ReadLines(file))
                {
                    line++;
                    if (text.Length == 0)
                    {
                        continue;
                    }

                    using var row = JsonDocument.Parse(text);
                    var response = row.RootElement.GetProperty("response").GetString() ?? "";
                    var path = row.RootElement.GetProperty("source_path").GetString() ?? "";
                    var instruction = row.RootElement.GetProperty("instruction").GetString() ?? "";
                    if (CodeBlocks.FirstCSharp(response) is { } member
                        && MemberSplice.OnlyMember(member, CancellationToken.None, out _) is MethodDeclarationSyntax parsed)
                    {
                        seeds.Add((path, parsed.Identifier.Text));
                    }

                    blocks.Add(($"{Path.GetFileName(file)}:{line} ({path})", new Core.Model.Candidate
                    {
                        Task = row.RootElement.GetProperty("task").GetString() ?? "",
                        Instruction = instruction,
                        Response = response,
                        Generator = "",
                        PromptVersion = "",
                        Provenance = new Core.Model.Provenance("", path, "", "", ""),
                        SeedId = "",
                    }));
                }
            }

            var failures = new ConcurrentBag<string>();
            Parallel.ForEach(blocks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, b =>
            {
                var judged = validator.ValidateAsync(b.Candidate, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                if (judged.Verdict != Core.Model.Verdict.Passed)
                {
                    failures.Add($"{b.Where}: {judged.Verdict}: {judged.Detail.Split('\n')[0]}");
                }
            });

            return new Ours(
                counts.GetProperty("files").GetInt64(),
                counts.GetProperty("documented_methods").GetInt64(),
                counts.GetProperty("self_contained").GetInt64(),
                counts.GetProperty("seed_yield").GetDouble(),
                rows,
                r.Elapsed,
                r.PeakRssBytes,
                rejected,
                blocks.Count,
                blocks.Count - failures.Count,
                [.. failures.Order(StringComparer.Ordinal)],
                seeds)
            { OtherLoad = otherLoad };
        }
        finally
        {
            TryDelete(tmp);
        }
    }

    /// <summary>
    /// The naive way: the same files (FileWalker finds and reads them, as the harvester does), the same documented
    /// methods, each compiled alone inside a class named like its containing type, with the file's using directives.
    /// </summary>
    private static Naive RunNaive(string dir, ExtractionConfig extraction, RoslynCompiler compiler)
    {
        var sw = Stopwatch.StartNew();
        var walker = new FileWalker(extraction);
        var stats = new RunStats(TimeProvider.System);
        var units = new List<(string Path, string Name, string Code, bool Gated)>();
        long files = 0;
        foreach (var path in walker.FindFiles(dir, stats))
        {
            files++;
            var (text, skip) = walker.Read(path);
            if (skip is not null)
            {
                continue;
            }

            var tree = CSharpSyntaxTree.ParseText(text!, ReferenceSet.AnalysisParseOptions, path: path);
            var root = (CompilationUnitSyntax)tree.GetRoot();
            if (root.Members.Count == 0 && root.ContainsDiagnostics)
            {
                continue; // not C#: the harvester skips it the same way
            }

            var usings = FileUsings(root);
            var rel = Path.GetRelativePath(dir, path).Replace('\\', '/');
            units.AddRange(SeedExtractor.DocumentedMethods(root).Select(m => (rel, m.Identifier.Text, WrapAlone(m, usings), Gated(m))));
        }

        var compiled = 0L;
        var kept = 0L;
        var successes = new ConcurrentBag<(string Path, string Name)>();
        var errors = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        Parallel.ForEach(units, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, unit =>
        {
            var r = compiler.Compile(unit.Code, CancellationToken.None);
            if (r.Success)
            {
                Interlocked.Increment(ref compiled);
                if (!unit.Gated)
                {
                    Interlocked.Increment(ref kept);
                }

                successes.Add((unit.Path, unit.Name));
            }
            else
            {
                var code = ErrorCode(r.Errors[0]);
                errors.AddOrUpdate(code, 1, (_, n) => n + 1);
            }
        });

        sw.Stop();
        var top = errors.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(3).Select(kv => (kv.Key, kv.Value)).ToList();
        return new Naive(files, units.Count, compiled, sw.Elapsed, top, [.. successes], kept);
    }

    /// <summary>True when the harvester's seed gates leave the method out (<c>trivial</c>, <c>uninformative-doc</c>).</summary>
    private static bool Gated(MethodDeclarationSyntax method) =>
        SeedGates.Trivial(method) is not null
        || DocCommentReader.Read(method) is not { } doc
        || SeedGates.Uninformative(doc, method.Identifier.Text, ((BaseTypeDeclarationSyntax)method.Parent!).Identifier.Text, method.ParameterList.Parameters.Select(p => p.Identifier.Text));

    /// <summary>Every using directive of the file (top level and inside namespaces), global ones first, each once.</summary>
    private static List<string> FileUsings(CompilationUnitSyntax root)
    {
        var all = root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .OfType<UsingDirectiveSyntax>()
            .ToList();
        return [.. all.OrderBy(u => u.GlobalKeyword.IsKind(SyntaxKind.None) ? 1 : 0)
            .Select(u => u.WithoutTrivia().ToFullString())
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The method alone in a class named like its containing type (with its type parameters and constraints).</summary>
    internal static string WrapAlone(MethodDeclarationSyntax method, IReadOnlyList<string> usings)
    {
        var type = (TypeDeclarationSyntax)method.Parent!;
        var isStatic = type.Modifiers.Any(m => m.IsKind(SyntaxKind.StaticKeyword));
        var sb = new StringBuilder();
        foreach (var u in usings)
        {
            sb.AppendLine(u);
        }

        sb.AppendLine();
        sb.Append(isStatic ? "public static class " : "public class ").Append(type.Identifier.Text);
        sb.Append(type.TypeParameterList?.WithoutTrivia().ToFullString() ?? "");
        foreach (var c in type.ConstraintClauses)
        {
            sb.Append(' ').Append(c.WithoutTrivia().ToFullString());
        }

        sb.AppendLine().AppendLine("{");
        sb.Append("    ").AppendLine(method.WithoutLeadingTrivia().WithoutTrailingTrivia().ToFullString());
        sb.AppendLine("}");
        return sb.ToString();
    }

    private static string ErrorCode(string error)
    {
        var i = error.IndexOf("error ", StringComparison.Ordinal);
        if (i < 0)
        {
            return "?";
        }

        var rest = error[(i + 6)..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? rest[..colon] : rest;
    }
}
