using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoRefiner.Harvester.Seeds;

/// <summary>
/// Writes a <see cref="DependencyClosure"/> as one compilation unit: the usings that still resolve, then each
/// namespace with its type shells holding only the chosen members, in source order and with the original
/// formatting re-indented. Preprocessor directives and inactive code are left out.
/// </summary>
internal sealed partial class UnitEmitter
{
    private readonly DependencyClosure _closure;
    private readonly Func<SyntaxTree, SemanticModel> _models;
    private readonly IReadOnlyList<UsingDirectiveSyntax> _globalUsings;
    private readonly Dictionary<INamedTypeSymbol, List<SyntaxNode>> _children = new(SymbolEqualityComparer.Default);

    private UnitEmitter(DependencyClosure closure, Func<SyntaxTree, SemanticModel> models, IReadOnlyList<UsingDirectiveSyntax> globalUsings)
    {
        _closure = closure;
        _models = models;
        _globalUsings = globalUsings;
    }

    /// <summary>The compilation unit's text.</summary>
    public static string Emit(DependencyClosure closure, Func<SyntaxTree, SemanticModel> models, IReadOnlyList<UsingDirectiveSyntax> globalUsings) =>
        new UnitEmitter(closure, models, globalUsings).Emit();

    private string Emit()
    {
        var topLevel = new List<(string Namespace, SyntaxNode Node)>();
        foreach (var member in _closure.Members)
        {
            if (member.Parent is BaseTypeDeclarationSyntax parent && _models(parent.SyntaxTree).GetDeclaredSymbol(parent) is INamedTypeSymbol owner)
            {
                Child(owner.OriginalDefinition).Add(member);
            }
            else if (member is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax)
            {
                var symbol = (INamedTypeSymbol)_models(member.SyntaxTree).GetDeclaredSymbol(member)!;
                topLevel.Add((NamespaceOf(symbol), member));
            }
        }

        foreach (var type in _closure.Types)
        {
            if (type.TypeKind is TypeKind.Enum or TypeKind.Delegate)
            {
                continue;
            }

            var anchor = Anchor(type);
            if (type.ContainingType is { } outer)
            {
                Child(outer.OriginalDefinition).Add(anchor);
            }
            else
            {
                topLevel.Add((NamespaceOf(type), anchor));
            }
        }

        var sb = new StringBuilder();
        foreach (var line in new UnitUsings(_closure, _models, _globalUsings).Lines())
        {
            sb.Append(line).Append('\n');
        }

        var groups = topLevel
            .OrderBy(t => t.Node.SyntaxTree.FilePath, StringComparer.Ordinal).ThenBy(t => t.Node.SpanStart)
            .GroupBy(t => t.Namespace)
            .ToList();
        var fileScoped = groups is [{ Key.Length: > 0 }];
        foreach (var group in groups.OrderBy(g => g.Key.Length > 0))
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            var level = 0;
            if (group.Key.Length > 0)
            {
                if (fileScoped)
                {
                    sb.Append("namespace ").Append(group.Key).Append(";\n\n");
                }
                else
                {
                    sb.Append("namespace ").Append(group.Key).Append("\n{\n");
                    level = 1;
                }
            }

            WriteItems(sb, group.Select(g => g.Node).ToList(), level);
            if (group.Key.Length > 0 && !fileScoped)
            {
                sb.Append("}\n");
            }
        }

        return sb.ToString();
    }

    private List<SyntaxNode> Child(INamedTypeSymbol type)
    {
        if (!_children.TryGetValue(type, out var list))
        {
            list = [];
            _children[type] = list;
        }

        return list;
    }

    /// <summary>The namespace a type is declared in, or empty for the global namespace.</summary>
    internal static string NamespaceOf(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "";

    /// <summary>The declaration a type's shell is written from (the first of its partial declarations).</summary>
    private static TypeDeclarationSyntax Anchor(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax())
            .OfType<TypeDeclarationSyntax>()
            .OrderBy(d => d.SyntaxTree.FilePath, StringComparer.Ordinal).ThenBy(d => d.SpanStart)
            .First();

    private void WriteItems(StringBuilder sb, IReadOnlyList<SyntaxNode> items, int level)
    {
        string? previous = null;
        foreach (var item in items)
        {
            var text = item is TypeDeclarationSyntax type && _closure.Types.Contains(Symbol(type))
                ? Shell(type, level)
                : Render(item, level);
            if (previous is not null && (previous.Contains('\n', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal)))
            {
                sb.Append('\n');
            }

            sb.Append(text).Append('\n');
            previous = text.TrimEnd('\n');
        }
    }

    private INamedTypeSymbol Symbol(TypeDeclarationSyntax type) =>
        ((INamedTypeSymbol)_models(type.SyntaxTree).GetDeclaredSymbol(type)!).OriginalDefinition;

    private string Shell(TypeDeclarationSyntax anchor, int level)
    {
        var symbol = Symbol(anchor);
        var declarations = symbol.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().ToList();
        var pad = string.Concat(Enumerable.Repeat(Indentation.Indent, level));
        var sb = new StringBuilder();

        foreach (var list in declarations.SelectMany(d => d.AttributeLists).DistinctBy(l => l.ToString()))
        {
            // Without its leading trivia the list starts mid-line, so its first line gets the shell's indentation here.
            var rendered = Render(list, level, withTrivia: false);
            if (rendered.Length > 0)
            {
                sb.Append(pad).Append(rendered.TrimStart()).Append('\n');
            }
        }

        // Partial declarations may each carry some of the modifiers (abstract on one, sealed on another).
        var modifiers = declarations.SelectMany(d => d.Modifiers).Select(m => m.Text).Distinct().OrderBy(ModifierOrder).ToList();
        sb.Append(pad).AppendJoin(' ', modifiers);
        if (modifiers.Count > 0)
        {
            sb.Append(' ');
        }

        sb.Append(anchor.Keyword.Text);
        if (anchor is RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: not 0 } record)
        {
            sb.Append(' ').Append(record.ClassOrStructKeyword.Text);
        }

        sb.Append(' ').Append(anchor.Identifier.Text);
        if (anchor.TypeParameterList is { } typeParameters)
        {
            sb.Append(Render(typeParameters, 0, withTrivia: false).Trim());
        }

        // A partial type's primary constructor may be on any of its declarations, not only the one the shell is written from.
        var primary = declarations.Select(d => d.ParameterList).FirstOrDefault(p => p is not null);
        if (primary is { } parameters)
        {
            sb.Append(Render(parameters, level + 1, withTrivia: false).TrimStart());
        }

        var bases = new List<(bool IsInterface, string Text)>();
        var seen = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var declaration in declarations)
        {
            var model = _models(declaration.SyntaxTree);
            foreach (var baseType in declaration.BaseList?.Types ?? default)
            {
                var type = model.GetTypeInfo(baseType.Type).Type;
                if (_closure.IsKept(baseType, type) && seen.Add(type!))
                {
                    bases.Add((type!.TypeKind == TypeKind.Interface, Flatten(baseType.ToString())));
                }
            }
        }

        if (bases.Count > 0)
        {
            // The base class must come first, wherever a partial declaration named it.
            sb.Append(" : ").AppendJoin(", ", bases.OrderBy(b => b.IsInterface).Select(b => b.Text));
        }

        foreach (var clause in declarations.SelectMany(d => d.ConstraintClauses).DistinctBy(c => c.ToString()))
        {
            sb.Append(' ').Append(Flatten(clause.ToString()));
        }

        var children = _children.GetValueOrDefault(symbol) ?? [];
        if (children.Count == 0 && primary is not null)
        {
            return sb.Append(';').ToString();
        }

        sb.Append('\n').Append(pad).Append("{\n");
        WriteItems(sb, [.. children.OrderBy(c => c.SyntaxTree.FilePath, StringComparer.Ordinal).ThenBy(c => c.SpanStart)], level + 1);
        sb.Append(pad).Append('}');
        return sb.ToString();
    }

    private static readonly string[] ModifierOrderList =
        ["public", "private", "protected", "internal", "file", "new", "static", "abstract", "sealed", "readonly", "unsafe", "ref", "partial"];

    private static int ModifierOrder(string modifier) => Array.IndexOf(ModifierOrderList, modifier) is var i and >= 0 ? i : ModifierOrderList.Length;

    private static string Flatten(string text) =>
        string.Join(' ', text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// A node's original text without directives, inactive code and dropped attributes, its lines moved to
    /// <paramref name="level"/> except those inside multi-line string literals, whose content must not change.
    /// </summary>
    private string Render(SyntaxNode node, int level, bool withTrivia = true)
    {
        var text = node.SyntaxTree.GetText();
        var span = withTrivia ? node.FullSpan : node.Span;
        var removed = RemovedSpans(node);
        var stub = _closure.IsStub(node) ? Stub(node) : null;
        if (stub is { } cut)
        {
            // Everything from the end of the declaration's header (its trailing comment too) is replaced by the stub.
            removed.Add(TextSpan.FromBounds(cut.From, node.FullSpan.End));
        }

        var literals = node.DescendantNodes()
            .Where(n => n is InterpolatedStringExpressionSyntax || n is LiteralExpressionSyntax l && (l.IsKind(SyntaxKind.StringLiteralExpression) || l.IsKind(SyntaxKind.Utf8StringLiteralExpression)))
            .Select(n => n.Span)
            .Where(s => text.Lines.GetLineFromPosition(s.Start).LineNumber != text.Lines.GetLineFromPosition(s.End).LineNumber)
            .ToList();

        // A tab inside a literal is part of its value; elsewhere on the line tabs become spaces (see ExpandTabs).
        var tabbedLiterals = node.DescendantTokens(descendIntoTrivia: false)
            .Where(t => t.Text.Contains('\t', StringComparison.Ordinal) && !t.IsKind(SyntaxKind.IdentifierToken))
            .Select(t => t.Span)
            .ToList();

        var firstLine = text.Lines.GetLineFromPosition(node.SpanStart);
        var baseIndent = firstLine.Start == Math.Max(firstLine.Start, (withTrivia ? node.FullSpan : node.Span).Start)
            ? Indentation.LeadingWhitespace(Indentation.ExpandLeadingTabs(firstLine.ToString()))
            : 0;
        var pad = string.Concat(Enumerable.Repeat(Indentation.Indent, level));
        var deeper = Indentation.UnderIndentedBlockLines(node, text);

        // Verbatim lines are part of a multi-line literal's value: never re-indented, trimmed, dropped or collapsed, and
        // joined to the line before with the original line break (a CRLF inside a string is part of the string).
        var lines = new List<(string Text, bool Verbatim, string Break)>();

        // Blank lines that stood right above a line left out: before a closing brace they would leave a gap the code never had.
        var gaps = new HashSet<int>();
        var first = text.Lines.GetLineFromPosition(span.Start).LineNumber;
        var last = text.Lines.GetLineFromPosition(Math.Max(span.Start, span.End - 1)).LineNumber;
        for (var i = first; i <= last; i++)
        {
            var line = text.Lines[i];
            var start = Math.Max(line.Start, span.Start);
            var end = Math.Min(line.End, span.End);
            var original = end > start ? text.ToString(TextSpan.FromBounds(start, end)) : "";
            var kept = Keep(text, start, end, removed);
            var startsInside = literals.Any(l => l.Start < line.Start && line.Start < l.End);
            var endsInside = literals.Any(l => l.Start < line.End && line.End < l.End);
            if (startsInside)
            {
                var previous = text.Lines[i - 1];
                lines.Add((kept, true, text.ToString(TextSpan.FromBounds(previous.End, previous.EndIncludingLineBreak))));
                continue;
            }

            if (original.Trim().Length > 0 && kept.Trim().Length == 0)
            {
                for (var b = lines.Count - 1; b >= 0 && lines[b] is { Text.Length: 0, Verbatim: false }; b--)
                {
                    gaps.Add(b);
                }

                continue;
            }

            // Leading tabs count as four spaces, so tab-indented code is re-indented like space-indented code.
            var expanded = tabbedLiterals.Any(l => l.Start < line.End && line.Start < l.End) ? Indentation.ExpandLeadingTabs(kept) : Indentation.ExpandTabs(kept);
            var strip = Math.Min(baseIndent, Indentation.LeadingWhitespace(expanded));
            var body = endsInside ? expanded[strip..] : expanded[strip..].TrimEnd();

            // Every line, the first too (a member that shared its line with the brace before it), takes the level's indentation.
            lines.Add((body.Length == 0 ? "" : pad + string.Concat(Enumerable.Repeat(Indentation.Indent, deeper.GetValueOrDefault(i))) + body, false, "\n"));
        }

        // Trim blank lines at both ends and collapse runs of blank lines (outside literals).
        var result = new StringBuilder();
        var blank = false;
        var onlyGaps = true;
        var index = lines.FindIndex(l => l.Text.Length > 0 || l.Verbatim);
        foreach (var (line, verbatim, lineBreak) in index < 0 ? [] : lines.Skip(index))
        {
            if (line.Length == 0 && !verbatim)
            {
                onlyGaps &= gaps.Contains(index++);
                blank = true;
                continue;
            }

            index++;
            if (result.Length > 0)
            {
                var gap = blank && !(onlyGaps && line.TrimStart().StartsWith('}'));
                result.Append(gap ? "\n\n" : verbatim ? lineBreak : "\n");
            }

            blank = false;
            onlyGaps = true;
            result.Append(line);
        }

        if (stub is { } s)
        {
            result.Append(s.Text);
        }

        return result.ToString();
    }

    /// <summary>Where a stubbed member's header ends, and what follows it instead of its bodies.</summary>
    private static (int From, string Text)? Stub(SyntaxNode member)
    {
        var bodies = DependencyClosure.StubbedBodies(member);
        if (bodies.Count == 0)
        {
            return null;
        }

        if (member is BasePropertyDeclarationSyntax { AccessorList: { } list })
        {
            var accessors = list.Accessors.Select(a => string.Concat(a.Modifiers.Select(m => m.Text + " ")) + a.Keyword.Text + " => throw null!;");
            return (list.OpenBraceToken.GetPreviousToken().Span.End, " { " + string.Join(' ', accessors) + " }");
        }

        return (bodies[0].GetFirstToken().GetPreviousToken().Span.End, " => throw null!;");
    }

    private List<TextSpan> RemovedSpans(SyntaxNode node)
    {
        var removed = new List<TextSpan>();
        var trivia = node.DescendantTrivia(descendIntoTrivia: true).ToList();
        for (var i = 0; i < trivia.Count; i++)
        {
            if (trivia[i].IsDirective || trivia[i].IsKind(SyntaxKind.DisabledTextTrivia)
                || trivia[i].IsKind(SyntaxKind.SingleLineCommentTrivia) && AnalyzerDirective().IsMatch(trivia[i].ToString()))
            {
                removed.Add(trivia[i].FullSpan);
            }
            else if (trivia[i].IsKind(SyntaxKind.SingleLineCommentTrivia) && CommentedOutCode().IsMatch(trivia[i].ToString()))
            {
                removed.Add(trivia[i].FullSpan);
                if (IntroductionAbove(trivia, i) is { } introduction)
                {
                    // "// Uncomment this to …" would speak of a line the unit no longer has.
                    removed.Add(introduction);
                }
            }
        }

        if (_closure.DroppedAttributes.Count == 0)
        {
            return removed;
        }

        foreach (var list in node.DescendantNodesAndSelf().OfType<AttributeListSyntax>())
        {
            var attributes = list.Attributes;
            var dropped = attributes.Where(a => _closure.DroppedAttributes.Contains(a)).ToList();
            if (dropped.Count == 0)
            {
                continue;
            }

            if (dropped.Count == attributes.Count)
            {
                removed.Add(list.Span);
                continue;
            }

            for (var i = 0; i < attributes.Count; i++)
            {
                if (!_closure.DroppedAttributes.Contains(attributes[i]))
                {
                    continue;
                }

                // Take the comma (and space) after it, or the comma before it for the last one.
                var separatorCount = attributes.SeparatorCount;
                removed.Add(i < separatorCount
                    ? TextSpan.FromBounds(attributes[i].SpanStart, attributes[i + 1].SpanStart)
                    : TextSpan.FromBounds(attributes.GetSeparator(i - 1).SpanStart, attributes[i].Span.End));
            }
        }

        return removed;
    }

    private static string Keep(SourceText text, int start, int end, List<TextSpan> removed)
    {
        if (end <= start)
        {
            return "";
        }

        var segment = TextSpan.FromBounds(start, end);
        if (!removed.Any(r => r.OverlapsWith(segment)))
        {
            return text.ToString(segment);
        }

        var sb = new StringBuilder(end - start);
        for (var p = start; p < end; p++)
        {
            if (!removed.Any(r => r.Contains(p)))
            {
                sb.Append(text[p]);
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// The comment on the line right above trivia <paramref name="index"/> (no blank line between) when it tells the
    /// reader to uncomment or comment out the code below it; null otherwise. Both must stand alone on their lines: a
    /// comment above a line of live code that ends in commented-out code speaks of the live line.
    /// </summary>
    private static TextSpan? IntroductionAbove(List<SyntaxTrivia> trivia, int index)
    {
        if (!AloneOnItsLine(trivia[index]))
        {
            return null;
        }

        var lineEnds = 0;
        for (var j = index - 1; j >= 0; j--)
        {
            if (trivia[j].IsKind(SyntaxKind.WhitespaceTrivia))
            {
                continue;
            }

            if (trivia[j].IsKind(SyntaxKind.EndOfLineTrivia) && ++lineEnds == 1)
            {
                continue;
            }

            return trivia[j].IsKind(SyntaxKind.SingleLineCommentTrivia) && CodeIntroduction().IsMatch(trivia[j].ToString())
                   && !CommentedOutCode().IsMatch(trivia[j].ToString()) && AloneOnItsLine(trivia[j])
                ? trivia[j].FullSpan
                : null;
        }

        return null;
    }

    /// <summary>True when only blanks come before <paramref name="trivia"/> on its line.</summary>
    private static bool AloneOnItsLine(SyntaxTrivia trivia)
    {
        var text = trivia.SyntaxTree!.GetText();
        var line = text.Lines.GetLineFromPosition(trivia.SpanStart);
        for (var p = line.Start; p < trivia.SpanStart; p++)
        {
            if (text[p] is not (' ' or '\t'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A comment that speaks to a code analyzer, not to the reader (<c>// ReSharper disable once …</c>,
    /// <c>// ReSharper restore …</c>): like a <c>#pragma</c>, noise in a row.
    /// </summary>
    [GeneratedRegex(@"^//\s*ReSharper\s+(disable|restore|enable)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AnalyzerDirective();

    /// <summary>A comment about commented-out code: <c>// Uncomment this to add debug output</c>, <c>// comment out to disable</c>.</summary>
    [GeneratedRegex(@"^//.*(\bun-?comment|\bcomment(ed)?\s+((it|this|these|them|the\s+\w+\s+\w+)\s+)?out\b)", RegexOptions.IgnoreCase)]
    private static partial Regex CodeIntroduction();

    /// <summary>
    /// A <c>//</c> comment that is code put out of use (<c>// x = Foo(y);</c>, <c>// if (a) {</c>, <c>// }</c>): noise in a
    /// context, and a hint at an answer that is not the one compiled.
    /// </summary>
    [GeneratedRegex(@"^//\s*([{}]\s*$|(if|for|foreach|while|return|var|else|switch|case|try|catch|throw|using)\b.*|.*[;{}]\s*$)")]
    private static partial Regex CommentedOutCode();
}
