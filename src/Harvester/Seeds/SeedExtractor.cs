using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.CSharp;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Harvester.Seeds;

/// <summary>
/// Finds the documented methods of a group of files (one project) and turns each into a self-contained seed: the
/// method with what it needs from its type and project (<see cref="DependencyClosure"/>), written as one unit
/// (<see cref="UnitEmitter"/>) and kept only when that unit compiles on its own against the base class library.
/// </summary>
public sealed partial class SeedExtractor(ICodeCompiler compiler, ExtractionConfig config)
{
    /// <summary>Reasons a documented method does not become a seed, as counted in the run statistics.</summary>
    public static class Reasons
    {
        /// <summary>It (or something it needs) uses what the base class library does not have.</summary>
        public const string Unresolved = "unresolved";

        /// <summary>The unit it needs is larger than <c>extraction.max-seed-lines</c>.</summary>
        public const string TooLarge = "too-large";

        /// <summary>The unit written for it does not compile on its own.</summary>
        public const string NotSelfContained = "not-self-contained";

        /// <summary>A construct the extractor does not cut out.</summary>
        public const string Unsupported = "unsupported";
    }

    /// <summary>Files of one project, analysed together.</summary>
    /// <param name="Files">Its readable C# files.</param>
    /// <param name="ImplicitUsings">Whether the project compiles with the SDK's implicit usings.</param>
    /// <param name="ExtraUsings">Namespaces its project file adds with <c>&lt;Using Include="…"/&gt;</c>.</param>
    public sealed record Group(IReadOnlyList<SourceFile> Files, bool ImplicitUsings, IReadOnlyList<string> ExtraUsings);

    /// <summary>Streams the group's seeds in source order, compiling up to <paramref name="parallelism"/> units at once.</summary>
    public async IAsyncEnumerable<Seed> ExtractAsync(
        Group group, RunStats stats, int parallelism, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(stats);
        var parsed = new SyntaxTree[group.Files.Count];
        Parallel.For(0, parsed.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, i =>
        {
            var file = group.Files[i];
            parsed[i] = CSharpSyntaxTree.ParseText(file.Text, ReferenceSet.AnalysisParseOptions, path: file.RelativePath, cancellationToken: cancellationToken);
        });

        var trees = new List<SyntaxTree>();
        var fileOf = new Dictionary<SyntaxTree, SourceFile>();
        for (var i = 0; i < parsed.Length; i++)
        {
            var root = (CompilationUnitSyntax)parsed[i].GetRoot(cancellationToken);
            if (root.Members.Count == 0 && root.ContainsDiagnostics)
            {
                // Text that does not parse into a single declaration is not C#, whatever its name says.
                stats.SkipFile(Local.FileWalker.Reasons.NotCSharp);
                continue;
            }

            trees.Add(parsed[i]);
            fileOf[parsed[i]] = group.Files[i];
        }

        var projectUsings = (group.ImplicitUsings ? ReferenceSet.ImplicitUsings : []).Concat(group.ExtraUsings).Distinct().ToList();
        var usingsTree = CSharpSyntaxTree.ParseText(
            string.Concat(projectUsings.Select(u => $"global using global::{u};\n")), ReferenceSet.AnalysisParseOptions, path: "ProjectUsings.g.cs", cancellationToken: cancellationToken);
        var compilation = CSharpCompilation.Create("Harvest", [usingsTree, .. trees], ReferenceSet.References, ReferenceSet.LibraryOptions);
        var models = new ConcurrentDictionary<SyntaxTree, SemanticModel>();
        SemanticModel Model(SyntaxTree tree) => models.GetOrAdd(tree, t => compilation.GetSemanticModel(t));

        var globalUsings = trees
            .SelectMany(t => ((CompilationUnitSyntax)t.GetRoot(cancellationToken)).Usings)
            .Where(u => !u.GlobalKeyword.IsKind(SyntaxKind.None))
            .ToList();

        var methods = new List<(MethodDeclarationSyntax Method, SourceFile File)>();
        foreach (var tree in trees)
        {
            foreach (var method in DocumentedMethods(tree.GetRoot(cancellationToken)))
            {
                stats.CountDocumentedMethod();
                methods.Add((method, fileOf[tree]));
            }
        }

        var results = methods.ToAsyncEnumerable().SelectAsync(
            parallelism,
            (m, ct) => ValueTask.FromResult(Extract(m.Method, m.File, Model, globalUsings, ct)),
            cancellationToken);
        await foreach (var (seed, reason) in results.WithCancellation(cancellationToken))
        {
            if (seed is not null)
            {
                stats.CountSelfContained();
                yield return seed;
            }
            else
            {
                stats.RejectSeed(reason!);
            }
        }
    }

    /// <summary>Methods with a body and an XML doc <c>summary</c>, in source order.</summary>
    public static IEnumerable<MethodDeclarationSyntax> DocumentedMethods(SyntaxNode root) =>
        root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
            .OfType<MethodDeclarationSyntax>()
            .Where(m => (m.Body is not null || m.ExpressionBody is not null) && m.Parent is TypeDeclarationSyntax && DocCommentReader.HasSummary(m));

    private (Seed? Seed, string? Reason) Extract(
        MethodDeclarationSyntax method,
        SourceFile file,
        Func<SyntaxTree, SemanticModel> models,
        IReadOnlyList<UsingDirectiveSyntax> globalUsings,
        CancellationToken cancellationToken)
    {
        var doc = DocCommentReader.Read(method);
        if (doc is null)
        {
            return (null, Reasons.Unsupported);
        }

        var closure = DependencyClosure.Build(method, models, maxMembers: Math.Max(8, config.MaxSeedLines / 2));
        if (closure.Failure is not null)
        {
            return (null, closure.FailureReason);
        }

        var code = UnitEmitter.Emit(closure, models, globalUsings);
        if (code.Count(c => c == '\n') > config.MaxSeedLines)
        {
            return (null, Reasons.TooLarge);
        }

        var result = compiler.Compile(code, cancellationToken);
        if (!result.Success)
        {
            return (null, Reasons.NotSelfContained);
        }

        var type = (TypeDeclarationSyntax)method.Parent!;
        return (new Seed
        {
            Id = ContentHash.Of(code),
            Name = method.Identifier.Text,
            Signature = Signature(method),
            ContainingType = Flatten(string.Join(' ', type.Modifiers.Where(m => m.Text is "static" or "abstract" or "sealed" or "readonly" or "ref").Select(m => m.Text))
                                     + $" {type.Keyword.Text} {type.Identifier.Text}{type.TypeParameterList}"),
            Doc = doc,
            Code = code,
            Dependencies = closure.Members.Count - 1,
            Provenance = file.Source.ProvenanceOf(file.RelativePath),
        }, null);
    }

    /// <summary>The method's declaration as written, on one line, without attributes or body.</summary>
    public static string Signature(MethodDeclarationSyntax method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var header = method
            .WithAttributeLists(default)
            .WithBody(null)
            .WithExpressionBody(null)
            .WithSemicolonToken(default)
            .WithoutTrivia();
        return Flatten(header.ToString());
    }

    private static string Flatten(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
