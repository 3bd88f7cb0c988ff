using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Validator.Mutation;

/// <summary>
/// Writes every chosen mutant into one copy of the solution, each behind a check of <c>__ArMutant.Id</c>, so that one
/// compilation holds them all (mutant schemata). The switch and the mutated part carry annotations, so a compile error
/// can be traced back to the mutant that caused it.
/// </summary>
internal sealed class SchemataRewriter(IReadOnlyDictionary<SyntaxNode, List<MutationSite>> sites) : CSharpSyntaxRewriter
{
    /// <summary>The class that holds the switch (global namespace); the sandbox worker sets its field.</summary>
    public const string SwitchClass = "__ArMutant";

    /// <summary>Marks a switch (data: the mutant's id).</summary>
    public const string SwitchAnnotation = "ar-mutant";

    /// <summary>Marks the mutated part of a switch (data: the mutant's id).</summary>
    public const string MutatedAnnotation = "ar-mutated";

    /// <summary>The source of the switch class.</summary>
    /// <remarks>
    /// <c>Halt</c> is set by the worker when a test of a mutant runs out of time: every loop of the solution checks it
    /// (<c>Tick</c>), so a mutant that loops forever stops by itself and the worker goes on with the next mutant instead
    /// of being replaced.
    /// </remarks>
    public static string SwitchSource { get; } =
        $"internal static class {SwitchClass} {{ public static int Id; public static volatile bool Halt; "
        + "public static void Tick() { if (Halt) { throw new global::System.OperationCanceledException(\"the mutant ran out of time\"); } } }\n";

    /// <inheritdoc />
    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node) => Ticking((WhileStatementSyntax)base.VisitWhileStatement(node)!, static (l, b) => l.WithStatement(b), static l => l.Statement);

    /// <inheritdoc />
    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node) => Ticking((DoStatementSyntax)base.VisitDoStatement(node)!, static (l, b) => l.WithStatement(b), static l => l.Statement);

    /// <inheritdoc />
    public override SyntaxNode? VisitForStatement(ForStatementSyntax node) => Ticking((ForStatementSyntax)base.VisitForStatement(node)!, static (l, b) => l.WithStatement(b), static l => l.Statement);

    /// <inheritdoc />
    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node) => Ticking((ForEachStatementSyntax)base.VisitForEachStatement(node)!, static (l, b) => l.WithStatement(b), static l => l.Statement);

    /// <summary>A loop whose body first checks the halt flag.</summary>
    private static T Ticking<T>(T loop, Func<T, StatementSyntax, T> withBody, Func<T, StatementSyntax> body)
        where T : StatementSyntax
    {
        var tick = SyntaxFactory.ParseStatement($"global::{SwitchClass}.Tick();");
        return withBody(loop, SyntaxFactory.Block(tick, body(loop)));
    }

    /// <inheritdoc />
    public override SyntaxNode? Visit(SyntaxNode? node)
    {
        var visited = base.Visit(node);
        if (node is null || visited is null || !sites.TryGetValue(node, out var here))
        {
            return visited;
        }

        foreach (var site in here)
        {
            visited = Wrap(site, visited);
        }

        return visited;
    }

    private static SyntaxNode Wrap(MutationSite site, SyntaxNode visited)
    {
        var id = site.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var marks = new[] { new SyntaxAnnotation(SwitchAnnotation, id) };
        var mutated = new SyntaxAnnotation(MutatedAnnotation, id);
        switch (site.Shape)
        {
            case SiteShape.Expression:
                var expression = (ExpressionSyntax)visited;
                return SyntaxFactory.ParenthesizedExpression(SyntaxFactory.ConditionalExpression(
                        Check(SyntaxKind.EqualsExpression, site.Id),
                        SyntaxFactory.ParenthesizedExpression(((ExpressionSyntax)site.Replacement!).WithoutTrivia()).WithAdditionalAnnotations(mutated),
                        SyntaxFactory.ParenthesizedExpression(expression.WithoutTrivia())))
                    .WithTriviaFrom(expression)
                    .WithAdditionalAnnotations(marks);
            case SiteShape.RemoveStatement:
                var removed = (StatementSyntax)visited;
                return SyntaxFactory.IfStatement(Check(SyntaxKind.NotEqualsExpression, site.Id), SyntaxFactory.Block(removed.WithoutTrivia()))
                    .WithTriviaFrom(removed)
                    .WithAdditionalAnnotations(marks)
                    .WithAdditionalAnnotations(mutated);
            case SiteShape.ReplaceStatement:
                var replaced = (StatementSyntax)visited;
                return SyntaxFactory.IfStatement(
                        Check(SyntaxKind.EqualsExpression, site.Id),
                        SyntaxFactory.Block(((StatementSyntax)site.Replacement!).WithoutTrivia()).WithAdditionalAnnotations(mutated),
                        SyntaxFactory.ElseClause(SyntaxFactory.Block(replaced.WithoutTrivia())))
                    .WithTriviaFrom(replaced)
                    .WithAdditionalAnnotations(marks);
            case SiteShape.ReturnDefault:
                var body = (BlockSyntax)visited;
                var guard = SyntaxFactory.IfStatement(
                        Check(SyntaxKind.EqualsExpression, site.Id),
                        SyntaxFactory.ReturnStatement(SyntaxFactory.PostfixUnaryExpression(SyntaxKind.SuppressNullableWarningExpression, SyntaxFactory.LiteralExpression(SyntaxKind.DefaultLiteralExpression))))
                    .WithAdditionalAnnotations(marks)
                    .WithAdditionalAnnotations(mutated);
                return body.WithStatements(body.Statements.Insert(0, guard));
            default:
                throw new ArgumentOutOfRangeException(nameof(site), site.Shape, "unknown site shape");
        }
    }

    private static BinaryExpressionSyntax Check(SyntaxKind kind, int id) => SyntaxFactory.BinaryExpression(
        kind,
        SyntaxFactory.ParseExpression($"global::{SwitchClass}.Id"),
        SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(id)));
}
