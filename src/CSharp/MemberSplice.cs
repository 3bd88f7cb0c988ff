using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.CSharp;

/// <summary>
/// The two halves of a doc-comment row: a context (a compilation unit whose target member has the body
/// <c>throw new NotImplementedException();</c>) and the complete target member; and the way back, the member spliced into
/// the context in place of its stub. Members are methods, constructors, operators and conversion operators.
/// </summary>
public static class MemberSplice
{
    /// <summary>The statement a target's body is replaced with in the context.</summary>
    public const string StubStatement = "throw new NotImplementedException();";

    /// <summary>A context and the member the response holds.</summary>
    /// <param name="Context">The unit with the target's body stubbed (its doc comment and signature kept).</param>
    /// <param name="Member">The complete member as it is in the unit, attributes included, without its doc comment, dedented.</param>
    /// <param name="Body">The text of its body (block contents or the arrow expression), for the leak check.</param>
    public sealed record Parts(string Context, string Member, string Body);

    /// <summary>
    /// Cuts <paramref name="unit"/> into a context and a member: the method, constructor or operator of the type named
    /// <paramref name="typeName"/> whose key (<see cref="Key"/>) is <paramref name="key"/>; null when there is not exactly one.
    /// A constructor's <c>: base(…)</c>/<c>: this(…)</c> initializer is part of its implementation (its arguments are
    /// code the model must write), so the stub is written without it, or with <paramref name="stubInitializer"/> in its
    /// place (<c>" : base(default(global::Foo)!)"</c>) when the type's constructors cannot do without one.
    /// </summary>
    public static Parts? Cut(string unit, string typeName, string key, string stubInitializer = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var root = CSharpSyntaxTree.ParseText(unit, ReferenceSet.ParseOptions, cancellationToken: cancellationToken).GetRoot(cancellationToken);
        var matches = root.DescendantNodes()
            .OfType<BaseMethodDeclarationSyntax>()
            .Where(m => m.Parent is TypeDeclarationSyntax t && t.Identifier.Text == typeName && (m.Body is not null || m.ExpressionBody is not null) && Key(m) == key)
            .ToList();
        if (matches.Count != 1)
        {
            return null;
        }

        var target = matches[0];
        var indent = IndentOf(unit, target.SpanStart);
        var body = target.Body is { } block
            ? unit[block.OpenBraceToken.Span.End..block.CloseBraceToken.SpanStart].Trim()
            : target.ExpressionBody!.Expression.ToString().Trim();

        // From the end of the parameter list (and constraints, constructor initializer) to the end of the body.
        var bodyStart = target.Body is { } b ? b.SpanStart : target.ExpressionBody!.SpanStart;
        var headEnd = target is ConstructorDeclarationSyntax { Initializer: { } initializer }
            ? initializer.GetFirstToken().GetPreviousToken().Span.End
            : target.ChildNodesAndTokens().Where(c => c.Span.End <= bodyStart).Last().Span.End;
        var stub = $"{(target is ConstructorDeclarationSyntax { Initializer: not null } ? stubInitializer : "")}\n{indent}{{\n{indent}    {StubStatement}\n{indent}}}";
        var head = unit[..headEnd];

        // An async iterator whose body only throws does not compile (CS8420: it must yield); without `async` the stub is
        // an ordinary method returning the same type, and the splice puts the whole member, `async` included, back.
        var asyncToken = target.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.AsyncKeyword));
        var iterator = target.Body is { } own && own
            .DescendantNodes(n => n is not LocalFunctionStatementSyntax and not AnonymousFunctionExpressionSyntax)
            .OfType<YieldStatementSyntax>()
            .Any();
        if (iterator && asyncToken.IsKind(SyntaxKind.AsyncKeyword))
        {
            head = string.Concat(unit.AsSpan(0, asyncToken.SpanStart), unit.AsSpan(asyncToken.FullSpan.End, headEnd - asyncToken.FullSpan.End));
        }

        var context = string.Concat(head, stub, unit.AsSpan(target.Span.End));
        var member = Dedent(unit[target.Span.Start..target.Span.End], indent);
        return new Parts(context, member, body);
    }

    /// <summary>
    /// What identifies a member within its type, whatever its formatting: its kind, name and parameter types
    /// (<c>method Parse(string,int)</c>, <c>ctor .(int)</c>, <c>operator +(Money,Money)</c>).
    /// </summary>
    public static string Key(BaseMethodDeclarationSyntax member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var name = member switch
        {
            MethodDeclarationSyntax m => "method " + m.ExplicitInterfaceSpecifier?.ToString().Trim() + m.Identifier.Text + m.TypeParameterList?.Parameters.Count,
            ConstructorDeclarationSyntax c => (c.Modifiers.Any(SyntaxKind.StaticKeyword) ? "cctor " : "ctor ") + c.Identifier.Text,
            DestructorDeclarationSyntax d => "dtor " + d.Identifier.Text,
            OperatorDeclarationSyntax o => "operator " + o.OperatorToken.Text + (o.CheckedKeyword.IsKind(SyntaxKind.None) ? "" : " checked"),
            ConversionOperatorDeclarationSyntax c => "conversion " + c.ImplicitOrExplicitKeyword.Text + " " + Flat(c.Type.ToString()),
            _ => member.Kind().ToString(),
        };
        return name + "(" + string.Join(",", member.ParameterList.Parameters.Select(p => Flat(p.Modifiers.ToString() + " " + p.Type))) + ")";
    }

    /// <summary>The outcome of <see cref="Splice"/>: the unit with the member in place, or why there is none.</summary>
    public sealed record Spliced(string? Unit, string? Error);

    /// <summary>
    /// Replaces the stubbed member of <paramref name="context"/> that has the same key as the one member of
    /// <paramref name="memberCode"/> with that member.
    /// </summary>
    public static Spliced Splice(string context, string memberCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(memberCode);
        var member = OnlyMember(memberCode, cancellationToken, out var error);
        if (member is null)
        {
            return new Spliced(null, error);
        }

        var root = CSharpSyntaxTree.ParseText(context, ReferenceSet.ParseOptions, cancellationToken: cancellationToken).GetRoot(cancellationToken);
        var key = Key(member);
        var stubs = root.DescendantNodes().OfType<BaseMethodDeclarationSyntax>()
            .Where(m => Key(m) == key && m.Body is { Statements: [ThrowStatementSyntax t] } && t.ToString() == StubStatement)
            .ToList();
        if (stubs.Count != 1)
        {
            return new Spliced(null, stubs.Count == 0
                ? $"the context has no member '{key}' whose body is `{StubStatement}`"
                : $"the context has {stubs.Count} stubbed members '{key}'");
        }

        var stub = stubs[0];
        var indent = IndentOf(context, stub.SpanStart);
        var lines = Dedent(member.ToString(), "").Split('\n');
        var reindented = string.Join('\n', lines.Select((l, i) => i == 0 || l.Length == 0 ? l : indent + l));
        return new Spliced(string.Concat(context.AsSpan(0, stub.SpanStart), reindented, context.AsSpan(stub.Span.End)), null);
    }

    /// <summary>
    /// The one method, constructor or operator <paramref name="code"/> declares (it may be preceded by a doc comment and
    /// attributes); null with the reason when it holds anything else.
    /// </summary>
    public static BaseMethodDeclarationSyntax? OnlyMember(string code, CancellationToken cancellationToken, out string? error)
    {
        ArgumentNullException.ThrowIfNull(code);
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, ReferenceSet.ParseOptions.WithKind(SourceCodeKind.Script), cancellationToken: cancellationToken)
            .GetRoot(cancellationToken);

        // Parsed as a script, a lone method is a member of the unit; a constructor or operator is not valid there, so
        // those are read inside a class named like the constructor.
        var members = root.Members;
        if (members is [GlobalStatementSyntax] || members.Any(m => m is IncompleteMemberSyntax) || root.ContainsDiagnostics)
        {
            var name = System.Text.RegularExpressions.Regex.Match(code, @"([A-Za-z_][A-Za-z0-9_]*)\s*\(").Groups[1].Value;
            var wrapped = $"class {(name.Length > 0 ? name : "C")} {{\n{code}\n}}";
            var type = (TypeDeclarationSyntax?)CSharpSyntaxTree.ParseText(wrapped, ReferenceSet.ParseOptions, cancellationToken: cancellationToken)
                .GetRoot(cancellationToken).ChildNodes().FirstOrDefault();
            if (type is null || type.ContainsDiagnostics)
            {
                error = "the response is not one C# member";
                return null;
            }

            members = type.Members;
        }

        if (members is not [BaseMethodDeclarationSyntax only] || (only.Body is null && only.ExpressionBody is null))
        {
            error = $"the response declares {members.Count} members; it must hold exactly one method, constructor or operator";
            return null;
        }

        error = null;
        return only;
    }

    /// <summary>The body text of a member (block contents or arrow expression), trimmed.</summary>
    public static string BodyOf(BaseMethodDeclarationSyntax member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return member.Body is { } block
            ? block.ToString()[1..^1].Trim()
            : member.ExpressionBody?.Expression.ToString().Trim() ?? "";
    }

    /// <summary>
    /// Fewer characters than this (white space aside) and a body is too short to count as leaked when it appears in the
    /// instruction: <c>return 0;</c> occurs in any code. Such bodies are kept out as trivial anyway.
    /// </summary>
    public const int MinLeakLength = 16;

    /// <summary>True when <paramref name="body"/> is long enough to matter and occurs in <paramref name="text"/>, white space aside.</summary>
    public static bool Leaks(string body, string text)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(text);
        var squeezed = Squeeze(body);
        return squeezed.Length >= MinLeakLength && Squeeze(text).Contains(squeezed, StringComparison.Ordinal);
    }

    /// <summary>Text with every run of white space removed, so a body is found whatever its indentation.</summary>
    public static string Squeeze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string Flat(string text) => string.Join(' ', text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    private static string IndentOf(string text, int position)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(0, position - 1)) + 1;
        var n = lineStart;
        while (n < position && text[n] is ' ' or '\t')
        {
            n++;
        }

        return text[lineStart..n];
    }

    /// <summary>Lines after the first lose <paramref name="indent"/> (or all their indentation when they have less).</summary>
    private static string Dedent(string text, string indent)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        if (indent.Length == 0 && lines.Length > 1)
        {
            // The member's own indentation is that of its closing line (its first line starts mid-line).
            var last = lines[^1];
            indent = last[..(last.Length - last.TrimStart().Length)];
        }

        return string.Join('\n', lines.Select((l, i) => i == 0 ? l : l.StartsWith(indent, StringComparison.Ordinal) ? l[indent.Length..] : l.TrimStart()));
    }
}
