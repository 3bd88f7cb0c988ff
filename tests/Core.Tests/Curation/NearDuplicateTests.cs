using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.State;
using AutoRefiner.State;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Core.Tests.Curation;

public sealed class NearDuplicateTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly CurationConfig Config = new();

    private static uint[] Signature(string code)
    {
        var tokens = new List<uint>();
        CodeTokens.Tokenize(code, tokens);
        return new MinHasher(Config.MinHashPermutations, Config.ShingleSize).Signature(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(tokens));
    }

    private const string Original = """
        public static int CountVowels(string text)
        {
            var count = 0;
            foreach (var ch in text.ToLowerInvariant())
            {
                if ("aeiou".Contains(ch))
                {
                    count++;
                }
            }

            return count;
        }
        """;

    [Fact]
    public void Tokens_IgnoreLayoutCommentsAndLocalNames_ButKeepApisAndLiterals()
    {
        List<uint> Tokens(string code)
        {
            var list = new List<uint>();
            CodeTokens.Tokenize(code, list);
            return list;
        }

        Assert.Equal(Tokens("int f(int a) { return a + 1; }"), Tokens("int f(int b)\n{\n    // the next one\n    return b + 1; /* done */\n}"));
        Assert.NotEqual(Tokens("var m = Math.Max(a, b);"), Tokens("var m = Math.Min(a, b);"));
        Assert.NotEqual(Tokens("return x + 1;"), Tokens("return x + 2;"));
        Assert.NotEqual(Tokens("list.Add(item);"), Tokens("list.Remove(item);"));
    }

    [Fact]
    public void Index_RenamedAndReformattedCopies_AreNearDuplicates_ADifferentMethodIsNot()
    {
        var index = new NearDuplicateIndex(Config.MinHashPermutations, Config.NearDuplicateThreshold);
        index.Add("original", Signature(Original));

        var renamed = System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Replace(Original, @"\bcount\b", "total"), @"\bch\b", "c"), @"\btext\b", "input");
        var reformatted = "public static int CountVowels(string text) {\n  var count = 0; // running total\n  foreach (var ch in text.ToLowerInvariant()) { if (\"aeiou\".Contains(ch)) { count++; } }\n  return count;\n}";
        var different = """
            public static int CountWords(string text)
            {
                var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return words.Length;
            }
            """;

        Assert.Equal("original", index.Find(Signature(renamed))?.Id);
        Assert.Equal("original", index.Find(Signature(reformatted))?.Id);
        Assert.Null(index.Find(Signature(different)));
    }

    /// <summary>A small type as someone might copy it: its names all changed and its layout redone.</summary>
    private const string Thresholds = """
        public static class Thresholds
        {
            private const int MaxRetries = 5;
            private const double Backoff = 1.5;

            public static TimeSpan DelayFor(int attempt, TimeSpan initial)
            {
                var capped = Math.Min(attempt, MaxRetries);
                var factor = Math.Pow(Backoff, capped);
                return TimeSpan.FromMilliseconds(initial.TotalMilliseconds * factor);
            }
        }
        """;

    [Fact]
    public void Tokens_RenamingEveryDeclaredName_ChangesNothing_WhileTheApisCalledStillCount()
    {
        static List<uint> Tokens(string code)
        {
            var list = new List<uint>();
            CodeTokens.Tokenize(code, list);
            return list;
        }

        var renamed = """
            public static class RetryPolicy { private const int Limit = 5; private const double Growth = 1.5;
              public static TimeSpan Wait(int Try, TimeSpan First) { var Clamped = Math.Min(Try, Limit); var Scale = Math.Pow(Growth, Clamped);
                return TimeSpan.FromMilliseconds(First.TotalMilliseconds * Scale); } }
            """;

        Assert.Equal(Tokens(Thresholds), Tokens(renamed));
        Assert.NotEqual(Tokens(Thresholds), Tokens(renamed.Replace("Math.Min", "Math.Max", StringComparison.Ordinal)));
        Assert.NotEqual(Tokens(Thresholds), Tokens(renamed.Replace("1.5", "2.5", StringComparison.Ordinal)));
        Assert.Equal(Tokens("enum Color { Red, Green } class Box<T> { T Item; Color Paint = Color.Red; }"), Tokens("enum Hue { Crimson, Lime } class Crate<TValue> { TValue Content; Hue Tint = Hue.Crimson; }"));
    }

    [Fact]
    public void Tokens_AMethodWithOrWithoutTheClassAroundIt_NumbersItsNamesAlike()
    {
        static List<uint> Tokens(string code)
        {
            var list = new List<uint>();
            CodeTokens.Tokenize(code, list);
            return list;
        }

        // A benchmark's bare solution and a model's copy of it wrapped in a class of its own, every name changed: the
        // class's name must not shift the numbering of the method's names, or the copy would share no sequence with it.
        var bare = Tokens("""
            public static bool HasCloseElements(List<double> numbers, double threshold) {
                for (int idx = 0; idx < numbers.Count; idx++)
                    for (int idx2 = idx + 1; idx2 < numbers.Count; idx2++)
                        if (Math.Abs(numbers[idx] - numbers[idx2]) < threshold) return true;
                return false;
            }
            """);
        var wrapped = Tokens("""
            public static class Proximity
            {
                public static bool AnyTwoClose(List<double> Values, double Limit)
                {
                    for (int a = 0; a < Values.Count; a++)
                        for (int b = a + 1; b < Values.Count; b++)
                            if (Math.Abs(Values[a] - Values[b]) < Limit) return true;
                    return false;
                }
            }
            """);

        Assert.Contains(Enumerable.Range(0, wrapped.Count - bare.Count + 1), start => wrapped.Skip(start).Take(bare.Count).SequenceEqual(bare));
    }

    [Fact]
    public void Curator_ARenamedReformattedCopyCollapsesIntoTheOriginal_ASimilarlyShapedMethodIsKept()
    {
        static Model.Judged Sample(string code) => new(
            new Model.Candidate
            {
                Task = "doc-comments", Instruction = "Compute a retry delay.", Response = AutoRefiner.Core.Text.CodeBlocks.Fence(code), Generator = "g", PromptVersion = "p",
                Provenance = new Model.Provenance("o/r", "a.cs", "", "mit", ""), SeedId = "s",
            },
            Model.Verdict.Passed,
            "");
        var curator = new NearDuplicateCurator(Config, store: null);
        var copy = """
            // from our utilities
            public static class RetryPolicy
            {
                private const int Limit = 5;
                private const double Growth = 1.5;
                public static TimeSpan Wait(int Try, TimeSpan First)
                {
                    var Clamped = Math.Min(Try, Limit);
                    var Scale = Math.Pow(Growth, Clamped);
                    return TimeSpan.FromMilliseconds(First.TotalMilliseconds * Scale);
                }
            }
            """;
        var similarShape = """
            public static class Thresholds
            {
                private const int MaxItems = 50;
                private const double Ratio = 0.75;

                public static int CapacityFor(int count, int reserve)
                {
                    var capped = Math.Max(count, MaxItems);
                    var grown = (int)Math.Ceiling(capped / Ratio);
                    return checked(grown + reserve);
                }
            }
            """;

        Assert.Equal(Model.Verdict.Passed, curator.Curate(Sample(Thresholds)).Verdict);
        var judged = curator.Curate(Sample(copy));
        Assert.Equal(Model.Verdict.Duplicate, judged.Verdict);
        Assert.Equal(Model.Verdict.Passed, curator.Curate(Sample(similarShape)).Verdict);
    }

    [Fact]
    public void Signature_IsDeterministic()
    {
        Assert.Equal(Signature(Original), Signature(Original));
        Assert.Equal(Signature(Original), new MinHasher(256, 5).Signature(Tokens(Original)));

        static uint[] Tokens(string code)
        {
            var list = new List<uint>();
            CodeTokens.Tokenize(code, list);
            return [.. list];
        }
    }

    [Fact]
    public void BandsFor_TheDefaults_PutsTheCurveJustBelowTheThreshold()
    {
        var (bands, rows) = NearDuplicateIndex.BandsFor(256, 0.7);

        Assert.Equal((32, 8), (bands, rows)); // candidates from ~0.65; the exact check decides at 0.70
    }

    /// <summary>
    /// Precision and recall on a labelled set built from this repository's own methods and small types: every third
    /// method gets a copy with its locals renamed, one reformatted and one with every declared name (the method's own,
    /// parameters, locals) renamed in PascalCase; every second small type gets a copy with its name, constants, members,
    /// parameters and locals renamed and its layout redone; the rest are genuinely different. Figures are recorded in
    /// docs/benchmarks.md.
    /// </summary>
    [Fact]
    public void LabelledSet_PrecisionAndRecall_AreHigh()
    {
        var (items, duplicates) = LabelledSet.Build();
        var index = new NearDuplicateIndex(Config.MinHashPermutations, Config.NearDuplicateThreshold);
        var truePositives = 0;
        var falsePositives = 0;
        var falseNegatives = 0;
        var keptGroups = new HashSet<int>();
        foreach (var (id, group, code) in items)
        {
            var signature = Signature(code);
            var found = index.Find(signature);
            var groupSeen = keptGroups.Contains(group);
            if (found is { } twin)
            {
                if (items.First(i => i.Id == twin.Id).Group == group)
                {
                    truePositives++;
                }
                else
                {
                    falsePositives++;
                }
            }
            else
            {
                falseNegatives += groupSeen ? 1 : 0;

                index.Add(id, signature);
                keptGroups.Add(group);
            }
        }

        var precision = (double)truePositives / Math.Max(1, truePositives + falsePositives);
        var recall = (double)truePositives / Math.Max(1, truePositives + falseNegatives);
        output.WriteLine($"precision {precision:P1}, recall {recall:P1} ({truePositives} TP, {falsePositives} FP, {falseNegatives} FN, {items.Count} items, {duplicates} labelled copies)");
        Assert.True(duplicates >= 100, $"only {duplicates} labelled copies");
        Assert.True(precision >= 0.95 && recall >= 0.9, $"precision {precision:P1}, recall {recall:P1} ({truePositives} TP, {falsePositives} FP, {falseNegatives} FN, {items.Count} items)");
    }

    [Fact]
    public void Curator_KeepsWhatEarlierRunsKept_AndDropsTheirNearCopies()
    {
        var dir = Directory.CreateTempSubdirectory("autorefiner-neardup-").FullName;
        try
        {
            Model.Judged Sample(string code) => new(
                new Model.Candidate
                {
                    Task = "doc-comments", Instruction = "Count vowels.", Response = AutoRefiner.Core.Text.CodeBlocks.Fence(code), Generator = "g", PromptVersion = "p",
                    Provenance = new Model.Provenance("o/r", "a.cs", "", "mit", ""), SeedId = "s",
                },
                Model.Verdict.Passed,
                "");
            using (var store = StateStore.Open(Path.Combine(dir, "s.db")))
            {
                var first = new NearDuplicateCurator(Config, store.Signatures);
                Assert.Equal(Model.Verdict.Passed, first.Curate(Sample(Original)).Verdict);
            }

            using (var store = StateStore.Open(Path.Combine(dir, "s.db")))
            {
                var later = new NearDuplicateCurator(Config, store.Signatures);
                Assert.Equal(Model.Verdict.Passed, later.Curate(Sample(Original)).Verdict); // the same sample again
                var copy = later.Curate(Sample(System.Text.RegularExpressions.Regex.Replace(Original, @"\bcount\b", "n")));
                Assert.Equal(Model.Verdict.Duplicate, copy.Verdict);
                Assert.Contains("near-duplicate of sample", copy.Detail, StringComparison.Ordinal);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>A labelled near-duplicate set made from this repository's own source.</summary>
internal static class LabelledSet
{
    public static (List<(string Id, int Group, string Code)> Items, int Duplicates) Build()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "AutoRefiner.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        var methods = Directory.GetFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f)).GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            .Where(m => m.Body is not null && m.Body.Statements.Count >= 3)
            .Select(m => m.ToString())
            .Distinct(StringComparer.Ordinal)
            .Take(400)
            .ToList();
        var types = Directory.GetFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f)).GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>())
            // A type holding one method and nothing else is that method with a wrapper around it: the method may be an
            // item of its own, and the two are the same code, so such a type is no "different" item.
            .Where(t => !(t.Members.Count == 1 && t.Members[0] is MethodDeclarationSyntax))
            .Select(t => t.ToString())
            .Where(t => t.Count(c => c == '\n') is >= 6 and <= 40)
            .Distinct(StringComparer.Ordinal)
            .Take(150)
            .ToList();
        var items = new List<(string, int, string)>();
        var duplicates = 0;
        for (var g = 0; g < methods.Count; g++)
        {
            items.Add(($"m{g}", g, methods[g]));
            if (g % 3 == 0)
            {
                items.Add(($"m{g}-renamed", g, Rename(methods[g])));
                items.Add(($"m{g}-reformatted", g, Reformat(methods[g])));
                items.Add(($"m{g}-all-renamed", g, RenameDeclared(methods[g], wrap: true)));
                duplicates += 3;
            }
        }

        // Small types whose every declared name (the type, its constants, members, parameters, locals) is renamed.
        for (var k = 0; k < types.Count; k++)
        {
            var g = methods.Count + k;
            items.Add(($"t{k}", g, types[k]));
            if (k % 2 == 0)
            {
                items.Add(($"t{k}-all-renamed", g, Reformat(RenameDeclared(types[k], wrap: false))));
                duplicates++;
            }
        }

        // Copies come later than their originals, as in a real stream, but interleaved with other methods.
        return ([.. items.OrderBy(i => i.Item1.Contains('-') ? 1 : 0).ThenBy(i => i.Item2)], duplicates);
    }

    /// <summary>Renames every local and parameter (v1, v2, …), as someone copying the method would.</summary>
    private static string Rename(string code)
    {
        var method = CSharpSyntaxTree.ParseText("class C\n{\n" + code + "\n}").GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First();
        var names = method.ParameterList.Parameters.Select(p => p.Identifier.Text)
            .Concat(method.DescendantNodes().OfType<VariableDeclaratorSyntax>().Select(v => v.Identifier.Text))
            .Concat(method.DescendantNodes().OfType<ForEachStatementSyntax>().Select(f => f.Identifier.Text))
            .Distinct(StringComparer.Ordinal)
            .Select((name, i) => (name, replacement: $"renamed{i}Value"))
            .ToDictionary(p => p.name, p => p.replacement, StringComparer.Ordinal);
        var renamed = method.ReplaceTokens(
            method.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken) && names.ContainsKey(t.Text)),
            (t, _) => SyntaxFactory.Identifier(t.LeadingTrivia, names[t.Text], t.TrailingTrivia));
        return renamed.ToFullString();
    }

    /// <summary>
    /// Renames every name the code declares — types, methods, properties, fields and constants, parameters, locals, type
    /// parameters, enum members — to PascalCase names of its own, as someone disguising a copy would.
    /// </summary>
    private static string RenameDeclared(string code, bool wrap)
    {
        var root = CSharpSyntaxTree.ParseText(wrap ? "class C\n{\n" + code + "\n}" : code).GetRoot();
        SyntaxNode unit = wrap ? root.DescendantNodes().OfType<MethodDeclarationSyntax>().First() : root.DescendantNodes().OfType<TypeDeclarationSyntax>().First();
        var declared = unit.DescendantNodesAndSelf().Select(n => n switch
            {
                BaseTypeDeclarationSyntax t => t.Identifier,
                MethodDeclarationSyntax m => m.Identifier,
                PropertyDeclarationSyntax p => p.Identifier,
                VariableDeclaratorSyntax v => v.Identifier,
                ParameterSyntax p => p.Identifier,
                TypeParameterSyntax t => t.Identifier,
                ForEachStatementSyntax f => f.Identifier,
                SingleVariableDesignationSyntax d => d.Identifier,
                EnumMemberDeclarationSyntax e => e.Identifier,
                LocalFunctionStatementSyntax l => l.Identifier,
                _ => default,
            })
            .Where(t => t.IsKind(SyntaxKind.IdentifierToken) && t.Text.Length > 0)
            .Select(t => t.Text)
            .Distinct(StringComparer.Ordinal)
            .Select((name, i) => (name, replacement: $"Disguised{i}Name"))
            .ToDictionary(p => p.name, p => p.replacement, StringComparer.Ordinal);
        var renamed = unit.ReplaceTokens(
            unit.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken) && declared.ContainsKey(t.Text)),
            (t, _) => SyntaxFactory.Identifier(t.LeadingTrivia, declared[t.Text], t.TrailingTrivia));
        return renamed.ToFullString();
    }

    /// <summary>The same method laid out differently, with a comment added.</summary>
    private static string Reformat(string code) =>
        "// copied from elsewhere\n" + CSharpSyntaxTree.ParseText(code).GetRoot().NormalizeWhitespace(indentation: "\t", eol: "\r\n").ToFullString();
}
