using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Harvester.Seeds;

/// <summary>
/// The compiler errors a closure checks, asked of one compilation and kept for every closure of it: a helper many
/// documented methods call, or a base list many types repeat, is diagnosed once rather than once per seed. Only what a
/// closure needs is bound: a member whose body the unit keeps is diagnosed whole; a stub (its body becomes
/// <c>=&gt; throw null!</c>) and a base type only by their declaration, so no body a seed does not need is bound. Not
/// shared between compilations: the same tree can mean other things in another project's compilation.
/// </summary>
internal sealed class ClosureDiagnostics
{
    private readonly ConcurrentDictionary<(SyntaxNode Node, bool Bodies), ImmutableArray<Diagnostic>> _errors = new();
    private readonly ConcurrentDictionary<BaseTypeSyntax, bool> _brokenBases = new();

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

    private static ImmutableArray<Diagnostic> Errors(SyntaxNode node, SemanticModel model, bool bodies, CancellationToken cancellationToken)
    {
        // GetDiagnostics(span) compiles every method body whose declaration meets the span: a type's base list would
        // bind the whole type. Syntax and declaration diagnostics bind signatures only.
        var all = bodies
            ? model.GetDiagnostics(node.Span, cancellationToken)
            : model.GetSyntaxDiagnostics(node.Span, cancellationToken).AddRange(model.GetDeclarationDiagnostics(node.Span, cancellationToken));
        return [.. all.Where(d => d.Severity == DiagnosticSeverity.Error)];
    }
}
