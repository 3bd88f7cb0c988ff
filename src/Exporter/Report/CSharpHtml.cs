using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace AutoRefiner.Exporter.Report;

/// <summary>C# as HTML with keywords, strings, comments and numbers in spans (no script needed to highlight).</summary>
internal static partial class CSharpHtml
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "async", "await", "base", "bool", "break", "byte", "case", "catch", "char", "class", "const", "continue", "decimal",
        "default", "delegate", "do", "double", "else", "enum", "false", "finally", "float", "for", "foreach", "if", "in", "int", "interface",
        "internal", "is", "long", "namespace", "new", "null", "object", "out", "override", "params", "private", "protected", "public",
        "readonly", "record", "ref", "return", "sealed", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "using", "var", "virtual", "void", "when", "where", "while", "yield", "get", "set", "init", "value",
    };

    public static string Highlight(string code)
    {
        var sb = new StringBuilder(code.Length * 2);
        var last = 0;
        foreach (Match match in Token().Matches(code))
        {
            sb.Append(WebUtility.HtmlEncode(code[last..match.Index]));
            var text = WebUtility.HtmlEncode(match.Value);
            var css = match.Groups["com"].Success ? "com"
                : match.Groups["str"].Success ? "str"
                : match.Groups["num"].Success ? "num-lit"
                : Keywords.Contains(match.Value) ? "kw" : null;
            sb.Append(css is null ? text : $"<span class=\"{css}\">{text}</span>");
            last = match.Index + match.Length;
        }

        return sb.Append(WebUtility.HtmlEncode(code[last..])).ToString();
    }

    [GeneratedRegex(@"(?<com>//[^\n]*|/\*[\s\S]*?\*/)|(?<str>@?\$?""(?:[^""\\\n]|\\.)*""|'(?:[^'\\\n]|\\.)*')|(?<num>\b\d[\d_]*(?:\.\d+)?[fFdDmMuUlL]?\b)|\b[A-Za-z_]\w*\b")]
    private static partial Regex Token();
}
