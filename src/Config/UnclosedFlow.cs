namespace AutoRefiner.Config;

/// <summary>
/// Finds a flow collection (<c>[a, b]</c>, <c>{k: v}</c>) of a YAML text that is never closed. The parser reports one
/// at the end of the file, or without any position, and never names the key it belongs to; the line that opened it is
/// the one to fix. Quoted scalars, comments and block scalars (<c>|</c>, <c>&gt;</c>) are skipped; in block context a
/// bracket opens a collection only where a value starts (after <c>key: </c>, <c>- </c> or at the start of a line), as
/// <c>query: a[b</c> is a plain scalar.
/// </summary>
internal static class UnclosedFlow
{
    /// <summary>The line (1-based) and dotted key of the outermost flow collection never closed, and its bracket; or null.</summary>
    public static (int Line, string Key, char Bracket)? Find(string text)
    {
        var lines = text.Split('\n');
        var open = new Stack<(char Bracket, int Line)>();
        char? quote = null;
        int? blockScalarWidth = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var indent = YamlKeyPath.IndentOf(line);
            if (blockScalarWidth is { } scalar)
            {
                if (indent == line.Length || YamlKeyPath.Width(line.AsSpan(0, indent)) > scalar)
                {
                    continue;
                }

                blockScalarWidth = null;
            }

            var valueStarts = quote is null;
            for (var c = quote is null ? indent : 0; c < line.Length; c++)
            {
                var ch = line[c];
                if (quote is { } q)
                {
                    if (q == '"' && ch == '\\')
                    {
                        c++;
                    }
                    else if (ch == q && q == '\'' && c + 1 < line.Length && line[c + 1] == '\'')
                    {
                        c++;
                    }
                    else if (ch == q)
                    {
                        quote = null;
                        valueStarts = false;
                    }

                    continue;
                }

                if (ch is ' ' or '\t')
                {
                    continue;
                }

                if (ch == '#' && (c == 0 || line[c - 1] is ' ' or '\t'))
                {
                    break;
                }

                var inFlow = open.Count > 0;
                if (ch is '[' or '{' && (inFlow || valueStarts))
                {
                    open.Push((ch, i));
                    valueStarts = true;
                }
                else if (ch is ']' or '}' && inFlow)
                {
                    open.Pop();
                    valueStarts = false;
                }
                else if (ch is '\'' or '"' && valueStarts)
                {
                    quote = ch;
                }
                else if (ch == ',' && inFlow)
                {
                    valueStarts = true;
                }
                else if (ch is ':' or '-' or '?' && (c + 1 == line.Length || line[c + 1] is ' ' or '\t') && (ch == ':' || valueStarts))
                {
                    valueStarts = true;
                }
                else if (ch is '|' or '>' && valueStarts && !inFlow)
                {
                    // A block scalar: the lines indented deeper than the line that starts it are its text.
                    blockScalarWidth = YamlKeyPath.Width(line.AsSpan(0, indent));
                    break;
                }
                else
                {
                    valueStarts = false;
                }
            }
        }

        if (open.Count == 0)
        {
            return null;
        }

        var outermost = open.Last();
        return (outermost.Line + 1, YamlKeyPath.Of(lines, outermost.Line), outermost.Bracket);
    }
}
