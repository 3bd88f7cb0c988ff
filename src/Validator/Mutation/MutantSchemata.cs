using System.Globalization;
using AutoRefiner.CSharp;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoRefiner.Validator.Mutation;

/// <summary>
/// Builds the mutants of a solution as one assembly (mutant schemata): the solution with every mutant behind a check of
/// <c>__ArMutant.Id</c>, compiled once with the tests. Mutants are deterministic (the same code gives the same mutants
/// with the same ids), spread over the solution's members and over the mutation operators, and each one compiles: a
/// mutant that would not (a changed literal where a byte is needed, a removed assignment a later read depends on) is
/// dropped and the rest compiled again. Thread-safe.
/// </summary>
internal static class MutantSchemata
{
    /// <summary>Most rounds of dropping mutants that do not compile.</summary>
    private const int MaxRounds = 6;

    private static readonly string[] KindOrder = ["relational", "equality", "logical", "arithmetic", "negate", "return-default", "remove-statement", "constant"];

    private static readonly SyntaxTree SwitchTree = CSharpSyntaxTree.ParseText(SchemataRewriter.SwitchSource, ReferenceSet.ParseOptions, path: "Mutants.g.cs");

    /// <summary>The mutants of a solution, compiled.</summary>
    /// <param name="Image">The schemata assembly (solution, every mutant, tests); null when there is no mutant or no build.</param>
    /// <param name="Mutants">The mutants to run, at most the cap asked for; empty when the solution has no place to mutate.</param>
    /// <param name="Reusable">No static state could carry from one mutant's run to the next: one loaded assembly serves them all.</param>
    /// <param name="Problem">Why no mutant could be built although the solution has sites, or null.</param>
    public sealed record Result(byte[]? Image, IReadOnlyList<Mutant> Mutants, bool Reusable, string? Problem);

    /// <summary>
    /// Up to <paramref name="cap"/> mutants of <paramref name="solution"/> (only within <paramref name="scope"/> of it when
    /// given: the one member a <c>tests</c> row is about), compiled with <paramref name="tests"/>.
    /// </summary>
    public static Result Build(string solution, string tests, int cap, TextSpan? scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(solution);
        ArgumentNullException.ThrowIfNull(tests);
        return cap <= 0 ? new Result(null, [], true, null) : DeepCode.Run(() => BuildHere(solution, tests, cap, scope, cancellationToken));
    }

    private static Result BuildHere(string solution, string tests, int cap, TextSpan? scope, CancellationToken cancellationToken)
    {
        var solutionTree = CSharpSyntaxTree.ParseText(solution, ReferenceSet.ParseOptions, path: TestAssemblyBuilder.SolutionFile, cancellationToken: cancellationToken);
        var testsTree = CSharpSyntaxTree.ParseText(tests, ReferenceSet.ParseOptions, path: TestAssemblyBuilder.TestsFile, cancellationToken: cancellationToken);
        var original = CSharpCompilation.Create(
            "Mutants_" + Guid.NewGuid().ToString("N")[..12],
            [ReferenceSet.ImplicitUsingsTree, TestAssemblyBuilder.XunitUsing, solutionTree, testsTree],
            TestAssemblyBuilder.References,
            ReferenceSet.LibraryOptions);
        var model = original.GetSemanticModel(solutionTree);
        var all = Ordered(MutationSites.Find(model, solutionTree, scope, cancellationToken));
        if (all.Count == 0)
        {
            return new Result(null, [], true, null);
        }

        // The switch's name is reserved: code that declares or names it would take the switch's place (the mutants would
        // not compile, or the worker would set the wrong field) and its tests would go unchecked.
        if (NamesTheSwitch(solutionTree, cancellationToken) || NamesTheSwitch(testsTree, cancellationToken))
        {
            return new Result(null, [], true, $"the code names {SchemataRewriter.SwitchClass}, which mutation testing reserves for its switch");
        }

        var reusable = !HasMutableStatics(original, solutionTree, testsTree, cancellationToken);

        // Three times the cap are compiled, so that the cap is still reached when some of them do not compile.
        var pool = all.Take(Math.Max(cap * 3, cap + 10)).ToDictionary(s => s.Id);
        var degraded = new HashSet<int>();
        for (var round = 0; round < MaxRounds && pool.Count > 0; round++)
        {
            var bySite = pool.Values.GroupBy(s => s.Node).ToDictionary(g => g.Key, g => g.OrderBy(s => s.Id).ToList());
            var root = new SchemataRewriter(bySite).Visit(solutionTree.GetRoot(cancellationToken))!;
            var mutatedTree = CSharpSyntaxTree.Create((CSharpSyntaxNode)root, ReferenceSet.ParseOptions, TestAssemblyBuilder.SolutionFile);
            var compilation = original.ReplaceSyntaxTree(solutionTree, mutatedTree).AddSyntaxTrees(SwitchTree);
            var errors = compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count == 0)
            {
                using var pe = new MemoryStream();
                var emitted = compilation.Emit(pe, cancellationToken: cancellationToken);
                if (!emitted.Success)
                {
                    break;
                }

                var chosen = pool.Values.OrderBy(s => s.Id).Take(cap).ToList();
                return new Result(pe.ToArray(), [.. chosen.Select(s => Describe(s, solutionTree.GetText(cancellationToken)))], reusable, null);
            }

            var dropped = Culprits(errors, mutatedTree.GetRoot(cancellationToken), pool, degraded);
            if (dropped.Count == 0)
            {
                break;
            }

            foreach (var id in dropped)
            {
                pool.Remove(id);
            }
        }

        return new Result(null, [], reusable, pool.Count == 0
            ? "no mutant of the solution compiles"
            : "the mutants of the solution could not be compiled together");
    }

    /// <summary>
    /// Sites in a deterministic order that spreads them: members take turns (the first site of each member, then the
    /// second…), and within a member the mutation operators take turns. Ids follow this order, from 1.
    /// </summary>
    private static List<MutationSite> Ordered(List<MutationSite> sites)
    {
        var members = sites.Select(s => s.Member).Distinct().OrderBy(m => m.SpanStart).Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i);
        var ranked = sites
            .GroupBy(s => s.Member)
            .SelectMany(member => member
                .GroupBy(s => s.Kind)
                .SelectMany(kind => kind.OrderBy(s => s.Node.SpanStart).Select((s, rank) => (Site: s, Rank: rank, Kind: Array.IndexOf(KindOrder, s.Kind))))
                .OrderBy(x => x.Rank).ThenBy(x => x.Kind).ThenBy(x => x.Site.Node.SpanStart)
                .Select((x, turn) => (x.Site, Turn: turn)))
            .OrderBy(x => x.Turn).ThenBy(x => members[x.Site.Member]);
        return [.. ranked.Select((x, i) => x.Site with { Id = i + 1 })];
    }

    /// <summary>
    /// The mutants behind compile errors: the one whose mutated part holds the error; else (an error a mutant causes
    /// elsewhere, such as a variable no longer assigned) first the statement-level mutants of that member, then all of it.
    /// </summary>
    private static HashSet<int> Culprits(List<Diagnostic> errors, SyntaxNode root, Dictionary<int, MutationSite> pool, HashSet<int> degraded)
    {
        var culprits = new HashSet<int>();
        foreach (var error in errors)
        {
            var node = error.Location.SourceTree == root.SyntaxTree ? root.FindNode(error.Location.SourceSpan, getInnermostNodeForTie: true) : null;
            var inside = node?.AncestorsAndSelf().SelectMany(a => a.GetAnnotations(SchemataRewriter.MutatedAnnotation)).FirstOrDefault();
            if (inside?.Data is { } data)
            {
                culprits.Add(int.Parse(data, CultureInfo.InvariantCulture));
                continue;
            }

            var member = node?.AncestorsAndSelf().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or BaseFieldDeclarationSyntax);
            var ids = (member ?? root).DescendantNodesAndSelf()
                .SelectMany(n => n.GetAnnotations(SchemataRewriter.SwitchAnnotation))
                .Select(a => int.Parse(a.Data!, CultureInfo.InvariantCulture))
                .Where(pool.ContainsKey)
                .ToList();
            var key = member?.SpanStart ?? -1;
            culprits.UnionWith(degraded.Add(key) ? ids.Where(id => pool[id].ActsBeyondItself) : ids);
        }

        return culprits;
    }

    /// <summary>
    /// Static fields or auto-properties whose value a run could change: with them, each mutant gets a fresh load. The
    /// tests' own <c>static readonly</c> data (an array of cases) is not counted: tests read it, and a solution that wrote
    /// into its input would fail its tests on the original too.
    /// </summary>
    private static bool HasMutableStatics(CSharpCompilation compilation, SyntaxTree solution, SyntaxTree tests, CancellationToken cancellationToken)
    {
        foreach (var tree in new[] { solution, tests })
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var declarator in tree.GetRoot(cancellationToken).DescendantNodes().OfType<VariableDeclaratorSyntax>())
            {
                if (declarator.Parent?.Parent is BaseFieldDeclarationSyntax
                    && model.GetDeclaredSymbol(declarator, cancellationToken) is IFieldSymbol { IsStatic: true, IsConst: false } field
                    && !(field.IsReadOnly && (IsImmutable(field.Type) || tree == tests)))
                {
                    return true;
                }
            }

            foreach (var property in tree.GetRoot(cancellationToken).DescendantNodes().OfType<PropertyDeclarationSyntax>())
            {
                if (property.Modifiers.Any(SyntaxKind.StaticKeyword)
                    && property.AccessorList?.Accessors.All(a => a.Body is null && a.ExpressionBody is null) == true
                    && (property.AccessorList.Accessors.Count > 1 || model.GetDeclaredSymbol(property, cancellationToken) is not { Type: var type } || !IsImmutable(type)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsImmutable(ITypeSymbol type) =>
        type.SpecialType is not SpecialType.None and not SpecialType.System_Object and not SpecialType.System_Array || type.TypeKind == TypeKind.Enum;

    /// <summary>A mutant as a small diff of the original lines it changes.</summary>
    private static Mutant Describe(MutationSite site, SourceText text)
    {
        var node = site.Node;
        if (site.Shape == SiteShape.ReturnDefault)
        {
            var body = (BlockSyntax)node;
            var first = body.Statements.FirstOrDefault() is { } statement ? Lines(text, statement.Span).First() : "}";
            var line = text.Lines.GetLineFromPosition((body.Statements.FirstOrDefault() ?? (SyntaxNode)body).SpanStart).LineNumber + 1;
            return new Mutant(site.Id, site.Kind, site.MemberName, line, $"+ return default;\n  {first}");
        }

        var span = node.Span;
        var startLine = text.Lines.GetLineFromPosition(span.Start);
        var endLine = text.Lines.GetLineFromPosition(span.End);
        var whole = TextSpan.FromBounds(startLine.Start, endLine.End);
        var before = text.ToString(whole);
        var replacement = site.Shape == SiteShape.RemoveStatement ? "" : site.Replacement!.WithoutTrivia().ToFullString();
        var after = before[..(span.Start - whole.Start)] + replacement + before[(span.End - whole.Start)..];
        var diff = string.Join('\n', Shown(before).Select(l => "- " + l));
        if (!string.IsNullOrWhiteSpace(after))
        {
            diff += "\n" + string.Join('\n', Shown(after).Select(l => "+ " + l));
        }

        return new Mutant(site.Id, site.Kind, site.MemberName, startLine.LineNumber + 1, diff);
    }

    private static List<string> Lines(SourceText text, TextSpan span) => Shown(text.ToString(span));

    private static List<string> Shown(string lines)
    {
        var all = lines.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return all.Count <= 6 ? all : [.. all.Take(5), "…"];
    }

    private static bool NamesTheSwitch(SyntaxTree tree, CancellationToken cancellationToken) =>
        tree.GetRoot(cancellationToken).DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == SchemataRewriter.SwitchClass);
}
