using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using AutoRefiner.Core.Config;
using AutoRefiner.CSharp;
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
internal sealed partial class SeedExtractor(ICodeCompiler compiler, ExtractionConfig config)
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

        /// <summary>The body is empty, only throws, returns one literal or member, or forwards its arguments in one call.</summary>
        public const string Trivial = "trivial";

        /// <summary>The documentation says nothing the member's, type's and parameters' names do not.</summary>
        public const string UninformativeDoc = "uninformative-doc";

        /// <summary>A documented property, indexer, event or destructor: not a member this row form asks for.</summary>
        public const string OtherKind = "other-kind";

        /// <summary>The target's body text appears elsewhere in its context, so the instruction would hold the answer.</summary>
        public const string BodyInContext = "body-in-context";

        /// <summary>
        /// Its doc comment or body holds a branch of <c>#if</c> that its project's build does not compile, so the doc may
        /// describe code the row does not have.
        /// </summary>
        public const string ConditionalCode = "conditional-code";

        /// <summary>
        /// A test method (<c>[Fact]</c>, <c>[Theory]</c>, <c>[Test]</c>, <c>[TestCase]</c>, <c>[TestMethod]</c>, …): its
        /// row would ask for a test body without saying it is one, and its attributes are not part of the member a row shows.
        /// </summary>
        public const string TestMethod = "test-method";

        /// <summary>Its doc is <c>&lt;inheritdoc/&gt;</c> and the doc it names or inherits is not in the source.</summary>
        public const string InheritDocUnresolved = "inheritdoc-unresolved";

        /// <summary>The extractor failed on this method (a bug to report; the run goes on).</summary>
        public const string ExtractorError = "extractor-error";
    }

    /// <summary>Documented methods analysed with one set of semantic models.</summary>
    public const int MethodsPerBatch = 500;

    /// <summary>
    /// Members started and not yet taken in order: one member's closure can take a hundred times another's, and the
    /// results leave in source order, so a narrow window would idle the other cores behind one slow member.
    /// </summary>
    public const int Window = 64;

    /// <summary>Files of one project, analysed together (with the SDK's implicit usings).</summary>
    /// <param name="Files">Its readable C# files: their documented methods become seeds.</param>
    /// <param name="ExtraUsings">
    /// What its project files add with <c>&lt;Using&gt;</c> items, as the text after <c>global using</c>
    /// (<c>global::System.Text</c>, <c>CharSpan = global::System.ReadOnlySpan&lt;char&gt;</c>, <c>static global::System.Math</c>).
    /// </param>
    public sealed record Group(IReadOnlyList<SourceFile> Files, IReadOnlyList<string> ExtraUsings)
    {
        /// <summary>Files of the projects it references: they resolve names, and code may be taken from them.</summary>
        public IReadOnlyList<SourceFile> Context { get; init; } = [];

        /// <summary>Trees parsed for other groups of the same harvest, shared with them; null: this group parses its own.</summary>
        public SyntaxTreeCache? Trees { get; init; }

        /// <summary>
        /// Slots shared with the groups analysed at the same time, one per core: a member's closure and unit take one, so
        /// concurrent groups together do not run more of them than there are cores. Null: only <c>parallelism</c> bounds them.
        /// </summary>
        public SemaphoreSlim? Cores { get; init; }
    }

    /// <summary>Streams the group's seeds in source order, compiling up to <paramref name="parallelism"/> units at once.</summary>
    public async IAsyncEnumerable<Seed> ExtractAsync(
        Group group, RunStats stats, int parallelism, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(stats);
        var all = group.Files.Concat(group.Context).ToList();
        var parsed = new SyntaxTree[all.Count];
        Parallel.For(0, parsed.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, i =>
        {
            var file = all[i];
            // #if is read with the symbols of the file's own project build, as that build compiled it.
            parsed[i] = group.Trees is { } trees
                ? trees.GetOrParse(file, cancellationToken)
                : CSharpSyntaxTree.ParseText(file.Text, SyntaxTreeCache.OptionsOf(file), path: file.RelativePath, cancellationToken: cancellationToken);
        });

        var trees = new List<SyntaxTree>();
        var fileOf = new Dictionary<SyntaxTree, SourceFile>();
        for (var i = 0; i < parsed.Length; i++)
        {
            var root = (CompilationUnitSyntax)parsed[i].GetRoot(cancellationToken);
            var own = i < group.Files.Count;
            if (SyntaxDepth.IsTooDeep(root))
            {
                // Analysing it could overflow the stack and end the whole run.
                if (own)
                {
                    stats.SkipFile(Local.FileWalker.Reasons.TooDeep);
                }

                continue;
            }

            if (root.ContainsDiagnostics && !root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
                    .Any(n => n is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax))
            {
                // Text with syntax errors that declares no type is not C#, whatever its name says.
                if (own)
                {
                    stats.SkipFile(Local.FileWalker.Reasons.NotCSharp);
                }

                continue;
            }

            trees.Add(parsed[i]);
            if (own)
            {
                fileOf[parsed[i]] = all[i];
            }
        }

        // The SDK's implicit usings are in every sample's compilation anyway; the project file's own <Using> items
        // are written into units that need them, like a source file's usings.
        var implicitTree = GlobalUsings(ReferenceSet.ImplicitUsings.Select(u => $"global::{u}"), "ImplicitUsings.g.cs", cancellationToken);
        var clashes = ImplicitUsingClashes.Aliases(trees.Select(t => (CompilationUnitSyntax)t.GetRoot(cancellationToken)));
        var projectTree = GlobalUsings(group.ExtraUsings.Concat(clashes), "ProjectUsings.g.cs", cancellationToken);
        var compilation = ReferenceSet.Library.AddSyntaxTrees([implicitTree, projectTree, .. trees]);

        var globalUsings = trees
            .Prepend(projectTree)
            .SelectMany(t => ((CompilationUnitSyntax)t.GetRoot(cancellationToken)).Usings)
            .Where(u => !u.GlobalKeyword.IsKind(SyntaxKind.None))
            .ToList();

        var methods = new List<(BaseMethodDeclarationSyntax Method, SourceFile File)>();
        foreach (var tree in trees.Where(fileOf.ContainsKey))
        {
            var root = tree.GetRoot(cancellationToken);
            foreach (var method in DocumentedMembers(root))
            {
                stats.CountDocumentedMethod();
                methods.Add((method, fileOf[tree]));
            }

            foreach (var other in DocumentedOtherMembers(root))
            {
                // Properties, indexers and events are not a task of this form yet; counted so the user sees what was left.
                stats.RejectSeed(Reasons.OtherKind, $"{fileOf[tree].RelativePath}:{other.GetLocation().GetLineSpan().StartLinePosition.Line + 1} {other.Kind()}");
            }
        }

        // Semantic models cache every body they bind; fresh ones per batch keep memory flat however many methods a
        // project has.
        var diagnostics = new ClosureDiagnostics();
        var assignments = new FieldAssignments(compilation);
        foreach (var batch in methods.Chunk(MethodsPerBatch))
        {
            var models = new ConcurrentDictionary<SyntaxTree, SemanticModel>();
            SemanticModel Model(SyntaxTree tree) => models.GetOrAdd(tree, t => compilation.GetSemanticModel(t));
            var results = batch.ToAsyncEnumerable().SelectAsync(
                parallelism,
                Math.Max(Window, parallelism),
                async (m, ct) =>
                {
                    if (group.Cores is { } cores)
                    {
                        await cores.WaitAsync(ct).ConfigureAwait(false);
                    }

                    try
                    {
                        return (m.Method, m.File, Result: SafeExtract(m.Method, m.File, Model, diagnostics, assignments, globalUsings, ct));
                    }
                    finally
                    {
                        group.Cores?.Release();
                    }
                },
                cancellationToken);
            await foreach (var (method, file, (seed, reason, detail)) in results.WithCancellation(cancellationToken))
            {
                if (seed is not null)
                {
                    stats.CountSelfContained();
                    yield return seed;
                    continue;
                }

                stats.RejectSeed(reason!, detail);
                if (config.InspirationSeeds && reason is Reasons.Unresolved or Reasons.TooLarge or Reasons.NotSelfContained or Reasons.InheritDocUnresolved
                    && method is MethodDeclarationSyntax plain && Inspiration(plain, file, DocCommentReader.Read(method)) is { } idea)
                {
                    stats.CountInspiration();
                    yield return idea;
                }
            }
        }

        if (config.InspirationSeeds)
        {
            // Undocumented methods cannot make doc-comment pairs, but a meaningful one is as good an idea as any.
            foreach (var tree in trees.Where(fileOf.ContainsKey))
            {
                foreach (var method in UndocumentedMethods(tree.GetRoot(cancellationToken)))
                {
                    if (Inspiration(method, fileOf[tree], null) is { } idea)
                    {
                        stats.CountInspiration();
                        yield return idea;
                    }
                }
            }
        }
    }

    /// <summary>Methods with a body and no XML doc summary nor <c>&lt;inheritdoc/&gt;</c> (those are documented members), in source order.</summary>
    public static IEnumerable<MethodDeclarationSyntax> UndocumentedMethods(SyntaxNode root) =>
        root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
            .OfType<MethodDeclarationSyntax>()
            .Where(m => (m.Body is not null || m.ExpressionBody is not null) && m.Parent is TypeDeclarationSyntax
                        && !DocCommentReader.HasSummary(m) && DocCommentReader.InheritDoc(m) is null);

    /// <summary>
    /// An inspiration seed: the method as written, inside its type's declaration line, when it is meaningful (a few
    /// statements of real work, not a test, an entry point or a boilerplate override) and not longer than
    /// <c>extraction.max-seed-lines</c>; else null.
    /// </summary>
    internal Seed? Inspiration(MethodDeclarationSyntax method, SourceFile file, DocComment? doc)
    {
        var name = method.Identifier.Text;
        if (name is "Main" or "ToString" or "GetHashCode" or "Equals" or "Dispose" or "DisposeAsync" or "InitializeComponent"
            || method.AttributeLists.SelectMany(l => l.Attributes).Any(a => TestAttribute().IsMatch(a.Name.ToString())))
        {
            return null;
        }

        var statements = method.Body is { } body
            ? body.DescendantNodes().OfType<StatementSyntax>().Count(s => s is not BlockSyntax)
            : method.ExpressionBody!.Expression.Span.Length >= 60 ? 2 : 0;
        var lines = method.SyntaxTree.GetLineSpan(method.Span);
        var lineCount = lines.EndLinePosition.Line - lines.StartLinePosition.Line + 1;
        if (statements < 2 || lineCount < 3 || lineCount + 4 > config.MaxSeedLines)
        {
            return null;
        }

        var type = (TypeDeclarationSyntax)method.Parent!;
        var header = Flatten(string.Join(' ', type.Modifiers.Select(m => m.Text)) + $" {type.Keyword.Text} {type.Identifier.Text}{type.TypeParameterList}");
        var text = Dedent(method.ToFullString());
        var code = $"{header}\n{{\n{string.Join('\n', text.Split('\n').Select(l => l.Length == 0 ? l : "    " + l))}\n}}\n";
        return new Seed
        {
            Id = ContentHash.Of(code),
            Name = name,
            Signature = Signature(method),
            ContainingType = header,
            Doc = doc ?? new DocComment { Summary = "" },
            Code = code,
            SelfContained = false,
            Provenance = Permalink(file.Provenance, method),
        };
    }

    /// <summary>The method with its comments, without the blank lines before it and the indentation it had in its file.</summary>
    private static string Dedent(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n').SkipWhile(string.IsNullOrWhiteSpace).ToList();
        var indent = lines.Count == 0 ? "" : lines[0][..(lines[0].Length - lines[0].TrimStart().Length)];
        return string.Join('\n', lines.Select(l => indent.Length > 0 && l.StartsWith(indent, StringComparison.Ordinal) ? l[indent.Length..] : l.TrimStart())).TrimEnd();
    }

    private static SyntaxTree GlobalUsings(IEnumerable<string> bodies, string path, CancellationToken cancellationToken) =>
        CSharpSyntaxTree.ParseText(
            string.Concat(bodies.Distinct().Select(u => $"global using {u};\n")), ReferenceSet.HarvestParseOptions, path: path, cancellationToken: cancellationToken);

    /// <summary>Methods with a body and an XML doc <c>summary</c>, in source order.</summary>
    public static IEnumerable<MethodDeclarationSyntax> DocumentedMethods(SyntaxNode root) =>
        root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
            .OfType<MethodDeclarationSyntax>()
            .Where(m => (m.Body is not null || m.ExpressionBody is not null) && m.Parent is TypeDeclarationSyntax && DocCommentReader.HasSummary(m));

    /// <summary>
    /// Methods, constructors, operators and conversion operators with a body and an XML doc <c>summary</c> (or an
    /// <c>&lt;inheritdoc/&gt;</c>, resolved when the seed is extracted), in source order: the members a doc-comment row can ask for.
    /// </summary>
    public static IEnumerable<BaseMethodDeclarationSyntax> DocumentedMembers(SyntaxNode root) =>
        root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
            .OfType<BaseMethodDeclarationSyntax>()
            .Where(m => m is MethodDeclarationSyntax or ConstructorDeclarationSyntax or OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax
                && (m.Body is not null || m.ExpressionBody is not null) && m.Parent is TypeDeclarationSyntax
                && (DocCommentReader.HasSummary(m) || DocCommentReader.InheritDoc(m) is not null));

    /// <summary>Documented members with code that are not <see cref="DocumentedMembers"/> (properties, indexers, events, destructors).</summary>
    public static IEnumerable<MemberDeclarationSyntax> DocumentedOtherMembers(SyntaxNode root) =>
        root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
            .OfType<MemberDeclarationSyntax>()
            .Where(m => m is BasePropertyDeclarationSyntax { AccessorList: { } accessors } && accessors.Accessors.Any(a => a.Body is not null || a.ExpressionBody is not null)
                        || m is PropertyDeclarationSyntax { ExpressionBody: not null } or IndexerDeclarationSyntax { ExpressionBody: not null } or DestructorDeclarationSyntax)
            .Where(m => m.Parent is TypeDeclarationSyntax && DocCommentReader.HasSummary(m));

    /// <summary>The name a member is known by in counts and rows: the method's or type's name, <c>operator +</c>, <c>implicit operator Money</c>.</summary>
    public static string NameOf(BaseMethodDeclarationSyntax member) => member switch
    {
        MethodDeclarationSyntax m => m.Identifier.Text,
        ConstructorDeclarationSyntax c => c.Identifier.Text,
        OperatorDeclarationSyntax o => "operator " + o.OperatorToken.Text,
        ConversionOperatorDeclarationSyntax c => $"{c.ImplicitOrExplicitKeyword.Text} operator {Flatten(c.Type.ToString())}",
        _ => member.Kind().ToString(),
    };

    /// <summary>
    /// One odd method must not end a long run: a failure of the extractor itself is counted (<c>extractor-error</c>,
    /// with the exception in the examples) and the run goes on.
    /// </summary>
    private (Seed? Seed, string? Reason, string? Detail) SafeExtract(
        BaseMethodDeclarationSyntax method,
        SourceFile file,
        Func<SyntaxTree, SemanticModel> models,
        ClosureDiagnostics diagnostics,
        FieldAssignments assignments,
        IReadOnlyList<UsingDirectiveSyntax> globalUsings,
        CancellationToken cancellationToken)
    {
        try
        {
            return Extract(method, file, models, diagnostics, assignments, globalUsings, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, Reasons.ExtractorError, $"{file.RelativePath} {NameOf(method)}: {e.GetType().Name}: {e.Message}");
        }
    }

    private (Seed? Seed, string? Reason, string? Detail) Extract(
        BaseMethodDeclarationSyntax method,
        SourceFile file,
        Func<SyntaxTree, SemanticModel> models,
        ClosureDiagnostics diagnostics,
        FieldAssignments assignments,
        IReadOnlyList<UsingDirectiveSyntax> globalUsings,
        CancellationToken cancellationToken)
    {
        var where = $"{file.RelativePath}:{method.GetLocation().GetLineSpan().StartLinePosition.Line + 1} {NameOf(method)}";
        var doc = DocCommentReader.Read(method);
        if (doc is null && DocCommentReader.InheritDoc(method) is not null)
        {
            // The row's instruction is written from the doc the member inherits, as its readers see it.
            var (inherited, why) = InheritedDoc.Resolve(method, models);
            if (inherited is null)
            {
                return (null, Reasons.InheritDocUnresolved, $"{where}: {why}");
            }

            doc = inherited;
        }

        if (doc is null)
        {
            return (null, Reasons.Unsupported, $"{where}: the XML doc comment is not well-formed XML");
        }

        if (config.SeedGates)
        {
            if (SeedGates.TestAttribute(method) is { } attribute)
            {
                return (null, Reasons.TestMethod, $"{where}: [{attribute}]");
            }

            if (SeedGates.ConditionalCode(method) is { } inactive)
            {
                return (null, Reasons.ConditionalCode, $"{where}: {inactive}");
            }

            if (SeedGates.Trivial(method) is { } why)
            {
                return (null, Reasons.Trivial, $"{where}: {why}");
            }

            if (SeedGates.Uninformative(doc, NameOf(method), ((BaseTypeDeclarationSyntax)method.Parent!).Identifier.Text, method.ParameterList.Parameters.Select(p => p.Identifier.Text)))
            {
                return (null, Reasons.UninformativeDoc, $"{where}: \"{doc.Summary}\"");
            }
        }

        var closure = DependencyClosure.Build(method, models, maxMembers: Math.Max(8, config.MaxSeedLines / 2), maxLines: config.MaxSeedLines, diagnostics);
        if (closure.Failure is not null)
        {
            return (null, closure.FailureReason, $"{where}: {closure.Failure}");
        }

        var code = UnitEmitter.Emit(closure, models, globalUsings);
        var lines = code.Count(c => c == '\n');
        if (lines > config.MaxSeedLines)
        {
            return (null, Reasons.TooLarge, $"{where}: {lines} lines with {closure.Members.Count} members");
        }

        var result = compiler.Compile(code, cancellationToken);
        if (!result.Success)
        {
            DumpRejectedUnit(where, code, result.Errors);
            return (null, Reasons.NotSelfContained, $"{where}: {result.Errors[0]}");
        }

        // A field the target reads may be set only in code the unit leaves out or stubs (a constructor, a member the target
        // never calls, a derived type): that is fine, the unit is an API surface to write the member against. A field no
        // code of its project writes is a defect still.
        if (result.DefectWarnings.FirstOrDefault(w => !SetElsewhere(closure, FieldNamed(w), models, assignments)) is { } defect)
        {
            return (null, Reasons.NotSelfContained, $"{where}: {defect}");
        }

        code = WithoutLines(code, result.UnusedUsingLines);

        var type = (TypeDeclarationSyntax)method.Parent!;
        var parts = MemberSplice.Cut(code, type.Identifier.Text, MemberSplice.Key(method), cancellationToken: cancellationToken);
        if (parts is null)
        {
            return (null, Reasons.Unsupported, $"{where}: the member is not found once in the unit written for it");
        }

        var context = compiler.Check(parts.Context, cancellationToken);
        if (!context.Success && method is ConstructorDeclarationSyntax ctor && StubInitializer(ctor, models(ctor.SyntaxTree)) is { } initializer
            && MemberSplice.Cut(code, type.Identifier.Text, MemberSplice.Key(method), initializer, cancellationToken) is { } chained)
        {
            // Without its initializer the stub calls base() implicitly, which the base class may not have (or the type
            // has a primary constructor to chain to): the stub then chains to the same constructor with default arguments.
            parts = chained;
            context = compiler.Check(parts.Context, cancellationToken);
        }

        if (!context.Success)
        {
            DumpRejectedUnit(where, parts.Context, context.Errors);
            return (null, Reasons.NotSelfContained, $"{where}: with its body stubbed: {context.Errors[0]}");
        }

        if (MemberSplice.Leaks(parts.Body, parts.Context))
        {
            // The answer would be in the question (a sibling overload with the same body, say).
            return (null, Reasons.BodyInContext, $"{where}: its body appears elsewhere in the context");
        }

        // Code written before nullable annotations: the row says so, and its context compiles the way its answer was written.
        var annotated = result.NullableWarnings == 0;
        return (new Seed
        {
            Id = ContentHash.Of(code),
            Name = NameOf(method),
            Context = annotated ? parts.Context : "#nullable disable\n" + parts.Context,
            NullableAnnotated = annotated,
            Member = parts.Member,
            Signature = Signature(method),
            ContainingType = Flatten(string.Join(' ', type.Modifiers.Where(m => m.Text is "static" or "abstract" or "sealed" or "readonly" or "ref").Select(m => m.Text))
                                     + $" {type.Keyword.Text} {type.Identifier.Text}{type.TypeParameterList}"),
            Doc = doc,
            Code = code,
            Dependencies = closure.Members.Count - 1,
            Provenance = Permalink(file.Provenance, method),
        }, null, null);
    }

    /// <summary>
    /// An initializer for a constructor's stub that reveals nothing of its arguments: the same <c>base</c>/<c>this</c>
    /// constructor called with <c>default(T)!</c> for each of its parameters (fully qualified, so the call binds to that
    /// overload); null when there is none to write (no initializer, an unbound one, or a <c>ref</c>/<c>out</c>/pointer parameter).
    /// </summary>
    private static string? StubInitializer(ConstructorDeclarationSyntax constructor, SemanticModel model)
    {
        if (constructor.Initializer is not { } initializer
            || model.GetSymbolInfo(initializer).Symbol is not IMethodSymbol called
            || called.Parameters.Any(p => p.RefKind is RefKind.Ref or RefKind.Out || p.Type is IPointerTypeSymbol or IFunctionPointerTypeSymbol))
        {
            return null;
        }

        var arguments = called.Parameters.Select(p => $"default({p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)})!");
        return $" : {initializer.ThisOrBaseKeyword.Text}({string.Join(", ", arguments)})";
    }

    /// <summary>
    /// The method's lines in its file (<c>10-24</c>, from its declaration to its closing brace), and the file link
    /// narrowed to them (<c>…/blob/&lt;sha&gt;/path#L10-L24</c>) when there is a link.
    /// </summary>
    private static Provenance Permalink(Provenance provenance, BaseMethodDeclarationSyntax method)
    {
        var lines = method.SyntaxTree.GetLineSpan(method.Span);
        var (start, end) = (lines.StartLinePosition.Line + 1, lines.EndLinePosition.Line + 1);
        var withLines = provenance with { Lines = $"{start}-{end}" };
        return provenance.Url.Length == 0 ? withLines : withLines with { Url = Core.Model.Permalink.WithLines(provenance.Url, start, end) };
    }

    /// <summary>
    /// With <c>AUTOREFINER_DUMP_UNITS</c> set to a directory, each unit that failed to compile is written there with its
    /// errors, so a user can see why a method was not self-contained.
    /// </summary>
    private static void DumpRejectedUnit(string where, string code, IReadOnlyList<string> errors)
    {
        if (Environment.GetEnvironmentVariable("AUTOREFINER_DUMP_UNITS") is not { Length: > 0 } dir)
        {
            return;
        }

        Directory.CreateDirectory(dir);
        var name = ContentHash.Of(where) + ".cs";
        File.WriteAllText(Path.Combine(dir, name), $"// {where}\n{string.Concat(errors.Select(e => $"// {e}\n"))}{code}");
    }

    /// <summary>
    /// Removes the usings the compiler found unnecessary: the project's global usings and a file's usings for code that
    /// was not taken would otherwise crowd every unit. Nothing binds through such a using, so removing it is safe.
    /// </summary>
    private static string WithoutLines(string code, IReadOnlyList<int> lines)
    {
        if (lines.Count == 0)
        {
            return code;
        }

        var all = code.Split('\n');
        var drop = lines.Where(l => l >= 1 && l <= all.Length && all[l - 1].TrimStart().StartsWith("using ", StringComparison.Ordinal)).ToHashSet();
        var kept = all.Where((_, i) => !drop.Contains(i + 1)).SkipWhile(l => drop.Count > 0 && l.Length == 0);
        return string.Join('\n', kept);
    }

    /// <summary>The field a "never assigned" warning names (<c>'Type._name'</c> → <c>_name</c>), or empty.</summary>
    /// <summary>
    /// True when the project writes the closure's field <paramref name="name"/> in code the unit left out (a member the
    /// target never calls, a derived type's, another file's): the unit is an API surface, so the field being set
    /// nowhere in it is no defect. A field no code of its project writes stays one.
    /// </summary>
    private static bool SetElsewhere(DependencyClosure closure, string name, Func<SyntaxTree, SemanticModel> models, FieldAssignments assignments) =>
        closure.Members
            .OfType<FieldDeclarationSyntax>()
            .SelectMany(f => f.Declaration.Variables)
            .Where(v => v.Identifier.ValueText == name)
            .Any(v => models(v.SyntaxTree).GetDeclaredSymbol(v) is IFieldSymbol field && assignments.IsAssigned(field, models));

    private static string FieldNamed(string warning) =>
        QuotedName().Match(warning) is { Success: true } m ? m.Groups[1].Value : "";

    [GeneratedRegex(@"'(?:[^']*\.)?([A-Za-z_@][A-Za-z0-9_]*)'")]
    private static partial Regex QuotedName();

    /// <summary>The method's declaration as written, on one line, without attributes or body.</summary>
    public static string Signature(BaseMethodDeclarationSyntax method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var header = method
            .WithAttributeLists(default)
            .WithBody(null)
            .WithExpressionBody(null)
            .WithSemicolonToken(default);

        // A constructor's `: base(…)`/`: this(…)` is part of what the model writes (its arguments are code), so the task
        // names the constructor without it, as the context's stub shows it.
        if (header is ConstructorDeclarationSyntax constructor)
        {
            header = constructor.WithInitializer(null);
        }

        // Without any trivia: comments, directives and inactive code inside the declaration would not match the response.
        var bare = header.ReplaceTrivia(header.DescendantTrivia(descendIntoTrivia: false), (_, _) => default);
        return Flatten(bare.NormalizeWhitespace(elasticTrivia: false).ToString());
    }

    /// <summary>One line: runs of white space become one space, none just inside brackets or before a comma.</summary>
    private static string Flatten(string text) =>
        InsideBrackets().Replace(Whitespace().Replace(text, " "), "$1").Trim();

    [GeneratedRegex(@"^(Xunit\.)?(Fact|Theory|Test|TestMethod|TestCase|DataTestMethod)(Attribute)?$")]
    private static partial Regex TestAttribute();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"([\(\[<]) | (?=[\)\],>])")]
    private static partial Regex InsideBrackets();
}
