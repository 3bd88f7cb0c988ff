using System.Diagnostics;
using System.Text;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static AutoRefiner.Bench.BenchEnv;

namespace AutoRefiner.Bench;

/// <summary>
/// <c>decontam &lt;dir&gt;...</c>: false positives of the built-in evaluation sets on real code. Every method of every C#
/// file (its doc comment as the instruction, its text as the code) and every whole file is matched against the shipped
/// humaneval-cs and mbpp-cs, as the curator matches samples; real code is not a benchmark item, so every hit is a false
/// positive, and each is listed with where it is and why it matched.
/// </summary>
internal static class DecontaminationBench
{
    public static Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            throw new BenchUsageException("decontam needs at least one directory of C# code");
        }

        var config = new CurationConfig();
        var index = new BenchmarkIndex(config.BenchmarkNgram);
        var items = BuiltinBenchmarks.LoadInto(index);
        var sb = new StringBuilder();
        sb.AppendLine("## Decontamination: false positives of the built-in sets on real code");
        sb.AppendLine();
        sb.AppendLine(MachineSection());
        sb.AppendLine(Inv($"- command: `dotnet run -c Release --project bench/AutoRefiner.Bench -- decontam {string.Join(' ', args.Select(Path.GetFileName))}`"));
        sb.AppendLine(Inv($"- index: {items} built-in items ({string.Join(", ", index.Benchmarks.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"))}), {config.BenchmarkNgram}-grams"));
        sb.AppendLine();
        sb.AppendLine("| code base | files | methods | units matched | false positives |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        var hits = new List<string>();
        var clock = Stopwatch.StartNew();
        foreach (var dir in args)
        {
            int files = 0, methods = 0, flagged = 0;
            foreach (var file in Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var text = File.ReadAllText(file);
                files++;
                var root = CSharpSyntaxTree.ParseText(text).GetRoot();
                var where = Path.GetRelativePath(dir, file);
                if (index.Match("", text) is { } fileHit)
                {
                    flagged++;
                    hits.Add(Inv($"{Path.GetFileName(dir)}/{where} (whole file): {fileHit}"));
                }

                foreach (var method in root.DescendantNodes().OfType<BaseMethodDeclarationSyntax>())
                {
                    methods++;
                    var doc = string.Concat(method.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia)).Select(t => t.ToString()));
                    if (index.Match(doc, method.ToString()) is { } hit)
                    {
                        flagged++;
                        hits.Add(Inv($"{Path.GetFileName(dir)}/{where}:{method.GetLocation().GetLineSpan().StartLinePosition.Line + 1}: {hit}"));
                    }
                }
            }

            sb.AppendLine(Inv($"| {Path.GetFileName(dir)} | {files:N0} | {methods:N0} | {files + methods:N0} | {flagged} |"));
        }

        sb.AppendLine();
        sb.AppendLine(Inv($"Matched in {clock.Elapsed.TotalSeconds:0.0} s."));
        sb.AppendLine();
        sb.AppendLine(hits.Count == 0 ? "No unit was flagged." : "Flagged units:\n\n" + string.Join('\n', hits.Select(h => "- " + h)));
        Console.Write(sb.ToString());
        return Task.FromResult(0);
    }
}
