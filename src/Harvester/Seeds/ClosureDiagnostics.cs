using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoRefiner.Harvester.Seeds;

/// <summary>
/// The compiler errors a closure checks, asked of one compilation and kept for every closure of it: a helper many
/// documented methods call, or a base list many types repeat, is diagnosed once rather than once per seed. Only what a
/// closure needs is bound: a member whose body the unit keeps is diagnosed whole; a stub (its body becomes
/// <c>=&gt; throw null!</c>) and a base type only by their declaration, so no body a seed does not need is bound. Not
/// shared between compilations: the same tree can mean other things in another project's compilation.
/// </summary>
/// <remarks>
/// A tree's syntax and declaration errors are asked once, for the whole tree, and each node takes those within its span:
/// Roslyn answers a declaration query for a span by walking every symbol of the compilation to find the ones declared
/// there, so thousands of small queries cost far more than one per tree. Bodies are asked per node, at the method-body
/// stage only (<see cref="SemanticModel.GetMethodBodyDiagnostics"/>), so that walk is not repeated for them either.
/// </remarks>
internal sealed class ClosureDiagnostics
{
    private readonly ConcurrentDictionary<(SyntaxNode Node, bool Bodies), ImmutableArray<Diagnostic>> _errors = new();
    private readonly ConcurrentDictionary<BaseTypeSyntax, bool> _brokenBases = new();
    private readonly ConcurrentDictionary<SyntaxTree, Lazy<ImmutableArray<Diagnostic>>> _declarationErrors = new();

    /// <summary>
    /// The errors reported within <paramref name="node"/>; with <paramref name="bodies"/> false, only those of its syntax and
    /// declaration (its signature, attributes and constraints), without binding its bodies.
    /// </summary>
    public ImmutableArray<Diagnostic> ErrorsIn(SyntaxNode node, SemanticModel model, bool bodies, CancellationToken cancellationToken = default) =>
        _errors.GetOrAdd((node, bodies), key => Errors(key.Node, model, key.Bodies, cancellationToken));

    /// <summary>
    /// True when the project itself could not resolve a base it names (it came from a props file or a package). A call to
    /// a base constructor with arguments (<c>: Base(x)</c>) is code, so its arguments are bound too.
    /// </summary>
    public bool IsBroken(BaseTypeSyntax baseType, SemanticModel model, CancellationToken cancellationToken = default) =>
        _brokenBases.GetOrAdd(baseType, b => !Errors(b, model, bodies: b is PrimaryConstructorBaseTypeSyntax, cancellationToken).IsEmpty);

    private ImmutableArray<Diagnostic> Errors(SyntaxNode node, SemanticModel model, bool bodies, CancellationToken cancellationToken)
    {
        // GetDiagnostics(span) compiles every method body whose declaration meets the span: a type's base list would
        // bind the whole type. Syntax and declaration diagnostics bind signatures only.
        var declared = DeclarationErrors(node.SyntaxTree, model, cancellationToken) is { IsDefault: false } ofTree
            ? ofTree.Where(d => Meets(d, node.SyntaxTree, node.Span))
            : model.GetSyntaxDiagnostics(node.Span, cancellationToken).AddRange(model.GetDeclarationDiagnostics(node.Span, cancellationToken))
                .Where(d => d.Severity == DiagnosticSeverity.Error);
        var all = bodies
            ? declared.Concat(model.GetMethodBodyDiagnostics(node.Span, cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error))
            : declared;
        return [.. all];
    }

    /// <summary>
    /// The errors of a tree's syntax and declarations, asked once per tree; default when asking failed, so that only the
    /// node at hand falls back to its own span's query rather than every member of the file failing with it (a failed
    /// answer is not kept, and the next node asks again).
    /// </summary>
    private ImmutableArray<Diagnostic> DeclarationErrors(SyntaxTree tree, SemanticModel model, CancellationToken cancellationToken)
    {
        var errors = _declarationErrors.GetOrAdd(tree, _ => new Lazy<ImmutableArray<Diagnostic>>(() =>
            [.. model.GetSyntaxDiagnostics(cancellationToken: cancellationToken)
                .Concat(model.GetDeclarationDiagnostics(cancellationToken: cancellationToken))
                .Where(d => d.Severity == DiagnosticSeverity.Error)]));
        try
        {
            return errors.Value;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _declarationErrors.TryRemove(new KeyValuePair<SyntaxTree, Lazy<ImmutableArray<Diagnostic>>>(tree, errors));
            return default;
        }
    }

    /// <summary>
    /// True when a diagnostic lies in <paramref name="span"/> of <paramref name="tree"/>, as Roslyn filters a query for a
    /// span: its location, or one of its additional locations, intersects it.
    /// </summary>
    private static bool Meets(Diagnostic diagnostic, SyntaxTree tree, TextSpan span) =>
        Within(diagnostic.Location, tree, span) || diagnostic.AdditionalLocations.Any(l => Within(l, tree, span));

    private static bool Within(Location location, SyntaxTree tree, TextSpan span) =>
        location.SourceTree == tree && span.IntersectsWith(location.SourceSpan);
}
