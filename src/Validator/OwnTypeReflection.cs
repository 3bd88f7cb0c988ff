using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Validator;

/// <summary>
/// Proves, from the syntax, that a reflection invocation (<c>Invoke</c>, <c>GetValue</c>, <c>SetValue</c>,
/// <c>Activator.CreateInstance</c>) acts on a type the sample itself declares: its receiver is built from
/// <c>typeof(T)</c> of such a type by member look-ups (<c>GetConstructor</c>, <c>GetProperty</c>, <c>MakeGenericType</c>…),
/// directly or through locals assigned once. Test suites check a solution's shape and build it that way; nothing so
/// reached leaves the sample's assembly. Anything not proven so (a type reached by name, a base type, a framework
/// type) stays denied.
/// </summary>
internal static class OwnTypeReflection
{
    /// <summary>Look-ups that keep to the type they start from (members declared or inherited, generic instances).</summary>
    private static readonly HashSet<string> Lookups = new(StringComparer.Ordinal)
    {
        "MakeGenericType", "GetConstructor", "GetConstructors", "GetMethod", "GetMethods", "GetProperty", "GetProperties",
        "GetField", "GetFields", "GetEvent", "GetEvents", "GetMember", "GetMembers", "GetGetMethod", "GetSetMethod",
        "GetAddMethod", "GetRemoveMethod", "MakeGenericMethod", "GetDeclaredProperty", "GetDeclaredMethod",
        "GetDeclaredField", "GetDeclaredConstructor", "Single", "First", "FirstOrDefault", "SingleOrDefault",
    };

    private const int MaxSteps = 24;

    /// <summary>True when the invocation at <paramref name="node"/> acts on a type the compilation declares.</summary>
    public static bool Reaches(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(model);
        if (Call(node) is not { } call)
        {
            return false;
        }

        // Activator.CreateInstance(typeof(Own)) / CreateInstance<Own>(): the type is the first argument or the type argument.
        if (call.Expression is MemberAccessExpressionSyntax { Name: var name, Expression: var target }
            && model.GetSymbolInfo(target, cancellationToken).Symbol is INamedTypeSymbol { Name: "Activator" })
        {
            return name is GenericNameSyntax { TypeArgumentList.Arguments: [var typeArgument] }
                ? Own(model.GetTypeInfo(typeArgument, cancellationToken).Type, model)
                : call.ArgumentList.Arguments.FirstOrDefault() is { } first && Rooted(first.Expression, model, 0, cancellationToken);
        }

        return Receiver(call) is { } receiver && Rooted(receiver, model, 0, cancellationToken);
    }

    /// <summary>The invocation the flagged node belongs to (the call itself, its member access, or the member's name).</summary>
    private static InvocationExpressionSyntax? Call(SyntaxNode node)
    {
        for (var n = node; n is not null; n = n.Parent)
        {
            switch (n)
            {
                case InvocationExpressionSyntax invocation:
                    return invocation;
                case SimpleNameSyntax or MemberAccessExpressionSyntax or MemberBindingExpressionSyntax:
                    continue;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>What a call is made on: <c>x</c> of <c>x.Invoke()</c> and of <c>x?.Invoke()</c>.</summary>
    private static ExpressionSyntax? Receiver(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberAccessExpressionSyntax access => access.Expression,
        MemberBindingExpressionSyntax => call.FirstAncestorOrSelf<ConditionalAccessExpressionSyntax>()?.Expression,
        _ => null,
    };

    private static bool Rooted(ExpressionSyntax expression, SemanticModel model, int steps, CancellationToken cancellationToken)
    {
        if (steps > MaxSteps)
        {
            return false;
        }

        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return Rooted(parenthesized.Expression, model, steps + 1, cancellationToken);
            case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } bang:
                return Rooted(bang.Operand, model, steps + 1, cancellationToken);
            case TypeOfExpressionSyntax typeOf:
                return Own(model.GetTypeInfo(typeOf.Type, cancellationToken).Type, model);
            case ElementAccessExpressionSyntax element:
                return Rooted(element.Expression, model, steps + 1, cancellationToken);
            case ConditionalAccessExpressionSyntax conditional:
                return conditional.WhenNotNull is InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax binding }
                       && Lookups.Contains(binding.Name.Identifier.Text)
                       && Rooted(conditional.Expression, model, steps + 1, cancellationToken);
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
                when Lookups.Contains(access.Name.Identifier.Text):
                return Rooted(access.Expression, model, steps + 1, cancellationToken);
            case IdentifierNameSyntax identifier
                when model.GetSymbolInfo(identifier, cancellationToken).Symbol is ILocalSymbol local:
                return AssignedOnce(local, identifier, model, cancellationToken) is { } value && Rooted(value, model, steps + 1, cancellationToken);
            default:
                return false;
        }
    }

    /// <summary>The initializer of a local that is never assigned again in its method, or null.</summary>
    private static ExpressionSyntax? AssignedOnce(ILocalSymbol local, SyntaxNode use, SemanticModel model, CancellationToken cancellationToken)
    {
        if (local.DeclaringSyntaxReferences is not [var reference]
            || reference.GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: var value } declarator)
        {
            return null;
        }

        var body = declarator.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? (SyntaxNode)use.SyntaxTree.GetRoot(cancellationToken);
        foreach (var assignment in body.DescendantNodes().OfType<AssignmentExpressionSyntax>())
        {
            if (SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol, local))
            {
                return null;
            }
        }

        foreach (var argument in body.DescendantNodes().OfType<ArgumentSyntax>())
        {
            // Passed by ref or out, it could be replaced with anything.
            if (!argument.RefKindKeyword.IsKind(SyntaxKind.None)
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(argument.Expression, cancellationToken).Symbol, local))
            {
                return null;
            }
        }

        return value;
    }

    /// <summary>
    /// A type declared in the compilation's own source (a generic definition of it, instantiated with anything) whose
    /// base types are its own too, up to <c>object</c>, <c>ValueType</c> or <c>Enum</c>: look-ups with non-public
    /// flags also find inherited internal members, and those of a framework base type would reach the framework.
    /// </summary>
    private static bool Own(ITypeSymbol? type, SemanticModel model)
    {
        if (type is not INamedTypeSymbol named || !SymbolEqualityComparer.Default.Equals(named.OriginalDefinition.ContainingAssembly, model.Compilation.Assembly))
        {
            return false;
        }

        for (var b = named.BaseType; b is not null; b = b.BaseType)
        {
            if (b.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType or SpecialType.System_Enum)
            {
                return true;
            }

            if (!SymbolEqualityComparer.Default.Equals(b.OriginalDefinition.ContainingAssembly, model.Compilation.Assembly))
            {
                return false;
            }
        }

        return true;
    }
}
