using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoRefiner.Harvester.Seeds;

/// <summary>
/// How <see cref="UnitEmitter"/> measures and changes the indentation of source lines it moves into a unit: tabs as
/// spaces to the next multiple of four columns, and blocks a directive left under-indented.
/// </summary>
internal static class Indentation
{
    /// <summary>One level of indentation in a unit.</summary>
    public const string Indent = "    ";

    /// <summary>
    /// Lines to move one level deeper per enclosing block that its source did not indent because a directive opened it:
    /// dnlib's <c>#if THREAD_SAFE</c> / <c>theLock.EnterWriteLock(); try {</c> / <c>#endif</c> leaves the statements of
    /// the <c>try</c> at the level of the line that opens it, which reads wrong once the directives are gone. Only blocks
    /// with a directive inside and statements no deeper than their opening line are touched.
    /// </summary>
    public static Dictionary<int, int> UnderIndentedBlockLines(SyntaxNode node, SourceText text)
    {
        var deeper = new Dictionary<int, int>();
        if (!node.ContainsDirectives)
        {
            return deeper;
        }

        foreach (var block in node.DescendantNodes().OfType<BlockSyntax>())
        {
            if (block.Statements.Count == 0 || !block.ContainsDirectives)
            {
                continue;
            }

            var open = text.Lines.GetLineFromPosition(block.OpenBraceToken.SpanStart).LineNumber;
            var close = text.Lines.GetLineFromPosition(block.CloseBraceToken.SpanStart).LineNumber;
            var statement = text.Lines.GetLineFromPosition(block.Statements[0].SpanStart).LineNumber;
            if (statement == open || close - open < 2
                || LeadingWhitespace(ExpandLeadingTabs(text.Lines[statement].ToString())) > LeadingWhitespace(ExpandLeadingTabs(text.Lines[open].ToString())))
            {
                continue;
            }

            for (var i = open + 1; i < close; i++)
            {
                deeper[i] = deeper.GetValueOrDefault(i) + 1;
            }
        }

        return deeper;
    }

    /// <summary>
    /// Every tab of the line as spaces to the next multiple of four columns: code aligned with tabs
    /// (<c>Static\t\t\t= 0x0010,</c>) stays aligned with its neighbours once re-indented by whole levels, and no line
    /// mixes tabs with the spaces the unit is indented with.
    /// </summary>
    public static string ExpandTabs(string line)
    {
        if (!line.Contains('\t', StringComparison.Ordinal))
        {
            return line;
        }

        var sb = new StringBuilder(line.Length + 16);
        foreach (var c in line)
        {
            if (c == '\t')
            {
                sb.Append(' ', Indent.Length - (sb.Length % Indent.Length));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    public static string ExpandLeadingTabs(string line)
    {
        var n = 0;
        while (n < line.Length && (line[n] == ' ' || line[n] == '\t'))
        {
            n++;
        }

        return line.AsSpan(0, n).Contains('\t') ? line[..n].Replace("\t", Indent, StringComparison.Ordinal) + line[n..] : line;
    }

    public static int LeadingWhitespace(string line)
    {
        var n = 0;
        while (n < line.Length && (line[n] == ' ' || line[n] == '\t'))
        {
            n++;
        }

        return n;
    }
}
