using System.Text.RegularExpressions;
using AutoRefiner.Core.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoRefiner.Harvester.Seeds;

/// <summary>
/// Cheap checks of a documented member before its closure is built: rows a trainer would not keep are not worth the
/// compilation. <c>trivial</c>: the body is empty, only throws, returns one literal or member, forwards its
/// arguments in one call, or forwards to an overload of its own name. <c>uninformative-doc</c>: the documentation says nothing the names do not.
/// <c>conditional-code</c>: the member holds a branch its build does not compile.
/// </summary>
internal static partial class SeedGates
{
    /// <summary>The attributes of xunit, NUnit and MSTest that make a method a test (by name, with or without <c>Attribute</c>).</summary>
    private static readonly HashSet<string> TestAttributes = new(StringComparer.Ordinal)
    {
        "Fact", "Theory", "Test", "TestCase", "TestCaseSource", "TestMethod", "DataTestMethod", "SkippableFact", "SkippableTheory",
    };

    /// <summary>The test attribute <paramref name="member"/> carries (as written), or null when it is not a test method.</summary>
    public static string? TestAttribute(BaseMethodDeclarationSyntax member)
    {
        ArgumentNullException.ThrowIfNull(member);
        foreach (var attribute in member.AttributeLists.SelectMany(l => l.Attributes))
        {
            var name = attribute.Name switch
            {
                QualifiedNameSyntax q => q.Right.Identifier.ValueText,
                AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
                SimpleNameSyntax n => n.Identifier.ValueText,
                _ => "",
            };
            if (TestAttributes.Contains(name.EndsWith("Attribute", StringComparison.Ordinal) ? name[..^"Attribute".Length] : name))
            {
                return attribute.ToString();
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="member"/> is trivial (a short phrase), or null when it is not.</summary>
    public static string? Trivial(BaseMethodDeclarationSyntax member)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (member.ExpressionBody is { } arrow)
        {
            return TrivialExpression(arrow.Expression, member);
        }

        // Argument checks and asserts before the work do not make it more than a forwarder: judge what follows them.
        var all = member.Body?.Statements ?? default;
        var statements = all.SkipWhile(IsGuard).ToList();
        var guarded = statements.Count < all.Count;
        switch (statements.Count)
        {
            case 0 when guarded:
                return "only checks its arguments";
            case 0:
                return "empty body";
            case 1:
                return statements[0] switch
                {
                    ThrowStatementSyntax => "only throws",
                    ReturnStatementSyntax { Expression: null } => "empty body",
                    ReturnStatementSyntax { Expression: { } e } => TrivialExpression(e, member),
                    ExpressionStatementSyntax { Expression: var e } => TrivialExpression(e, member),
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary>
    /// Why <paramref name="member"/> holds code its build does not compile (a short phrase naming the directive), or null.
    /// What counts is inactive text (a branch of <c>#if</c>/<c>#elif</c>/<c>#else</c> not taken under the project's
    /// symbols) from the start of the member's doc comment to its closing brace: inside its body, its signature or
    /// attributes, or between its doc comment and its declaration. Such a doc may describe the branch that is not
    /// compiled (dnlib's "thread-safe" members without <c>THREAD_SAFE</c>), and the row would teach that disagreement.
    /// Inactive code before the doc comment belongs to the member above and does not count.
    /// </summary>
    public static string? ConditionalCode(BaseMethodDeclarationSyntax member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var doc = member.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia));
        var start = doc.RawKind != 0 ? doc.SpanStart : member.SpanStart;
        var disabled = member.DescendantTrivia(TextSpan.FromBounds(start, member.Span.End), descendIntoTrivia: false)
            .FirstOrDefault(t => t.IsKind(SyntaxKind.DisabledTextTrivia) && t.SpanStart >= start);
        if (disabled.RawKind == 0)
        {
            return null;
        }

        // The directive that opened the branch: the nearest #if/#elif/#else before the inactive text.
        var directive = member.SyntaxTree.GetRoot().DescendantTrivia(TextSpan.FromBounds(0, disabled.SpanStart), descendIntoTrivia: false)
            .LastOrDefault(t => t.IsKind(SyntaxKind.IfDirectiveTrivia) || t.IsKind(SyntaxKind.ElifDirectiveTrivia) || t.IsKind(SyntaxKind.ElseDirectiveTrivia));
        return directive.RawKind != 0
            ? $"`{directive.ToString().Trim()}` at line {LineOf(directive.Span)} has a branch that is not compiled"
            : $"line {LineOf(disabled.Span)} is not compiled";

        int LineOf(TextSpan span) => member.SyntaxTree.GetLineSpan(span).StartLinePosition.Line + 1;
    }

    /// <summary>
    /// An argument check or assert: <c>if (…) throw …;</c> without an else, <c>Debug.Assert(…)</c>/<c>Trace.Assert(…)</c>,
    /// <c>ArgumentNullException.ThrowIfNull(…)</c> and the other <c>ThrowIf…</c> helpers, a call on a type named
    /// <c>Guard</c>/<c>Check</c>/<c>Requires</c>/<c>Ensure</c>/<c>Contract</c>, or a <c>Validate…</c> call on a type named <c>…Validator</c>
    /// (Polly's <c>TimeoutValidator.ValidateSecondsTimeout(seconds)</c>).
    /// </summary>
    private static bool IsGuard(StatementSyntax statement) => statement switch
    {
        IfStatementSyntax { Else: null, Statement: ThrowStatementSyntax } => true,
        IfStatementSyntax { Else: null, Statement: BlockSyntax { Statements: [ThrowStatementSyntax] } } => true,
        ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } } =>
            access.Name.Identifier.ValueText.StartsWith("ThrowIf", StringComparison.Ordinal)
            || access.Expression is IdentifierNameSyntax { Identifier.ValueText: "Debug" or "Trace" } && access.Name.Identifier.ValueText == "Assert"
            || access.Expression is IdentifierNameSyntax { Identifier.ValueText: "Guard" or "Check" or "Requires" or "Ensure" or "Contract" }
            || access.Expression is IdentifierNameSyntax { Identifier.ValueText: var validator } && validator.EndsWith("Validator", StringComparison.Ordinal)
               && access.Name.Identifier.ValueText.StartsWith("Validate", StringComparison.Ordinal),
        _ => false,
    };

    private static string? TrivialExpression(ExpressionSyntax expression, BaseMethodDeclarationSyntax member)
    {
        expression = Unwrap(expression);
        if (expression is ThrowExpressionSyntax)
        {
            return "only throws";
        }

        if (IsAtom(expression))
        {
            return "returns one literal or member";
        }

        if (expression is AssignmentExpressionSyntax assignment && IsAtom(Unwrap(assignment.Left)) && IsAtom(Unwrap(assignment.Right)))
        {
            return "one assignment";
        }

        // A forwarder: one call (or construction) whose arguments are only names, literals and members.
        var arguments = expression switch
        {
            InvocationExpressionSyntax call when IsAtom(call.Expression) || call.Expression is MemberAccessExpressionSyntax { Expression: var target } && IsAtom(Unwrap(target))
                => call.ArgumentList.Arguments,
            BaseObjectCreationExpressionSyntax creation => creation.ArgumentList?.Arguments ?? default,
            _ => (SeparatedSyntaxList<ArgumentSyntax>?)null,
        };
        if (arguments is { } list && list.All(a => IsAtom(Unwrap(a.Expression))))
        {
            return member.ParameterList.Parameters.Count == 0 && list.Count == 0 ? "one call without arguments" : "forwards to one call";
        }

        // An overload forwarder: one call to a member of its own name whose arguments are atoms, one simple call or
        // construction on atoms (dnlib's `Read(module, sig) => Read(module, module.BlobStream.CreateReader(sig), new
        // GenericParamContext())`), an empty collection, or a lambda that does nothing or only adapts a call (Polly's
        // `RetryAsync(retryCount) => RetryAsync(retryCount, static (_, _) => { })`). The work is in the overload, and
        // every type's copy of it reads alike.
        if (member is MethodDeclarationSyntax method && expression is InvocationExpressionSyntax forward && CalleeName(forward.Expression) == method.Identifier.ValueText
            && forward.ArgumentList.Arguments.All(a => IsAtom(Unwrap(a.Expression)) || IsSimpleCall(Unwrap(a.Expression)) || IsDefaultArgument(Unwrap(a.Expression))))
        {
            return "forwards to an overload";
        }

        return null;
    }

    private static string? CalleeName(ExpressionSyntax callee) => callee switch
    {
        IdentifierNameSyntax name => name.Identifier.ValueText,
        GenericNameSyntax generic => generic.Identifier.ValueText,
        MemberAccessExpressionSyntax { Name: var name } access when IsAtom(Unwrap(access.Expression)) => name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>A call on an atom, or a construction, whose arguments are all atoms.</summary>
    private static bool IsSimpleCall(ExpressionSyntax expression) => expression switch
    {
        InvocationExpressionSyntax call => (IsAtom(call.Expression) || call.Expression is MemberAccessExpressionSyntax { Expression: var target } && IsAtom(Unwrap(target)))
                                           && call.ArgumentList.Arguments.All(a => IsAtom(Unwrap(a.Expression))),
        BaseObjectCreationExpressionSyntax creation => creation.ArgumentList is null || creation.ArgumentList.Arguments.All(a => IsAtom(Unwrap(a.Expression))),
        _ => false,
    };

    /// <summary>
    /// What an overload passes for what its caller left out: an empty collection (<c>[]</c>), or a lambda whose body is
    /// empty, an atom, or a simple call on atoms (<c>_ =&gt; { }</c>, <c>(o, t, _) =&gt; onBreak(o, t)</c>).
    /// </summary>
    private static bool IsDefaultArgument(ExpressionSyntax expression) => expression switch
    {
        CollectionExpressionSyntax { Elements.Count: 0 } => true,
        LambdaExpressionSyntax { Block: { } block } => block.Statements.Count == 0
            || block.Statements is [ExpressionStatementSyntax { Expression: var e }] && (IsAtom(Unwrap(e)) || IsSimpleCall(Unwrap(e))),
        LambdaExpressionSyntax { ExpressionBody: { } body } => IsAtom(Unwrap(body)) || IsSimpleCall(Unwrap(body)),
        _ => false,
    };

    private static ExpressionSyntax Unwrap(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax p:
                    expression = p.Expression;
                    break;
                case CastExpressionSyntax c:
                    expression = c.Expression;
                    break;
                case PostfixUnaryExpressionSyntax s when s.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                    expression = s.Operand;
                    break;
                case AwaitExpressionSyntax a:
                    expression = a.Expression;
                    break;
                case PrefixUnaryExpressionSyntax n when n.IsKind(SyntaxKind.LogicalNotExpression) || n.IsKind(SyntaxKind.UnaryMinusExpression):
                    expression = n.Operand;
                    break;
                default:
                    return expression;
            }
        }
    }

    /// <summary>A literal, a name, <c>this</c>/<c>base</c>, <c>default</c>, <c>typeof</c>, <c>nameof</c> or a chain of member accesses on one.</summary>
    private static bool IsAtom(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax or IdentifierNameSyntax or GenericNameSyntax or ThisExpressionSyntax or BaseExpressionSyntax
            or DefaultExpressionSyntax or TypeOfExpressionSyntax or PredefinedTypeSyntax => true,
        InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "nameof" } } => true,
        MemberAccessExpressionSyntax m => IsAtom(Unwrap(m.Expression)),
        ElementAccessExpressionSyntax e => IsAtom(Unwrap(e.Expression)) && e.ArgumentList.Arguments.All(a => IsAtom(Unwrap(a.Expression))),
        ConditionalAccessExpressionSyntax { WhenNotNull: MemberBindingExpressionSyntax } c => IsAtom(Unwrap(c.Expression)),

        // A new object from atoms only (a forwarder's `new Resolver()` default argument).
        BaseObjectCreationExpressionSyntax { Initializer: null } o => (o.ArgumentList?.Arguments ?? default).All(a => IsAtom(Unwrap(a.Expression))),
        _ => false,
    };

    /// <summary>
    /// True when the documentation's summary, remarks and returns hold no word beyond the member's, its type's and its
    /// parameters' names and the usual filler ("Gets the value.", "Initializes a new instance of the Foo class.").
    /// </summary>
    public static bool Uninformative(DocComment doc, string memberName, string typeName, IEnumerable<string> parameterNames)
    {
        ArgumentNullException.ThrowIfNull(doc);
        ArgumentNullException.ThrowIfNull(parameterNames);
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in parameterNames.Append(memberName).Append(typeName))
        {
            foreach (var word in NameWords(name))
            {
                known.Add(word);
                known.Add(Stem(word));
            }
        }

        var words = Words().Matches($"{doc.Summary} {doc.Remarks} {doc.Returns}")
            .Select(m => m.Value)
            .SelectMany(NameWords)
            .Where(w => !Filler.Contains(w) && !known.Contains(w) && !known.Contains(Stem(w)))
            .ToList();
        return words.Count == 0;
    }

    /// <summary>The words of an identifier or a word: <c>TryParseHex</c> → try, parse, hex.</summary>
    private static IEnumerable<string> NameWords(string name) =>
        CamelParts().Matches(name).Select(m => m.Value.ToLowerInvariant());

    private static string Stem(string word) =>
        word.Length > 4 && word.EndsWith("es", StringComparison.Ordinal) ? word[..^2]
        : word.Length > 3 && word.EndsWith('s') ? word[..^1]
        : word;

    private static readonly HashSet<string> Filler = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "this", "that", "of", "to", "for", "in", "on", "with", "by", "from", "and", "or", "is", "are", "be", "it",
        "its", "as", "at", "get", "gets", "set", "sets", "or", "returns", "return", "value", "values", "instance", "new", "initializes",
        "initialize", "creates", "create", "class", "struct", "method", "object", "specified", "given", "current", "called", "when",
        "which", "operator", "calls", "invokes", "constructor", "ctor", "default", "helper", "true", "false", "null", "see", "cref", "t", "string", "int", "bool", "void",
    };

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9]*")]
    private static partial Regex Words();

    [GeneratedRegex(@"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")]
    private static partial Regex CamelParts();
}
