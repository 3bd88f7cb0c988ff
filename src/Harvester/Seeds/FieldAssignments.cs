using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Harvester.Seeds;

/// <summary>
/// Where a project's code writes its fields: the targets of assignments (compound ones, deconstructions and object
/// initializers too), of <c>++</c>/<c>--</c> and of <c>ref</c>/<c>out</c> arguments, anywhere in the compilation. A unit's compiler warns
/// that a field is never assigned (CS0649) when the member that sets it was left out of the unit; that is no defect of
/// the row when the project sets it. Indexed by name on first use, once per compilation; a name's candidates are bound
/// only when asked.
/// </summary>
internal sealed class FieldAssignments(Compilation compilation)
{
    private readonly Lazy<ILookup<string, SyntaxNode>> _targets = new(() => Index(compilation));

    /// <summary>True when some code of the compilation writes <paramref name="field"/> (its own initializer aside).</summary>
    public bool IsAssigned(IFieldSymbol field, Func<SyntaxTree, SemanticModel> models)
    {
        ArgumentNullException.ThrowIfNull(field);
        var original = field.OriginalDefinition;
        return _targets.Value[field.Name].Any(target =>
            models(target.SyntaxTree).GetSymbolInfo(target).Symbol is IFieldSymbol bound
            && SymbolEqualityComparer.Default.Equals(bound.OriginalDefinition, original));
    }

    private static ILookup<string, SyntaxNode> Index(Compilation compilation) =>
        compilation.SyntaxTrees
            .SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            .Where(IsWritten)
            .ToLookup(name => name.Identifier.ValueText, name => (SyntaxNode)name, StringComparer.Ordinal);

    /// <summary>True when the name is what an assignment, increment or <c>ref</c>/<c>out</c> argument writes.</summary>
    private static bool IsWritten(SimpleNameSyntax name)
    {
        // `f`, `this.f`, `x.f`, `x?.f` all write through the name at the right of the access.
        SyntaxNode target = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
        // An element of a deconstruction, `(_a, _b) = Pair()`, nested or not, is written too.
        while (target.Parent is ArgumentSyntax { Parent: TupleExpressionSyntax tuple } element && element.RefKindKeyword.IsKind(SyntaxKind.None))
        {
            target = tuple;
        }

        return target.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == target,
            PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax => target.Parent.IsKind(SyntaxKind.PreIncrementExpression)
                || target.Parent.IsKind(SyntaxKind.PreDecrementExpression) || target.Parent.IsKind(SyntaxKind.PostIncrementExpression)
                || target.Parent.IsKind(SyntaxKind.PostDecrementExpression),
            ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None) && !argument.RefKindKeyword.IsKind(SyntaxKind.InKeyword),
            _ => false,
        };
    }
}
