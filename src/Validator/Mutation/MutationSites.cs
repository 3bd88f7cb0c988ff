using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoRefiner.Validator.Mutation;

/// <summary>
/// Finds where a solution can be mutated, with the semantic model so that each mutation stays well-typed: operators
/// are changed only where the compiler's own (built-in) operator is used, not on strings, delegates or user types.
/// Sites that cannot be switched at run time are left out: constants (<c>const</c>, <c>case</c> labels, attribute
/// arguments, default parameter values) and static initialisers, which run once per loaded assembly, not per mutant.
/// </summary>
internal static class MutationSites
{
    /// <summary>Every site in <paramref name="tree"/> (within <paramref name="scope"/> when given), in source order.</summary>
    public static List<MutationSite> Find(SemanticModel model, SyntaxTree tree, TextSpan? scope, CancellationToken cancellationToken)
    {
        var sites = new List<MutationSite>();
        var root = tree.GetRoot(cancellationToken);
        foreach (var node in root.DescendantNodes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (scope is { } within && !within.Contains(node.Span))
            {
                continue;
            }

            if (Member(node) is not { } member || IsFixedAtLoad(node))
            {
                continue;
            }

            // An expression that declares a variable (out var, a pattern) cannot appear twice, mutated and original.
            if (node is ExpressionSyntax or ArrowExpressionClauseSyntax && node.DescendantNodes().Any(n => n is SingleVariableDesignationSyntax))
            {
                continue;
            }

            var name = MemberName(model, member, cancellationToken);
            void Add(SiteShape shape, string kind, SyntaxNode? replacement) => sites.Add(new MutationSite(node, shape, kind, replacement, member, name));

            switch (node)
            {
                case BinaryExpressionSyntax binary when IsConstantContext(binary) is false:
                    if (Swapped(binary, model, cancellationToken) is var (kind, to))
                    {
                        Add(SiteShape.Expression, kind, SyntaxFactory.BinaryExpression(
                            to, binary.Left, SyntaxFactory.Token(binary.OperatorToken.LeadingTrivia, OperatorToken(to), binary.OperatorToken.TrailingTrivia), binary.Right));
                    }

                    break;
                case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } literal when !IsConstantContext(literal):
                    foreach (var text in ChangedConstants(literal.Token.Value))
                    {
                        Add(SiteShape.Expression, "constant", SyntaxFactory.ParseExpression(text).WithTriviaFrom(literal));
                    }

                    break;
                case ExpressionStatementSyntax statement when statement.Parent is BlockSyntax or SwitchSectionSyntax:
                    if (statement.Expression is AssignmentExpressionSyntax assignment && SwappedAssignment(assignment, model, cancellationToken) is { } swapped)
                    {
                        Add(SiteShape.ReplaceStatement, "arithmetic", statement.WithExpression(SyntaxFactory.AssignmentExpression(
                            swapped, assignment.Left, SyntaxFactory.Token(assignment.OperatorToken.LeadingTrivia, OperatorToken(swapped), assignment.OperatorToken.TrailingTrivia), assignment.Right)));
                    }

                    Add(SiteShape.RemoveStatement, "remove-statement", null);
                    break;
                case BlockSyntax body when body.Parent is MethodDeclarationSyntax or AccessorDeclarationSyntax or OperatorDeclarationSyntax && ReturnsValue(body.Parent, model, cancellationToken):
                    Add(SiteShape.ReturnDefault, "return-default", null);
                    break;
                case ArrowExpressionClauseSyntax arrow when arrow.Parent is MethodDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax or AccessorDeclarationSyntax or OperatorDeclarationSyntax
                                                            && ReturnsValue(arrow.Parent, model, cancellationToken):
                    sites.Add(new MutationSite(arrow.Expression, SiteShape.Expression, "return-default", SyntaxFactory.LiteralExpression(SyntaxKind.DefaultLiteralExpression), member, name));
                    break;
            }

            if (node is ExpressionSyntax condition && IsCondition(condition) && !IsConstantContext(condition))
            {
                Add(SiteShape.Expression, "negate", SyntaxFactory.PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, SyntaxFactory.ParenthesizedExpression(condition.WithoutTrivia())).WithTriviaFrom(condition));
            }
        }

        return sites;
    }

    private static bool IsCondition(ExpressionSyntax node) => node.Parent switch
    {
        IfStatementSyntax s => s.Condition == node,
        WhileStatementSyntax s => s.Condition == node,
        DoStatementSyntax s => s.Condition == node,
        ForStatementSyntax s => s.Condition == node,
        ConditionalExpressionSyntax c => c.Condition == node,
        _ => false,
    };

    /// <summary>The member a node belongs to: a method, constructor, property, indexer, operator, field or event.</summary>
    private static SyntaxNode? Member(SyntaxNode node) =>
        node.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or BaseFieldDeclarationSyntax);

    private static string MemberName(SemanticModel model, SyntaxNode member, CancellationToken cancellationToken)
    {
        var declared = member is BaseFieldDeclarationSyntax field ? field.Declaration.Variables[0] : member;
        var symbol = model.GetDeclaredSymbol(declared, cancellationToken);
        return symbol?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) ?? member.ToString().Split('\n')[0].Trim();
    }

    /// <summary>Code that runs once when its type is first used, whatever mutant is switched on then.</summary>
    private static bool IsFixedAtLoad(SyntaxNode node)
    {
        foreach (var a in node.Ancestors())
        {
            switch (a)
            {
                case ConstructorDeclarationSyntax c when c.Modifiers.Any(SyntaxKind.StaticKeyword):
                case BaseFieldDeclarationSyntax f when f.Modifiers.Any(SyntaxKind.StaticKeyword) || f.Modifiers.Any(SyntaxKind.ConstKeyword):
                case PropertyDeclarationSyntax p when p.Initializer is not null && p.Initializer.Span.Contains(node.Span) && p.Modifiers.Any(SyntaxKind.StaticKeyword):
                case EnumMemberDeclarationSyntax:
                case AttributeSyntax:
                    return true;
            }
        }

        return false;
    }

    /// <summary>Places where the language needs a constant, which a run-time switch is not.</summary>
    private static bool IsConstantContext(SyntaxNode node)
    {
        foreach (var a in node.Ancestors())
        {
            switch (a)
            {
                case CaseSwitchLabelSyntax or PatternSyntax or AttributeArgumentSyntax or ParameterSyntax or InterpolationAlignmentClauseSyntax or InterpolationFormatClauseSyntax:
                case LocalDeclarationStatementSyntax l when l.IsConst:
                case GotoStatementSyntax:
                    return true;
                case StatementSyntax or MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static (string Kind, SyntaxKind To)? Swapped(BinaryExpressionSyntax binary, SemanticModel model, CancellationToken cancellationToken)
    {
        var to = binary.Kind() switch
        {
            SyntaxKind.LogicalAndExpression => SyntaxKind.LogicalOrExpression,
            SyntaxKind.LogicalOrExpression => SyntaxKind.LogicalAndExpression,
            SyntaxKind.EqualsExpression => SyntaxKind.NotEqualsExpression,
            SyntaxKind.NotEqualsExpression => SyntaxKind.EqualsExpression,
            SyntaxKind.LessThanExpression => SyntaxKind.LessThanOrEqualExpression,
            SyntaxKind.LessThanOrEqualExpression => SyntaxKind.LessThanExpression,
            SyntaxKind.GreaterThanExpression => SyntaxKind.GreaterThanOrEqualExpression,
            SyntaxKind.GreaterThanOrEqualExpression => SyntaxKind.GreaterThanExpression,
            SyntaxKind.AddExpression => SyntaxKind.SubtractExpression,
            SyntaxKind.SubtractExpression => SyntaxKind.AddExpression,
            SyntaxKind.MultiplyExpression => SyntaxKind.DivideExpression,
            SyntaxKind.DivideExpression => SyntaxKind.MultiplyExpression,
            SyntaxKind.ModuloExpression => SyntaxKind.MultiplyExpression,
            _ => SyntaxKind.None,
        };
        if (to == SyntaxKind.None)
        {
            return null;
        }

        var kind = binary.Kind() switch
        {
            SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression => "logical",
            SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression => "equality",
            SyntaxKind.AddExpression or SyntaxKind.SubtractExpression or SyntaxKind.MultiplyExpression or SyntaxKind.DivideExpression or SyntaxKind.ModuloExpression => "arithmetic",
            _ => "relational",
        };

        // == and != come in pairs for every type; the others are changed only where the operator is the language's own.
        return kind is "logical" or "equality" || IsNumericOperator(model.GetSymbolInfo(binary, cancellationToken).Symbol) ? (kind, to) : null;
    }

    private static SyntaxKind? SwappedAssignment(AssignmentExpressionSyntax assignment, SemanticModel model, CancellationToken cancellationToken)
    {
        SyntaxKind? to = assignment.Kind() switch
        {
            SyntaxKind.AddAssignmentExpression => SyntaxKind.SubtractAssignmentExpression,
            SyntaxKind.SubtractAssignmentExpression => SyntaxKind.AddAssignmentExpression,
            SyntaxKind.MultiplyAssignmentExpression => SyntaxKind.DivideAssignmentExpression,
            SyntaxKind.DivideAssignmentExpression => SyntaxKind.MultiplyAssignmentExpression,
            _ => null,
        };
        return to is not null && IsNumericOperator(model.GetSymbolInfo(assignment, cancellationToken).Symbol) ? to : null;
    }

    private static bool IsNumericOperator(ISymbol? symbol) =>
        symbol is IMethodSymbol method
        && (method.MethodKind == MethodKind.BuiltinOperator || method.ContainingType?.SpecialType == SpecialType.System_Decimal)
        && method.ReturnType.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_UInt64
            or SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Decimal or SpecialType.System_Boolean
            or SpecialType.System_IntPtr or SpecialType.System_UIntPtr;

    private static SyntaxKind OperatorToken(SyntaxKind expression) => expression switch
    {
        SyntaxKind.LogicalAndExpression => SyntaxKind.AmpersandAmpersandToken,
        SyntaxKind.LogicalOrExpression => SyntaxKind.BarBarToken,
        SyntaxKind.EqualsExpression => SyntaxKind.EqualsEqualsToken,
        SyntaxKind.NotEqualsExpression => SyntaxKind.ExclamationEqualsToken,
        SyntaxKind.LessThanExpression => SyntaxKind.LessThanToken,
        SyntaxKind.LessThanOrEqualExpression => SyntaxKind.LessThanEqualsToken,
        SyntaxKind.GreaterThanExpression => SyntaxKind.GreaterThanToken,
        SyntaxKind.GreaterThanOrEqualExpression => SyntaxKind.GreaterThanEqualsToken,
        SyntaxKind.AddExpression => SyntaxKind.PlusToken,
        SyntaxKind.SubtractExpression => SyntaxKind.MinusToken,
        SyntaxKind.MultiplyExpression => SyntaxKind.AsteriskToken,
        SyntaxKind.DivideExpression => SyntaxKind.SlashToken,
        SyntaxKind.AddAssignmentExpression => SyntaxKind.PlusEqualsToken,
        SyntaxKind.SubtractAssignmentExpression => SyntaxKind.MinusEqualsToken,
        SyntaxKind.MultiplyAssignmentExpression => SyntaxKind.AsteriskEqualsToken,
        SyntaxKind.DivideAssignmentExpression => SyntaxKind.SlashEqualsToken,
        _ => throw new ArgumentOutOfRangeException(nameof(expression), expression, "not an operator this engine swaps"),
    };

    /// <summary>A literal plus one, minus one and zero, each written with the literal's own type suffix; the same value is not repeated.</summary>
    private static IEnumerable<string> ChangedConstants(object? value)
    {
        var (number, suffix, unsigned) = value switch
        {
            int i => ((decimal)i, "", false),
            long l => ((decimal)l, "L", false),
            uint u => ((decimal)u, "U", true),
            ulong ul => ((decimal)ul, "UL", true),
            double d when Math.Abs(d) < 1e15 => ((decimal)d, "D", false),
            float f when Math.Abs(f) < 1e7 => ((decimal)f, "F", false),
            decimal m when Math.Abs(m) < 1e15m => (m, "M", false),
            _ => (0m, "", false),
        };
        if (value is null || suffix == "" && value is not int)
        {
            yield break;
        }

        var seen = new HashSet<decimal> { number };
        foreach (var changed in new[] { number + 1, number - 1, 0m })
        {
            if ((unsigned && changed < 0) || !seen.Add(changed) || (value is int && changed is > int.MaxValue or < int.MinValue))
            {
                continue;
            }

            var text = changed.ToString(CultureInfo.InvariantCulture) + suffix;
            yield return changed < 0 ? $"({text})" : text;
        }
    }

    private static bool ReturnsValue(SyntaxNode declaration, SemanticModel model, CancellationToken cancellationToken)
    {
        var symbol = model.GetDeclaredSymbol(declaration, cancellationToken);
        var method = symbol switch
        {
            IMethodSymbol m => m,
            IPropertySymbol p => p.GetMethod,
            _ => null,
        };
        if (method is null || method.ReturnsVoid || method.ReturnsByRef || method.ReturnsByRefReadonly || method.MethodKind == MethodKind.PropertySet)
        {
            return false;
        }

        if (declaration is AccessorDeclarationSyntax accessor && !accessor.IsKind(SyntaxKind.GetAccessorDeclaration))
        {
            return false;
        }

        // An iterator has no value to return early; an async method returns one only through Task<T>/ValueTask<T>.
        if (declaration.DescendantNodes().Any(n => n is YieldStatementSyntax))
        {
            return false;
        }

        return !method.IsAsync || method.ReturnType is INamedTypeSymbol { IsGenericType: true };
    }
}
