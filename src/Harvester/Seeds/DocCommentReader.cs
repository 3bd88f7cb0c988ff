using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AutoRefiner.Core.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Harvester.Seeds;

/// <summary>Turns a member's XML documentation comment into plain text (inline code as markdown).</summary>
internal static partial class DocCommentReader
{
    /// <summary>The parsed comment of <paramref name="member"/>, or null when it has no non-empty <c>summary</c>.</summary>
    public static DocComment? Read(MemberDeclarationSyntax member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var trivia = member.GetLeadingTrivia()
            .Select(t => t.GetStructure())
            .OfType<DocumentationCommentTriviaSyntax>()
            .LastOrDefault();
        if (trivia is null)
        {
            return null;
        }

        XElement root;
        try
        {
            // The structured trivia's text without the "///" prefixes is the XML of the comment.
            var xml = ExteriorPrefix().Replace(trivia.ToFullString(), "");
            root = XElement.Parse($"<doc>{xml}</doc>", LoadOptions.PreserveWhitespace);
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }

        var summary = Text(root.Element("summary"));
        if (summary.Length == 0)
        {
            return null;
        }

        return new DocComment
        {
            Summary = summary,
            Params = [.. root.Elements("param").Select(e => new NamedDoc((string?)e.Attribute("name") ?? "", Text(e)))],
            TypeParams = [.. root.Elements("typeparam").Select(e => new NamedDoc((string?)e.Attribute("name") ?? "", Text(e)))],
            Returns = Text(root.Element("returns")),
            Remarks = Text(root.Element("remarks")),
            Exceptions = [.. root.Elements("exception").Select(e => new NamedDoc(CrefName((string?)e.Attribute("cref")), Text(e)))],
        };
    }

    /// <summary>True when <paramref name="member"/> has a documentation comment with a <c>summary</c> element.</summary>
    public static bool HasSummary(MemberDeclarationSyntax member)
    {
        ArgumentNullException.ThrowIfNull(member);
        foreach (var t in member.GetLeadingTrivia())
        {
            if (t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
            {
                if (t.GetStructure() is DocumentationCommentTriviaSyntax doc &&
                    doc.Content.OfType<XmlElementSyntax>().Any(e => e.StartTag.Name.LocalName.Text == "summary"))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The <c>inheritdoc</c> element of <paramref name="member"/>'s doc comment when the comment has no <c>summary</c> of
    /// its own (<c>/// &lt;inheritdoc/&gt;</c>, <c>/// &lt;inheritdoc cref="Foo"/&gt;</c>); else null.
    /// </summary>
    public static XmlNodeSyntax? InheritDoc(MemberDeclarationSyntax member)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (HasSummary(member))
        {
            return null;
        }

        return member.GetLeadingTrivia()
            .Select(t => t.GetStructure())
            .OfType<DocumentationCommentTriviaSyntax>()
            .SelectMany(d => d.Content)
            .FirstOrDefault(n => n is XmlEmptyElementSyntax { Name.LocalName.Text: "inheritdoc" } or XmlElementSyntax { StartTag.Name.LocalName.Text: "inheritdoc" });
    }

    private static string Text(XElement? element)
    {
        if (element is null)
        {
            return "";
        }

        var sb = new StringBuilder();
        Append(element, sb);
        var lines = sb.ToString().Split('\n').Select(l => Spaces().Replace(l, " ").Trim());
        return Blank().Replace(string.Join('\n', lines), "\n\n").Trim();
    }

    private static void Append(XElement element, StringBuilder sb)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText text:
                    // Line breaks in prose are only where the author wrapped the comment.
                    sb.Append(AnyWhitespace().Replace(text.Value, " "));
                    break;
                case XElement e:
                    switch (e.Name.LocalName)
                    {
                        case "see" or "seealso":
                            var target = (string?)e.Attribute("langword") ?? CrefName((string?)e.Attribute("cref") ?? (string?)e.Attribute("href"));
                            sb.Append(e.Value.Length > 0 ? e.Value : $"`{target}`");
                            break;
                        case "paramref" or "typeparamref":
                            sb.Append('`').Append((string?)e.Attribute("name")).Append('`');
                            break;
                        case "c":
                            // An inline code span stays on one line even where the author wrapped the comment inside it.
                            sb.Append('`').Append(AnyWhitespace().Replace(e.Value.Trim(), " ")).Append('`');
                            break;
                        case "sup":
                            // 2<sup>N</sup> is "2^N", not "2N".
                            sb.Append('^');
                            Append(e, sb);
                            break;
                        case "code" when !e.Value.Trim().Contains('\n', StringComparison.Ordinal):
                            // One line of <code> inside a sentence ("is <code>null</code>") is an inline span, as <c> is.
                            sb.Append('`').Append(e.Value.Trim()).Append('`');
                            break;
                        case "code":
                            sb.Append("\n\n").Append(e.Value.Trim()).Append("\n\n");
                            break;
                        case "para" or "br":
                            sb.Append("\n\n");
                            Append(e, sb);
                            sb.Append("\n\n");
                            break;
                        case "item":
                            sb.Append("\n- ");
                            Append(e, sb);
                            break;
                        default:
                            Append(e, sb);
                            break;
                    }

                    break;
            }
        }
    }

    /// <summary><c>M:System.String.Trim</c> → <c>String.Trim</c>; <c>T:Foo.Bar{T}</c> → <c>Bar&lt;T&gt;</c>.</summary>
    private static string CrefName(string? cref)
    {
        if (string.IsNullOrEmpty(cref))
        {
            return "";
        }

        var name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0)
        {
            name = name[..paren];
        }

        return name.Replace('{', '<').Replace('}', '>');
    }

    [GeneratedRegex(@"(?m)^[ \t]*///?[ ]?|^[ \t]*/\*\*|\*/[ \t]*$|^[ \t]*\*[ ]?")]
    private static partial Regex ExteriorPrefix();

    [GeneratedRegex(@"[ \t\r]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\s+")]
    private static partial Regex AnyWhitespace();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex Blank();
}
